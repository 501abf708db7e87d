"""Errors in an upload, and the Checker that reads single cells and finds the template's layout.

Every problem is collected, never raised, so the park sees all of them at once. Each message names
the field as the template does; the messages are translated (locale/), so their text is the msgid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import labels as L
from .cells import Cell, cell_text, column_letter, is_blank, lookup_key, number_text, shown

_YES_NO = {
    "是": True,
    "否": False,
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "1": True,
    "0": False,
}


@dataclass(frozen=True)
class WorkbookError:
    """One problem in the upload: sheet name, cell (e.g. "D15"; "" for the whole file), code, message."""

    sheet: str
    cell: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """The error as a JSON-ready dict."""
        return {"sheet": self.sheet, "cell": self.cell, "code": self.code, "message": self.message}


class Checker:
    """Collects the errors of one upload; reads validated values out of cells."""

    def __init__(self) -> None:
        self.errors: list[WorkbookError] = []

    def error(self, sheet: str, cell: str, code: str, message: str) -> None:
        self.errors.append(WorkbookError(sheet=sheet, cell=cell, code=code, message=message))

    # -- messages shared by several sheets --

    def required(self, sheet: str, cell: str, field_name: str) -> None:
        self.error(
            sheet,
            cell,
            "required",
            _("“%(field)s” is required. Fill it in, or clear the whole row if it is not needed.")
            % {"field": field_name},
        )

    def not_a_number(self, sheet: str, cell: str, value: Cell, field_name: str) -> None:
        self.error(
            sheet,
            cell,
            "not_a_number",
            _(
                "“%(value)s” in “%(field)s” is not a number. Enter a plain number such as 1234.5, "
                "without units or other text."
            )
            % {"value": shown(value), "field": field_name},
        )

    def negative(self, sheet: str, cell: str, value: Cell, field_name: str) -> None:
        self.error(
            sheet,
            cell,
            "negative",
            _("“%(field)s” cannot be negative (found %(value)s).")
            % {"field": field_name, "value": shown(value)},
        )

    def bad_month(self, sheet: str, cell: str, value: Cell) -> None:
        self.error(
            sheet,
            cell,
            "invalid",
            _(
                "“%(value)s” is not a month. Enter a whole number from 1 to 12, or leave the month "
                "blank for an annual total."
            )
            % {"value": shown(value)},
        )

    # -- one cell --

    def blank(self, sheet: str, cell: str, value: Cell, field_name: str, *, required: bool) -> bool:
        """True when the cell is blank, with a required error if it must be filled in."""
        if is_blank(value):
            if required:
                self.required(sheet, cell, field_name)
            return True
        return False

    def number(
        self,
        sheet: str,
        cell: str,
        value: Cell,
        field_name: str,
        *,
        required: bool = False,
        count: bool = False,
    ) -> str | int | None:
        """A non-negative number (text as typed, or int for counts); None with an error, or if blank."""
        if self.blank(sheet, cell, value, field_name, required=required):
            return None
        text = number_text(value)
        if text is None:
            self.not_a_number(sheet, cell, value, field_name)
            return None
        number = Decimal(text)
        if number < 0:
            self.negative(sheet, cell, value, field_name)
            return None
        if count:
            if number != number.to_integral_value():
                self.error(
                    sheet,
                    cell,
                    "invalid",
                    _("“%(field)s” is a count and must be a whole number (found “%(value)s”).")
                    % {"field": field_name, "value": shown(value)},
                )
                return None
            return int(number)
        return text

    def choice(
        self,
        sheet: str,
        cell: str,
        value: Cell,
        field_name: str,
        lookup: Mapping[str, str],
        options: Iterable[str],
        *,
        required: bool,
    ) -> str | None:
        """A drop-down value mapped to its code; None (with an error when needed) otherwise."""
        if self.blank(sheet, cell, value, field_name, required=required):
            return None
        code = lookup.get(lookup_key(cell_text(value)))
        if code is None:
            self.error(
                sheet,
                cell,
                "invalid",
                _("“%(value)s” is not a valid “%(field)s”. Choose one of: %(options)s.")
                % {"value": shown(value), "field": field_name, "options": "、".join(options)},
            )
        return code

    def year(self, sheet: str, cell: str, value: Cell, field_name: str, *, required: bool) -> int | None:
        """A year within ``labels.YEAR_RANGE``; None with an error, or if blank."""
        if self.blank(sheet, cell, value, field_name, required=required):
            return None
        text = number_text(value)
        low, high = L.YEAR_RANGE
        if text is not None:
            number = Decimal(text)
            if number == number.to_integral_value() and low <= number <= high:
                return int(number)
        self.error(
            sheet,
            cell,
            "invalid",
            _("“%(value)s” is not a valid “%(field)s”: enter a four-digit year from %(low)s to %(high)s.")
            % {"value": shown(value), "field": field_name, "low": low, "high": high},
        )
        return None

    def yes_no(self, sheet: str, cell: str, value: Cell, field_name: str) -> bool | None:
        """是 / 否 (or yes/no, true/false, 1/0) as a bool; None with an error, or if blank."""
        if is_blank(value):
            return None
        if type(value) is bool:
            return value
        answer = _YES_NO.get(lookup_key(cell_text(value)))
        if answer is None:
            self.error(
                sheet,
                cell,
                "invalid",
                _("“%(value)s” is not a valid “%(field)s”: choose 是 (yes) or 否 (no), or leave it blank.")
                % {"value": shown(value), "field": field_name},
            )
        return answer

    # -- the template's layout --

    def map_columns(
        self, sheet: str, header: Sequence[Cell] | None, columns: Sequence[L.Column], *, first_col: int = 1
    ) -> dict[str, int] | None:
        """Column key → 0-based index, found by header token in row 1; None if any is missing."""
        tokens: dict[str, int] = {}
        for index, value in enumerate(header or ()):
            if not is_blank(value):
                tokens.setdefault(L.header_token(value), index)
        found = {}
        for offset, column in enumerate(columns):
            index = tokens.get(L.header_token(column.header))
            if index is None:
                self.error(
                    sheet,
                    f"{column_letter(first_col - 1 + offset)}1",
                    "missing_column",
                    _(
                        "The header row has no column “%(header)s”. Do not rename or delete the "
                        "template's columns; download a fresh template if needed."
                    )
                    % {"header": column.header},
                )
            else:
                found[column.key] = index
        return found if len(found) == len(columns) else None

    def labelled(
        self, sheet: str, labels: Mapping[str, tuple[int, Cell]], item: L.Row, expected_row: int
    ) -> tuple[str, Cell] | None:
        """(cell, value) of a label/value row, or None with a missing_row error."""
        hit = labels.get(L.header_token(item.label))
        if hit is None:
            self.error(
                sheet,
                f"A{expected_row}",
                "missing_row",
                _(
                    "Column A has no row “%(label)s”. Do not rename or delete the template's rows; "
                    "download a fresh template if needed."
                )
                % {"label": item.label},
            )
            return None
        return f"B{hit[0]}", hit[1]
