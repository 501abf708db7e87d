"""Reads of acceptance: the self-assessment and the gate, the evaluations with their expert reviews, and
the acceptance report's inputs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.models import IndicatorCode, IndicatorResult
from parks.models import Park, Role, User
from zcpark.core.models import FileStatus

from ..models import (
    AcceptanceEvaluation,
    AcceptanceReport,
    Conclusion,
    ConflictKind,
    ConstructionProject,
    EvaluationStatus,
    Evidence,
    ExpertReview,
    ReportStatus,
    ReviewStatus,
    SelfAssessment,
)
from ..permissions import (
    can_review,
    can_view_evaluation,
    can_view_project,
    evaluation_visibility,
    sees_expert_names,
)
from .projects import open_orders
from .trajectory import _results, assessment_results, trajectory_datasets

# ---------------------------------------------------------------- projects


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
    if submitted and self_assessment is not None:
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
    # An expert reads it once it has declared no conflict of interest (not while undeclared or declined).
    assigned = ExpertReview.objects.filter(
        expert_id=getattr(user, "pk", None),
        evaluation__self_assessment_id=evidence.self_assessment_id,
        conflict=ConflictKind.NONE,
    ).exclude(status=ReviewStatus.DECLINED)
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


def reviews_active(reviews: list[ExpertReview]) -> list[ExpertReview]:
    """The reviews that count as assigned: an expert who declined for a conflict of interest is off the
    evaluation (the lists, the API, the decision's check and the to-do count alike)."""
    return [r for r in reviews if r.status != ReviewStatus.DECLINED]


def own_review_get(*, user: Any, pk: int) -> tuple[AcceptanceEvaluation, list[ExpertReview], ExpertReview]:
    """The evaluation (404 outside the user's sight), its reviews and the user's own review, which the user
    may act on as its expert (403 otherwise): the expert's declaration and opinion, on pages and the API."""
    evaluation, reviews = evaluation_get_for_user(user=user, pk=pk)
    review = review_for(user, reviews)
    if review is None or not can_review(user, review):
        raise PermissionDenied
    return evaluation, reviews, review


# ---------------------------------------------------------------- the expert's own reviews

EXPERT_LIST_LIMIT = 10


def expert_reviews_past(*, user: Any, limit: int = EXPERT_LIST_LIMIT) -> list[ExpertReview]:
    """The reviews ``user`` (an expert) has submitted, newest first, each with its evaluation, park and city
    (the outcome shows once the province has decided): one query."""
    return list(
        ExpertReview.objects.filter(expert_id=getattr(user, "pk", None), status=ReviewStatus.SUBMITTED)
        .select_related("evaluation", "evaluation__project__park__zone__city")
        .order_by("-submitted_at", "-pk")[:limit]
    )


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


def prefetch_reviews() -> Prefetch[Any]:
    return Prefetch("reviews", queryset=ExpertReview.objects.select_related("expert").order_by("id"))


# ---------------------------------------------------------------- conflicts of interest and names


@dataclass
class ExpertCandidate:
    """An expert the province may assign, with what it should know first: the parks in the expert's city
    (flagged automatically) and the expert's earlier declarations of conflict with these parks."""

    expert: User
    same_city: list[str]
    declared: list[ExpertReview]

    @property
    def flagged(self) -> bool:
        return bool(self.same_city or self.declared)


def expert_candidates(*, parks: list[Park], exclude: Iterable[int] = ()) -> list[ExpertCandidate]:
    """The active review experts (less ``exclude``) for an assignment to ``parks``: two queries."""
    experts = (
        User.objects.filter(role=Role.EXPERT, is_active=True)
        .exclude(pk__in=list(exclude))
        .select_related("affiliation_city")
        .order_by("last_name", "first_name", "username")
    )
    declared: dict[int, list[ExpertReview]] = {}
    for review in ExpertReview.objects.filter(
        status=ReviewStatus.DECLINED, evaluation__project__park__in=parks
    ).select_related("evaluation__project__park"):
        declared.setdefault(review.expert_id, []).append(review)
    return [
        ExpertCandidate(
            expert=expert,
            same_city=[
                park.name
                for park in parks
                if expert.affiliation_city_id and expert.affiliation_city_id == park.zone.city_id
            ],
            declared=declared.get(expert.pk, []),
        )
        for expert in experts
    ]


CHINESE_NUMERALS = "一二三四五六七八九十"


def expert_label(number: int) -> str:
    """An expert by its number, for readers who may not know who (专家一, 专家二; Expert 1 in English)."""
    numeral = (
        CHINESE_NUMERALS[number - 1]
        if (translation.get_language() or "").startswith("zh") and 1 <= number <= len(CHINESE_NUMERALS)
        else str(number)
    )
    return _("Expert %(n)s") % {"n": numeral}


def reviews_as_read(user: Any, reviews: list[ExpertReview]) -> list[tuple[ExpertReview, str]]:
    """The reviews ``user`` reads, each with the name it reads it under: the province every review by the
    expert's name; everyone else the reviews not declined, numbered in order of assignment."""
    if sees_expert_names(user):
        return [(r, r.expert.get_full_name() or r.expert.username) for r in reviews]
    return [(r, expert_label(number)) for number, r in enumerate(reviews_active(reviews), start=1)]


def posted_ids(values: Iterable[str]) -> list[int]:
    """The whole numbers among posted values (ticked boxes), others ignored."""
    return [int(value) for value in values if value.isdigit()]
