"""How numbers read on pages and in PDFs: thousands separators, the engine's one rounding rule
(indicators.engine.rounding: half-up), and a dash for a missing value."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from indicators.engine.rounding import report

register = template.Library()

MISSING = "—"


def format_number(value: Any, places: int | None = None) -> str:
    """``value`` with thousands separators (218234.28 → 218,234.28); ``places`` rounds half-up first.

    A value that is no number comes back as given (text stays text); None and "" read as a dash.
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        number = report(number, Decimal(1).scaleb(-places))
    return f"{number:,f}"


@register.filter
def num(value: Any, places: Any = None) -> str:
    """``{{ value|num }}`` keeps the value's decimals; ``{{ value|num:2 }}`` rounds to two places."""
    try:
        digits = None if places in (None, "") else int(places)
    except (TypeError, ValueError):
        digits = None
    return format_number(value, digits)
