"""Reads of the city progress reports: the parks' figures a report is prefilled with, the reports a user
sees, the province's overview of cities × periods (late ones marked), the home to-do, and the public
library of typical practices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.files.storage import Storage
from django.db.models import Count, FileField, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from applications.models import BASE_YEAR
from indicators.models import IndicatorResult
from indicators.selectors import local_scheme_code
from parks.models import City, Role
from parks.permissions import NOTHING, WHOLE_PROGRAM_ROLES, _role
from zcpark.core.models import TODO_LIMIT

from ..models import (
    OPEN_ORDER_STATUSES,
    AnnualReport,
    CityProgressReport,
    CityReportStatus,
    ConstructionProject,
    PracticeScene,
    ProjectStatus,
    ReportStatus,
    TypicalPractice,
)
from ..models.city_reports import period_label
from .project_rows import project_rows

# Totals of a result copied into a report's figures (tce, tCO2).
FIGURE_TOTALS = ("energy_tce", "emissions_net_tco2")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def city_projects(city_id: int, until: date) -> QuerySet[ConstructionProject]:
    """The city's construction projects opened by ``until`` (the end of a period), with places."""
    end = timezone.make_aware(datetime.combine(until, time.max))
    return (
        ConstructionProject.objects.with_places()
        .filter(park__zone__city_id=city_id, opened_at__lte=end)
        .annotate(
            open_orders=Count("orders", filter=Q(orders__status__in=OPEN_ORDER_STATUSES), distinct=True)
        )
        .order_by("park__name", "pk")
    )


def figures_snapshot(city_id: int, until: date) -> list[dict[str, Any]]:
    """Each of the city's parks as its data stands: status, latest reported year, the core indicator
    against its trajectory, energy and net emissions of the latest reported year (the base year before
    any report), open orders. Plain JSON (numbers as exact strings), stored on the report."""
    projects = list(city_projects(city_id, until))
    if not projects:
        return []
    submitted: dict[int, int] = dict(
        AnnualReport.objects.filter(project__in=projects, status=ReportStatus.SUBMITTED)
        .values("project_id")
        .annotate(latest=Max("year"))
        .values_list("project_id", "latest")
    )
    totals: dict[tuple[int, int], dict[str, Any]] = {}
    for park_id, year, summary in (
        IndicatorResult.objects.current()
        .filter(scheme_code=local_scheme_code(), ok=True, dataset__park_id__in={p.park_id for p in projects})
        .values_list("dataset__park_id", "dataset__year", "summary")
    ):
        totals[(park_id, year)] = (summary or {}).get("totals") or {}
    figures = []
    for row in project_rows(projects):
        project = row.project
        latest = submitted.get(project.pk)
        year = latest or BASE_YEAR
        year_totals = totals.get((project.park_id, year), {})
        figures.append(
            {
                "project": project.pk,
                "park": project.park.name,
                "status": project.status,
                "latest_report_year": latest,
                "core_year": row.core_year,
                "core_value": _text(row.core_value),
                "core_target": _text(row.core_target),
                "core_lagging": row.core_lagging,
                "lagging_count": row.lagging_count,
                "figures_year": year if year_totals else None,
                **{key: _text(year_totals.get(key)) for key in FIGURE_TOTALS},
                "open_orders": getattr(project, "open_orders", 0),
            }
        )
    return figures


