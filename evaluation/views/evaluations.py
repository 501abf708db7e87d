"""Acceptance evaluation pages: the list, the evaluation (experts, decision, report), the expert's review.

Blind review: every review's scores and opinion go through ``permissions.can_see_scores`` before they
reach a template; a review the user may not read is passed on as its status only. The report carries
the scores too, so while the evaluation is in review only the province may download it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parks.models import City, Role
from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.sheets import export_filename, xlsx_response

from .. import list_exports, permissions, reports, selectors, services
from ..evaluation_forms import DecisionForm, ExpertAssignForm, ExpertReviewForm, score_field_name
from ..list_exports import EvaluationFilters
from ..models import (
    AcceptanceEvaluation,
    Decision,
    EvaluationStatus,
    ExpertReview,
    ReviewStatus,
)
from ..permissions import can_see_scores, can_supervise, can_view_evaluations, can_view_project
from ..reports.context import assessment_document
from ..scoring import MAX_TOTAL, SCORE_AREAS
from . import declarations

PAGE_SIZE = 25
REPORT_PARTIAL = "evaluation/evaluations/_report.html"


# ---- the list ------------------------------------------------------------------------------------


def _list_row(user: Any, evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    reviews = list(evaluation.reviews.all())  # prefetched
    own = selectors.review_for(user, reviews)
    return {
        "evaluation": evaluation,
        "submitted": len(selectors.reviews_submitted(reviews)),
        "assigned": len(selectors.reviews_active(reviews)),
        "own": own,
    }


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The evaluations the user sees (an expert: those it is assigned), newest first, searched and filtered
    from the URL; ``?format=xlsx`` exports every matching one. The province picks several under review to
    assign experts to at once (``bulk.experts_assign_bulk``)."""
    if not can_view_evaluations(request.user):
        raise PermissionDenied
    filters = EvaluationFilters.from_query(request.GET)
    evaluations = filters.apply(
        selectors.evaluation_list_visible_to(user=request.user).prefetch_related(selectors.prefetch_reviews())
    )
    is_expert = getattr(request.user, "role", "") == Role.EXPERT
    whole = can_view_whole_program(request.user)
    if request.GET.get("format") == "xlsx":
        shown = {
            _("Search"): filters.q,
            _("City"): list_exports.city_label(filters.city),
            _("Status"): str(dict(_status_choices()).get(filters.status, "")),
        }
        content = list_exports.evaluations_workbook(
            [_list_row(request.user, e) for e in evaluations], filters=shown, is_expert=is_expert
        )
        return xlsx_response(content, filename=export_filename(_("Acceptance evaluations")))
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    province = can_supervise(request.user)
    context = {
        "page": page,
        "rows": [_list_row(request.user, e) for e in page.object_list],
        "filters": filters,
        "status": filters.status,
        "statuses": _status_choices(),
        "cities": City.objects.order_by("code") if whole and not is_expert else [],
        "is_expert": is_expert,
        "province": province,
    }
    return render(request, "evaluation/evaluations/evaluation_list.html", context)


def _status_choices() -> list[tuple[str, Any]]:
    """The list's status filter: under review, or decided by each decision."""
    return [(EvaluationStatus.IN_REVIEW.value, EvaluationStatus.IN_REVIEW.label), *Decision.choices]


# ---- the evaluation ------------------------------------------------------------------------------


def _review_rows(user: Any, evaluation: AcceptanceEvaluation, reviews: list[ExpertReview]) -> list[dict]:
    """Each review with what the user may read of it: ``visible`` False leaves only its name and status;
    the name is the expert's for the province, 专家一, 专家二 … for everyone else."""
    rows = []
    for review, name in selectors.reviews_as_read(user, reviews):
        visible = (
            can_see_scores(user, evaluation, review, reviews) and review.status == ReviewStatus.SUBMITTED
        )
        row: dict[str, Any] = {"review": review, "visible": visible, "name": name}
        if visible:
            row["scores"] = [
                (area.label, review.scores.get(area.code), area.max_points) for area in SCORE_AREAS
            ]
        rows.append(row)
    return rows


