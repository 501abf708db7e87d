"""The acceptance report's context: everything the report shows, read through the selectors (no writes).

``acceptance_report_context`` gathers the park's facts, the assessment year's results
(``results``), the trajectory and emission charts (``charts``), the method the numbers rest on
(``method``), the self-assessment and the experts' reviews with their score table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import BASE_YEAR, SectionCode
from indicators.engine.dataset import to_decimal
from indicators.models import NATIONAL_SCHEME
from indicators.selectors import local_scheme_code, reference_titles

from .. import selectors
from ..models import AcceptanceEvaluation, ConstructionProject, EvaluationStatus, ReviewStatus
from ..scoring import SCORE_AREAS
from .charts import _core_chart, _emissions, _trajectory
from .method import _factors, _method_rules, _sensitivity
from .results import as_counted, guiding_shortfalls, result_part

# The experts' average points per area and in total: to 0.01, half up (display only, never stored).
AVERAGE_PLACES = Decimal("0.01")
AVERAGE_ROUNDING = ROUND_HALF_UP


def assessment_document(project: ConstructionProject, results: selectors.AssessmentResults) -> dict[str, Any]:
    """The assessment year's dataset as its results counted it (``as_counted``: the accepted exemptions with
    their reasons), for ``result_part``: every page, the report and the national package print an exempt
    indicator's reason alike."""
    return as_counted(project.park_id, results.dataset.document if results.dataset else {})


def report_download_name(evaluation: AcceptanceEvaluation) -> str:
    """The name a downloaded report is saved under: what it is, the park and the assessment year."""
    return f"验收评估报告-{evaluation.project.park.name}-{evaluation.assessment_year}.pdf"


def _park_facts(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    project = evaluation.project
    park, entry = project.park, project.list_entry
    overview = (
        project.application.sections.filter(code=SectionCode.OVERVIEW).values_list("data", flat=True).first()
    ) or {}
    the_list = entry.construction_list
    return {
        "name": park.name,
        "zone": park.zone.name,
        "zone_level": park.zone.get_level_display(),
        "city": park.zone.city.name,
        "scope": park.get_scope_display(),
        "park_type": park.get_park_type_display(),
        "area_km2": overview.get("area_km2"),
        "managing_body": park.managing_body,
        "period_years": project.period_years,
        "extension_years": project.extension_years,
        "period": f"{BASE_YEAR + 1}–{project.end_year}",
        "final_year": project.final_year,
        "project_status": project.get_status_display(),
        "list_title": the_list.title,
        "list_document_no": the_list.document_no,
        "list_published_at": the_list.published_at,
        "national_recommended": project.national_recommended,
    }


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(AVERAGE_PLACES, rounding=AVERAGE_ROUNDING)


def _reviews(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """The experts' opinions (submitted ones in full, the others as not yet submitted) and the score table:
    points per area and expert, with each area's and the total's average. The report goes to the park
    too: experts read as 专家一, 专家二 (in order of assignment), never by name; one who declined for a
    conflict of interest is not among them."""
    reviews = list(
        evaluation.reviews.exclude(status=ReviewStatus.DECLINED).select_related("expert").order_by("id")
    )
    labels = {r.pk: selectors.expert_label(number) for number, r in enumerate(reviews, start=1)}
    submitted = [r for r in reviews if r.status == ReviewStatus.SUBMITTED]
    areas = []
    for area in SCORE_AREAS:
        points = [to_decimal(r.scores.get(area.code)) for r in submitted]
        areas.append(
            {
                "label": str(area.label),
                "max_points": area.max_points,
                "points": points,
                "average": _average([p for p in points if p is not None]),
            }
        )
    return {
        "all": [
            {
                "name": labels[r.pk],
                "submitted": r.status == ReviewStatus.SUBMITTED,
                "submitted_at": r.submitted_at,
                "total": r.total_score,
                "recommends": r.recommends_acceptance,
                "opinion": r.opinion,
            }
            for r in reviews
        ],
        "submitted_names": [labels[r.pk] for r in submitted],
        "areas": areas,
        "totals": [r.total_score for r in submitted],
        "total_average": _average([r.total_score for r in submitted if r.total_score is not None]),
        "max_total": sum(area.max_points for area in SCORE_AREAS),
        "pending": len(reviews) - len(submitted),
        "recommending": sum(1 for r in submitted if r.recommends_acceptance),
    }


def _self_assessment(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    self_assessment = evaluation.self_assessment
    return {
        "conclusion": self_assessment.get_conclusion_display(),
        "meets": self_assessment.conclusion == "meets",
        "summary": self_assessment.summary,
        "submitted_at": self_assessment.submitted_at,
        "evidence": [e.title for e in self_assessment.evidence.all()],
    }


def acceptance_report_context(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """Everything the acceptance report shows, read through the selectors (no writes)."""
    evaluation = (
        AcceptanceEvaluation.objects.select_related(
            "project__park__zone__city",
            "project__list_entry__construction_list",
            "project__application",
            "self_assessment",
            "decided_by",
        )
        .prefetch_related("self_assessment__evidence")
        .get(pk=evaluation.pk)
    )
    project, year = evaluation.project, evaluation.assessment_year
    # A decided evaluation shows the results it was decided on, whatever was recomputed since.
    results = selectors.assessment_results(project, year, selectors.results_as_of(evaluation))
    dataset_doc = assessment_document(project, results)
    local = result_part(results.local, dataset_doc)
    national = result_part(results.national, dataset_doc)
    local_doc = results.local.document if results.local and results.local.ok else {}
    national_doc = results.national.document if results.national and results.national.ok else {}
    trajectory = _trajectory(evaluation)
    decided = evaluation.status == EvaluationStatus.DECIDED
    titles = reference_titles()
    local_scheme = results.local.scheme_code if results.local else local_scheme_code()
    return {
        "title": _("Acceptance Evaluation Report"),
        "generated_on": timezone.localdate(),
        "evaluation": evaluation,
        "year": year,
        "decided": decided,
        "decision": evaluation.get_decision_display() if decided else _("Pending: in expert review"),
        "park": _park_facts(evaluation),
        "key_projects": list(selectors.key_projects(project)),
        "orders": list(selectors.orders(project)),
        "local": local,
        # Every guiding indicator not met without an accepted exemption, named to the experts and the province.
        "shortfalls": guiding_shortfalls(local),
        "national": national,
        "trajectory": trajectory,
        "core_chart": _core_chart(trajectory, local),
        "emissions": _emissions(local_doc, year) if local_doc else None,
        "factors": _factors(local_doc, titles) if local_doc else None,
        "method": _method_rules(dataset_doc, local_doc, national_doc),
        "sensitivity": _sensitivity(local_doc) if local_doc else [],
        "self_assessment": _self_assessment(evaluation),
        "reviews": _reviews(evaluation),
        "national_recommended": project.national_recommended,
        # The schemes by their titles (江西省零碳园区评价指标体系（2025）), never their codes.
        "local_scheme": titles.get(local_scheme, local_scheme),
        "national_scheme": titles.get(NATIONAL_SCHEME, NATIONAL_SCHEME),
    }
