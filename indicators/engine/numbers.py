"""Reading numbers exactly (JSON numbers and strings, never through float) and the reader that records
every problem at its dotted path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .document import (
    NOT_A_LIST,
    NOT_AN_OBJECT,
)
from .errors import Errors

# Inputs beyond these are typing mistakes, not park data (the largest park burns < 10^9 t of coal),
# and they keep every product exact within the working precision.
MAX_MAGNITUDE = Decimal("1e15")
# Characters of a number written as text: far beyond any real number (leading zeros included), short
# enough that no upload can make the parser work on megabytes of digits.
MAX_TEXT = 1000
_GROUPED = re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def to_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal (floats through their shortest repr); else None.

    Thousands separators are accepted only as spreadsheets write them ("1,200.5"); "1,5" is not a
    number here, nor is "1_000" (which Python's Decimal would read).
    """
    if type(value) is not str:  # numbers written as strings are the common case
        if isinstance(value, Decimal):
            return value if value.is_finite() else None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        if isinstance(value, int):
            return Decimal(value)
        value = repr(value) if isinstance(value, float) else str(value)
    if len(value) > MAX_TEXT or "_" in value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        if not _GROUPED.match(value):
            return None
        number = Decimal(value.replace(",", ""))
    return number if number.is_finite() else None


class Reader:
    """Reads numbers and blocks at dotted paths, recording their errors; collects ignored keys."""

    __slots__ = ("errors", "ignored")

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        self.ignored: list[str] = []

    def number(
        self, block: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> Decimal | None:
        """A number ≥ 0 and ≤ 10^15. ``required``: absent, null or blank is an error; else it is None."""
        raw = block.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.errors.add(path, "required", "缺少数值")
            return None
        number = to_decimal(raw)
        if number is None:
            self.errors.add(path, "not_a_number")
            return None
        if number < 0:
            self.errors.add(path, "negative")
            return None
        if number > MAX_MAGNITUDE:
            self.errors.add(path, "not_a_number", "数值超出合理范围（不超过 10^15）")
            return None
        return number

    def optional_number(self, block: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """A number that may be absent or null (the heat factors, measured parameters)."""
        if block.get(key) is None or block.get(key) == "":
            return None
        return self.number(block, key, path, required=True)

    def count(self, block: Mapping[str, Any], key: str, path: str) -> int | None:
        number = self.number(block, key, path)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.errors.add(path, "invalid", "必须为整数")
            return None
        return int(number)

    def mapping(self, document: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        """The block at ``key``: None when absent; a non-object is ``invalid`` and read as empty."""
        value = document.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.errors.add(path, "invalid", NOT_AN_OBJECT)
            return {}
        return value

    def rows(self, document: Mapping[str, Any], key: str, path: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The object rows of the list at ``key``; a non-list and every non-object row are ``invalid``."""
        value = document.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.errors.add(path, "invalid", NOT_A_LIST)
            return []
        out = []
        for i, row in enumerate(value):
            if type(row) is dict or isinstance(row, Mapping):  # the ABC check only for other mappings
                out.append((i, row))
            else:
                self.errors.add(f"{path}[{i}]", "invalid", NOT_AN_OBJECT)
        return out

    def note_unknown(self, block: Mapping[str, Any], allowed: frozenset[str], path: str) -> None:
        for key in block:
            if key not in allowed:
                self.ignored.append(f"{path}.{key}" if path else str(key))
