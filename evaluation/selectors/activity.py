"""Reads for the construction pages and the home page: the project list's figures per row, an annual
report's indicators against its targets, and what awaits each user (the home page's to-do items), each in a
fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value

from applications.models import BASE_YEAR
from indicators.exemptions import exemption_warnings
from indicators.quality import dataset_warnings
from parks.models import Role
from zcpark.core.models import TODO_LIMIT

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    EvaluationStatus,
    ExpertReview,
    ExtensionRequest,
    ExtensionStatus,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
    ReportStatus,
    ReviewStatus,
    SelfAssessment,
)
from ..reports import recomputed_since
from ..selectors import (
    as_decimal,
    assessment_results,
    indicator_directions,
    point_lags,
)
from ..services.annual_reports import REMINDER_DAYS
from ..workflow.evaluations import MIN_EXPERT_REVIEWS

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def report_figures(project: ConstructionProject, year: int, at: datetime | None = None) -> dict[str, Any]:
    """The year's dataset and provincial result — today's, or (``at``, a submitted report's submission) the
    one current then, with today's beside it when a recomputation moved it — each indicator with the
    year's target and whether its value is worse than the target (``lagging``)."""
    today = assessment_results(project, year)
    results = assessment_results(project, year, at) if at is not None else today
    local = results.local or today.local  # a result computed only after the submission is the first one
    recomputed = (
        recomputed_since(local, today.local, today.dataset.document if today.dataset else {})
        if at is not None
        else None
    )
    warnings = (
        exemption_warnings(park_id=project.park_id, document=today.dataset.document) if today.dataset else []
    )
    quality = (
        [(year, found)]
        if today.dataset and (found := dataset_warnings(project.park_id, year, today.dataset.document))
        else []
    )
    if results.dataset is None or local is None or not local.ok:
        return {
            "dataset": today.dataset,
            "result": local,
            "indicators": [],
            "recomputed": recomputed,
            "exemption_warnings": warnings,
            "quality_years": quality,
        }
    directions = indicator_directions()
    rows = []
    for item in (local.document or {}).get("indicators", []):
        code = item.get("code")
        target = as_decimal(project.targets.get(code, {}).get(str(year)))
        value = as_decimal(item.get("value"))
        lagging = point_lags(
            value=value, status=item.get("status"), target=target, op=directions.get(code, ">=")
        )
        rows.append({**item, "target": target, "lagging": lagging})
    return {
        "dataset": today.dataset,
        "result": local,
        "indicators": rows,
        "recomputed": recomputed,
        "exemption_warnings": warnings,
        "quality_years": quality,
    }


# ---- the home page's to-do items ---------------------------------------------------------------


@dataclass
class ConstructionTodo:
    """What the construction period and acceptance ask of the user now (at most TODO_LIMIT rows each)."""

    role: str
    reports: list[AnnualReport] = field(default_factory=list)
    orders_to_answer: list[RectificationOrder] = field(default_factory=list)
    self_assessments: list[ConstructionProject] = field(default_factory=list)
    orders_to_close: list[RectificationOrder] = field(default_factory=list)
    orders_overdue: list[RectificationOrder] = field(default_factory=list)
    extension_requests: list[ExtensionRequest] = field(default_factory=list)
    evaluations: list[AcceptanceEvaluation] = field(default_factory=list)
    reviews: list[ExpertReview] = field(default_factory=list)
    # Accepted parks meeting the national scheme and not yet recommended to the national programme.
    national: list[ConstructionProject] = field(default_factory=list)
    # The parks on the 督导 list with no open order: the province has not yet acted on them.
    to_supervise: int = 0

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.reports,
                self.orders_to_answer,
                self.self_assessments,
                self.orders_to_close,
                self.orders_overdue,
                self.extension_requests,
                self.evaluations,
                self.reviews,
                self.national,
                self.to_supervise,
            )
        )


def _park_items(todo: ConstructionTodo, user: Any, today: date) -> None:
    """Reports due within REMINDER_DAYS or overdue, and orders waiting for an answer: two queries."""
    live = Q(project__park_id=user.park_id, project__status__in=ACTIVE_PROJECT_STATUSES)
    todo.reports = list(
        AnnualReport.objects.filter(
            live, status=ReportStatus.DUE, due_on__lte=today + timedelta(days=REMINDER_DAYS)
        )
        .select_related("project", "project__park")
        .order_by("due_on", "pk")[:TODO_LIMIT]
    )
    todo.orders_to_answer = list(
        RectificationOrder.objects.filter(live, status__in=(OrderStatus.ISSUED, OrderStatus.OVERDUE))
        .select_related("project", "project__park")
        .order_by("deadline", "pk")[:TODO_LIMIT]
    )


