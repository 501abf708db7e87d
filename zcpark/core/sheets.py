"""Excel sheets the portal writes: one cell writer (text stays text, no formula injection) and one list
export (a titled sheet of a list page: Chinese headers with units, the filters the page had, thousands
separators), so every list a civil servant works from exports the same way."""

from __future__ import annotations

import datetime
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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


# --- list exports -------------------------------------------------------------------------------

TABLE_FIRST_ROW = 4  # title, filters and export time above the header row
THOUSANDS = "#,##0"


@dataclass(frozen=True)
class Column:
    """A column of a list export: its header (a label), the unit the header names, width, decimals."""

    header: Any
    unit: Any = ""
    width: float = 16
    decimals: int | None = None  # a number format with thousands separators and this many places

    def title(self) -> str:
        return f"{self.header}（{self.unit}）" if self.unit else str(self.header)

    def number_format(self) -> str | None:
        if self.decimals is None:
            return None
        return THOUSANDS + ("." + "0" * self.decimals if self.decimals else "")


def table_workbook(
    *,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filters: Mapping[str, str] | None = None,
) -> bytes:
    """One sheet: the title, the filters the list was shown with, the export time, then the table.

    The header row is frozen and filterable; numbers keep their value (a Decimal stays exact) and show
    with thousands separators.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    write_cell(sheet, 1, 1, title).font = Font(bold=True, size=14)
    shown = "；".join(f"{name}：{value}" for name, value in (filters or {}).items() if value) or _("none")
    write_cell(sheet, 2, 1, _("Filters: %(filters)s") % {"filters": shown}).font = HINT_FONT
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    write_cell(sheet, 3, 1, _("Exported at %(time)s") % {"time": exported}).font = HINT_FONT
    header_row(sheet, TABLE_FIRST_ROW, [(column.title(), column.width) for column in columns])
    last = TABLE_FIRST_ROW
    for last, row in enumerate(rows, start=TABLE_FIRST_ROW + 1):
        for col, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = write_cell(sheet, last, col, value)
            number_format = column.number_format()
            if number_format and isinstance(value, int | Decimal | float):
                cell.number_format = number_format
    sheet.freeze_panes = sheet.cell(TABLE_FIRST_ROW + 1, 1)
    sheet.auto_filter.ref = f"A{TABLE_FIRST_ROW}:{get_column_letter(len(columns))}{last}"
    sheet.print_title_rows = f"{TABLE_FIRST_ROW}:{TABLE_FIRST_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "Sheet1"


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook as a download; the file name may be Chinese (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def export_filename(stem: str) -> str:
    """``<stem>-<date>.xlsx``: a list exported twice on one day is told apart by the system's own name."""
    return f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
