"""Cell styles and the writing helpers shared by the template and the export: headers, escaped values,
drop-down and number validations."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

LAST_ROW = 1_048_576  # Excel's last row: drop-downs cover the whole column
# Text starting with one of these is a formula to Excel once the cell is edited; such cells get the
# quote prefix (shown as a leading apostrophe) so they stay text.
FORMULA_PREFIXES = ("=", "+", "-", "@")
_CELL_TYPES = (str, bool, int, Decimal, datetime.date, datetime.time, datetime.timedelta)
HEADER_FILL = PatternFill("solid", fgColor="D9EAD3")
TITLE_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
HINT_FONT = Font(color="666666")
THIN = Side(style="thin", color="A6A6A6")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, horizontal="center", vertical="center")


def write_cell(sheet: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a value the reader gets back as given; text stays text ("=1+1", "-东区", "#N/A").

    openpyxl would store text starting with "=" as a formula (which has no value until Excel
    recalculates, so the reader sees an empty cell) and "#N/A" as an error; here every string is a
    string cell. Values no cell can hold (lists, mappings) are left out, other objects written as
    text, characters XML cannot carry dropped.
    """
    cell = sheet.cell(row, col)
    value = cell_value(value)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def cell_value(value: Any) -> Any:
    """``value`` as something openpyxl can store: None for containers, text for anything unknown."""
    if value is None:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return value if value.is_finite() else str(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, _CELL_TYPES):
        return value
    if isinstance(value, Mapping | list | tuple | set | frozenset | bytes | bytearray):
        return None
    return cell_value(str(value))


# --- helpers ------------------------------------------------------------------------------------


def header_row(
    sheet: Worksheet, row: int, headers: Iterable[tuple[str, float]], *, first_col: int = 1
) -> None:
    lines = 3
    for col, (text, width) in enumerate(headers, start=first_col):
        cell = sheet.cell(row, col, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = HEADER_ALIGN
        sheet.column_dimensions[get_column_letter(col)].width = width
        lines = max(lines, math.ceil(display_width(text) / max(width - 2, 1)))
    sheet.row_dimensions[row].height = 16 * lines


def display_width(text: str) -> int:
    """Width of a text in Excel's character units: Chinese characters count twice."""
    return sum(2 if ord(char) >= 0x2E80 else 1 for char in text)


def add_validation(sheet: Worksheet, sqref: str, validation: DataValidation, error: str) -> None:
    validation.allow_blank = True
    validation.error = error
    validation.errorTitle = "输入有误"
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)
    validation.add(sqref)


def list_validation(sheet: Worksheet, sqref: str, source: str, *, strict: bool = False) -> None:
    # Warning style by default: the reader also accepts codes and common spellings, and a hard stop
    # would block them; the upload still reports anything it cannot map.
    validation = DataValidation(type="list", formula1=source)
    validation.errorStyle = "stop" if strict else "warning"
    add_validation(sheet, sqref, validation, "请从下拉列表中选择")


def number_validation(sheet: Worksheet, sqref: str) -> None:
    validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    validation.errorStyle = "warning"
    add_validation(sheet, sqref, validation, "请填写不小于 0 的数字，不带单位")


def month_validation(sheet: Worksheet, sqref: str) -> None:
    validation = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    add_validation(sheet, sqref, validation, "月份为 1–12 的整数；年度合计请留空")