def _city_items(todo: ConstructionTodo, user: Any) -> None:
    """The city's projects in self-assessment, each with whether its self-assessment for the assessment
    year is submitted (then acceptance is to be requested) and whether an extension request waits for the
    province: one query."""
    final_year = OuterRef("period_years") + OuterRef("extension_years") + Value(BASE_YEAR)
    submitted = SelfAssessment.objects.filter(
        project=OuterRef("pk"), assessment_year=final_year, submitted_at__isnull=False
    )
    todo.self_assessments = list(
        ConstructionProject.objects.with_places()
        .filter(park__zone__city_id=user.city_id, status=ProjectStatus.SELF_ASSESSMENT)
        .annotate(
            self_assessment_submitted=Exists(submitted),
            extension_requested=Exists(
                ExtensionRequest.objects.filter(project=OuterRef("pk"), status=ExtensionStatus.REQUESTED)
            ),
        )
        .order_by("park__name", "pk")[:TODO_LIMIT]
    )


class _EvaluationTodo(TypedDict):
    """An evaluation on the province's to-do list: its reviews counted, and what it needs next."""

    assigned: int
    submitted: int
    needs: str  # "experts" or "decision"; set on the row, not by the query


def _province_items(todo: ConstructionTodo, user: Any, today: date) -> None:
    """Answered orders to close, overdue orders to act on (remind, extend, escalate), extension requests
    to decide, evaluations short of experts (one declined for a conflict counts out) or ready for the
    decision, accepted parks to recommend to the national programme (five queries), and the parks to
    supervise with no open order (the 督导 list's own five queries; one when nothing is under construction)."""
    from .supervision import ORDER_NONE, SupervisionFilters, supervision_rows  # it reads this module

    todo.to_supervise = len(
        supervision_rows(user=user, filters=SupervisionFilters(order=ORDER_NONE), today=today)
    )
    places = ("project", "project__park", "project__park__zone__city")
    # A removed park's orders are no longer the province's to act on (an escalation leaves the others open).
    todo.orders_to_close = list(
        RectificationOrder.objects.filter(
            status=OrderStatus.ANSWERED, project__status__in=ACTIVE_PROJECT_STATUSES
        )
        .select_related(*places)
        .order_by("answered_at", "pk")[:TODO_LIMIT]
    )
    todo.orders_overdue = list(
        RectificationOrder.objects.filter(
            status=OrderStatus.OVERDUE, project__status__in=ACTIVE_PROJECT_STATUSES
        )
        .select_related(*places)
        .order_by("deadline", "pk")[:TODO_LIMIT]
    )
    todo.extension_requests = list(
        ExtensionRequest.objects.filter(
            status=ExtensionStatus.REQUESTED, project__status=ProjectStatus.SELF_ASSESSMENT
        )
        .select_related(*places)
        .order_by("requested_at", "pk")[:TODO_LIMIT]
    )
    evaluations = cast(
        "QuerySet[WithAnnotations[AcceptanceEvaluation, _EvaluationTodo]]",
        AcceptanceEvaluation.objects.filter(status=EvaluationStatus.IN_REVIEW)
        .select_related("project", "project__park", "project__park__zone__city")
        .annotate(
            # An expert who declined for a conflict is no longer on the evaluation: another is needed.
            assigned=Count("reviews", filter=~Q(reviews__status=ReviewStatus.DECLINED)),
            submitted=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED)),
        )
        .order_by("requested_at", "pk"),
    )
    for evaluation in evaluations:
        if evaluation.assigned < MIN_EXPERT_REVIEWS:
            evaluation.needs = "experts"
        elif evaluation.submitted == evaluation.assigned:
            evaluation.needs = "decision"
        else:
            continue
        todo.evaluations.append(evaluation)
        if len(todo.evaluations) == TODO_LIMIT:
            break
    todo.national = list(
        ConstructionProject.objects.filter(
            status=ProjectStatus.ACCEPTED, national_recommended=True, national_recommendation__isnull=True
        )
        .select_related("park", "park__zone__city")
        .order_by("accepted_at", "pk")[:TODO_LIMIT]
    )


def construction_todo(*, user: Any, today: date) -> ConstructionTodo:
    """The user's construction to-do items for the home page, in a fixed number of queries per role."""
    role = getattr(user, "role", "")
    todo = ConstructionTodo(role=role)
    if role == Role.PARK_STAFF and user.park_id:
        _park_items(todo, user, today)
    elif role == Role.CITY_REVIEWER and user.city_id:
        _city_items(todo, user)
    elif role == Role.PROVINCE_ADMIN:
        _province_items(todo, user, today)
    elif role == Role.EXPERT:
        todo.reviews = list(
            ExpertReview.objects.filter(
                expert=user, status=ReviewStatus.ASSIGNED, evaluation__status=EvaluationStatus.IN_REVIEW
            )
            .select_related("evaluation", "evaluation__project__park__zone__city")
            .order_by("evaluation__requested_at", "pk")[:TODO_LIMIT]
        )
    return todo
