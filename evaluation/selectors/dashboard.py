"""Reads for the provincial dashboard and the public progress page: the programme against the plan's goals,
parks by city and status, the indicator attainment matrix, what is overdue, and the accepted parks.

Selector-style (no writes). Each page reads a fixed handful of queries, whatever the number of parks and
years, and does the rest in Python: projects with their places, cities, the latest datasets, the current
results' ``summary`` (never the large ``document``), open orders and overdue reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from applications.models import BASE_YEAR, ListStatus
from indicators.models import INDICATOR_UNITS, IndicatorCode, IndicatorResult, ParkDataset
from indicators.selectors import local_scheme_code
from parks.models import City
from parks.selectors import province_current
from zcpark.core.svgcharts import PALETTE

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    OPEN_ORDER_STATUSES,
    AnnualReport,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
    ReportStatus,
)
from ..selectors import as_decimal

# ---------------------------------------------------------------- the plan's goals


@dataclass(frozen=True)
class PlanGoals:
    """The programme's goals over its plan period (the province's reference data: province.json)."""

    plan: str  # the plan's name in the active language (“十五五”时期 · 15th Five-Year Plan)
    first_year: int
    last_year: int
    under_construction: int  # about this many parks under construction during the plan
    accepted_min: int  # … and this many to this many accepted (省级零碳园区) by the plan's last year
    accepted_max: int


def plan_goals() -> PlanGoals:
    """The province's goals (Jiangxi: about 10 parks under construction in 2026–2030, 3–5 accepted by 2030).
    Both the dashboard and the public page read them here."""
    province = province_current()
    goals = province.goals
    return PlanGoals(
        plan=province.plan_label,
        first_year=int(goals["first_year"]),
        last_year=int(goals["last_year"]),
        under_construction=int(goals["under_construction"]),
        accepted_min=int(goals["accepted_min"]),
        accepted_max=int(goals["accepted_max"]),
    )


# The dashboard lists this many of the most recently accepted parks.
RECENT_ACCEPTED = 10

# Each status's colour in the charts and their tables' legends (Okabe–Ito, as the SVG charts).
STATUS_COLOURS = {
    ProjectStatus.IN_CONSTRUCTION: PALETTE[0],
    ProjectStatus.UNDER_RECTIFICATION: PALETTE[1],
    ProjectStatus.SELF_ASSESSMENT: PALETTE[5],
    ProjectStatus.ACCEPTANCE_REVIEW: PALETTE[4],
    ProjectStatus.ACCEPTED: PALETTE[2],
    ProjectStatus.REMOVED: "#999999",
}

# The public page's names for the states (the public sees no rectification orders, so a park under
# rectification is simply under construction there).
CORE = IndicatorCode.CARBON_PER_ENERGY
INDICATOR_CODES = tuple(IndicatorCode.values)

# The projects the attainment matrix follows: every one still on the list (active or accepted).
FOLLOWED_STATUSES = (*ACTIVE_PROJECT_STATUSES, ProjectStatus.ACCEPTED)

# The engine's indicator statuses (accounting.md §6) as the attainment matrix names them.
INDICATOR_STATUS_LABELS = {
    "pass": _("pass"),
    "fail": _("fail"),
    "exempt": _("exempt"),
    "no_data": _("no data"),
    "not_applicable": _("not applicable"),
}


# ---------------------------------------------------------------- shared pieces


@dataclass(frozen=True)
class GoalProgress:
    """A count against a goal, for a progress bar: ``minimum`` is the goal's low end (3 of "3–5")."""

    key: str
    label: str
    count: int
    goal_text: str
    full: int
    minimum: int

    @property
    def percent(self) -> int:
        return min(100, round(self.count * 100 / self.full)) if self.full else 0

    @property
    def minimum_percent(self) -> int:
        return min(100, round(self.minimum * 100 / self.full)) if self.full else 0

    @property
    def met(self) -> bool:
        return self.count >= self.minimum


