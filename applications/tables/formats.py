"""Which cells of an uploaded table Excel shows as a percentage (number format ``0%``, ``0.00%``…).

Such a cell stores the fraction: "80%" typed in Excel is the number 0.8, shown ×100. The calamine reader
sees values only, so the formats are read here with openpyxl (read-only, after the workbook guard), and
only for the columns and rows asked about. ``scale_percent`` gives the value the user sees (exact Decimal).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Collection
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from indicators.workbook.cells import column_letter

# Parts of a number format that print literally: "quoted text", \-escaped characters, [colour/locale].
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
HUNDRED = Decimal(100)


class FormatsUnreadable(Exception):
    """The number formats of the workbook could not be read."""


def is_percent_format(number_format: str | None) -> bool:
    """True when ``number_format`` multiplies the value by 100 for display: an unquoted ``%``."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in _LITERALS.sub("", number_format)


def percent_cells(
    data: bytes, sheet: str, columns: Collection[int], first_row: int, last_row: int
) -> set[str]:
    """The addresses ("C4") of the cells in ``columns`` (0-based indexes) and rows ``first_row`` to
    ``last_row`` (1-based) of ``sheet`` whose number format shows them as a percentage."""
    if not columns or last_row < first_row:
        return set()
    low, high = min(columns), max(columns)
    found: set[str] = set()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FormatsUnreadable from error
    try:
        if sheet not in book.sheetnames:
            raise FormatsUnreadable(sheet)
        rows = book[sheet].iter_rows(min_row=first_row, max_row=last_row, min_col=low + 1, max_col=high + 1)
        for number, row in enumerate(rows, start=first_row):
            for offset, cell in enumerate(row):
                index = low + offset
                if index in columns and is_percent_format(getattr(cell, "number_format", None)):
                    found.add(f"{column_letter(index)}{number}")
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise FormatsUnreadable from error
    finally:
        book.close()
    return found


def scale_percent(text: str) -> str:
    """A percent-formatted cell's number (text, "0.8") as the percentage shown ("80"), exactly."""
    number = Decimal(text) * HUNDRED
    return format(number.normalize(), "f") if number != 0 else "0"
