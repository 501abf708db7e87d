"""Reads for the review queues: the city's and the province's, with their baseline figures and plans.

Selector style: plain functions taking explicit arguments and returning querysets or dataclasses, each
with a fixed number of queries whatever the number of rows (the queue pages are query-count tested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

from indicators.engine.dataset import to_decimal
from indicators.models import INDICATOR_UNITS, IndicatorCode, IndicatorResult
from indicators.selectors import local_scheme_code
from parks.models import City
from parks.permissions import can_view_whole_program, is_province_admin

from .. import feasibility
from ..exemptions.models import ExemptionClaim, ExemptionStatus
from ..models import (
    BASE_YEAR,
    RECOMMENDED_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    DossierSection,
    SectionCode,
)
from ..permissions import application_visibility
from . import feasibility_page

# Only the parts of a result document the queues show: never the (large) calculation trace.
BASELINE_INDICATORS = (
    IndicatorCode.CARBON_PER_ENERGY,
    IndicatorCode.CLEAN_ENERGY_SHARE,
    IndicatorCode.GREEN_POWER_DIRECT_SHARE,
)
# The targets the province compares at the end of each period.
COMPARED_TARGETS = BASELINE_INDICATORS


def _baseline_results() -> QuerySet[IndicatorResult]:
    """The base year's current results under the province's scheme, correlated to the outer application's
    park."""
    return IndicatorResult.objects.current().filter(
        dataset__park_id=OuterRef("park_id"), dataset__year=BASE_YEAR, scheme_code=local_scheme_code()
    )


def _baseline_sort(expression: Any) -> Subquery:
    return Subquery(_baseline_results().annotate(v=expression).values("v")[:1], output_field=FloatField())


def _total(key: str) -> Any:
    return Cast(KeyTextTransform(key, KeyTransform("totals", "summary")), FloatField())


def _indicator_sort(code: str) -> Callable[[], Subquery]:
    # The narrow summary, not the document: sorting must not decode every row's whole result.
    value = KeyTextTransform("value", KeyTransform(code, KeyTransform("indicators", "summary")))
    return lambda: _baseline_sort(Cast(value, FloatField()))


# Sort keys the column headers offer: key -> a builder of the ordering expression (built only for the
# key asked for: a subquery costs milliseconds to construct).
SORTS_COMMON: dict[str, Callable[[], Any]] = {
    "park": lambda: F("park__name"),
    "zone": lambda: F("park__zone__name"),
    "call": lambda: F("call__title"),
    "submitted": lambda: F("submitted_at"),
    "revision": lambda: F("revision"),
    "investment": lambda: F("total_investment_wan"),
    "core": _indicator_sort(IndicatorCode.CARBON_PER_ENERGY),
    "clean": _indicator_sort(IndicatorCode.CLEAN_ENERGY_SHARE),
}
SORTS_PROVINCE: dict[str, Callable[[], Any]] = {
    **SORTS_COMMON,
    "city": lambda: F("park__zone__city__code"),
    "green_direct": _indicator_sort(IndicatorCode.GREEN_POWER_DIRECT_SHARE),
    "energy": lambda: _baseline_sort(_total("energy_tce")),
    "emissions": lambda: _baseline_sort(_total("emissions_net_tco2")),
    "period": lambda: F("period_years"),
}


def _ordered(
    qs: QuerySet[Application], sorts: dict[str, Any], sort: str, default: str
) -> QuerySet[Application]:
    """``sort`` is a key of ``sorts``, ``-`` first for descending; unknown keys fall back to ``default``.
    The key is an alias: ordered on, never selected (a JSON value extracted in SQL, for ordering only)."""
    key = sort.lstrip("-")
    if key not in sorts:
        sort, key = default, default.lstrip("-")
    qs = qs.alias(sort_key=sorts[key]())
    order = (
        F("sort_key").desc(nulls_last=True) if sort.startswith("-") else F("sort_key").asc(nulls_last=True)
    )
    return qs.order_by(order, "pk")


@dataclass(frozen=True)
class ApplicationFilters:
    """What a list of applications is narrowed to: the search box, city, call, state and submission dates.

    Empty values filter nothing. The queues and the applications list (and their exports) share it.
    """

    q: str = ""
    city: str = ""  # city code
    call: int | None = None
    status: str = ""
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None


def application_filter(qs: QuerySet[Application], filters: ApplicationFilters) -> QuerySet[Application]:
    """``qs`` narrowed by ``filters``: the search matches the park's or the development zone's name, the
    dates are the days of (the latest) submission, both ends included."""
    term = filters.q.strip()
    if term:
        qs = qs.filter(Q(park__name__icontains=term) | Q(park__zone__name__icontains=term))
    if filters.city:
        qs = qs.filter(park__zone__city__code=filters.city)
    if filters.call is not None:
        qs = qs.filter(call_id=filters.call)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        qs = qs.filter(submitted_at__date__lte=filters.submitted_to)
    return qs


@dataclass(frozen=True)
class CallOption:
    """A call as a filter offers it, with the city's recommendations spent in it when asked for."""

    pk: int
    title: str
    quota: int | None = None
    used: int = 0


