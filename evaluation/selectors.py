"""Reads of the construction period and acceptance: scoped lists, the trajectory, the acceptance gate."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from applications.models import BASE_YEAR
from indicators.engine.dataset import to_decimal
from indicators.models import INDICATOR_UNITS, IndicatorCode, IndicatorResult, ParkDataset
from indicators.selectors import scheme_current_record
from zcpark.core.models import AuditEvent, FileStatus

from .models import (
    OPEN_ORDER_STATUSES,
    AcceptanceEvaluation,
    AcceptanceReport,
    AnnualReport,
    Conclusion,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    Evidence,
    ExpertReview,
    Incentive,
    KeyProject,
    RectificationOrder,
    ReportStatus,
    ReviewStatus,
    SelfAssessment,
)
from .permissions import can_view_evaluation, can_view_project, evaluation_visibility, project_visibility

LOCAL_SCHEME = "jiangxi-2025"
NATIONAL_SCHEME = "national-2025"


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


def _results(rows: Any, at: datetime | None) -> Any:
    """Today's current results, or (``at``) those that were current then: a decided record reads the
    numbers it was decided on, whatever was recomputed since."""
    return rows.current() if at is None else rows.current_at(at)


def _current_results(
    dataset_ids: list[int], scheme: str, at: datetime | None = None
) -> dict[int, IndicatorResult]:
    rows = (
        _results(IndicatorResult.objects, at)
        .filter(dataset_id__in=dataset_ids, scheme_code=scheme)
        .only(
            "id",
            "dataset_id",
            "ok",
            "core_passed",
            "summary",
            "computed_at",
            "scheme_version",
            "factor_set_name",
        )
    )
    return {row.dataset_id: row for row in rows}


def trajectory_datasets(project: ConstructionProject) -> dict[int, ParkDataset]:
    """The datasets the trajectory reads: the base year's (from the dossier) and each submitted report's."""
    submitted = set(
        project.annual_reports.filter(status=ReportStatus.SUBMITTED).values_list("year", flat=True)
    )
    datasets = ParkDataset.objects.filter(
        park_id=project.park_id, year__gte=BASE_YEAR, year__lte=project.final_year
    ).only("id", "year", "park_id", "updated_at")
    return {d.year: d for d in datasets if d.year == BASE_YEAR or d.year in submitted}


def indicator_directions() -> dict[str, str]:
    """Each indicator's comparison from the current provincial scheme (``<=``: lower is better)."""
    record = scheme_current_record(code=LOCAL_SCHEME)
    if record is None:
        return {}
    document = record.document
    directions = {document["core"]["code"]: document["core"]["op"]}
    directions.update({rule["code"]: rule["op"] for rule in document["guiding"]})
    return directions


def worse_than(value: Decimal, target: Decimal, op: str) -> bool:
    return value > target if op in ("<=", "<") else value < target


# Statuses that need no comparison with a target (the engine's words).
NOT_ASSESSED = ("exempt", "not_applicable")


def as_decimal(raw: Any) -> Decimal | None:
    """A number of a stored document as a Decimal, or None (absent, or not a number)."""
    value = to_decimal(raw)
    return value if isinstance(value, Decimal) else None


def point_lags(*, value: Decimal | None, status: str | None, target: Decimal | None, op: str) -> bool:
    """A year lags when it has a target and its value is worse than it (in the scheme's direction), or when
    it has no value although it is assessed."""
    if target is None:
        return False
    if value is None:
        return status not in NOT_ASSESSED
    return worse_than(value, target, op)


@dataclass
class TrajectoryPoint:
    year: int
    value: Decimal | None
    status: str | None
    target: Decimal | None
    lagging: bool


@dataclass
class TrajectoryRow:
    code: str
    label: str
    unit: str
    op: str
    points: list[TrajectoryPoint] = field(default_factory=list)

    @property
    def latest(self) -> TrajectoryPoint | None:
        measured = [p for p in self.points if p.status is not None]
        return measured[-1] if measured else None

    @property
    def lagging(self) -> bool:
        latest = self.latest
        return bool(latest and latest.lagging)


