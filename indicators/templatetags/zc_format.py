"""How numbers read on pages and in PDFs: thousands separators, the engine's one rounding rule
(indicators.engine.rounding: half-up), a dash for a missing value, amounts in 万元, units and threshold
operators by their printed signs.

    {% load zc_format %}
    {{ row.energy_tce|num }} tce          218234.28 → 218,234.28 (the value's own decimals)
    {{ share|num:2 }} %                   rounded half-up to two places first
    {{ project.investment_wan|wan }}      500 → 500 万元 (Chinese) / 5,000,000 yuan (English)
    {{ item.unit|unit }}                  10^4 Nm3 → 万Nm³ (the one unit-label mapping)
    {{ threshold.op|op }}                 <= → ≤
    {{ item.threshold|threshold }}        {"op": "<=", "value": "0.4"} → ≤ 0.4

Python code (views, PDFs, sheets) calls ``format_number`` / ``format_wan`` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import models as indicator_models
from indicators.engine.rounding import report

register = template.Library()

REFERENCE_TITLES = "zc_format.reference_titles"  # where a render keeps the titles it read
MISSING = "—"
WAN = Decimal(10000)


def _decimal(value: Any) -> Decimal | None:
    """``value`` as a finite Decimal, or None when it is no number (text, bool, NaN, infinity)."""
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def format_number(value: Any, places: int | None = None) -> str:
    """``value`` with thousands separators (218234.28 → 218,234.28); ``places`` rounds half-up first.

    A value that is no number comes back as given (text stays text); None and "" read as a dash.
    """
    if value is None or value == "":
        return MISSING
    number = _decimal(value)
    if number is None:
        return str(value)
    if places is not None:
        number = report(number, Decimal(1).scaleb(-places))
    return f"{number:,f}"


def _places(places: Any) -> int | None:
    try:
        return None if places in (None, "") else int(places)
    except (TypeError, ValueError):
        return None


@register.filter
def num(value: Any, places: Any = None) -> str:
    """``{{ value|num }}`` keeps the value's decimals; ``{{ value|num:2 }}`` rounds to two places."""
    return format_number(value, _places(places))


def format_wan(value: Any, places: int | None = None) -> str:
    """An amount stored in 万元 (10,000 yuan) as a reader of the active language expects it.

    Chinese reads it as stored ("500.00 万元"); other languages have no word for 万, so the amount is
    given in yuan ("5,000,000.00 yuan") — the same number, never rounded differently.
    """
    number = _decimal(value)
    if number is None:
        return format_number(value)
    if (get_language() or "zh-hans").lower().startswith("zh"):
        return f"{format_number(number, places)} 万元"
    if places is not None:
        number = report(number, Decimal(1).scaleb(-places))
    return _("%(amount)s yuan") % {"amount": format_number(number * WAN)}


@register.filter
def wan(value: Any, places: Any = None) -> str:
    """``{{ amount_wan|wan }}``: the amount with its unit (万元 in Chinese, yuan otherwise)."""
    return format_wan(value, _places(places))


def unit_text(code: Any) -> str:
    """A unit as printed, by the one mapping in indicators.models (``unit_label``)."""
    return "" if code is None else indicator_models.unit_label(str(code))


@register.filter
def unit(code: Any) -> str:
    """``{{ row.unit|unit }}``: 10^4 Nm3 → 万Nm³, 10^4 t → 万吨; an unknown unit as given."""
    return unit_text(code)


@register.filter
def op(operator: Any) -> str:
    """``{{ threshold.op|op }}``: a threshold's comparison as printed (<= → ≤, >= → ≥)."""
    return indicator_models.op_symbol(str(operator)) if operator not in (None, "") else ""


@register.filter
def threshold(value: Any, places: Any = None) -> str:
    """``{{ item.threshold|threshold }}``: a threshold ({"op", "value"}) as "≤ 0.4"; a dash without one."""
    if not isinstance(value, Mapping) or value.get("value") in (None, ""):
        return MISSING
    sign = op(value.get("op"))
    number = format_number(value.get("value"), _places(places))
    return f"{sign} {number}" if sign else number


@register.simple_tag(takes_context=True)
def reference_title(context: template.Context, code: Any) -> str:
    """``{% reference_title result.factors.set %}`` (or ``… as name``): a factor set's, method's or scheme's
    human title by the code a result records (cn-2026.1 → its title); the code itself when unknown. The
    titles are read once per template rendered (two queries), however many rows name one."""
    from indicators import selectors  # the selectors import models and engine; templates load this early

    text = "" if code is None else str(code)
    if not text:
        return text
    titles = context.render_context.get(REFERENCE_TITLES)
    if titles is None:
        titles = context.render_context[REFERENCE_TITLES] = selectors.reference_titles()
    return str(titles.get(text, text))
