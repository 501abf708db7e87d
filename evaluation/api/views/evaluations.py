"""Acceptance evaluations API: the scoped list (experts: their assignments), one evaluation under the blind
review rule, assigning experts, an expert's review, the province's decision and the acceptance report."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from indicators.models import NATIONAL_SCHEME
from indicators.selectors import local_scheme_code
from zcpark.core.api import READ_ERRORS, READ_ERRORS_NO_404, WRITE_ERRORS, DecimalBodyParser

from ... import selectors, services
from ...models import AcceptanceEvaluation, AcceptanceReport, Decision, EvaluationStatus
from ...permissions import (
    can_download_acceptance_report,
    can_supervise,
    can_view_evaluations,
    can_view_project,
)
from ...scoring import SCORE_AREAS
from ...services.common import require
from ..serializers import (
    AcceptanceReportOutputSerializer,
    DecisionInputSerializer,
    DeclarationInputSerializer,
    DeclarationOutputSerializer,
    EvaluationDetailOutputSerializer,
    EvaluationListOutputSerializer,
    ExpertsAssignInputSerializer,
    ReviewInputSerializer,
)


class EvaluationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EvaluationStatus.choices)
    decision = django_filters.ChoiceFilter(choices=Decision.choices)
    project = django_filters.NumberFilter(field_name="project_id")

    class Meta:
        model = AcceptanceEvaluation
        fields = ["status", "decision", "project"]


def evaluation_response(request: Request, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The evaluation as the caller may see it: reviews under the blind rule, results of the assessment year."""
    evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
    own = selectors.review_for(request.user, reviews)
    if own is not None and own.needs_declaration:
        # Nothing of the dossier before the expert has declared its conflicts of interest.
        raise PermissionDenied(_("Declare your conflicts of interest first (POST …/declaration/)."))
    # A decided evaluation answers with the results it was decided on (recomputations never move them).
    results = selectors.assessment_results(
        evaluation.project, evaluation.assessment_year, selectors.results_as_of(evaluation)
    )
    context = {
        "request": request,
        "reviews": reviews,
        "results": {local_scheme_code(): results.local, NATIONAL_SCHEME: results.national},
        "score_areas": SCORE_AREAS,
        "project_visible": can_view_project(request.user, evaluation.project),
    }
    return Response(EvaluationDetailOutputSerializer(evaluation, context=context).data, status=status_code)


