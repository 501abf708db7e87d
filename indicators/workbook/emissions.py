"""Reading the sheets besides 能源消费 that move the carbon balance: 电力, 热力, 工业过程, 直接排放, 抵销."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from typing import Any

from django.utils.translation import gettext as _

from . import labels as L
from .cells import (
    BAD,
    SUM_PRECISION,
    Cell,
    cell_at,
    cell_text,
    column_letter,
    field_names,
    is_blank,
    label_rows,
    month_number,
    sum_text,
)
from .checks import Checker
from .locate import Locator, column_letters
from .vocabulary import Vocabulary


def read_electricity(
    rows: Iterable[list[Cell]], check: Checker, locator: Locator, layout: L.Layout = L.LAYOUT
) -> dict[str, Any]:
    """电力 totals in MWh, keyed like ``layout.electricity_columns`` (accounting.md §1.4)."""
    return _read_sums(
        L.SHEET_ELECTRICITY, rows, layout.electricity_columns, check, locator, "electricity_mwh"
    )


def read_heat(
    rows: Iterable[list[Cell]], check: Checker, locator: Locator, layout: L.Layout = L.LAYOUT
) -> dict[str, Any]:
    """热力 totals in GJ; each emission factor is one value for the year, not a sum."""
    return _read_sums(
        L.SHEET_HEAT,
        rows,
        layout.heat_columns,
        check,
        locator,
        "heat_gj",
        single=L.HEAT_FACTORS,
    )


def _read_sums(
    sheet: str,
    rows: Iterable[list[Cell]],
    columns: Sequence[L.Column],
    check: Checker,
    locator: Locator,
    path: str,
    *,
    single: Sequence[str] = (),
) -> dict[str, Any]:
    """Sum every value column over the rows (months collapse); ``single`` columns must agree.

    ``locator`` learns where each total ``path.key`` came from: the one cell that gave a value, or
    the column's header cell when several rows did.
    """
    iterator = iter(rows)
    found = check.map_columns(sheet, next(iterator, None), columns)
    if found is None:
        return {}
    value_columns = [column for column in columns if column.key != "month"]
    month_index = found["month"]
    totals: dict[str, list[Any]] = {}  # key → [first text, sum, values summed, first cell, rows]
    with localcontext(prec=SUM_PRECISION):
        for number, row in enumerate(iterator, start=2):
            values = [(column, cell_at(row, found[column.key])) for column in value_columns]
            if all(is_blank(value) for _column, value in values):
                continue  # blank row, or a month with nothing entered
            month = cell_at(row, month_index)
            if month_number(month) is BAD:
                check.bad_month(sheet, f"{column_letter(month_index)}{number}", month)
            for column, value in values:
                cell = f"{column_letter(found[column.key])}{number}"
                text = check.number(sheet, cell, value, column.header)
                if text is None:
                    continue
                assert isinstance(text, str)
                total = totals.get(column.key)
                if total is None:
                    totals[column.key] = [text, Decimal(text), 1, cell, 1]
                    continue
                total[4] += 1
                if column.key in single:
                    if Decimal(text) != total[1]:
                        check.error(
                            sheet,
                            cell,
                            "invalid",
                            _(
                                "“%(field)s” must be the same on every row: %(first)s in %(first_cell)s, "
                                "%(value)s here. Enter one value for the year."
                            )
                            % {
                                "field": column.header,
                                "first": total[0],
                                "first_cell": total[3],
                                "value": text,
                            },
                        )
                else:
                    total[1] += Decimal(text)
                    total[2] += 1
    for key, letter in column_letters(found, columns, skip="month").items():
        total = totals.get(key)
        locator.add(f"{path}.{key}", sheet, total[3] if total is not None and total[4] == 1 else f"{letter}1")
    return {column.key: sum_text(*totals[column.key][:3]) for column in value_columns if column.key in totals}


def read_process(rows: Iterable[list[Cell]], check: Checker, locator: Locator) -> list[dict[str, Any]]:
    """工业过程 rows (accounting.md §1.6), one per sheet row: product, output, factor, basis, enterprise."""
    sheet = L.SHEET_PROCESS
    iterator = iter(rows)
    found = check.map_columns(sheet, next(iterator, None), L.PROCESS_COLUMNS)
    if found is None:
        return []
    table = locator.table(
        "process", sheet, column_letters(found, L.PROCESS_COLUMNS), anchor="product", header_cell="A1"
    )
    header = field_names(L.PROCESS_COLUMNS)
    entries = []
    for number, row in enumerate(iterator, start=2):
        values = {column.key: cell_at(row, found[column.key]) for column in L.PROCESS_COLUMNS}
        if all(is_blank(value) for value in values.values()):
            continue
        cells = {key: f"{column_letter(found[key])}{number}" for key in values}
        entry: dict[str, Any] = {}
        for key in ("product", "quantity_t", "ef_tco2_per_t", "basis"):
            if key in L.PROCESS_NUMBERS:
                text = check.number(sheet, cells[key], values[key], header[key], required=True)
                if text is not None:
                    entry[key] = text
            elif not check.blank(sheet, cells[key], values[key], header[key], required=True):
                entry[key] = cell_text(values[key])
        if not is_blank(values["enterprise"]):
            entry["enterprise"] = cell_text(values["enterprise"])
        entries.append(entry)
        table.rows.append(number)
    return entries


def read_direct(
    rows: Iterable[list[Cell]], check: Checker, vocab: Vocabulary, locator: Locator
) -> list[dict[str, Any]]:
    """直接排放 entries, one per source row: kind code, optional source name and tCO2."""
    sheet = L.SHEET_DIRECT
    iterator = iter(rows)
    found = check.map_columns(sheet, next(iterator, None), L.DIRECT_COLUMNS)
    if found is None:
        return []
    table = locator.table(
        "direct_emissions", sheet, column_letters(found, L.DIRECT_COLUMNS), anchor="kind", header_cell="A1"
    )
    header = field_names(L.DIRECT_COLUMNS)
    entries = []
    for number, row in enumerate(iterator, start=2):
        kind, source, tco2 = (cell_at(row, found[key]) for key in ("kind", "source", "tco2"))
        if is_blank(kind) and is_blank(source) and is_blank(tco2):
            continue
        code = check.choice(
            sheet,
            f"{column_letter(found['kind'])}{number}",
            kind,
            header["kind"],
            vocab.kind_lookup,
            L.DIRECT_KINDS.values(),
            required=True,
        )
        amount = check.number(
            sheet, f"{column_letter(found['tco2'])}{number}", tco2, header["tco2"], required=True
        )
        if code is None or amount is None:
            continue
        entry: dict[str, Any] = {"kind": code}
        if not is_blank(source):
            entry["source"] = cell_text(source)
        entry["tco2"] = amount
        entries.append(entry)
        table.rows.append(number)
    return entries


def read_offsets(rows: list[list[Cell]], check: Checker, locator: Locator) -> dict[str, Any]:
    """抵销 amounts in tCO2 (CCER), keyed like ``labels.OFFSET_ROWS``."""
    sheet = L.SHEET_OFFSETS
    labels = label_rows(rows)
    values: dict[str, Any] = {}
    for offset, item in enumerate(L.OFFSET_ROWS):
        hit = check.labelled(sheet, labels, item, 2 + offset)
        if hit is None:
            continue
        locator.add(f"offsets_tco2.{item.key}", sheet, hit[0])
        text = check.number(sheet, *hit, item.label)
        if text is not None:
            values[item.key] = text
    return values