def goal_progress(*, under_construction: int, accepted: int) -> list[GoalProgress]:
    """The two goals of the plan with the programme's counts. ``under_construction`` is what counts against
    the plan's "about 10 parks built" (推动 10 个左右零碳园区建设): the parks put on a published construction
    list and still on it, accepted ones included (``listed_parks``), not only those building today."""
    goals = plan_goals()
    period = {"plan": goals.plan, "from": goals.first_year, "to": goals.last_year}
    return [
        GoalProgress(
            key="under_construction",
            label=str(_("Parks on the construction lists")),
            count=under_construction,
            goal_text=str(_("about %(n)s parks under construction in the %(plan)s (%(from)s–%(to)s)"))
            % {"n": goals.under_construction, **period},
            full=goals.under_construction,
            minimum=goals.under_construction,
        ),
        GoalProgress(
            key="accepted",
            label=str(_("Accepted parks")),
            count=accepted,
            goal_text=str(_("%(min)s–%(max)s parks accepted by %(to)s"))
            % {"min": goals.accepted_min, "max": goals.accepted_max, **period},
            full=goals.accepted_max,
            minimum=goals.accepted_min,
        ),
    ]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class CityRow:
    code: str
    name: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ByCity:
    """Parks per city (rows, every city even with none) and status (columns): a chart and its table."""

    columns: list[Column]
    rows: list[CityRow]

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.columns))]

    @property
    def total(self) -> int:
        return sum(self.totals)

    def chart(self) -> dict[str, Any]:
        """The ECharts input (a stacked bar per city), for ``json_script``."""
        return {
            "categories": [row.name for row in self.rows],
            "series": [
                {
                    "key": col.key,
                    "name": col.label,
                    "colour": col.colour,
                    "data": [r.counts[i] for r in self.rows],
                }
                for i, col in enumerate(self.columns)
            ],
        }


def city_table(cities: list[tuple[str, str]], keyed: list[tuple[str, str]], columns: list[Column]) -> ByCity:
    """``keyed``: a (city code, column key) per park; ``cities``: (code, name) of every city, in order."""
    counts = Counter(keyed)
    names = dict(cities)
    for code, _key in keyed:  # a park's city missing from the reference data still counts
        names.setdefault(code, code)
    return ByCity(
        columns=columns,
        rows=[CityRow(code, name, [counts[(code, c.key)] for c in columns]) for code, name in names.items()],
    )


@dataclass(frozen=True)
class ProgrammeRow:
    """A construction project as the pages list it, read as plain values: building a few hundred model
    instances (with their park, zone and city) would cost more than the rest of the page."""

    pk: int
    park_id: int
    park: str
    zone: str
    city_code: str
    city: str
    status: str
    status_label: str
    final_year: int  # as ConstructionProject.final_year: the assessment year, extensions included
    accepted_at: datetime | None
    national_recommended: bool  # meets the national scheme (automatic, internal)
    national_recommended_on: date | None  # the province's recommendation to the national programme
    removed_on: date | None
    listed: bool = False  # on a published construction list and not removed from it


def listed_parks(projects: list[ProgrammeRow]) -> int:
    """How many parks are on a published construction list (and not removed): building, in acceptance or
    accepted. What the plan's construction goal counts."""
    return len({p.park_id for p in projects if p.listed and p.status != ProjectStatus.REMOVED})


def programme_rows(*, published_only: bool = False) -> list[ProgrammeRow]:
    """Every construction project with its park, zone, city and list entry, in one query, in the
    projects' order (city, park)."""
    projects = ConstructionProject.objects.all()
    if published_only:
        projects = projects.filter(list_entry__construction_list__status=ListStatus.PUBLISHED)
    labels = {status: str(label) for status, label in ProjectStatus.choices}
    return [
        ProgrammeRow(
            pk=pk,
            park_id=park_id,
            park=park,
            zone=zone,
            city_code=city_code,
            city=city,
            status=status,
            status_label=labels.get(status, status),
            final_year=BASE_YEAR + period_years + extension_years,
            accepted_at=accepted_at,
            national_recommended=national_recommended,
            national_recommended_on=national_recommended_on,
            removed_on=removed_on,
            listed=list_status == ListStatus.PUBLISHED and removed_on is None,
        )
        for (
            pk,
            park_id,
            park,
            zone,
            city_code,
            city,
            status,
            period_years,
            extension_years,
            accepted_at,
            national_recommended,
            national_recommended_on,
            removed_on,
            list_status,
        ) in projects.values_list(
            "id",
            "park_id",
            "park__name",
            "park__zone__name",
            "park__zone__city__code",
            "park__zone__city__name",
            "status",
            "period_years",
            "extension_years",
            "accepted_at",
            "national_recommended",
            "national_recommendation__recommended_on",
            "list_entry__removed_on",
            "list_entry__construction_list__status",
        )
    ]