def _report_context(user: Any, evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    return {
        "evaluation": evaluation,
        "report": selectors.report_latest(evaluation),
        "ready": selectors.report_ready(evaluation),
        "can_download": permissions.can_download_acceptance_report(user, evaluation),
        "can_regenerate": can_supervise(user),
    }


def _detail(
    request: HttpRequest,
    evaluation: AcceptanceEvaluation,
    reviews: list[ExpertReview],
    *,
    assign_form: ExpertAssignForm | None = None,
    decide_form: DecisionForm | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user, project = request.user, evaluation.project
    # A decided evaluation shows the numbers it was decided on, and today's beside them if they moved.
    as_of = selectors.results_as_of(evaluation)
    results = selectors.assessment_results(project, evaluation.assessment_year, as_of)
    dataset_document = assessment_document(project, results)
    today = selectors.assessment_results(project, evaluation.assessment_year) if as_of else results
    province = can_supervise(user) and evaluation.status == EvaluationStatus.IN_REVIEW
    own = selectors.review_for(user, reviews)
    local = reports.result_part(results.local, dataset_document)
    context = {
        "evaluation": evaluation,
        "project": project,
        "park": project.park,
        "local": local,
        "shortfalls": reports.guiding_shortfalls(local),
        "national": reports.result_part(results.national, dataset_document),
        "recomputed": reports.recomputed_since(results.local, today.local, dataset_document),
        "self_assessment": evaluation.self_assessment,
        "evidence": list(evaluation.self_assessment.evidence.all()),
        "review_rows": _review_rows(user, evaluation, reviews),
        "sees_names": permissions.sees_expert_names(user),
        "submitted_count": len(selectors.reviews_submitted(reviews)),
        "assigned_count": len(selectors.reviews_active(reviews)),
        "own_review": own,
        "max_total": MAX_TOTAL,
        "province": province,
        "can_view_project": can_view_project(user, project),
        "problems": problems or [],
        **_report_context(user, evaluation),
    }
    if province:
        assigned = [r.expert_id for r in reviews]
        context["assign_form"] = assign_form or ExpertAssignForm(assigned=assigned)
        context["candidates"] = selectors.expert_candidates(parks=[project.park], exclude=assigned)
        context["chosen"] = selectors.posted_ids(assign_form.data.getlist("experts")) if assign_form else []
        context["decide_form"] = form = decide_form or DecisionForm(project=project)
        context["extension_room"] = form.room
    return render(request, "evaluation/evaluations/evaluation_detail.html", context, status=status)


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
    own = selectors.review_for(request.user, reviews)
    if own is not None and own.needs_declaration:
        # Nothing of the dossier before the expert has declared its conflicts of interest.
        return declarations.declaration_page(request, evaluation)
    return _detail(request, evaluation, reviews)


def _require_province(request: HttpRequest, pk: int) -> tuple[AcceptanceEvaluation, list[ExpertReview]]:
    """The evaluation (404 outside one's scope) for an action only the province takes (403 otherwise)."""
    evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
    if not can_supervise(request.user):
        raise PermissionDenied
    return evaluation, reviews


@login_required
@require_POST
def experts_assign(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation, reviews = _require_province(request, pk)
    form = ExpertAssignForm(request.POST, assigned=[r.expert_id for r in reviews])
    if form.is_valid():
        try:
            new = services.experts_assign(
                by=request.user, evaluation=evaluation, experts=list(form.cleaned_data["experts"])
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            messages.error(request, service_error_text(exc))
            return redirect("evaluation:evaluation-detail", pk=pk)
        else:
            messages.success(request, _("%(n)s expert(s) assigned and notified.") % {"n": len(new)})
            return redirect("evaluation:evaluation-detail", pk=pk)
    return _detail(request, evaluation, reviews, assign_form=form, status=400)


@login_required
@require_POST
def expert_unassign(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    _evaluation, reviews = _require_province(request, pk)
    review = next((r for r in reviews if r.pk == review_pk), None)
    if review is None:
        raise Http404
    try:
        services.expert_unassign(by=request.user, review=review)
    except ApplicationError as exc:
        messages.error(request, service_error_text(exc))
    else:
        name = review.expert.get_full_name() or review.expert.username
        messages.success(request, _("%(name)s was withdrawn from the evaluation.") % {"name": name})
    return redirect("evaluation:evaluation-detail", pk=pk)


@login_required
@require_POST
def evaluation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision; a removal is confirmed on a page of its own first."""
    evaluation, reviews = _require_province(request, pk)
    form = DecisionForm(request.POST, project=evaluation.project)
    if not form.is_valid():
        return _detail(request, evaluation, reviews, decide_form=form, status=400)
    if form.needs_confirmation:
        return render(
            request, "evaluation/evaluations/decide_confirm.html", {"evaluation": evaluation, "form": form}
        )
    data = form.cleaned_data
    try:
        services.evaluation_decide(
            by=request.user,
            evaluation=evaluation,
            decision=data["decision"],
            comment=data["comment"],
            document_no=data["document_no"],
            extension_years=data["extension_years"] if data["decision"] == Decision.EXTENDED else None,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail(request, evaluation, reviews, decide_form=form, status=400)
    except ApplicationError as exc:
        problems = [exc.message, *exc.reasons()]
        return _detail(request, evaluation, reviews, decide_form=form, problems=problems, status=400)
    messages.success(
        request,
        _("%(park)s: %(decision)s.")
        % {"park": evaluation.project.park, "decision": Decision(data["decision"]).label},
    )
    return redirect("evaluation:evaluation-detail", pk=pk)


# ---- the expert's review -------------------------------------------------------------------------


def _areas(
    evaluation: AcceptanceEvaluation, form: ExpertReviewForm | None, review: ExpertReview
) -> list[dict]:
    """Each scoring area with its field (or the submitted points) and its indicators' assessment-year values."""
    results = selectors.assessment_results(
        evaluation.project, evaluation.assessment_year, selectors.results_as_of(evaluation)
    )
    local = reports.result_part(results.local, assessment_document(evaluation.project, results)) or {
        "indicators": []
    }
    by_code = {row["code"]: row for row in local["indicators"]}
    return [
        {
            "area": area,
            "field": form[score_field_name(area.code)] if form is not None else None,
            "points": review.scores.get(area.code),
            "indicators": [by_code[code] for code in area.indicators if code in by_code],
        }
        for area in SCORE_AREAS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def expert_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned expert's points per area and opinion (read-only once submitted)."""
    evaluation, _reviews, review = selectors.own_review_get(user=request.user, pk=pk)
    if review.needs_declaration:
        return redirect("evaluation:evaluation-detail", pk=pk)
    submitted = review.status == ReviewStatus.SUBMITTED
    form = None if submitted else ExpertReviewForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.expert_review_submit(
                by=request.user,
                review=review,
                scores=form.scores(),
                opinion=form.cleaned_data["opinion"],
                recommends_acceptance=form.cleaned_data["recommends_acceptance"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        except ApplicationError as exc:
            messages.error(request, service_error_text(exc))
            return redirect("evaluation:evaluation-detail", pk=pk)
        else:
            messages.success(
                request, _("Your opinion was submitted. You can now read the other experts' ones.")
            )
            return redirect("evaluation:evaluation-detail", pk=pk)
    elif request.method == "POST" and submitted:
        messages.error(request, _("Your opinion has been submitted."))
        return redirect("evaluation:expert-review", pk=pk)
    context = {
        "evaluation": evaluation,
        "review": review,
        "form": form,
        "areas": _areas(evaluation, form, review),
        "max_total": MAX_TOTAL,
    }
    return render(request, "evaluation/evaluations/expert_review.html", context)


# ---- the report ----------------------------------------------------------------------------------


def _report_block(request: HttpRequest, evaluation: AcceptanceEvaluation) -> HttpResponse:
    response = render(request, REPORT_PARTIAL, _report_context(request.user, evaluation))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The report panel; it polls itself while a report is being prepared."""
    evaluation, _reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
    return _report_block(request, evaluation)


@login_required
@require_POST
def report_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a fresh rendering of the report even when its inputs did not change (the province); one still
    being prepared is the answer to a second request. htmx gets the refreshed panel; a plain form a
    redirect and a note saying where the report stands (a worker running in-process has rendered it)."""
    evaluation, _reviews = _require_province(request, pk)
    services.acceptance_report_schedule(evaluation, force=True, by=request.user)
    if request.headers.get("HX-Request"):
        response = _report_block(request, evaluation)
    else:
        latest = selectors.report_latest(evaluation)
        status = latest.status if latest is not None else ""
        if status == "ready":
            messages.success(request, _("The report is ready: download it below."))
        elif status == "failed":
            messages.error(request, _("The report could not be prepared: try again below."))
        else:
            messages.success(
                request, _("The report is being prepared; this page shows it as soon as it is ready.")
            )
        response = redirect("evaluation:evaluation-detail", pk=pk)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """Stream the latest ready report under a readable name."""
    evaluation, _reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
    if not permissions.can_download_acceptance_report(request.user, evaluation):
        raise PermissionDenied
    report = selectors.report_ready(evaluation)
    if report is None or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=reports.report_download_name(evaluation)
    )


urls = [
    path("evaluations/", evaluation_list, name="evaluation-list"),
    path("evaluations/<int:pk>/", evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/review/", expert_review, name="expert-review"),
    path("evaluations/<int:pk>/report/", report_download, name="report-download"),
    path("evaluations/<int:pk>/report/status/", report_status, name="report-status"),
    path("evaluations/<int:pk>/report/regenerate/", report_regenerate, name="report-regenerate"),
    path("evaluations/<int:pk>/experts/", experts_assign, name="experts-assign"),
    path("evaluations/<int:pk>/experts/<int:review_pk>/withdraw/", expert_unassign, name="expert-unassign"),
    path("evaluations/<int:pk>/decide/", evaluation_decide, name="evaluation-decide"),
]


# ---- the expert scores as a workbook (the province) ------------------------------------------------


@login_required
@require_GET
def scores_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's expert scores, one expert a row, as the province reads them on the page (a review
    not yet submitted shows its status only). Only the province: the others read the scores once decided,
    on the page and in the report."""
    evaluation, reviews = _require_province(request, pk)
    content = list_exports.scores_workbook(request.user, evaluation, reviews)
    stem = _("%(park)s expert scores %(year)s") % {
        "park": evaluation.project.park.name,
        "year": evaluation.assessment_year,
    }
    return xlsx_response(content, filename=export_filename(stem))
