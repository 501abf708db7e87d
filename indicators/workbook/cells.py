"""Cell values as the reader sees them: numbers as typed, display text, months, lookup keys, addresses.

Numbers are kept as typed: a text cell "12.10" stays "12.10", a numeric cell comes back from the
file as a float and is written at Excel's precision, 15 significant digits (12.1 -> "12.1", 500.0 ->
"500", a formula's cached 0.30000000000000004 -> "0.3"): the number Excel shows and computes with,
never the binary noise of its stored double. Nothing here reports an error: see checks.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter
from python_calamine import CalamineSheet

from . import labels as L

Cell = Any  # str | float | int | bool | date | datetime | time | timedelta, "" when empty
SUM_PRECISION = 100  # digits kept by Decimal sums: far beyond any meter reading, so sums are exact

_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,234,567.5
_MONTH_RE = re.compile(r"(\d{1,2})(?:\.0+)?月?")


class _Flag:
    """A sentinel with a readable repr (blank cell, unrecognised value)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


BLANK = _Flag("BLANK")
BAD = _Flag("BAD")


# --- numbers -------------------------------------------------------------------------------------


def float_text(value: float) -> str:
    """A float as Excel shows it: at Excel's precision of 15 significant digits, without exponent or
    trailing zeros: 12.1 -> "12.1", 500.0 -> "500", a formula's cached 0.30000000000000004 -> "0.3"."""
    number = Decimal(format(value, ".15g")).normalize()
    text = format(number, "f")
    return "0" if text in ("-0", "0") else text


def number_text(value: Cell) -> str | None:
    """The number in a cell as text, as typed; None when the cell holds no plain number."""
    kind = type(value)
    if kind is float:
        return float_text(value) if math.isfinite(value) else None
    if kind is int:
        return str(value)
    if kind is str:
        text = value.strip()
        if _NUMBER_RE.fullmatch(text):
            return text.removeprefix("+")
        if _GROUPED_RE.fullmatch(text):
            return text.replace(",", "").removeprefix("+")
    return None


def sum_text(first: str, total: Decimal, count: int) -> str:
    """A summed value as text: the only value as typed, or the exact sum of several."""
    return first if count == 1 else format(total, "f")


def month_number(value: Cell) -> Any:
    """Month 1–12 from a cell (number, "3", "03", "3月"); BLANK, or BAD when it is not a month."""
    if is_blank(value):
        return BLANK
    if type(value) is float and value.is_integer():
        month = int(value)
    elif type(value) is int:
        month = value
    elif type(value) is str and (match := _MONTH_RE.fullmatch(value.strip())):
        month = int(match.group(1))
    else:
        return BAD
    return month if month in L.MONTHS else BAD


# --- text ----------------------------------------------------------------------------------------


def is_blank(value: Cell) -> bool:
    """True for an empty cell or one holding only whitespace."""
    return value is None or value == "" or (type(value) is str and not value.strip())


def cell_text(value: Cell) -> str:
    """A cell as display text: strings stripped, numbers as typed, dates in ISO form."""
    if type(value) is str:
        return value.strip()
    if type(value) is float:
        return float_text(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def shown(value: Cell) -> str:
    """A cell as quoted in a message: its display text, cut to 60 characters."""
    text = cell_text(value)
    return text if len(text) <= 60 else text[:57] + "…"


def lookup_key(text: str) -> str:
    """A label reduced for lookup: no whitespace, casefolded, half-width brackets as full-width."""
    return "".join(text.split()).casefold().replace("(", "（").replace(")", "）")


def lookup(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Spelling → value, keyed by ``lookup_key``; first spelling wins."""
    table: dict[str, str] = {}
    for spelling, value in pairs:
        table.setdefault(lookup_key(spelling), value)
    return table


def header_field(header: str) -> str:
    """A column header without its bracketed unit or hint, for messages: "消费量（按计量单位）" -> "消费量"."""
    return header.split("（")[0].strip()


def field_names(columns: Iterable[L.Column]) -> dict[str, str]:
    """Column key → the header as messages name the field (see ``header_field``)."""
    return {column.key: header_field(column.header) for column in columns}


# --- sheets and addresses ------------------------------------------------------------------------


def sheet_rows(sheet: CalamineSheet) -> Iterable[list[Cell]]:
    """The rows of a sheet from A1, each a list from column A."""
    start = sheet.start
    if start is None:
        return ()
    if start == (0, 0):
        return sheet.iter_rows()  # streams rows: no full list of lists for big sheets
    return sheet.to_python(skip_empty_area=False)


def label_rows(rows: Sequence[Sequence[Cell]]) -> dict[str, tuple[int, Cell]]:
    """Label token (column A) → (row number, value in column B), for label/value sheets."""
    found: dict[str, tuple[int, Cell]] = {}
    for number, row in enumerate(rows, start=1):
        if row and not is_blank(row[0]):
            found.setdefault(L.header_token(row[0]), (number, row[1] if len(row) > 1 else ""))
    return found


def cell_at(row: Sequence[Cell], index: int) -> Cell:
    """The cell at a 0-based column index; "" past the end of a short row."""
    return row[index] if index < len(row) else ""


_LETTERS = [get_column_letter(i) for i in range(1, 200)]


def column_letter(index: int) -> str:
    """Column letter of a 0-based column index."""
    return _LETTERS[index] if index < len(_LETTERS) else get_column_letter(index + 1)