def cities_ordered() -> list[tuple[str, str]]:
    return list(City.objects.order_by("code").values_list("code", "name"))


# ---------------------------------------------------------------- the provincial dashboard


@dataclass(frozen=True)
class IndicatorColumn:
    code: str
    label: str
    unit: str


@dataclass(frozen=True)
class Cell:
    """An indicator's value in the matrix, with its status and both as display text (a page may hold a
    thousand cells: the template only prints ready strings)."""

    code: str
    value: Decimal | None
    status: str  # pass | fail | exempt | no_data | not_applicable
    label: str
    text: str


@dataclass(frozen=True)
class MatrixRow:
    """A park's indicators for its latest submitted year (``year`` None: no data at all)."""

    project: ProgrammeRow
    year: int | None
    from_report: bool
    computed: bool
    cells: list[Cell]
    open_orders: int

    @property
    def cells_html(self) -> str:
        """The row's indicator cells as HTML: a hundred parks make a thousand cells, which the template
        language would take most of the page's time to print one by one."""
        return mark_safe(  # noqa: S308 - every part is escaped here
            "".join(
                f'<td class="cell" data-indicator="{escape(cell.code)}" data-status="{escape(cell.status)}" '
                f'title="{escape(cell.label)}">{escape(cell.text)}</td>'
                for cell in self.cells
            )
        )


@dataclass(frozen=True)
class OverdueOrder:
    pk: int
    project: ProgrammeRow
    title: str
    deadline: date
    days: int


@dataclass(frozen=True)
class OverdueReport:
    project: ProgrammeRow
    year: int
    due_on: date
    days: int


@dataclass
class Dashboard:
    today: date
    goals: list[GoalProgress]
    by_city: ByCity
    indicators: list[IndicatorColumn]
    matrix: list[MatrixRow]
    overdue_orders: list[OverdueOrder]
    overdue_reports: list[OverdueReport]
    accepted: list[ProgrammeRow]
    accepted_count: int
    national_count: int
    project_count: int


def _latest_datasets(projects: list[ProgrammeRow]) -> dict[int, tuple[int, int, bool]]:
    """project id → (dataset id, year, from a report) of ``projects`` (none removed, so one per park): the
    latest submitted report's dataset, else the park's base-year (2025) dataset. Two queries, filtered by
    join rather than by a list of ids, so that they run (and cost the same) whatever the projects."""
    latest: dict[int, tuple[int, int, bool]] = {}
    submitted = AnnualReport.objects.filter(
        project__status__in=FOLLOWED_STATUSES, status=ReportStatus.SUBMITTED, dataset__isnull=False
    ).values_list("project_id", "year", "dataset_id")
    for project_id, year, dataset_id in submitted:
        if project_id not in latest or year > latest[project_id][1]:
            latest[project_id] = (dataset_id, year, True)
    by_park = {p.park_id: p.pk for p in projects}
    base = ParkDataset.objects.filter(
        year=BASE_YEAR, park__projects__status__in=FOLLOWED_STATUSES
    ).values_list("park_id", "id")
    for park_id, dataset_id in base:
        if park_id in by_park:
            latest.setdefault(by_park[park_id], (dataset_id, BASE_YEAR, False))
    return latest


def _summaries(dataset_ids: list[int]) -> dict[int, dict[str, Any] | None]:
    """dataset id → the current provincial result's summary (None: the result has errors)."""
    if not dataset_ids:
        return {}
    rows = (
        IndicatorResult.objects.current()
        .filter(dataset_id__in=dataset_ids, scheme_code=local_scheme_code())
        .values_list("dataset_id", "ok", "summary")
    )
    return {dataset_id: (summary or {}) if ok else None for dataset_id, ok, summary in rows}


