"""The areas experts score in an acceptance evaluation (Annex 2's indicators grouped), with their points.

The points sum to 100. They are the province's evaluation practice, not an accounting rule: a change here
changes only future expert forms (submitted scores keep the area codes and points they were given).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from indicators.models import IndicatorCode as I


@dataclass(frozen=True)
class ScoreArea:
    code: str
    label: Any
    max_points: int
    indicators: tuple[str, ...]


SCORE_AREAS: tuple[ScoreArea, ...] = (
    ScoreArea("core", _("Carbon emissions per unit of energy (core)"), 40, (I.CARBON_PER_ENERGY,)),
    ScoreArea(
        "energy_structure",
        _("Energy structure: clean energy and direct green power"),
        20,
        (I.CLEAN_ENERGY_SHARE, I.GREEN_POWER_DIRECT_SHARE),
    ),
    ScoreArea(
        "efficiency",
        _("Energy efficiency: product energy use, waste heat, cold and pressure"),
        10,
        (I.PRODUCT_ENERGY_GRADE, I.WASTE_ENERGY_UTILIZATION),
    ),
    ScoreArea(
        "resources",
        _("Resource recycling: solid waste and water"),
        10,
        (I.SOLID_WASTE_UTILIZATION, I.WATER_REUSE),
    ),
    ScoreArea(
        "transport",
        _("Clean transport and public new-energy vehicles"),
        10,
        (I.CLEAN_TRANSPORT_SHARE, I.PUBLIC_NEV_SHARE),
    ),
    ScoreArea("buildings", _("Low-energy and green buildings"), 5, (I.GREEN_BUILDINGS,)),
    ScoreArea("offsets", _("Carbon offsets"), 5, (I.OFFSET_SHARE,)),
)
SCORE_AREA_MAP = {area.code: area for area in SCORE_AREAS}
MAX_TOTAL = sum(area.max_points for area in SCORE_AREAS)
POINTS_STEP = Decimal("0.5")


def scores_clean(raw: Any) -> tuple[dict[str, str], Decimal, dict[str, list[str]]]:
    """Check an expert's points per area: every area, a number from 0 to its maximum in steps of 0.5.

    Returns (scores as text, total, errors keyed ``scores.<area>``).
    """
    raw = raw if isinstance(raw, dict) else {}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    total = Decimal(0)
    for unknown in sorted(set(raw) - set(SCORE_AREA_MAP)):
        errors[f"scores.{unknown}"] = [str(_("Unknown scoring area."))]
    for area in SCORE_AREAS:
        value = raw.get(area.code)
        key = f"scores.{area.code}"
        if value in (None, ""):
            errors[key] = [str(_("Give a score."))]
            continue
        try:
            points = Decimal(str(value).strip())
        except InvalidOperation:
            errors[key] = [str(_("Enter a number."))]
            continue
        if not points.is_finite() or points < 0 or points > area.max_points:
            errors[key] = [str(_("Enter 0 to %(max)s points.") % {"max": area.max_points})]
            continue
        if points % POINTS_STEP:
            errors[key] = [str(_("Use steps of 0.5 points."))]
            continue
        points = points.quantize(Decimal("0.1"))
        cleaned[area.code] = str(points)
        total += points
    return cleaned, total, errors
