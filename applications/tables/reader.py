"""An uploaded table workbook read into the rows of a dossier table, or every error by sheet and cell.

Pure: bytes in, rows or errors out (``read_table``); nothing touches the database. The file is checked
first (size, an .xlsx package, no zip bomb or sheet spanning millions of cells: ``workbook_guard``), then
each cell is read the way the form reads it: the section's own field rules (types, min/max, decimals,
choices — by label in Chinese or English, or by code —, lengths) and the section's checks across rows
(duplicate years or indicators, end before start) are applied with the rest of the section as stored.
Each error names its sheet and cell and the column in words: “重点项目!D7：投资额：不得小于 0。”.
A percentage (a "%" column, or a yearly target of a "%" indicator) is read as the number shown: a cell
formatted as a percentage (Excel stores "80%" as 0.8) is multiplied by 100, exactly; at most 100.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from python_calamine import CalamineError, load_workbook

from indicators.workbook.cells import (
    cell_at,
    cell_text,
    column_letter,
    is_blank,
    lookup_key,
    number_text,
    shown,
)
from zcpark.core.workbook_guard import SheetLimit, WorkbookLimits, inspect_workbook

from ..dossier.schema import Field, clean_section, clean_value
from ..dossier.sections import PERCENT_MAX
from .formats import FormatsUnreadable, percent_cells, scale_percent
from .specs import CHINESE, ENGLISH, TableKind, choice_labels, choice_lookup

EXTENSIONS = (".xlsx", ".xlsm")
MAX_SHEET_ROWS = 5000  # far above any table (at most 300 rows): a sheet reaching further is refused
HEADER_SEARCH_ROWS = 10
LIMITS = WorkbookLimits(
    other_sheets=SheetLimit(rows=MAX_SHEET_ROWS, columns=100), max_total_bytes=20 * 1024 * 1024
)
SEPARATORS = "；;，,、/"
TRUE_WORDS = {"是", "yes", "true", "1", "y"}
FALSE_WORDS = {"否", "no", "false", "0", "n"}
PERCENT = "%"
PERCENT_SIGNS = ("%", "％")
# The percent-formatted cells among (column indexes, first row, last row): see formats.py.
Formats = Callable[[set[int], int, int], set[str]]


@dataclass(frozen=True)
class CellError:
    """One problem of an upload: the sheet and cell ("" for the whole file or sheet) and the message."""

    sheet: str
    cell: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message, "path": ""}

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}：{self.message}" if where else self.message


@dataclass
class TableRead:
    """The rows read (as the section stores them), or None with every error found."""

    rows: list[dict[str, Any]] | None
    errors: list[CellError] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # sheet row of each row read

    @property
    def ok(self) -> bool:
        return self.rows is not None and not self.errors


def _refused(message: str, sheet: str = "", cell: str = "") -> TableRead:
    return TableRead(rows=None, errors=[CellError(sheet, cell, message)])


def read_table(
    data: bytes, kind: TableKind, *, file_name: str = "", section: Mapping[str, Any] | None = None
) -> TableRead:
    """Read ``data`` (an uploaded workbook named ``file_name``) as the rows of ``kind``'s table.

    ``section``: the section as stored, so the checks across the section see the other fields as they
    are (the import replaces the table only)."""
    if file_name and not file_name.lower().endswith(EXTENSIONS):
        return _refused(
            _("Upload an Excel workbook (.xlsx): download the template, fill it in and upload it.")
        )
    max_bytes = settings.TABLE_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        return _refused(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(max_bytes)})
    refusal = inspect_workbook(data, LIMITS)
    if refusal is not None:
        return _refused(refusal.message, refusal.sheet)
    try:
        book = load_workbook(io.BytesIO(data))
    except (CalamineError, ValueError, OSError):
        return _refused(_("The file could not be read as an Excel workbook (.xlsx)."))
    try:
        names = {name.strip(): name for name in book.sheet_names}
        name = names.get(kind.sheet_name(CHINESE)) or names.get(kind.sheet_name(ENGLISH))
        if name is None:
            return _refused(
                _(
                    "The workbook has no sheet named “%(sheet)s”. Download the template and fill in its first sheet."
                )
                % {"sheet": kind.sheet_name(CHINESE)}
            )
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError):
        return _refused(_("The file could not be read as an Excel workbook (.xlsx)."))
    finally:
        book.close()
    return _Reader(kind, name, section or {}, partial(percent_cells, data, name)).read(rows)


class _Reader:
    def __init__(
        self, kind: TableKind, sheet: str, section: Mapping[str, Any], formats: Formats | None = None
    ) -> None:
        self.kind, self.sheet, self.section = kind, sheet, section
        self.formats = formats
        self.percent_formatted: set[str] | None = None  # read once, when a percentage cell holds a number
        self.percent_area: tuple[set[int], int, int] = (set(), 0, 0)
        self.errors: list[CellError] = []
        self.tokens = kind.header_tokens()
        # Spelling → code of each choice column, worked out once (labels in both languages).
        self.choices = {c.name: choice_lookup(c) for c in kind.columns if c.kind in ("choice", "multichoice")}

    def error(self, cell: str, message: str) -> None:
        self.errors.append(CellError(self.sheet, cell, message))

    def cell_error(self, column: Field, cell: str, problem: str) -> None:
        self.error(
            cell,
            _("%(column)s: %(problem)s") % {"column": self.kind.column_label(column), "problem": problem},
        )

    def read(self, rows: Sequence[Sequence[Any]]) -> TableRead:
        found = self._header(rows)
        if found is None:
            return TableRead(rows=None, errors=self.errors)
        header_index, columns = found
        raw_rows, numbers = self._rows(rows, header_index, columns)
        if self.errors:  # conversion and single-cell errors: the checks across rows would mislead
            return TableRead(rows=None, errors=self.errors)
        cleaned = self._clean(raw_rows, numbers, columns)
        if self.errors:
            return TableRead(rows=None, errors=self.errors)
        return TableRead(rows=cleaned, row_numbers=numbers)

    # --- header -----------------------------------------------------------------------------------

    def _header(self, rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
        """The header row's index and column name → column index; None (with errors) when unusable."""
        best, best_count = -1, 0
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            count = sum(1 for value in row if not is_blank(value) and self.tokens.get(_token(value)))
            if count > best_count:
                best, best_count = index, count
        if best < 0:
            self.error(
                "A1",
                _("No header row found: row 1 must hold the template's headers (such as “%(header)s”).")
                % {"header": self.kind.header(self.kind.key_column, CHINESE)},
            )
            return None
        columns: dict[str, int] = {}
        for index, value in enumerate(rows[best]):
            name = self.tokens.get(_token(value)) if not is_blank(value) else None
            if not name:
                continue
            if name in columns:
                self.error(
                    f"{column_letter(index)}{best + 1}",
                    _("The column “%(column)s” appears twice (also in column %(first)s).")
                    % {"column": shown(value), "first": column_letter(columns[name])},
                )
                continue
            columns[name] = index
        for column in self.kind.columns:
            if column.name not in columns:
                self.error(
                    f"A{best + 1}",
                    _("The column “%(column)s” is missing: keep every column of the template.")
                    % {"column": self.kind.header(column, CHINESE)},
                )
        return None if self.errors else (best, columns)

    # --- rows -------------------------------------------------------------------------------------

    def _rows(
        self, rows: Sequence[Sequence[Any]], header_index: int, columns: dict[str, int]
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """Each non-blank row as raw values the section's cleaning takes, and its sheet row number."""
        first = header_index + 1
        if first < len(rows) and self._is_header(rows[first]):
            first += 1  # the English header row
        raw_rows: list[dict[str, Any]] = []
        numbers: list[int] = []
        table = self.kind.table_spec
        # Columns that may hold percentages: a "%" column, or any value column when rows have their own unit.
        maybe_percent = {
            columns[c.name]
            for c in self.kind.columns
            if c.kind in ("decimal", "int")
            and (c.unit == PERCENT or (self.kind.row_unit is not None and c.name != self.kind.key))
        }
        self.percent_area = (maybe_percent, first + 1, len(rows))
        # The key first: a row's unit may depend on it.
        ordered = sorted(self.kind.columns, key=lambda c: c.name != self.kind.key)
        for index in range(first, len(rows)):
            row = rows[index]
            cells = {name: cell_at(row, i) for name, i in columns.items()}
            if all(is_blank(value) for value in cells.values()):
                continue
            if len(raw_rows) == table.max_rows:
                self.error(
                    "", _("%(table)s has at most %(n)s rows.") % {"table": table.label, "n": table.max_rows}
                )
                break
            number = index + 1
            raw: dict[str, Any] = {}
            for column in ordered:
                address = f"{column_letter(columns[column.name])}{number}"
                unit = self.kind.value_unit(column, raw.get(self.kind.key))
                raw[column.name] = self._value(column, cells[column.name], address, unit)
                if raw[column.name] is not None:
                    raw[column.name], problem = clean_value(column, raw[column.name])
                    if not problem and unit == PERCENT and column.max_value is None:
                        problem = self._percent_problem(raw[column.name])
                    if problem:
                        self.cell_error(column, address, problem)
            raw_rows.append({column.name: raw[column.name] for column in self.kind.columns})
            numbers.append(number)
        return raw_rows, numbers

    def _is_header(self, row: Sequence[Any]) -> bool:
        filled = [value for value in row if not is_blank(value)]
        return bool(filled) and all(_token(value) in self.tokens for value in filled)

    def _value(self, column: Field, value: Any, address: str, unit: str = "") -> Any:
        """A cell as the raw value the section's cleaning takes; None (with an error) when unreadable."""
        if is_blank(value):
            if column.name == self.kind.key:
                self.cell_error(column, address, _("required: it identifies the row."))
            return None
        if column.kind in ("decimal", "int"):
            if unit == PERCENT:
                return self._percentage(value, address)
            return number_text(value) or cell_text(value)
        if column.kind == "choice":
            code = self.choices[column.name].get(lookup_key(cell_text(value)))
            if code is None:
                self._unknown_choice(column, address, cell_text(value))
            return code
        if column.kind == "multichoice":
            codes, unknown = split_choices(cell_text(value).replace("\n", "；"), self.choices[column.name])
            if unknown:
                self._unknown_choice(column, address, "、".join(unknown))
                return None
            return codes
        if column.kind == "bool":
            word = cell_text(value).casefold()
            if word in TRUE_WORDS or value is True:
                return True
            if word in FALSE_WORDS or value is False:
                return False
            self.cell_error(column, address, _("Enter yes or no."))
            return None
        return cell_text(value)

    def _percentage(self, value: Any, address: str) -> str:
        """A percentage cell as the number shown: a number formatted as a percentage (Excel stores "80%"
        as 0.8) times 100, a text "80%" without its sign, a plain number as typed."""
        if type(value) in (int, float):
            text = number_text(value)
            if text is not None and address in self._percent_formatted():
                return scale_percent(text)
            return text or cell_text(value)
        text = cell_text(value)
        if text.endswith(PERCENT_SIGNS):
            return number_text(text[:-1]) or text
        return number_text(text) or text

    def _percent_formatted(self) -> set[str]:
        if self.percent_formatted is None:
            self.percent_formatted = set()
            if self.formats is not None:
                try:
                    self.percent_formatted = self.formats(*self.percent_area)
                except FormatsUnreadable:
                    self.error("", _("The file could not be read as an Excel workbook (.xlsx)."))
        return self.percent_formatted

    @staticmethod
    def _percent_problem(value: Any) -> str | None:
        if value is not None and Decimal(str(value)) > PERCENT_MAX:
            return _("Must be at most %(max)s.") % {"max": PERCENT_MAX}
        return None

    def _unknown_choice(self, column: Field, address: str, text: str) -> None:
        self.cell_error(
            column,
            address,
            _("“%(value)s” is not one of the choices: %(choices)s.")
            % {"value": text[:60], "choices": "、".join(choice_labels(column, CHINESE))},
        )

    # --- the section's rules ----------------------------------------------------------------------

    def _clean(
        self, raw_rows: list[dict[str, Any]], numbers: list[int], columns: dict[str, int]
    ) -> list[dict[str, Any]]:
        """The rows cleaned by the section's own rules (each error at its cell); [] on any error."""
        spec = self.kind.section_spec
        known = {item.name for item in spec.items}
        data = {key: value for key, value in self.section.items() if key in known}
        data[self.kind.table] = raw_rows
        cleaned, errors = clean_section(spec, data)
        by_name = {column.name: column for column in self.kind.columns}
        for key, messages in errors.items():
            table, _sep, rest = key.partition(".")
            if table != self.kind.table:
                for message in messages:
                    self.error("", f"{_field_label(spec, key)}: {message}")
                continue
            position, _sep, name = rest.partition(".")
            number = numbers[int(position) - 1] if position.isdigit() and int(position) <= len(numbers) else 0
            column = by_name.get(name)
            for message in messages:
                if column is None or not number:
                    self.error(f"A{number}" if number else "", message)
                else:
                    self.cell_error(column, f"{column_letter(columns[name])}{number}", message)
        return list(cleaned.get(self.kind.table) or [])


def _field_label(spec: Any, key: str) -> str:
    name = key.split(".")[0]
    item = next((i for i in spec.items if i.name == name), None)
    return str(item.label) if item is not None else key


def _token(value: Any) -> str:
    return lookup_key(cell_text(value))


def split_choices(text: str, lookup: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The codes named in a multiple-choice cell (labels separated by ；, ;, ， , 、 …), and the parts
    that name no choice. A label holding a separator itself (超低能耗、近零能耗…) is matched whole: the
    longest label that starts at each position wins."""
    key = lookup_key(text)
    separators = set(SEPARATORS)
    spellings = sorted(lookup, key=len, reverse=True)
    codes: list[str] = []
    unknown: list[str] = []
    position = 0
    while position < len(key):
        if key[position] in separators:
            position += 1
            continue
        match = next(
            (
                s
                for s in spellings
                if key.startswith(s, position)
                and (position + len(s) == len(key) or key[position + len(s)] in separators)
            ),
            None,
        )
        if match is None:
            end = min((i for i in range(position, len(key)) if key[i] in separators), default=len(key))
            unknown.append(key[position:end])
            position = end
            continue
        if lookup[match] not in codes:
            codes.append(lookup[match])
        position += len(match)
    return codes, unknown