def trajectory_rows(
    project: ConstructionProject, summaries: dict[int, dict[str, Any]], directions: dict[str, str]
) -> list[TrajectoryRow]:
    """Every indicator from 2025 to the final year, from the result ``summaries`` of the years read
    (computed ones only): the value against the yearly target, and whether it lags (``point_lags``; the
    base year has no target)."""
    rows = []
    for code, label in IndicatorCode.choices:
        op = directions.get(code, ">=")
        row = TrajectoryRow(code=code, label=str(label), unit=INDICATOR_UNITS.get(code, ""), op=op)
        targets = project.targets.get(code, {})
        for year in range(BASE_YEAR, project.final_year + 1):
            summary = summaries.get(year)
            item = (summary.get("indicators") or {}).get(code) if summary is not None else None
            value = as_decimal(item.get("value")) if item else None
            status = item.get("status") if item else None
            target = as_decimal(targets.get(str(year)))
            lagging = summary is not None and point_lags(value=value, status=status, target=target, op=op)
            row.points.append(
                TrajectoryPoint(year=year, value=value, status=status, target=target, lagging=lagging)
            )
        rows.append(row)
    return rows


def trajectory(project: ConstructionProject, at: datetime | None = None) -> list[TrajectoryRow]:
    """The project's trajectory (``trajectory_rows``) from the base year's and the submitted reports' data,
    with today's results or (``at``) those current at that instant."""
    datasets = trajectory_datasets(project)
    by_dataset = _current_results([d.pk for d in datasets.values()], LOCAL_SCHEME, at)
    summaries = {
        year: by_dataset[d.pk].summary or {}
        for year, d in datasets.items()
        if d.pk in by_dataset and by_dataset[d.pk].ok
    }
    return trajectory_rows(project, summaries, indicator_directions())


@dataclass(frozen=True)
class AssessmentResults:
    dataset: ParkDataset | None
    local: IndicatorResult | None
    national: IndicatorResult | None


def assessment_results(
    project: ConstructionProject, year: int | None = None, at: datetime | None = None
) -> AssessmentResults:
    """The assessment year's dataset and its results under the provincial and national schemes: today's
    current ones, or (``at``) those current at that instant."""
    year = year or project.final_year
    dataset = ParkDataset.objects.filter(park_id=project.park_id, year=year).first()
    if dataset is None:
        return AssessmentResults(None, None, None)
    results = {r.scheme_code: r for r in _results(IndicatorResult.objects, at).filter(dataset=dataset)}
    return AssessmentResults(dataset, results.get(LOCAL_SCHEME), results.get(NATIONAL_SCHEME))


# ---------------------------------------------------------------- self-assessment and the gate


def self_assessment_current(project: ConstructionProject) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(project=project, assessment_year=project.final_year)
        .prefetch_related("evidence")
        .first()
    )


def self_assessment_problems(self_assessment: SelfAssessment) -> list[str]:
    problems = []
    if not self_assessment.conclusion:
        problems.append(_("Choose the conclusion."))
    if not self_assessment.summary.strip():
        problems.append(_("Write the assessment."))
    if not self_assessment.evidence.exists():
        problems.append(_("Attach at least one piece of evidence."))
    year = self_assessment.assessment_year
    project = self_assessment.project
    report = project.annual_reports.filter(year=year).first()
    if report is None or report.status != ReportStatus.SUBMITTED:
        problems.append(
            _("The park has not submitted its %(year)s annual report (the assessment-year data).")
            % {"year": year}
        )
    return problems


@dataclass(frozen=True)
class GateItem:
    code: str
    ok: bool
    message: str


def acceptance_gate(project: ConstructionProject) -> list[GateItem]:
    """The conditions for requesting acceptance, each with whether it holds (workflow.md): the core
    indicator passes for the assessment year (一票否决), no rectification order is open, and the city's
    self-assessment is submitted and concludes the park meets the requirements."""
    year = project.final_year
    items = []
    results = assessment_results(project, year)
    local = results.local
    if local is None or not local.ok:
        items.append(GateItem("core", False, _("There is no computed result for %(year)s.") % {"year": year}))
    else:
        core = (local.summary.get("indicators") or {}).get(IndicatorCode.CARBON_PER_ENERGY) or {}
        passed = bool(local.core_passed)
        items.append(
            GateItem(
                "core",
                passed,
                (
                    _("The core indicator passes for %(year)s (%(value)s tCO2/tce).")
                    if passed
                    else _("The core indicator does not pass for %(year)s (%(value)s tCO2/tce): 一票否决.")
                )
                % {"year": year, "value": core.get("value")},
            )
        )
    open_count = open_orders(project).count()
    items.append(
        GateItem(
            "orders",
            open_count == 0,
            _("No rectification order is open.")
            if open_count == 0
            else _("%(n)s rectification order(s) are still open.") % {"n": open_count},
        )
    )
    self_assessment = SelfAssessment.objects.filter(project=project, assessment_year=year).first()
    submitted = self_assessment is not None and self_assessment.is_submitted
    items.append(
        GateItem(
            "self_assessment",
            submitted,
            _("The city's self-assessment is submitted.")
            if submitted
            else _("The city's self-assessment for %(year)s is not submitted.") % {"year": year},
        )
    )
    if submitted:
        meets = self_assessment.conclusion == Conclusion.MEETS
        items.append(
            GateItem(
                "conclusion",
                meets,
                _("The self-assessment concludes the park meets the requirements.")
                if meets
                else _("The self-assessment concludes the park falls short."),
            )
        )
    return items


