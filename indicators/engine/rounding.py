"""The one rounding rule: exact Decimal arithmetic, then half-up to the reported places (accounting.md §3).

Status compares the *reported* value with the threshold, so rounding happens before comparison.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

ROUNDING = ROUND_HALF_UP
# Decimal places per reported quantity.
PLACES_QUANTITY = Decimal("0.01")  # tce, tCO2
PLACES_CARBON_PER_ENERGY = Decimal("0.0001")  # tCO2/tce
PLACES_PERCENT = Decimal("0.01")  # %
PLACES_COUNT = Decimal(1)  # buildings
# Exact intermediate arithmetic: every product of the inputs fits; only ratios are ever rounded here.
WORKING_PRECISION = 60


REPORT_CONTEXT = Context(prec=WORKING_PRECISION, rounding=ROUNDING)


def report(value: Decimal, places: Decimal) -> Decimal:
    """``value`` rounded half-up to ``places`` for reporting and threshold comparison.

    Runs in its own context: the caller's (Python's default has only 28 digits) never matters. A value
    that rounds to zero has no minus sign ("0.00", never "-0.00").
    """
    rounded = value.quantize(places, rounding=ROUNDING, context=REPORT_CONTEXT)
    return rounded.copy_abs() if rounded.is_zero() else rounded
