"""Exporting a dataset (and optionally its result document) as a filled intake workbook.

The workbook is the template with the dataset written in, so it can be edited and uploaded again:
``read_workbook(export_workbook(dataset=d, result=None, factor_set=fs))`` gives back ``d`` (after
aggregation, numbers equal as Decimals). Text is always written as text, never as a formula, so a
park named "=1+1" comes back as "=1+1". The workbook is always of the current template version, so a
``zcpark.dataset/1`` document comes back as the ``zcpark.dataset/2`` document the engine upgrades it
to (its v1 use ``conversion`` is written as power_heat, accounting.md §5.3). With a result document
(accounting.md §6) four read-only sheets are added: 指标结果 (with the advisories and the provisional
rules used), 排放汇总, 敏感性 (grid factor and electricity conversion basis) and 计算过程; the reader
ignores them.

The dataset is whatever the park gave (the engine reports its errors separately), so a part of the
wrong type — a list where a mapping of fields belongs, a row that is not a mapping, a list where a
value belongs — is skipped rather than raising.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal, DecimalException, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import emission_sources
from zcpark.core.sheets import (
    HEADER_ALIGN,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    WRAP,
    header_row,
    write_cell,
)

from . import labels as L
from .method import carrier_names, grid_bases
from .template import basic_row, new_workbook, workbook_bytes

EXACT_FLOAT_DIGITS = 15  # a double keeps any decimal of up to 15 significant digits exactly
STATUS_FILLS = {
    "pass": PatternFill("solid", fgColor="C6EFCE"),
    "fail": PatternFill("solid", fgColor="FFC7CE"),
    "exempt": PatternFill("solid", fgColor="FFEB9C"),
}


def export_workbook(
    *, dataset: Mapping[str, Any], result: Mapping[str, Any] | None, factor_set: Mapping[str, Any]
) -> bytes:
    """The intake template filled with ``dataset`` (.xlsx bytes), plus result sheets when given."""
    workbook = new_workbook(factor_set=factor_set)
    dataset = _mapping(dataset)
    _fill_basic(workbook[L.SHEET_BASIC], dataset, factor_set)
    uses = dict(L.USES)
    if dataset.get("schema") == L.DATASET_SCHEMA_V1:
        uses[L.RETIRED_USE] = L.USES["power_heat"]  # the engine's upgrade (accounting.md §5.3)
    _fill_energy(workbook[L.SHEET_ENERGY], _rows(dataset.get("energy")), factor_set, uses)
    _fill_row(workbook[L.SHEET_ELECTRICITY], L.ELECTRICITY_COLUMNS, _mapping(dataset.get("electricity_mwh")))
    _fill_row(workbook[L.SHEET_HEAT], L.HEAT_COLUMNS, _mapping(dataset.get("heat_gj")))
    _fill_process(workbook[L.SHEET_PROCESS], _rows(dataset.get("process")))
    _fill_direct(workbook[L.SHEET_DIRECT], _rows(dataset.get("direct_emissions")))
    offsets = _mapping(dataset.get("offsets_tco2"))
    for offset, item in enumerate(L.OFFSET_ROWS):
        _put(workbook[L.SHEET_OFFSETS], 2 + offset, 2, number_cell(offsets.get(item.key)))
    _fill_resources(
        workbook[L.SHEET_RESOURCES], _mapping(dataset.get("resources")), _mapping(dataset.get("exemptions"))
    )
    if result is not None:
        _result_sheets(workbook, result, factor_set)
    return workbook_bytes(workbook)


def number_cell(value: Any) -> Any:
    """A dataset number as an Excel cell value: int or float when that is exact, else the text.

    Excel stores numbers as doubles; a decimal with more than 15 significant digits would lose
    digits there, so it is written as text (the reader accepts numeric text as typed).
    """
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**EXACT_FLOAT_DIGITS else str(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return value  # not a number: write it as is and let the reader report it
    try:
        if not number.is_finite():
            return str(value)
        if number == number.to_integral_value() and abs(number) < 10**EXACT_FLOAT_DIGITS:
            return int(number)
        if len(number.normalize().as_tuple().digits) <= EXACT_FLOAT_DIGITS:
            double = float(number)
            if math.isfinite(double) and (double != 0 or number == 0):  # no overflow or underflow
                return double
    except DecimalException:  # an exponent beyond what Decimal arithmetic allows
        pass
    return str(value)


def _put(sheet: Worksheet, row: int, col: int, value: Any) -> None:
    if value is not None and value != "":
        write_cell(sheet, row, col, value)


def _mapping(value: Any) -> Mapping[str, Any]:
    """A part of the dataset that should be a mapping; empty when it is anything else."""
    return value if isinstance(value, Mapping) else {}


def _rows(value: Any) -> list[Mapping[str, Any] | None]:
    """A table of the dataset: its rows, None in place of a row that is not a mapping."""
    if not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        return []
    return [row if isinstance(row, Mapping) else None for row in value]


def _label(labels: Mapping[Any, Any], value: Any) -> Any:
    """The label of a code, or the value itself when it is no known (or no hashable) code."""
    try:
        return labels.get(value, value)
    except TypeError:  # unhashable: a list or mapping where a code belongs
        return value


def _fill_basic(sheet: Worksheet, dataset: Mapping[str, Any], factor_set: Mapping[str, Any]) -> None:
    park = _mapping(dataset.get("park"))
    method = _mapping(dataset.get("method"))
    _put(sheet, basic_row("park.name"), 2, park.get("name"))
    _put(sheet, basic_row("park.park_type"), 2, _label(L.PARK_TYPES, park.get("park_type")))
    _put(sheet, basic_row("year"), 2, number_cell(dataset.get("year")))
    basis = method.get("grid_ef_basis")
    _put(sheet, basic_row("method.grid_ef_basis"), 2, _label(grid_bases(factor_set), basis))
    _put(sheet, basic_row("method.factor_year"), 2, number_cell(method.get("factor_year")))
    _put(
        sheet,
        basic_row("method.grid_ef_tco2_per_mwh"),
        2,
        number_cell(method.get("grid_ef_tco2_per_mwh")),
    )
    tce_basis = method.get("electricity_tce_basis")
    _put(sheet, basic_row("method.electricity_tce_basis"), 2, _label(L.TCE_BASES, tce_basis))
    for key in L.METHOD_FLAGS:
        flag = method.get(key)
        _put(sheet, basic_row(f"method.{key}"), 2, _label(L.YES_NO, flag) if flag is not None else None)


def _fill_energy(
    sheet: Worksheet,
    rows: Sequence[Mapping[str, Any] | None],
    factor_set: Mapping[str, Any],
    uses: Mapping[str, str],
) -> None:
    names = carrier_names(factor_set)
    index = {column.key: i for i, column in enumerate(L.ENERGY_COLUMNS, start=1)}
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue  # not a row: left blank, which the reader skips
        _put(sheet, number, index["enterprise"], row.get("enterprise"))
        _put(sheet, number, index["carrier"], _label(names, row.get("carrier")))
        _put(sheet, number, index["quantity"], number_cell(row.get("quantity")))
        _put(sheet, number, index["unit"], L.unit_sheet_label(row.get("unit")) if row.get("unit") else None)
        _put(sheet, number, index["use"], _label(uses, row.get("use")))
        for key in ("ncv", "cc", "of"):
            _put(sheet, number, index[key], number_cell(row.get(key)))


def _fill_row(sheet: Worksheet, columns: Sequence[L.Column], values: Mapping[str, Any]) -> None:
    """One annual row (month blank) under the header."""
    for col, column in enumerate(columns, start=1):
        if column.key != "month":
            _put(sheet, 2, col, number_cell(values.get(column.key)))


def _fill_process(sheet: Worksheet, rows: Sequence[Mapping[str, Any] | None]) -> None:
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        for col, column in enumerate(L.PROCESS_COLUMNS, start=1):
            value = row.get(column.key)
            _put(sheet, number, col, number_cell(value) if column.key in L.PROCESS_NUMBERS else value)


def _fill_direct(sheet: Worksheet, rows: Sequence[Mapping[str, Any] | None]) -> None:
    for number, row in enumerate(rows, start=2):
        if row is None:
            continue
        _put(sheet, number, 1, _label(L.DIRECT_KINDS, row.get("kind")))
        _put(sheet, number, 2, row.get("source"))
        _put(sheet, number, 3, number_cell(row.get("tco2")))


def _fill_resources(sheet: Worksheet, resources: Mapping[str, Any], exemptions: Mapping[str, Any]) -> None:
    for block in L.RESOURCE_BLOCKS:
        values = resources.get(block.key)
        if values is None:
            continue
        for item in block.rows:
            value: Any = values
            for part in item.key.split(".") if item.key else ():
                value = value.get(part) if isinstance(value, Mapping) else None
            _put(sheet, L.RESOURCE_ROWS[(block.key, item.key)], 2, number_cell(value))
    first = L.PRODUCT_FIRST_COL
    for number, product in enumerate(_rows(resources.get("products")), start=2):
        if product is None:
            continue
        for offset, column in enumerate(L.PRODUCT_COLUMNS):
            value = product.get(column.key)
            _put(
                sheet,
                number,
                first + offset,
                number_cell(value) if column.key in ("value", "grade2_limit") else value,
            )
    first = L.EXEMPTION_FIRST_COL
    for number, (code, reason) in enumerate(exemptions.items(), start=2):
        _put(sheet, number, first, _label(L.INDICATOR_NAMES, code))
        _put(sheet, number, first + 1, reason)


# --- result sheets ------------------------------------------------------------------------------


def _result_number(sheet: Worksheet, row: int, col: int, value: Any) -> None:
    """A result number as a number cell showing exactly the decimals the engine reported."""
    if value is None or value == "":
        return
    cell = write_cell(sheet, row, col, number_cell(value))
    text = str(value)
    if "." in text and isinstance(cell.value, float | int):
        cell.number_format = "0." + "0" * len(text.split(".", 1)[1])


def _result_sheets(workbook: Workbook, result: Mapping[str, Any], factor_set: Mapping[str, Any]) -> None:
    _indicator_sheet(workbook.create_sheet(L.SHEET_RESULT_INDICATORS), result)
    _totals_sheet(workbook.create_sheet(L.SHEET_RESULT_TOTALS), result, factor_set)
    _sensitivity_sheet(workbook.create_sheet(L.SHEET_RESULT_SENSITIVITY), result, factor_set)
    _trace_sheet(workbook.create_sheet(L.SHEET_RESULT_TRACE), result)
    # Keep the hidden list sheet last, after the result sheets.
    workbook.move_sheet(L.SHEET_LISTS, offset=len(workbook.sheetnames))


def _indicator_sheet(sheet: Worksheet, result: Mapping[str, Any]) -> None:
    headers = (
        ("指标", 40),
        ("类别", 12),
        ("数值", 14),
        ("单位", 12),
        ("阈值", 12),
        ("状态", 10),
        ("说明", 50),
    )
    header_row(sheet, 1, headers)
    row = 1
    for indicator in result.get("indicators") or []:
        row += 1
        code = indicator.get("code", "")
        threshold = indicator.get("threshold") or {}
        status = indicator.get("status", "")
        op = threshold.get("op", "")
        write_cell(sheet, row, 1, indicator.get("name") or L.INDICATOR_NAMES.get(code, code))
        write_cell(sheet, row, 2, L.CATEGORY_LABELS.get(indicator.get("category"), indicator.get("category")))
        _result_number(sheet, row, 3, indicator.get("value"))
        write_cell(sheet, row, 4, L.unit_sheet_label(indicator.get("unit")))
        if threshold:
            write_cell(sheet, row, 5, f"{L.THRESHOLD_OPS.get(op, op)} {threshold.get('value', '')}")
        status_cell = write_cell(sheet, row, 6, L.STATUS_LABELS.get(status, status))
        if status in STATUS_FILLS:
            status_cell.fill = STATUS_FILLS[status]
        notes = [L.NOTE_LABELS.get(note, note) for note in indicator.get("notes") or []]
        write_cell(sheet, row, 7, "；".join(notes)).alignment = WRAP
    row += 2
    write_cell(sheet, row, 1, "评价方案").font = HEADER_FONT
    write_cell(sheet, row, 2, result.get("scheme"))
    row += 1
    write_cell(sheet, row, 1, "核心指标达标（一票否决）").font = HEADER_FONT
    passed = result.get("core_passed")
    write_cell(sheet, row, 2, L.YES_NO.get(passed, "") if isinstance(passed, bool) else "")
    if result.get("upgraded_from"):
        row += 1
        write_cell(sheet, row, 1, "数据集格式").font = HEADER_FONT
        write_cell(sheet, row, 2, f"由 {result['upgraded_from']} 升级为 {L.DATASET_SCHEMA} 后核算")
    advisories = [item for item in result.get("advisories") or [] if isinstance(item, Mapping)]
    if advisories:
        row += 2
        write_cell(sheet, row, 1, "提示（不是指标，不影响判定）").font = HEADER_FONT
        for item in advisories:
            row += 1
            code = item.get("code")
            threshold = item.get("threshold") or {}
            op = threshold.get("op", "")
            write_cell(sheet, row, 1, _label(L.ADVISORY_LABELS, code))
            _result_number(sheet, row, 3, item.get("value"))
            write_cell(sheet, row, 4, "%")
            if threshold:
                write_cell(sheet, row, 5, f"{L.THRESHOLD_OPS.get(op, op)} {threshold.get('value', '')}")
            write_cell(sheet, row, 7, item.get("message")).alignment = WRAP
    provisional = [item for item in result.get("provisional") or [] if isinstance(item, Mapping)]
    if provisional:
        row += 2
        write_cell(sheet, row, 1, "本次核算用到的暂行口径").font = HEADER_FONT
        for item in provisional:
            row += 1
            write_cell(sheet, row, 1, _label(L.PROVISIONAL_LABELS, item.get("code")))
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
            write_cell(sheet, row, 2, item.get("text")).alignment = WRAP
            sheet.row_dimensions[row].height = 15 * (1 + len(str(item.get("text") or "")) // 60)
    sheet.freeze_panes = "A2"


def _totals_sheet(sheet: Worksheet, result: Mapping[str, Any], factor_set: Mapping[str, Any]) -> None:
    header_row(sheet, 1, (("项目", 44), ("数值", 18), ("单位", 14)))
    totals = result.get("totals") or {}
    row = 1

    def section(title: str) -> None:
        nonlocal row
        row += 1
        write_cell(sheet, row, 1, title).font = Font(bold=True)

    def line(label: str, value: Any, unit: str, *, number: bool = True) -> None:
        nonlocal row
        row += 1
        write_cell(sheet, row, 1, label)
        if number:
            _result_number(sheet, row, 2, value)
        elif value is not None:
            write_cell(sheet, row, 2, value)
        write_cell(sheet, row, 3, unit)

    section("核算结果")
    for key, (label, unit) in L.TOTAL_LABELS.items():
        if key in totals:
            line(label, totals[key], unit)
    section("按排放源（tCO2）")
    for key, value in emission_sources(result).items():
        line(L.SOURCE_LABELS.get(key, key), value, "tCO2")
    for title, key, labels, unit in (
        ("能源用作燃料按用途（tCO2）", "fuel_use_by_use_tco2", L.FUEL_USE_LABELS, "tCO2"),
        ("年综合能源消费量构成（tce）", "energy_by_part_tce", L.ENERGY_PART_LABELS, "tce"),
    ):
        parts = totals.get(key)
        if isinstance(parts, Mapping) and parts:
            section(title)
            for part, value in parts.items():
                line(_label(labels, part), value, unit)
    section("采用的因子和设置")
    factors = result.get("factors") or {}
    bases = grid_bases(factor_set)
    for key, (label, unit) in L.FACTOR_LABELS.items():
        if key not in factors:
            continue
        value = factors[key]
        if key == "grid_ef_basis":
            line(label, bases.get(value, value), unit, number=False)
        elif key == "electricity_tce_basis":
            line(label, _label(L.TCE_BASES, value), unit, number=False)
        elif isinstance(value, bool):
            line(label, L.YES_NO[value], unit, number=False)
        elif key == "set" and value == factor_set.get("name"):
            line(label, factor_set.get("title") or value, unit, number=False)  # its title, not cn-2026.1
        elif key == "method" and value == (factor_set.get("method") or {}).get("code"):
            line(label, factor_set["method"].get("title") or value, unit, number=False)
        elif key in ("method", "set", "factor_year", "electricity_tce_factor_year"):
            line(label, value, unit, number=False)
        else:
            line(label, value, unit)
    sheet.freeze_panes = "A2"


def _sensitivity_sheet(sheet: Worksheet, result: Mapping[str, Any], factor_set: Mapping[str, Any]) -> None:
    """Two tables: carbon_per_energy under each grid factor basis, then under each 电力折标准煤口径."""
    header_row(
        sheet,
        1,
        (
            ("电网排放因子口径", 44),
            ("因子年份", 12),
            ("电网排放因子（tCO2/MWh）", 22),
            ("单位能耗碳排放（tCO2/tce）", 22),
            ("备注", 22),
            ("", 22),
        ),
    )
    bases = grid_bases(factor_set)
    factors = result.get("factors") or {}
    totals = result.get("totals") or {}
    core = next((i for i in result.get("indicators") or [] if i.get("code") == L.CORE_INDICATOR), None)
    core_value = core.get("value") if core else None
    grid: list[Mapping[str, Any]] = []
    if factors.get("grid_ef_basis") is not None:
        grid.append({**factors, "carbon_per_energy": core_value, "note": "本次核算"})
    grid += [item for item in result.get("sensitivity") or [] if isinstance(item, Mapping)]
    number = 1
    for item in grid:
        number += 1
        write_cell(sheet, number, 1, _label(bases, item.get("grid_ef_basis")))
        write_cell(sheet, number, 2, item.get("factor_year"))
        _result_number(sheet, number, 3, item.get("grid_ef_tco2_per_mwh"))
        _result_number(sheet, number, 4, item.get("carbon_per_energy"))
        write_cell(sheet, number, 5, item.get("note"))

    energy: list[Mapping[str, Any]] = []
    if factors.get("electricity_tce_basis") is not None:
        energy.append(
            {
                **factors,
                "energy_tce": totals.get("energy_tce"),
                "carbon_per_energy": core_value,
                "note": "本次核算",
            }
        )
    for item in result.get("energy_basis_sensitivity") or []:
        if isinstance(item, Mapping):
            note = "" if item.get("carbon_per_energy") is not None else "年综合能源消费量不大于 0，不计算"
            energy.append({**item, "note": note})
    if not energy:
        sheet.freeze_panes = "A2"
        return
    number += 2
    headers = (
        "电力折标准煤口径",
        "折标系数年份",
        "电力折标系数（tce/MWh）",
        "年综合能源消费量（tce）",
        "单位能耗碳排放（tCO2/tce）",
        "备注",
    )
    for col, text in enumerate(headers, start=1):
        cell = write_cell(sheet, number, col, text)
        cell.font, cell.fill, cell.border, cell.alignment = (
            HEADER_FONT,
            HEADER_FILL,
            HEADER_BORDER,
            HEADER_ALIGN,
        )
    sheet.row_dimensions[number].height = 32
    for item in energy:
        number += 1
        write_cell(sheet, number, 1, _label(L.TCE_BASES, item.get("electricity_tce_basis")))
        write_cell(sheet, number, 2, item.get("electricity_tce_factor_year"))
        _result_number(sheet, number, 3, item.get("electricity_tce_per_mwh"))
        _result_number(sheet, number, 4, item.get("energy_tce"))
        _result_number(sheet, number, 5, item.get("carbon_per_energy"))
        write_cell(sheet, number, 6, item.get("note"))
    sheet.freeze_panes = "A2"


def _trace_sheet(sheet: Worksheet, result: Mapping[str, Any]) -> None:
    header_row(sheet, 1, (("序号", 8), ("计算步骤", 140)))
    for number, line in enumerate(result.get("trace") or [], start=1):
        write_cell(sheet, number + 1, 1, number)
        write_cell(sheet, number + 1, 2, str(line)).alignment = WRAP
    sheet.freeze_panes = "A2"
