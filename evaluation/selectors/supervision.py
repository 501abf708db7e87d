"""The province's 督导 list (动态管理): each project under construction that lags its core-indicator path in
its latest reported year, or is late with an annual report, with the reasons in words and figures and
whether an order is open. A fixed number of queries whatever the number of rows.

"Lags for a year": the latest year with a submitted annual report and a computed provincial result (the
base year 2025 excluded: it has no target) has a 单位能耗碳排放 worse than that year's target in the
dossier (``selectors.trajectory``'s ``point_lags``, as the project list and page flag it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from applications.models import BASE_YEAR
from indicators.templatetags.zc_format import format_number

from ..models import BUILDING_STATUSES, AnnualReport, ConstructionProject, ReportStatus
from .project_rows import project_rows
from .projects import SEARCH_MAX, project_list_annotated, project_list_visible_to

REASON_LAGGING, REASON_OVERDUE = "lagging", "overdue"
ORDER_OPEN, ORDER_NONE = "open", "none"


@dataclass(frozen=True)
class SupervisionFilters:
    """The list's filters from the URL (an unknown value filters nothing): ``q`` a park or zone name (part
    of it), ``city`` a city code, ``reason`` lagging or overdue, ``order`` open or none."""

    q: str = ""
    city: str = ""
    reason: str = ""
    order: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> SupervisionFilters:
        reason, order = params.get("reason", ""), params.get("order", "")
        return cls(
            q=" ".join(params.get("q", "").split())[:SEARCH_MAX],
            city=params.get("city", "").strip()[:12],
            reason=reason if reason in (REASON_LAGGING, REASON_OVERDUE) else "",
            order=order if order in (ORDER_OPEN, ORDER_NONE) else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.city or self.reason or self.order)

    def apply(self, projects: QuerySet[ConstructionProject]) -> QuerySet[ConstructionProject]:
        if self.q:
            projects = projects.filter(
                Q(park__name__icontains=self.q) | Q(park__zone__name__icontains=self.q)
            )
        if self.city:
            projects = projects.filter(park__zone__city__code=self.city)
        return projects


@dataclass(frozen=True)
class OverdueReport:
    year: int
    due_on: date
    days: int


@dataclass
class SupervisionRow:
    """A project to supervise: its core indicator in the latest reported year against the target, its late
    reports, its open orders; ``reasons`` says why it is on the list, in the reader's language."""

    project: ConstructionProject
    core_year: int | None
    core_value: Decimal | None
    core_target: Decimal | None
    core_lagging: bool
    overdue: list[OverdueReport] = field(default_factory=list)
    open_orders: int = 0

    @property
    def reasons(self) -> list[str]:
        lines = []
        if self.core_lagging:
            lines.append(
                _("Core indicator %(year)s: %(value)s tCO2/tce against the target %(target)s (%(gap)s worse)")
                % {
                    "year": self.core_year,
                    "value": format_number(self.core_value),
                    "target": format_number(self.core_target),
                    "gap": format_number(abs((self.core_value or 0) - (self.core_target or 0))),
                }
            )
        for report in self.overdue:
            lines.append(
                _("Annual report %(year)s overdue since %(date)s (%(days)s days)")
                % {"year": report.year, "date": report.due_on, "days": report.days}
            )
        return lines

    @property
    def order_prefill(self) -> dict[str, str]:
        """The order form's title and requirements, from the reasons."""
        title = (
            _("Supervision: core indicator behind its path")
            if self.core_lagging
            else _("Supervision: annual report overdue")
        )
        return {"title": title, "requirements": "\n".join(self.reasons)}


def supervision_rows(
    *, user: Any, filters: SupervisionFilters, today: date, project_id: int | None = None
) -> list[SupervisionRow]:
    """The projects ``user`` sees under construction (or under rectification) that lag on the core indicator
    in their latest reported year or are late with an annual report, filtered (only ``project_id``'s when
    given): five queries (one when no project is under construction)."""
    candidates = filters.apply(project_list_visible_to(user=user).filter(status__in=BUILDING_STATUSES))
    if project_id is not None:
        candidates = candidates.filter(pk=project_id)
    annotated = project_list_annotated(candidates, today=today)
    if filters.order == ORDER_OPEN:
        annotated = annotated.filter(open_orders__gt=0)
    elif filters.order == ORDER_NONE:
        annotated = annotated.filter(open_orders=0)
    projects = list(annotated)
    late: dict[int, list[OverdueReport]] = {}
    for project_id, year, due_on in (
        AnnualReport.objects.filter(project__in=projects, status=ReportStatus.DUE, due_on__lt=today)
        .order_by("year")
        .values_list("project_id", "year", "due_on")
    ):
        late.setdefault(project_id, []).append(OverdueReport(year, due_on, (today - due_on).days))
    rows = []
    for figures in project_rows(projects):
        lagging = figures.core_lagging and (figures.core_year or 0) > BASE_YEAR
        row = SupervisionRow(
            project=figures.project,
            core_year=figures.core_year,
            core_value=figures.core_value,
            core_target=figures.core_target,
            core_lagging=lagging,
            overdue=late.get(figures.project.pk, []),
            open_orders=getattr(figures.project, "open_orders", 0),
        )
        if not (row.core_lagging or row.overdue):
            continue
        if filters.reason == REASON_LAGGING and not row.core_lagging:
            continue
        if filters.reason == REASON_OVERDUE and not row.overdue:
            continue
        rows.append(row)
    return rows


def supervision_row_for(project: ConstructionProject, *, user: Any, today: date) -> SupervisionRow | None:
    """The project's row of the list, if it is on it (the order form's prefill)."""
    rows = supervision_rows(user=user, filters=SupervisionFilters(), today=today, project_id=project.pk)
    return rows[0] if rows else None