def evidence_get_for_user(*, user: Any, pk: int) -> Evidence:
    """A self-assessment's evidence file: for whoever sees the project, and for the experts assigned to an
    evaluation of that self-assessment (they review it); otherwise 404."""
    evidence = (
        Evidence.objects.select_related("self_assessment__project__park__zone__city").filter(pk=pk).first()
    )
    if evidence is None:
        raise Http404
    project = evidence.self_assessment.project
    assigned = ExpertReview.objects.filter(
        expert_id=getattr(user, "pk", None), evaluation__self_assessment_id=evidence.self_assessment_id
    )
    if not can_view_project(user, project) and not (user.is_authenticated and assigned.exists()):
        raise Http404
    return evidence


# ---------------------------------------------------------------- evaluations


def evaluation_list_visible_to(*, user: Any) -> QuerySet[AcceptanceEvaluation]:
    return (
        AcceptanceEvaluation.objects.select_related(
            "project", "project__park", "project__park__zone", "project__park__zone__city"
        )
        .filter(evaluation_visibility(user))
        .distinct()
    )


def evaluation_get_for_user(*, user: Any, pk: int) -> tuple[AcceptanceEvaluation, list[ExpertReview]]:
    evaluation = (
        AcceptanceEvaluation.objects.select_related(
            "project", "project__park", "project__park__zone", "project__park__zone__city", "self_assessment"
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    reviews = list(evaluation.reviews.select_related("expert").order_by("id"))
    if not can_view_evaluation(user, evaluation, reviews):
        raise Http404
    return evaluation, reviews


def review_for(user: Any, reviews: list[ExpertReview]) -> ExpertReview | None:
    return next((r for r in reviews if r.expert_id == getattr(user, "pk", None)), None)


def reviews_submitted(reviews: list[ExpertReview]) -> list[ExpertReview]:
    return [r for r in reviews if r.status == ReviewStatus.SUBMITTED]


# ---------------------------------------------------------------- the acceptance report's inputs


def report_inputs(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """What the acceptance report is built from, as plain data: a change to any of it makes a new report."""
    project = ConstructionProject.objects.with_places().get(pk=evaluation.project_id)
    datasets = trajectory_datasets(project)
    results = (
        _results(IndicatorResult.objects, results_as_of(evaluation))
        .filter(dataset_id__in=[d.pk for d in datasets.values()])
        .values_list("id", flat=True)
    )
    reviews = evaluation.reviews.values_list(
        "id", "status", "total_score", "opinion", "scores", "recommends_acceptance"
    )
    return {
        "evaluation": [
            evaluation.pk,
            evaluation.status,
            evaluation.decision,
            evaluation.decision_comment,
            evaluation.decision_document_no,
            str(evaluation.decided_at),
            evaluation.national_passed,
        ],
        "project": [
            project.status,
            project.period_years,
            project.extension_years,
            project.targets,
            project.park.name,
        ],
        "results": sorted(results),
        "reviews": [[str(part) for part in review] for review in reviews],
    }


def results_as_of(evaluation: AcceptanceEvaluation) -> datetime | None:
    """The instant whose results a decided evaluation's report shows (its decision); None before it."""
    return evaluation.decided_at if evaluation.status == EvaluationStatus.DECIDED else None


def report_digest(evaluation: AcceptanceEvaluation) -> str:
    payload = json.dumps(report_inputs(evaluation), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def report_latest(evaluation: AcceptanceEvaluation) -> AcceptanceReport | None:
    return evaluation.reports.order_by("-created_at", "-id").first()


def report_ready(evaluation: AcceptanceEvaluation) -> AcceptanceReport | None:
    return evaluation.reports.filter(status=FileStatus.READY).order_by("-created_at", "-id").first()


# ---------------------------------------------------------------- timeline


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


def prefetch_reviews() -> Prefetch[Any]:
    return Prefetch("reviews", queryset=ExpertReview.objects.select_related("expert").order_by("id"))
