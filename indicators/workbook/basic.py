"""Reading the 基本信息 sheet: park name and type, accounting year and the method settings."""

from __future__ import annotations

from typing import Any

from . import labels as L
from .cells import Cell, cell_text, label_rows
from .checks import Checker
from .locate import Locator
from .vocabulary import Vocabulary


def read_basic(
    rows: list[list[Cell]], check: Checker, vocab: Vocabulary, locator: Locator
) -> tuple[dict[str, Any], int | None, dict[str, Any]]:
    """(park, year, method) from the label/value rows; a missing or invalid value is left out.

    ``locator`` learns the value cell of every row found, filled in or not (``method.factor_year``).
    """
    sheet = L.SHEET_BASIC
    labels = label_rows(rows)
    cells: dict[str, tuple[str, Cell, str]] = {}  # row key → (cell, value, label)
    for offset, item in enumerate(L.BASIC_ROWS):
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
    for key in ("feedstock_in_energy", "certificates_as_green_power"):
        if hit := cells.get(f"method.{key}"):
            _put(method, key, check.yes_no(sheet, *hit))
    return park, year, method


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value
