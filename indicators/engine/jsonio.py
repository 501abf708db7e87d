"""JSON in and out without ever passing a number through float."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as Decimal (integers stay int)."""
    return json.loads(text, parse_float=Decimal)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(document: Any, *, indent: int | None = None) -> str:
    """Serialise a result or errors document; Decimals travel as strings, Chinese stays readable."""
    return json.dumps(document, ensure_ascii=False, indent=indent, default=_default)