@extend_schema_view(
    get=extend_schema(
        responses={200: EvaluationListOutputSerializer(many=True), **READ_ERRORS_NO_404},
        description="Newest first. Experts see only the evaluations they are assigned to.",
    )
)
class EvaluationListApi(generics.ListAPIView):
    """Acceptance evaluations the caller may see."""

    # Names the model for the schema; get_queryset scopes every request.
    queryset = AcceptanceEvaluation.objects.none()
    serializer_class = EvaluationListOutputSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self) -> QuerySet[AcceptanceEvaluation]:
        return selectors.evaluation_list_visible_to(user=self.request.user).prefetch_related(
            selectors.prefetch_reviews()
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(can_view_evaluations(request.user))
        return super().list(request, *args, **kwargs)


class EvaluationDetailApi(APIView):
    """One evaluation: the self-assessment, the assessment-year results, the expert reviews."""

    @extend_schema(
        responses={200: EvaluationDetailOutputSerializer, **READ_ERRORS},
        description=(
            "Blind review: a review's scores, total, opinion and recommendation appear only when "
            "scores_visible — an expert sees its own, and the others' once it has submitted its own; the "
            "province sees each as it is submitted; others who see the evaluation, once it is decided."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        return evaluation_response(request, pk)


class EvaluationDeclarationApi(APIView):
    """The assigned expert declares its conflicts of interest, before it reads the evaluation."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=DeclarationInputSerializer,
        responses={200: DeclarationOutputSerializer, **WRITE_ERRORS},
        description=(
            "conflict none opens the evaluation to the expert (its detail answers 403 until then); a conflict "
            "(same_city, involvement, other; note required) declines the review: the province is told, the "
            "evaluation is no longer the expert's to see. 403: not the assigned expert; 400: declared already."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        _evaluation, _reviews, review = selectors.own_review_get(user=request.user, pk=pk)
        serializer = DeclarationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declared = services.expert_conflict_declare(
            by=request.user, review=review, **serializer.validated_data
        )
        return Response(DeclarationOutputSerializer(declared).data)


class EvaluationExpertsApi(APIView):
    """The province assigns review experts."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=ExpertsAssignInputSerializer,
        responses={200: EvaluationDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "Each new expert is told and sees only its assignments. 400: a user that is not an active "
            "review expert, an unknown id, or a decided evaluation."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        evaluation, _reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        serializer = ExpertsAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.experts_assign(
            by=request.user, evaluation=evaluation, experts=serializer.validated_data["experts"]
        )
        return evaluation_response(request, pk)


class EvaluationExpertDetailApi(APIView):
    """The province withdraws an expert who has not yet submitted."""

    @extend_schema(responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int, expert_id: int) -> Response:
        evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
        review = next((r for r in reviews if r.expert_id == expert_id), None)
        if review is None:
            raise NotFound(_("This expert is not assigned to the evaluation."))
        require(can_supervise(request.user))
        review.evaluation = evaluation
        services.expert_unassign(by=request.user, review=review)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvaluationReviewApi(APIView):
    """The assigned expert submits its scores and opinion, once."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=ReviewInputSerializer,
        responses={200: EvaluationDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "scores: every area of score_areas, 0 to its maximum in steps of 0.5, read exactly; errors are "
            "keyed scores.<area>. 200: the evaluation, now with the other submitted reviews visible to the "
            "expert. 403: the caller is not an expert assigned to it; 400: already submitted, or decided."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        evaluation, _reviews, review = selectors.own_review_get(user=request.user, pk=pk)
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review.evaluation = evaluation
        services.expert_review_submit(by=request.user, review=review, **serializer.validated_data)
        return evaluation_response(request, pk)


class EvaluationDecisionApi(APIView):
    """The province records its decision: accepted, extended, or removed."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=DecisionInputSerializer,
        responses={200: EvaluationDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "accepted: a provincial zero-carbon park (meets_national_scheme is set when the "
            "assessment-year result passes the national scheme; the province then recommends it through "
            "projects/{id}/national-recommendation/). extended: back to construction for "
            "extension_years more. removed: off the construction list. 400 lists every unmet condition: "
            "fewer than two submitted opinions, an assigned expert who has not submitted, the core "
            "indicator failing (accepted), a missing comment or document number."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        evaluation, _reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.evaluation_decide(by=request.user, evaluation=evaluation, **serializer.validated_data)
        return evaluation_response(request, pk)


def report_response(
    request: Request,
    evaluation: AcceptanceEvaluation,
    reviews: list[Any],
    report: AcceptanceReport,
    *,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    # The PDF holds every expert's scores: the same rule as the download page.
    may_download = can_download_acceptance_report(request.user, evaluation)
    ready = selectors.report_ready(evaluation) if may_download else None
    context = {
        "is_current": report.inputs_digest == selectors.report_digest(evaluation),
        "download_url": (
            reverse("evaluation:report-download", args=[evaluation.pk], request=request) if ready else None
        ),
    }
    return Response(AcceptanceReportOutputSerializer(report, context=context).data, status=status_code)


class EvaluationReportApi(APIView):
    """The acceptance report (验收评估报告): the latest rendering's state, and regenerating it."""

    @extend_schema(
        responses={200: AcceptanceReportOutputSerializer, **READ_ERRORS},
        description="404 while no report has been prepared (one is queued when experts are assigned).",
    )
    def get(self, request: Request, pk: int) -> Response:
        evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
        report = selectors.report_latest(evaluation)
        if report is None:
            raise NotFound(_("No acceptance report has been prepared yet."))
        return report_response(request, evaluation, reviews, report)

    @extend_schema(
        request=None,
        responses={202: AcceptanceReportOutputSerializer, **WRITE_ERRORS},
        description="The province queues a new rendering from the evaluation as it is now (202: pending).",
    )
    def post(self, request: Request, pk: int) -> Response:
        evaluation, reviews = selectors.evaluation_get_for_user(user=request.user, pk=pk)
        require(can_supervise(request.user))
        report = services.acceptance_report_schedule(evaluation, force=True, by=request.user)
        assert report is not None  # forced: always a new one
        return report_response(request, evaluation, reviews, report, status_code=status.HTTP_202_ACCEPTED)