def _visible_calls(user: Any) -> QuerySet[Call]:
    calls = Call.objects.order_by("-deadline", "-id")
    return calls if is_province_admin(user) else calls.exclude(status=CallStatus.DRAFT)


def call_options(*, user: Any, city_id: int) -> list[CallOption]:
    """The calls a filter offers ``user`` (drafts only to the province), newest deadline first, each with
    the recommendations ``city_id`` has spent in it (the city queue's quota column): one query."""
    spent = Count(
        "applications",
        filter=Q(applications__park__zone__city_id=city_id, applications__status__in=RECOMMENDED_STATUSES),
    )
    rows = _visible_calls(user).annotate(used=spent).values_list("pk", "title", "quota_per_city", "used")
    return [CallOption(pk=pk, title=title, quota=quota, used=used) for pk, title, quota, used in rows]


@dataclass(frozen=True)
class CityOption:
    code: str
    name: str


def filter_options(user: Any) -> tuple[list[CityOption], list[CallOption]]:
    """The cities and the calls a filter offers ``user``, in one query (a UNION): every city to the whole
    program's roles, none to the others (their scope is one city or one park already); the calls ``user``
    sees (drafts only to the province), newest deadline first."""
    calls = (
        _visible_calls(user)
        .order_by()
        .annotate(
            kind=Value("call", output_field=CharField()),
            key=Cast("pk", output_field=CharField()),
            label=F("title"),
            day=F("deadline"),
        )
        .values_list("kind", "key", "label", "day")
    )
    rows: Any = calls
    if can_view_whole_program(user):
        cities = City.objects.order_by().annotate(
            kind=Value("city", output_field=CharField()),
            key=F("code"),
            label=F("name"),
            day=Value(None, output_field=DateField()),
        )
        rows = cities.values_list("kind", "key", "label", "day").union(calls, all=True)
    found = list(rows)
    city_rows = sorted((key, label) for kind, key, label, _day in found if kind == "city")
    call_rows = sorted(
        ((day, int(key), label) for kind, key, label, day in found if kind == "call"), reverse=True
    )
    return (
        [CityOption(code=code, name=name) for code, name in city_rows],
        [CallOption(pk=pk, title=title) for _day, pk, title in call_rows],
    )


# The columns the queue pages show: model instances for 25 rows of four joined tables cost more than the SQL.
QUEUE_FIELDS = (
    "status",
    "revision",
    "submitted_at",
    "decided_at",
    "total_investment_wan",
    "period_years",
    "park__name",
    "park__scope",
    "park__zone__name",
    "park__zone__level",
    "park__zone__city__name",
    "park__zone__city__code",
    "call__title",
    "call__deadline",
    "call__quota_per_city",
)


def _narrowed(qs: QuerySet[Application], filters: ApplicationFilters | None) -> QuerySet[Application]:
    """The queue narrowed by the filters other than the state (the queues take the state apart: each has
    its own default and its own states)."""
    return qs if filters is None else application_filter(qs, replace(filters, status=""))


