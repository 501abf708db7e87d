"""Reads for the public progress page: the programme against the plan's goals, the listed parks by city and
status (removed ones with their date), and the accepted 省级零碳园区 with their core value. Only what may be
public: no scores, opinions, orders or draft data.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import BASE_YEAR
from indicators.models import INDICATOR_UNITS, IndicatorResult
from indicators.selectors import local_scheme_code
from zcpark.core.svgcharts import PALETTE

from ..models import ProjectStatus
from ..selectors import as_decimal
from .dashboard import (
    CORE,
    ByCity,
    Column,
    GoalProgress,
    cities_ordered,
    city_table,
    goal_progress,
    listed_parks,
    programme_rows,
)

# What the public sees of a project's state: an order is not public, so rectification reads as building.
PUBLIC_STATUSES: dict[str, tuple[str, Any, str]] = {
    # project status: (public key, label, colour)
    ProjectStatus.IN_CONSTRUCTION: ("building", _("Under construction"), PALETTE[0]),
    ProjectStatus.UNDER_RECTIFICATION: ("building", _("Under construction"), PALETTE[0]),
    ProjectStatus.SELF_ASSESSMENT: ("acceptance", _("Acceptance under way"), PALETTE[4]),
    ProjectStatus.ACCEPTANCE_REVIEW: ("acceptance", _("Acceptance under way"), PALETTE[4]),
    ProjectStatus.ACCEPTED: ("accepted", _("Accepted (provincial zero-carbon park)"), PALETTE[2]),
    ProjectStatus.REMOVED: ("removed", _("Removed from the list"), "#999999"),
}

# ---------------------------------------------------------------- the public progress page


@dataclass(frozen=True)
class PublicPark:
    """A park of the published construction list as the public sees it."""

    name: str
    zone: str
    city: str
    city_code: str
    status_key: str
    status_label: str
    status_colour: str
    removed_on: date | None


@dataclass(frozen=True)
class AcceptedPark:
    name: str
    zone: str
    city: str
    accepted_on: date | None
    # Recommended to the national programme by the province (the act's date); meeting the national scheme
    # alone is not shown to the public.
    national_recommended_on: date | None
    assessment_year: int
    core_value: Decimal | None
    core_status: str | None


@dataclass
class PublicProgress:
    goals: list[GoalProgress]
    by_city: ByCity
    parks: list[PublicPark]
    accepted: list[AcceptedPark]
    core_unit: str = INDICATOR_UNITS[CORE]


def _public_columns() -> list[Column]:
    seen: dict[str, Column] = {}
    for key, label, colour in PUBLIC_STATUSES.values():
        seen.setdefault(key, Column(key, str(label), colour))
    return list(seen.values())


def _accepted_core_values() -> dict[int, tuple[Any, Any]]:
    """park id → (core value, status) of the accepted projects' assessment-year results (the final year,
    extensions included), in one query that reads only those two fields of the summary. As text: the
    engine writes numbers as strings, and a JSON read would make a float of them on SQLite."""
    path = f"summary__indicators__{CORE}"
    project = "dataset__park__projects__"
    rows = (
        IndicatorResult.objects.current()
        .filter(
            scheme_code=local_scheme_code(),
            ok=True,
            **{f"{project}status": ProjectStatus.ACCEPTED},
            dataset__year=BASE_YEAR + F(f"{project}period_years") + F(f"{project}extension_years"),
        )
        .annotate(core_value=KT(f"{path}__value"), core_status=KT(f"{path}__status"))
        .values_list("dataset__park_id", "core_value", "core_status")
    )
    return {park_id: (value, status) for park_id, value, status in rows}


def public_progress() -> PublicProgress:
    """The programme's public progress: counts against the plan's goals, the published lists' parks by
    city and public status (removed ones with their date), and the accepted parks with their core value.
    Nothing else of a project is read: no scores, orders, drafts or other datasets."""
    projects = programme_rows(published_only=True)
    core = _accepted_core_values()
    parks, accepted = [], []
    statuses: Counter[str] = Counter()
    for p in projects:
        key, label, colour = PUBLIC_STATUSES[p.status]
        statuses[p.status] += 1
        parks.append(
            PublicPark(
                name=p.park,
                zone=p.zone,
                city=p.city,
                city_code=p.city_code,
                status_key=key,
                status_label=str(label),
                status_colour=colour,
                removed_on=p.removed_on if p.status == ProjectStatus.REMOVED else None,
            )
        )
        if p.status == ProjectStatus.ACCEPTED:
            value, status = core.get(p.park_id, (None, None))
            accepted.append(
                AcceptedPark(
                    name=p.park,
                    zone=p.zone,
                    city=p.city,
                    accepted_on=timezone.localdate(p.accepted_at) if p.accepted_at else None,
                    national_recommended_on=p.national_recommended_on,
                    assessment_year=p.final_year,
                    core_value=as_decimal(value),
                    core_status=status,
                )
            )
    accepted.sort(key=lambda a: (a.accepted_on or date.max, a.name))
    return PublicProgress(
        goals=goal_progress(
            under_construction=listed_parks(projects),
            accepted=statuses[ProjectStatus.ACCEPTED],
        ),
        by_city=city_table(cities_ordered(), [(p.city_code, p.status_key) for p in parks], _public_columns()),
        parks=parks,
        accepted=accepted,
    )
