"""Reads of construction projects: the scoped list and detail, their key projects, reports, orders,
incentives, evaluations and timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from applications.models import BASE_YEAR, PERIOD_YEARS_MAX
from parks.permissions import thread_side
from zcpark.core.events import events_for_reader
from zcpark.core.models import AuditEvent, Notification
from zcpark.core.threads import reads_internal

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    EXTENSION_YEARS_MAX,
    OPEN_ORDER_STATUSES,
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    Decision,
    ExpertReview,
    ExtensionRequest,
    Incentive,
    KeyProject,
    ProjectStatus,
    RectificationOrder,
    ReportStatus,
    SelfAssessment,
)
from ..permissions import project_visibility, sees_expert_names

# ---------------------------------------------------------------- projects


def project_list_visible_to(*, user: Any) -> QuerySet[ConstructionProject]:
    return ConstructionProject.objects.with_places().filter(project_visibility(user))


def project_get_for_user(*, user: Any, pk: int) -> ConstructionProject:
    """A project ``user`` may see, or 404 (outside one's scope is not found, not forbidden)."""
    project = project_list_visible_to(user=user).filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


def key_projects(project: ConstructionProject) -> QuerySet[KeyProject]:
    return project.key_projects.all()


def annual_reports(project: ConstructionProject) -> QuerySet[AnnualReport]:
    return project.annual_reports.select_related("dataset").order_by("year")


def orders(project: ConstructionProject) -> QuerySet[RectificationOrder]:
    return project.orders.all()


def incentives(project: ConstructionProject) -> QuerySet[Incentive]:
    return project.incentives.select_related("noted_by")


def evaluations(project: ConstructionProject) -> QuerySet[AcceptanceEvaluation]:
    return project.evaluations.order_by("-requested_at", "-id")


def open_orders(project: ConstructionProject) -> QuerySet[RectificationOrder]:
    return project.orders.filter(status__in=OPEN_ORDER_STATUSES)


def order_get_for_user(*, user: Any, pk: int) -> RectificationOrder:
    order = (
        RectificationOrder.objects.select_related(
            "project", "project__park", "project__park__zone", "project__park__zone__city"
        )
        .filter(project_visibility(user, prefix="project__"))
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise Http404
    return order


def report_get_for_user(*, user: Any, project_pk: int, year: int) -> AnnualReport:
    project = project_get_for_user(user=user, pk=project_pk)
    report = AnnualReport.objects.select_related("dataset").filter(project=project, year=year).first()
    if report is None:
        raise Http404
    report.project = project
    return report


# ---------------------------------------------------------------- results and trajectory


def project_timeline(project: ConstructionProject) -> QuerySet[AuditEvent]:
    """Every event of the project and of its reports, orders, self-assessments, evaluations, expert reviews
    and extension requests, newest first."""
    targets = Q(target_type=ContentType.objects.get_for_model(ConstructionProject), target_id=str(project.pk))
    for model, ids in (
        (RectificationOrder, project.orders.values_list("pk", flat=True)),
        (AnnualReport, project.annual_reports.values_list("pk", flat=True)),
        (SelfAssessment, project.self_assessments.values_list("pk", flat=True)),
        (AcceptanceEvaluation, project.evaluations.values_list("pk", flat=True)),
        (ExtensionRequest, project.extension_requests.values_list("pk", flat=True)),
    ):
        targets |= Q(
            target_type=ContentType.objects.get_for_model(model), target_id__in=[str(pk) for pk in ids]
        )
    # The experts' declarations (their reviews' events), as a subquery: no query of its own.
    reviews = ExpertReview.objects.filter(evaluation__project=project).annotate(
        key=Cast("pk", output_field=CharField())
    )
    targets |= Q(
        target_type=ContentType.objects.get_for_model(ExpertReview), target_id__in=reviews.values("key")
    )
    # A decision moves the evaluation and the project: the project's event tells it once.
    duplicate = Q(
        target_type=ContentType.objects.get_for_model(AcceptanceEvaluation), action__in=Decision.values
    )
    return (
        AuditEvent.objects.filter(targets)
        .exclude(duplicate)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT of ``queryset`` (already filtered on ``project=OuterRef("pk")``), 0 when none."""
    counted = queryset.order_by().values("project_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def project_list_annotated(projects: QuerySet[ConstructionProject], *, today: date) -> QuerySet[Any]:
    """The projects with ``open_orders`` and ``overdue_reports`` counted in the same query: the one count
    the project list page and the API list show."""
    return projects.annotate(
        open_orders=_count(
            RectificationOrder.objects.filter(project=OuterRef("pk"), status__in=OPEN_ORDER_STATUSES)
        ),
        overdue_reports=_count(
            AnnualReport.objects.filter(project=OuterRef("pk"), status=ReportStatus.DUE, due_on__lt=today)
        ),
    )


# ---------------------------------------------------------------- the list's filters

# The construction years a project can be in: 2026 to the longest period with the longest extension.
CONSTRUCTION_YEARS = tuple(range(BASE_YEAR + 1, BASE_YEAR + PERIOD_YEARS_MAX + EXTENSION_YEARS_MAX + 1))
SEARCH_MAX = 100


@dataclass(frozen=True)
class ProjectFilters:
    """The project list's search and filters as the URL gives them (an unknown value filters nothing):
    ``q`` a park's or its zone's name (part of it), ``city`` a city code, ``status``, and ``year`` a
    construction year (the projects whose period, extensions included, covers it)."""

    q: str = ""
    city: str = ""
    status: str = ""
    year: int | None = None

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> ProjectFilters:
        status = params.get("status", "")
        try:
            year: int | None = int(params.get("year", ""))
        except ValueError:
            year = None
        return cls(
            q=" ".join(params.get("q", "").split())[:SEARCH_MAX],
            city=params.get("city", "").strip()[:12],
            status=status if status in ProjectStatus.values else "",
            year=year if year in CONSTRUCTION_YEARS else None,
        )

    def apply(self, projects: QuerySet[ConstructionProject]) -> QuerySet[ConstructionProject]:
        if self.q:
            projects = projects.filter(
                Q(park__name__icontains=self.q) | Q(park__zone__name__icontains=self.q)
            )
        if self.city:
            projects = projects.filter(park__zone__city__code=self.city)
        if self.status:
            projects = projects.filter(status=self.status)
        if self.year is not None:
            # the final year (2025 + period + extension) reaches the year
            projects = projects.filter(period_years__gte=Value(self.year - BASE_YEAR) - F("extension_years"))
        return projects

    @property
    def active(self) -> bool:
        return bool(self.q or self.city or self.status or self.year)


def project_list_filtered(*, user: Any, filters: ProjectFilters, today: date) -> QuerySet[Any]:
    """The projects ``user`` sees that match ``filters``, with their counts (the page and its export)."""
    return project_list_annotated(filters.apply(project_list_visible_to(user=user)), today=today)


# ---------------------------------------------------------------- late annual reports


def late_reports(*, user: Any, today: date) -> QuerySet[AnnualReport]:
    """The annual reports ``user`` sees that are late: due before ``today`` and not submitted, of a project
    still under way (the rule of the daily overdue notice), oldest first."""
    return (
        AnnualReport.objects.filter(
            project_visibility(user, prefix="project__"),
            status=ReportStatus.DUE,
            due_on__lt=today,
            project__status__in=ACTIVE_PROJECT_STATUSES,
        )
        .select_related("project", "project__park", "project__park__zone__city")
        .order_by("project__park__zone__city__code", "project__park__name", "project_id", "year")
    )


@dataclass(frozen=True)
class LatePark:
    """A park late with one or more annual reports, and whether it was reminded today already."""

    project: ConstructionProject
    reports: list[AnnualReport]
    reminded_today: bool

    @property
    def years(self) -> list[int]:
        return [report.year for report in self.reports]


def late_reminder_url(project: ConstructionProject | int) -> str:
    """Where a reminder of late reports leads: the project's reports. It also tells a reminder sent today
    apart from the other notices of the project (the daily overdue notice leads to the report itself)."""
    pk = project if isinstance(project, int) else project.pk
    return reverse("evaluation:project-detail", args=[pk]) + "#reports"


def late_parks(*, user: Any, today: date) -> list[LatePark]:
    """The parks ``user`` sees that are late with an annual report, each with its late reports and whether
    a reminder went to it since midnight (by the clock: the demo's ``today`` may run ahead): two queries."""
    by_project: dict[int, list[AnnualReport]] = {}
    for report in late_reports(user=user, today=today):
        by_project.setdefault(report.project_id, []).append(report)
    if not by_project:
        return []
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    urls = {late_reminder_url(pk): pk for pk in by_project}
    reminded = {
        urls[url]
        for url in Notification.objects.filter(url__in=list(urls), created_at__gte=midnight)
        .values_list("url", flat=True)
        .distinct()
    }
    return [
        LatePark(project=reports[0].project, reports=reports, reminded_today=pk in reminded)
        for pk, reports in by_project.items()
    ]


def timeline_for_reader(
    user: Any, events: QuerySet[AuditEvent], *, limit: int | None = None
) -> list[AuditEvent]:
    """``events`` (the first ``limit`` when given) as ``user`` reads them: the reviewers' internal notes for
    reviewers and observers only, the review experts' names for the province only (blind to the park, the
    city and observers)."""
    return events_for_reader(
        events, internal=reads_internal(thread_side(user)), names=sees_expert_names(user), limit=limit
    )