def city_queue(
    *,
    user: Any,
    status: str = ApplicationStatus.SUBMITTED,
    sort: str = "",
    filters: ApplicationFilters | None = None,
) -> QuerySet[Application]:
    """The city reviewer's applications (its city only) in ``status`` (every state but draft when empty),
    narrowed by ``filters``, with park, zone, city and call joined: one query per page."""
    qs = (
        Application.objects.with_places()
        .only(*QUEUE_FIELDS)
        .filter(application_visibility(user))
        .exclude(status=ApplicationStatus.DRAFT)
    )
    if status:
        qs = qs.filter(status=status)
    return _ordered(_narrowed(qs, filters), SORTS_COMMON, sort, "submitted")


def province_queue(
    *,
    user: Any,
    status: str = ApplicationStatus.RECOMMENDED,
    sort: str = "",
    filters: ApplicationFilters | None = None,
) -> QuerySet[Application]:
    """Applications that reached the province (recommended and after), across cities, narrowed by
    ``filters``, with places joined."""
    qs = Application.objects.with_places().only(*QUEUE_FIELDS).filter(application_visibility(user))
    qs = qs.filter(status=status) if status else qs.filter(status__in=RECOMMENDED_STATUSES)
    return _ordered(_narrowed(qs, filters), SORTS_PROVINCE, sort, "city")


@dataclass(frozen=True)
class IndicatorFigure:
    value: Decimal | None
    unit: str
    status: str  # pass / fail / "" (not assessed)


@dataclass(frozen=True)
class BaselineFigures:
    """A park's base-year (2025) numbers from its current result under the province's scheme."""

    indicators: dict[str, IndicatorFigure]
    energy_tce: Decimal | None
    emissions_tco2: Decimal | None  # net, as the core indicator counts them
    core_passed: bool | None

    @property
    def core(self) -> IndicatorFigure | None:
        return self.indicators.get(IndicatorCode.CARBON_PER_ENERGY)

    @property
    def clean_share(self) -> IndicatorFigure | None:
        return self.indicators.get(IndicatorCode.CLEAN_ENERGY_SHARE)

    @property
    def green_direct_share(self) -> IndicatorFigure | None:
        return self.indicators.get(IndicatorCode.GREEN_POWER_DIRECT_SHARE)


def baseline_figures(*, park_ids: list[int]) -> dict[int, BaselineFigures]:
    """The base-year figures of each park that has a computed result: one query for any number of parks,
    reading only the results' summaries (never the whole document with its trace)."""
    rows = (
        IndicatorResult.objects.current()
        .filter(
            dataset__park_id__in=park_ids,
            dataset__year=BASE_YEAR,
            scheme_code=local_scheme_code(),
            ok=True,
        )
        .values_list("dataset__park_id", "core_passed", "summary")
    )
    figures = {}
    for park_id, core_passed, summary in rows:
        totals = summary.get("totals") or {}
        indicators = summary.get("indicators") or {}
        figures[park_id] = BaselineFigures(
            indicators={
                code: IndicatorFigure(
                    value=to_decimal(item.get("value")),
                    unit=INDICATOR_UNITS.get(code, ""),
                    status=item.get("status") or "",
                )
                for code, item in indicators.items()
                if code in BASELINE_INDICATORS
            },
            energy_tce=to_decimal(totals.get("energy_tce")),
            emissions_tco2=to_decimal(totals.get("emissions_net_tco2")),
            core_passed=core_passed,
        )
    return figures


@dataclass(frozen=True)
class Plan:
    """What the dossier promises for the end of its period, and what its key projects project."""

    end_year: int | None
    targets: dict[str, Decimal | None]
    projected_carbon_per_energy: Decimal | None


def _projected(baseline: BaselineFigures | None, plan_data: dict[str, Any], end_year: int) -> Decimal | None:
    """The feasibility projection's end-year carbon_per_energy; None when inputs are missing or bad."""
    if baseline is None or baseline.energy_tce is None or baseline.emissions_tco2 is None:
        return None
    # The same inputs as the feasibility page (feasibility_page.project_effects), so the two never disagree.
    projects = feasibility_page.project_effects(plan_data.get("projects") or [], [])
    try:
        trajectory = feasibility.project_trajectory(
            baseline=feasibility.Baseline(
                energy_tce=baseline.energy_tce, emissions_tco2=baseline.emissions_tco2
            ),
            projects=projects,
            end_year=end_year,
            growth_pct=to_decimal(plan_data.get("growth_pct")) or Decimal("0"),
        )
    except ValueError:
        return None
    return trajectory[-1].rounded().carbon_per_energy


