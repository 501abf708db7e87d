"""Reading the 资源 sheet: the resource blocks, and the products and exemptions tables to their right."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from . import labels as L
from .cells import (
    Cell,
    cell_at,
    cell_text,
    column_letter,
    field_names,
    is_blank,
    label_rows,
    lookup_key,
    shown,
)
from .checks import Checker
from .locate import Locator, column_letters
from .vocabulary import Vocabulary

SHEET = L.SHEET_RESOURCES


def read_resources(
    rows: list[list[Cell]], check: Checker, vocab: Vocabulary, locator: Locator
) -> tuple[dict[str, Any], dict[str, str]]:
    """(resources, exemptions): the filled-in blocks plus ``products``, and indicator code → reason.

    ``locator`` learns the value cell of every block row found (``resources.<block>.<key>``), the
    sheet row of each product and the indicator cell of each exemption.
    """
    labels = label_rows(rows)
    resources: dict[str, Any] = {}
    for block in L.RESOURCE_BLOCKS:
        cells = []
        for item in block.rows:
            hit = check.labelled(SHEET, labels, item, L.RESOURCE_ROWS[(block.key, item.key)])
            if hit is not None:
                cells.append((item, *hit))
                path = f"resources.{block.key}.{item.key}" if item.key else f"resources.{block.key}"
                locator.add(path, SHEET, hit[0])
        if all(is_blank(value) for _row, _cell, value in cells):
            continue  # an entirely blank block is absent: no_data for its indicator
        values: dict[str, Any] = {}
        for item, cell, value in cells:
            parsed = check.number(SHEET, cell, value, item.label, count=block.counts)
            if parsed is None:
                continue
            if not item.key:
                resources[block.key] = parsed
                continue
            target = values
            *parents, leaf = item.key.split(".")
            for parent in parents:
                target = target.setdefault(parent, {})
            target[leaf] = parsed
        if values:
            resources[block.key] = values
    header = rows[0] if rows else None
    products = _read_products(
        rows,
        check.map_columns(SHEET, header, L.PRODUCT_COLUMNS, first_col=L.PRODUCT_FIRST_COL),
        check,
        locator,
    )
    if products:
        resources["products"] = products
    exemptions = _read_exemptions(
        rows,
        check.map_columns(SHEET, header, L.EXEMPTION_COLUMNS, first_col=L.EXEMPTION_FIRST_COL),
        check,
        vocab,
        locator,
    )
    return resources, exemptions


def _read_products(
    rows: list[list[Cell]], found: dict[str, int] | None, check: Checker, locator: Locator
) -> list[dict[str, Any]]:
    if found is None:
        return []
    columns = column_letters(found, L.PRODUCT_COLUMNS)
    table = locator.table(
        "resources.products", SHEET, columns, anchor="name", header_cell=f"{columns['name']}1"
    )
    header = field_names(L.PRODUCT_COLUMNS)
    products = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {
            key: (f"{column_letter(index)}{number}", cell_at(row, index)) for key, index in found.items()
        }
        if all(is_blank(value) for _cell, value in cells.values()):
            continue
        product: dict[str, Any] = {}
        cell, name = cells["name"]
        if not check.blank(SHEET, cell, name, header["name"], required=True):
            product["name"] = cell_text(name)
        cell, standard = cells["standard"]
        if not is_blank(standard):
            product["standard"] = cell_text(standard)
        for key in ("value", "grade2_limit"):
            cell, value = cells[key]
            text = check.number(SHEET, cell, value, header[key], required=True)
            if text is not None:
                product[key] = text
        products.append(product)
        table.rows.append(number)
    return products


def _read_exemptions(
    rows: list[list[Cell]],
    found: dict[str, int] | None,
    check: Checker,
    vocab: Vocabulary,
    locator: Locator,
) -> dict[str, str]:
    if found is None:
        return {}
    header = field_names(L.EXEMPTION_COLUMNS)
    exemptions: dict[str, str] = {}
    seen: dict[str, str] = {}  # indicator code → cell of its exemption
    for number, row in enumerate(rows[1:], start=2):
        indicator_cell = f"{column_letter(found['indicator'])}{number}"
        reason_cell = f"{column_letter(found['reason'])}{number}"
        indicator, reason = cell_at(row, found["indicator"]), cell_at(row, found["reason"])
        if is_blank(indicator) and is_blank(reason):
            continue
        code = None
        if not check.blank(SHEET, indicator_cell, indicator, header["indicator"], required=True):
            code = vocab.indicator_lookup.get(lookup_key(cell_text(indicator)))
            if code is None:
                check.error(
                    SHEET,
                    indicator_cell,
                    "unknown",
                    _("Unknown indicator “%(value)s”. Choose a guiding indicator from the drop-down list.")
                    % {"value": shown(indicator)},
                )
            elif code == L.CORE_INDICATOR:
                check.error(
                    SHEET,
                    indicator_cell,
                    "core_not_exemptible",
                    _("The core indicator %(name)s cannot be exempted; only guiding indicators can.")
                    % {"name": L.INDICATOR_NAMES[code]},
                )
                code = None
            elif code in seen:
                check.error(
                    SHEET,
                    indicator_cell,
                    "invalid",
                    _("%(name)s is already exempted in %(cell)s; keep one row per indicator.")
                    % {"name": L.INDICATOR_NAMES[code], "cell": seen[code]},
                )
                code = None
        if not check.blank(SHEET, reason_cell, reason, header["reason"], required=True) and code is not None:
            seen[code] = indicator_cell
            exemptions[code] = cell_text(reason)
            locator.add(f"exemptions.{code}", SHEET, indicator_cell)
    return exemptions
