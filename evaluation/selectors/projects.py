"""Reads of construction projects: the scoped list and detail, their key projects, reports, orders,
incentives, evaluations and timeline."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from zcpark.core.models import AuditEvent

from ..models import (
    OPEN_ORDER_STATUSES,
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    Decision,
    Incentive,
    KeyProject,
    RectificationOrder,
    ReportStatus,
    SelfAssessment,
)
from ..permissions import project_visibility

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
    """Every event of the project and of its reports, orders, self-assessments and evaluations, newest first."""
    targets = Q(target_type=ContentType.objects.get_for_model(ConstructionProject), target_id=str(project.pk))
    for model, ids in (
        (RectificationOrder, project.orders.values_list("pk", flat=True)),
        (AnnualReport, project.annual_reports.values_list("pk", flat=True)),
        (SelfAssessment, project.self_assessments.values_list("pk", flat=True)),
        (AcceptanceEvaluation, project.evaluations.values_list("pk", flat=True)),
    ):
        targets |= Q(
            target_type=ContentType.objects.get_for_model(model), target_id__in=[str(pk) for pk in ids]
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