def _cells(summary: dict[str, Any] | None, labels: dict[str, str]) -> list[Cell]:
    indicators = (summary or {}).get("indicators") or {}
    cells = []
    for code in INDICATOR_CODES:
        item = indicators.get(code) or {}
        value, status = as_decimal(item.get("value")), item.get("status") or "no_data"
        text = "—" if value is None else str(value)
        cells.append(Cell(code, value, status, labels.get(status, status), text))
    return cells


def indicator_columns() -> list[IndicatorColumn]:
    return [
        IndicatorColumn(code, str(label), INDICATOR_UNITS.get(code, ""))
        for code, label in IndicatorCode.choices
    ]


def dashboard_overview(*, today: date) -> Dashboard:
    """Everything the provincial dashboard shows, in a fixed number of queries (see the module doc)."""
    projects = programme_rows()
    by_pk = {p.pk: p for p in projects}
    statuses = Counter(p.status for p in projects)
    columns = [Column(s.value, str(s.label), STATUS_COLOURS[s]) for s in ProjectStatus]
    by_city = city_table(cities_ordered(), [(p.city_code, p.status) for p in projects], columns)

    followed = [p for p in projects if p.status in FOLLOWED_STATUSES]
    latest = _latest_datasets(followed)
    summaries = _summaries([dataset_id for dataset_id, _year, _r in latest.values()])

    open_orders: Counter[int] = Counter()
    overdue_orders = []
    orders = RectificationOrder.objects.filter(
        project__status__in=ACTIVE_PROJECT_STATUSES, status__in=OPEN_ORDER_STATUSES
    ).values_list("id", "project_id", "title", "deadline", "status")
    for pk, project_id, title, deadline, status in orders:
        open_orders[project_id] += 1
        # An issued order past its deadline is overdue even before the nightly task marks it.
        overdue = status == OrderStatus.OVERDUE or (status == OrderStatus.ISSUED and deadline < today)
        if overdue and project_id in by_pk:  # (a project opened since the first query is left out)
            overdue_orders.append(
                OverdueOrder(pk, by_pk[project_id], title, deadline, (today - deadline).days)
            )
    reports = AnnualReport.objects.filter(
        project__status__in=ACTIVE_PROJECT_STATUSES, status=ReportStatus.DUE, due_on__lt=today
    ).values_list("project_id", "year", "due_on")
    overdue_reports = [
        OverdueReport(by_pk[project_id], year, due_on, (today - due_on).days)
        for project_id, year, due_on in reports
        if project_id in by_pk
    ]

    labels = {status: str(label) for status, label in INDICATOR_STATUS_LABELS.items()}
    matrix = []
    for project in followed:
        dataset_id, year, from_report = latest.get(project.pk, (None, None, False))
        summary = summaries.get(dataset_id) if dataset_id is not None else None
        matrix.append(
            MatrixRow(
                project=project,
                year=year,
                from_report=from_report,
                computed=summary is not None,
                cells=_cells(summary, labels),
                open_orders=open_orders[project.pk],
            )
        )
    accepted = [p for p in projects if p.status == ProjectStatus.ACCEPTED]
    accepted.sort(key=lambda p: (p.accepted_at is not None, p.accepted_at), reverse=True)
    return Dashboard(
        today=today,
        goals=goal_progress(
            under_construction=listed_parks(projects), accepted=statuses[ProjectStatus.ACCEPTED]
        ),
        by_city=by_city,
        indicators=indicator_columns(),
        matrix=matrix,
        overdue_orders=sorted(overdue_orders, key=lambda o: (-o.days, o.pk)),
        overdue_reports=sorted(overdue_reports, key=lambda r: (-r.days, r.project.pk, r.year)),
        accepted=accepted[:RECENT_ACCEPTED],
        accepted_count=len(accepted),
        national_count=sum(1 for p in accepted if p.national_recommended_on is not None),
        project_count=len(projects),
    )
