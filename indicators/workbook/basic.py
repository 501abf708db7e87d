"""Reading the 基本信息 sheet: the template version, park name and type, accounting year, method settings."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from . import labels as L
from .cells import Cell, cell_text, is_blank, number_text
from .checks import Checker
from .locate import Locator
from .vocabulary import Vocabulary


def version_cell(labels: Mapping[str, tuple[int, Cell]]) -> tuple[str, Cell] | None:
    """(cell, value) of the 模板版本 row; None when the sheet has no such row (a version 1 workbook)."""
    hit = labels.get(L.header_token(L.VERSION_ROW.label))
    return None if hit is None else (f"B{hit[0]}", hit[1])


def template_version(value: Cell) -> int | None:
    """The version a 模板版本 cell states; None when it is not a version this reader knows (only 2)."""
    text = None if is_blank(value) else number_text(value)
    if text is not None and Decimal(text) == L.TEMPLATE_VERSION:
        return L.TEMPLATE_VERSION
    return None


def read_basic(
    labels: Mapping[str, tuple[int, Cell]], check: Checker, vocab: Vocabulary, locator: Locator
) -> tuple[dict[str, Any], int | None, dict[str, Any]]:
    """(park, year, method) from the label/value rows; a missing or invalid value is left out.

    ``labels`` is ``cells.label_rows`` of the sheet; the rows looked for are those of the upload's
    template version (``vocab.layout``). ``locator`` learns the value cell of every row found,
    filled in or not (``method.factor_year``).
    """
    sheet = L.SHEET_BASIC
    cells: dict[str, tuple[str, Cell, str]] = {}  # row key → (cell, value, label)
    for offset, item in enumerate(vocab.layout.basic_rows):
        if item.key == L.VERSION_KEY:
            continue  # read by the reader before anything else
        hit = check.labelled(sheet, labels, item, L.BASIC_FIRST_ROW + offset)
        if hit is not None:
            cells[item.key] = (*hit, item.label)
            locator.add(item.key, sheet, hit[0])

    park: dict[str, Any] = {}
    if (hit := cells.get("park.name")) and not check.blank(sheet, *hit, required=True):
        park["name"] = cell_text(hit[1])
    if hit := cells.get("park.park_type"):
        code = check.choice(sheet, *hit, vocab.park_type_lookup, L.PARK_TYPES.values(), required=True)
        _put(park, "park_type", code)
    year = check.year(sheet, *hit, required=True) if (hit := cells.get("year")) else None

    method: dict[str, Any] = {}
    if hit := cells.get("method.grid_ef_basis"):
        code = check.choice(sheet, *hit, vocab.basis_lookup, L.GRID_BASES.values(), required=False)
        _put(method, "grid_ef_basis", code)
    if hit := cells.get("method.factor_year"):
        _put(method, "factor_year", check.year(sheet, *hit, required=False))
    if hit := cells.get("method.grid_ef_tco2_per_mwh"):
        custom = method.get("grid_ef_basis") == "custom"
        _put(method, "grid_ef_tco2_per_mwh", check.number(sheet, *hit, required=custom))
    if hit := cells.get("method.electricity_tce_basis"):
        code = check.choice(sheet, *hit, vocab.tce_basis_lookup, L.TCE_BASES.values(), required=False)
        _put(method, "electricity_tce_basis", code)
    for key in L.METHOD_FLAGS:
        if hit := cells.get(f"method.{key}"):
            _put(method, key, check.yes_no(sheet, *hit))
    return park, year, method


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value
