"""Self-assessment API (the city's, for the assessment year), its evidence, and the request for acceptance."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, WRITE_ERRORS, DecimalBodyParser

from ... import selectors, services
from ...models import ConstructionProject, ProjectStatus, SelfAssessment
from ...permissions import is_city_reviewer_of
from ...services.common import require
from ..serializers import (
    AcceptanceRequestInputSerializer,
    EvaluationDetailOutputSerializer,
    EvidenceInputSerializer,
    EvidenceOutputSerializer,
    SelfAssessmentOutputSerializer,
    SelfAssessmentPatchInputSerializer,
)
from .evaluations import evaluation_response


def current_self_assessment(request: Request, pk: int) -> SelfAssessment:
    """The visible project's self-assessment for its assessment year, or 404 while there is none."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    self_assessment = selectors.self_assessment_current(project)
    if self_assessment is None:
        raise NotFound(
            _("There is no self-assessment for %(year)s: it starts when the construction period ends.")
            % {"year": project.final_year}
        )
    self_assessment.project = project
    return self_assessment


def _editable(request: Request, self_assessment: SelfAssessment) -> bool:
    project: ConstructionProject = self_assessment.project
    return (
        is_city_reviewer_of(request.user, project)
        and project.status == ProjectStatus.SELF_ASSESSMENT
        and not self_assessment.is_submitted
    )


def self_assessment_response(request: Request, self_assessment: SelfAssessment) -> Response:
    context = {
        "request": request,
        "problems": (
            selectors.self_assessment_problems(self_assessment)
            if _editable(request, self_assessment)
            else None
        ),
        "acceptance_gate": selectors.acceptance_gate(self_assessment.project),
    }
    return Response(SelfAssessmentOutputSerializer(self_assessment, context=context).data)


class SelfAssessmentApi(APIView):
    """The city's self-assessment of the park for its assessment year; the city edits it with PATCH."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        responses={200: SelfAssessmentOutputSerializer, **READ_ERRORS},
        description="404 also while the construction period has not ended (no self-assessment yet).",
    )
    def get(self, request: Request, pk: int) -> Response:
        return self_assessment_response(request, current_self_assessment(request, pk))

    @extend_schema(
        request=SelfAssessmentPatchInputSerializer,
        responses={200: SelfAssessmentOutputSerializer, **WRITE_ERRORS},
        description="The park's city reviewer only (403); once submitted, or outside self-assessment: 400.",
    )
    def patch(self, request: Request, pk: int) -> Response:
        self_assessment = current_self_assessment(request, pk)
        require(is_city_reviewer_of(request.user, self_assessment.project))
        serializer = SelfAssessmentPatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.self_assessment_save(
            by=request.user,
            self_assessment=self_assessment,
            conclusion=data.get("conclusion"),
            summary=data.get("summary"),
        )
        return self_assessment_response(request, current_self_assessment(request, pk))


class SelfAssessmentSubmitApi(APIView):
    """The city submits its self-assessment."""

    @extend_schema(
        request=None,
        responses={200: SelfAssessmentOutputSerializer, **WRITE_ERRORS},
        description=(
            "400 lists every unmet condition in errors.__all__ (conclusion, assessment, evidence, the "
            "park's assessment-year report)."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        self_assessment = current_self_assessment(request, pk)
        require(is_city_reviewer_of(request.user, self_assessment.project))
        services.self_assessment_submit(by=request.user, self_assessment=self_assessment)
        return self_assessment_response(request, current_self_assessment(request, pk))


class EvidenceListApi(APIView):
    """The self-assessment's evidence; the city uploads more while it is a draft."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: EvidenceOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        self_assessment = current_self_assessment(request, pk)
        evidence = self_assessment.evidence.all()
        return Response(EvidenceOutputSerializer(evidence, many=True, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": EvidenceInputSerializer},
        responses={201: EvidenceOutputSerializer, **WRITE_ERRORS},
        description="multipart/form-data: title (optional), file (pdf, images, office files, ofd, zip).",
    )
    def post(self, request: Request, pk: int) -> Response:
        self_assessment = current_self_assessment(request, pk)
        require(is_city_reviewer_of(request.user, self_assessment.project))
        serializer = EvidenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = services.evidence_add(
            by=request.user,
            self_assessment=self_assessment,
            file=data["file"],
            name=data["file"].name,
            title=data["title"],
        )
        return Response(
            EvidenceOutputSerializer(evidence, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class EvidenceDetailApi(APIView):
    """Remove a piece of evidence while the self-assessment is a draft."""

    @extend_schema(responses={204: None, **WRITE_ERRORS})
    def delete(self, request: Request, pk: int, evidence_id: int) -> Response:
        self_assessment = current_self_assessment(request, pk)
        evidence = get_object_or_404(self_assessment.evidence.all(), pk=evidence_id)
        require(is_city_reviewer_of(request.user, self_assessment.project))
        evidence.self_assessment = self_assessment
        services.evidence_remove(by=request.user, evidence=evidence)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptanceRequestApi(APIView):
    """The city asks the province for acceptance; the province's evaluation opens."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(
        request=AcceptanceRequestInputSerializer,
        responses={201: EvaluationDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "201: the new evaluation. 400 with errors.gate listing every unmet condition (the core "
            "indicator passes for the assessment year — 一票否决; no rectification order open; the "
            "self-assessment submitted and concluding the park meets the requirements), or errors.action "
            "when the project is not in self-assessment. The park's city reviewer only (403)."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        require(is_city_reviewer_of(request.user, project))
        serializer = AcceptanceRequestInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation = services.acceptance_request(
            by=request.user, project=project, **serializer.validated_data
        )
        return evaluation_response(request, evaluation.pk, status_code=status.HTTP_201_CREATED)