def plans(*, application_ids: list[int], baselines: dict[int, BaselineFigures]) -> dict[int, Plan]:
    """Each application's end-year targets and projection: one query (only the keys needed are read).

    ``baselines`` is keyed by application id.
    """
    rows = DossierSection.objects.filter(
        application_id__in=application_ids,
        code__in=(SectionCode.TARGETS, SectionCode.PROJECTS, SectionCode.FEASIBILITY),
    ).values(
        "application_id",
        period=KeyTransform("period_years", "data"),
        targets=KeyTransform("targets", "data"),
        projects=KeyTransform("projects", "data"),
        growth_pct=KeyTransform("growth_pct", "data"),
    )
    data: dict[int, dict[str, Any]] = {pk: {} for pk in application_ids}
    for row in rows:
        merged = data[row["application_id"]]
        for key in ("period", "targets", "projects", "growth_pct"):
            if row[key] is not None:
                merged[key] = row[key]
    result = {}
    for pk, plan_data in data.items():
        period = plan_data.get("period")
        end_year = BASE_YEAR + int(period) if isinstance(period, int) else None
        by_code = {row.get("indicator"): row for row in plan_data.get("targets") or []}
        result[pk] = Plan(
            end_year=end_year,
            targets={
                code: to_decimal(by_code.get(code, {}).get(f"y{end_year}")) if end_year else None
                for code in COMPARED_TARGETS
            },
            projected_carbon_per_energy=(
                _projected(baselines.get(pk), plan_data, end_year) if end_year else None
            ),
        )
    return result


@dataclass(frozen=True)
class QueueRow:
    application: Application
    baseline: BaselineFigures | None
    quota_used: int | None = None
    quota_left: int | None = None
    plan: Plan | None = None
    exemptions: int = 0  # the exemption claims of the dossier's latest revision


def city_queue_rows(applications: list[Application], *, calls: list[CallOption]) -> list[QueueRow]:
    """The page's rows with their base-year figures and the city's quota used and left per call (``calls``,
    from ``call_options(city_id=...)``, counted the quota already: one more query)."""
    baselines = baseline_figures(park_ids=[a.park_id for a in applications])
    used = {option.pk: option.used for option in calls}
    claims = exemption_counts(applications)
    rows = []
    for application in applications:
        quota, spent = application.call.quota_per_city, used.get(application.call_id, 0)
        rows.append(
            QueueRow(
                application=application,
                baseline=baselines.get(application.park_id),
                quota_used=spent,
                quota_left=None if quota is None else max(quota - spent, 0),
                exemptions=claims.get(application.pk, 0),
            )
        )
    return rows


def province_queue_rows(applications: list[Application]) -> list[QueueRow]:
    """The page's comparison rows: base-year figures, end-year targets, projection (two more queries)."""
    baselines = baseline_figures(park_ids=[a.park_id for a in applications])
    by_application = {a.pk: baselines[a.park_id] for a in applications if a.park_id in baselines}
    plan_map = plans(application_ids=[a.pk for a in applications], baselines=by_application)
    claims = exemption_counts(applications)
    return [
        QueueRow(
            application=a,
            baseline=baselines.get(a.park_id),
            plan=plan_map.get(a.pk),
            exemptions=claims.get(a.pk, 0),
        )
        for a in applications
    ]


def exemption_counts(applications: list[Application]) -> dict[int, int]:
    """How many guiding indicators each dossier's latest revision asks to exempt (one query)."""
    rows = (
        ExemptionClaim.objects.filter(
            application__in=applications, revision_number=F("application__revision")
        )
        .exclude(status=ExemptionStatus.WITHDRAWN)
        .values("application_id")
        .annotate(n=Count("pk"))
    )
    return {row["application_id"]: row["n"] for row in rows}
