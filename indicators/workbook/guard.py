"""Inspecting an intake workbook before python-calamine sees it, with the limits of its data sheets.

The inspection itself (zip bombs, sheets spanning millions of cells, packages calamine would read
another way) is ``zcpark.core.workbook_guard``, which every calamine upload shares; this module
says how far each data sheet of the template may reach and words a refusal as a ``WorkbookError``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from zcpark.core.workbook_guard import Refused, SheetLimit, WorkbookLimits, inspect_workbook

from . import labels as L
from .checks import WorkbookError

# Far beyond what the template needs (the widest table ends in column K), yet small enough that
# calamine's dense copy of a sheet stays in the tens of megabytes. Sheets the reader does not load
# (说明, the lists) are only unpacked and counted.
SHEET_LIMITS = {
    L.SHEET_BASIC: SheetLimit(rows=10_000, columns=40),
    L.SHEET_ENERGY: SheetLimit(rows=200_000, columns=40),
    L.SHEET_ELECTRICITY: SheetLimit(rows=50_000, columns=40),
    L.SHEET_HEAT: SheetLimit(rows=50_000, columns=40),
    L.SHEET_PROCESS: SheetLimit(rows=50_000, columns=40),
    L.SHEET_DIRECT: SheetLimit(rows=50_000, columns=40),
    L.SHEET_OFFSETS: SheetLimit(rows=10_000, columns=40),
    L.SHEET_RESOURCES: SheetLimit(rows=50_000, columns=40),
}
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # unpacked size of every part together (read at each upload)


def inspect_upload(data: bytes) -> WorkbookError | None:
    """None when ``data`` is an .xlsx that calamine can open safely, else the error to report."""
    refusal = inspect_workbook(data, WorkbookLimits(sheets=SHEET_LIMITS, max_total_bytes=MAX_TOTAL_BYTES))
    if refusal is None:
        return None
    if refusal.code == "invalid_file":
        return invalid_file()
    return WorkbookError(sheet=refusal.sheet, cell="", code=refusal.code, message=refusal.message)


def invalid_file() -> WorkbookError:
    """The error for a file that is not an Excel workbook the reader can open."""
    return WorkbookError(
        sheet="",
        cell="",
        code="invalid_file",
        message=_(
            "The file could not be read as an Excel workbook. Download the template, fill it in, "
            "save it in Excel as “Excel Workbook (*.xlsx)” and upload that file."
        ),
    )


__all__ = [
    "MAX_TOTAL_BYTES",
    "SHEET_LIMITS",
    "Refused",
    "SheetLimit",
    "inspect_upload",
    "invalid_file",
]