def figures_display(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored figures with the status label the reader reads (never the code)."""
    labels = dict(ProjectStatus.choices)
    return [{**row, "status_label": labels.get(row.get("status", ""), "")} for row in figures]


# ---- who sees which reports ------------------------------------------------------------------------


def city_report_visibility(user: Any) -> Q:
    """The reports ``user`` may see: the province and observers every city's, a city reviewer its own."""
    role = _role(user)
    if role in WHOLE_PROGRAM_ROLES:
        return Q()
    if role == Role.CITY_REVIEWER and user.city_id:
        return Q(city_id=user.city_id)
    return NOTHING


def city_report_list_visible_to(*, user: Any) -> QuerySet[CityProgressReport]:
    return (
        CityProgressReport.objects.filter(city_report_visibility(user))
        .select_related("city", "submitted_by")
        .annotate(practice_count=Count("practices"))
        .order_by("-period_start", "city__code")
    )


def city_report_get_for_user(*, user: Any, pk: int) -> CityProgressReport:
    """One report ``user`` may see, or Http404 (as for one that does not exist)."""
    try:
        return CityProgressReport.objects.select_related("city", "submitted_by").get(
            city_report_visibility(user), pk=pk
        )
    except CityProgressReport.DoesNotExist as exc:
        raise Http404 from exc


def is_late(report: CityProgressReport, today: date) -> bool:
    return report.status != CityReportStatus.SUBMITTED and report.due_on < today


def late_city_reports(*, today: date) -> QuerySet[CityProgressReport]:
    """Every report past its due date and not submitted (a draft, or returned), oldest first."""
    return (
        CityProgressReport.objects.exclude(status=CityReportStatus.SUBMITTED)
        .filter(due_on__lt=today)
        .select_related("city")
        .order_by("due_on", "city__code")
    )


# ---- the province's overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewCell:
    report: CityProgressReport | None
    late: bool


@dataclass
class Overview:
    """Cities (rows) × periods (columns, newest first), each cell the city's report for the period."""

    today: date
    periods: list[str] = field(default_factory=list)
    rows: list[tuple[City, list[OverviewCell]]] = field(default_factory=list)
    late: list[CityProgressReport] = field(default_factory=list)

    @property
    def period_columns(self) -> list[tuple[str, str]]:
        """Each period's code and label (``period_label``), as the columns show them."""
        return [(code, period_label(code).render()) for code in self.periods]


def city_report_overview(*, user: Any, today: date, filters: Mapping[str, str] | None = None) -> Overview:
    """The reports ``user`` sees as a matrix of cities × periods (two queries); ``filters``: ``city``
    (code), ``period`` (code) and ``late`` ("1": late reports only)."""
    filters = filters or {}
    reports = list(city_report_list_visible_to(user=user))
    if filters.get("city"):
        reports = [r for r in reports if r.city.code == filters["city"]]
    if filters.get("period"):
        reports = [r for r in reports if r.period == filters["period"]]
    if filters.get("late") == "1":
        reports = [r for r in reports if is_late(r, today)]
    overview = Overview(today=today)
    overview.periods = sorted({r.period for r in reports}, reverse=True)
    by_city: dict[int, dict[str, CityProgressReport]] = {}
    cities: dict[int, City] = {}
    for report in reports:
        by_city.setdefault(report.city_id, {})[report.period] = report
        cities[report.city_id] = report.city
    for city_id in sorted(cities, key=lambda pk: cities[pk].code):
        cells = []
        for period in overview.periods:
            cell = by_city[city_id].get(period)
            cells.append(OverviewCell(report=cell, late=cell is not None and is_late(cell, today)))
        overview.rows.append((cities[city_id], cells))
    overview.late = sorted((r for r in reports if is_late(r, today)), key=lambda r: (r.due_on, r.city.code))
    return overview


def city_report_periods() -> list[tuple[str, str]]:
    """Every period with a report, newest first: its code (the filter's value) and its label."""
    codes = CityProgressReport.objects.order_by("-period").values_list("period", flat=True).distinct()
    return [(code, period_label(code).render()) for code in codes]


# ---- the home page -------------------------------------------------------------------------------


@dataclass
class CityReportTodo:
    """A city's reports to write (open, period started); the province's late cities."""

    to_write: list[CityProgressReport] = field(default_factory=list)
    late: list[CityProgressReport] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.to_write or self.late)


def city_report_todo(*, user: Any, today: date) -> CityReportTodo:
    """One query for either role."""
    todo = CityReportTodo()
    role = _role(user)
    if role == Role.CITY_REVIEWER and user.city_id:
        todo.to_write = list(
            CityProgressReport.objects.filter(
                city_id=user.city_id,
                status__in=(CityReportStatus.DRAFT, CityReportStatus.RETURNED),
                period_start__lte=today,
            )
            .select_related("city")
            .order_by("due_on", "pk")[:TODO_LIMIT]
        )
    elif role == Role.PROVINCE_ADMIN:
        todo.late = list(late_city_reports(today=today)[:TODO_LIMIT])
    return todo


# ---- the public library of typical practices ----------------------------------------------------


def practice_library(*, filters: Mapping[str, str] | None = None) -> QuerySet[TypicalPractice]:
    """The practices anyone may read: in a submitted city report, of a park accepted as a provincial
    zero-carbon park. ``filters``: ``city`` (code) and ``scene``."""
    filters = filters or {}
    qs = (
        TypicalPractice.objects.filter(
            report__status=CityReportStatus.SUBMITTED, project__status=ProjectStatus.ACCEPTED
        )
        .select_related("report", "report__city", "project__park", "project__park__zone")
        .order_by("-report__period_start", "report__city__code", "pk")
    )
    if filters.get("city"):
        qs = qs.filter(report__city__code=filters["city"])
    if filters.get("scene") in PracticeScene.values:
        qs = qs.filter(scene=filters["scene"])
    return qs


def practice_get_for_user(*, user: Any, pk: int) -> TypicalPractice:
    """A practice whose file ``user`` may open: one in the public library, or one of a report it sees."""
    practice = practice_library().filter(pk=pk).first()
    if practice is None:
        practice = (
            TypicalPractice.objects.select_related("report", "project__park")
            .filter(pk=pk, report__in=CityProgressReport.objects.filter(city_report_visibility(user)))
            .first()
        )
    if practice is None or not practice.file:
        raise Http404
    return practice


def practice_storage() -> Storage:
    """Where the practices' files are stored."""
    file_field = TypicalPractice._meta.get_field("file")
    assert isinstance(file_field, FileField)
    return file_field.storage


def submission_file_for_user(*, user: Any, pk: int, number: int, index: int) -> tuple[str, str]:
    """The stored path and the city's name of the file of practice ``index`` (from 0) in version ``number``
    of a report ``user`` sees, as that version was sent (the practice may have been removed since);
    Http404 when there is none, or the version predates keeping files' paths."""
    report = city_report_get_for_user(user=user, pk=pk)
    submission = report.submissions.filter(number=number).first()
    practices = submission.content.get("practices", []) if submission else []
    entry = practices[index] if 0 <= index < len(practices) else {}
    path = str(entry.get("file_path") or "")
    if not path or not practice_storage().exists(path):
        raise Http404
    return path, str(entry.get("file") or path.rsplit("/", 1)[-1])
