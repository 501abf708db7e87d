"""City progress reports API: the reports the caller sees (a city its own, the province and observers every
city's), one report, its moves (the city submits, the province returns), the province's overview of late
cities, and the public library of typical practices (no sign-in)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from parks.models import Role
from parks.permissions import can_view_whole_program
from zcpark.core.api import READ_ERRORS, WRITE_ERRORS

from ...list_exports_city_reports import overview_filters
from ...models import CityProgressReport, TypicalPractice
from ...permissions import can_view_city_reports, may_for_city_report
from ...selectors import city_reports as selectors
from ...services import city_reports as services
from ...services.common import require
from ...workflow.city_reports import CITY_REPORT
from ..serializers.city_reports import (
    CityReportDetailOutputSerializer,
    CityReportInputSerializer,
    CityReportOutputSerializer,
    CityReportTransitionInputSerializer,
    PracticeInputSerializer,
    PracticeOutputSerializer,
    PublicPracticeOutputSerializer,
)

WRITE_DESCRIPTION = (
    "The city's reviewers, while the report is a draft or returned. 404: the report is not in the caller's "
    "scope (another city's); 403: the caller may see it but not write it (the province, observers); "
    "400: the report is submitted, or a field is wrong (errors name it)."
)


def _writable(request: Request, pk: int) -> CityProgressReport:
    """The report ``pk`` in the caller's scope (else 404) that the caller writes (else 403)."""
    report = selectors.city_report_get_for_user(user=request.user, pk=pk)
    # The city's own reviewers; a submitted report then answers 400 from the service (its state).
    require(may_for_city_report(request.user, report, Role.CITY_REVIEWER))
    return report


def _detail(request: Request, report: CityProgressReport) -> Response:
    prefetch_related_objects(
        [report], Prefetch("practices", queryset=TypicalPractice.objects.select_related("project__park"))
    )
    actions = [
        {"action": t.verb, "label": str(t.button)} for t in CITY_REPORT.actions_for(request.user, report)
    ]
    context = {"request": request, "today": timezone.localdate(), "actions": actions}
    return Response(CityReportDetailOutputSerializer(report, context=context).data)


class CityReportListApi(generics.ListAPIView):
    """The city progress reports the caller sees, newest period first (403 for park staff and experts)."""

    queryset = CityProgressReport.objects.none()
    serializer_class = CityReportOutputSerializer

    def get_queryset(self) -> QuerySet[CityProgressReport]:
        require(can_view_city_reports(self.request.user))
        return selectors.city_report_list_visible_to(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class CityReportDetailApi(APIView):
    """One report with its figures, practices and the caller's possible moves (404 outside its scope)."""

    @extend_schema(responses={200: CityReportDetailOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, selectors.city_report_get_for_user(user=request.user, pk=pk))

    @extend_schema(
        request=CityReportInputSerializer,
        responses={200: CityReportDetailOutputSerializer, **WRITE_ERRORS},
        description="Save the narrative and refresh the parks' figures. " + WRITE_DESCRIPTION,
    )
    def patch(self, request: Request, pk: int) -> Response:
        report = _writable(request, pk)
        serializer = CityReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.city_report_save(
            by=request.user, report=report, narrative=serializer.validated_data.get("narrative")
        )
        return _detail(request, selectors.city_report_get_for_user(user=request.user, pk=pk))


class CityReportPracticeListApi(APIView):
    """Add a typical practice to a report the city writes."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": PracticeInputSerializer},
        responses={201: PracticeOutputSerializer, **WRITE_ERRORS},
        description=(
            "multipart/form-data: project (one of the city's parks), title, scene, description, and an "
            "optional file (checked like the dossier's attachments). " + WRITE_DESCRIPTION
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        report = _writable(request, pk)
        serializer = PracticeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data.get("file")
        practice = services.practice_add(
            by=request.user,
            report=report,
            project_id=data["project"],
            title=data["title"],
            scene=data["scene"],
            description=data["description"],
            file=upload,
            name=upload.name if upload else "",
        )
        return Response(
            PracticeOutputSerializer(practice, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class CityReportPracticeDetailApi(APIView):
    """Remove a typical practice from a report the city writes (404: not a practice of this report)."""

    @extend_schema(
        responses={204: None, **WRITE_ERRORS},
        description=("The file stays when a submitted version of the report names it. " + WRITE_DESCRIPTION),
    )
    def delete(self, request: Request, pk: int, practice_id: int) -> Response:
        report = _writable(request, pk)
        practice = get_object_or_404(report.practices.all(), pk=practice_id)
        practice.report = report
        services.practice_remove(by=request.user, practice=practice)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CityReportTransitionApi(APIView):
    """``submit`` (the city's reviewers, from draft or returned) or ``return`` with a comment (the province)."""

    @extend_schema(
        request=CityReportTransitionInputSerializer,
        responses={200: CityReportDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "submit: the city's reviewers, from draft or returned; needs a narrative; freezes the parks' "
            "figures. return: the province, from submitted, with comment. 403: the caller may not take the "
            "action; 400: the state does not allow it or a field is missing."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        report = selectors.city_report_get_for_user(user=request.user, pk=pk)
        serializer = CityReportTransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action, comment = serializer.validated_data["action"], serializer.validated_data["comment"]
        require(CITY_REPORT.may_take(request.user, report, CITY_REPORT.get(action)))
        if action == "submit":
            services.city_report_submit(by=request.user, report=report)
        else:
            services.city_report_return(by=request.user, report=report, comment=comment)
        return _detail(request, selectors.city_report_get_for_user(user=request.user, pk=pk))


class OverviewOutputSerializer(serializers.Serializer):
    today = serializers.DateField()
    periods = serializers.ListField(child=serializers.CharField())
    reports = CityReportOutputSerializer(many=True)
    late = CityReportOutputSerializer(many=True)


class CityReportOverviewApi(APIView):
    """The province's (and observers') overview: every report, and the late ones (403 for others)."""

    @extend_schema(
        responses={200: OverviewOutputSerializer, **READ_ERRORS},
        parameters=[
            OpenApiParameter("city", str, description="A city's code."),
            OpenApiParameter("period", str, description="A period, e.g. 2027-H1."),
            OpenApiParameter("late", str, description="1: late reports only."),
        ],
    )
    def get(self, request: Request) -> Response:
        require(can_view_whole_program(request.user))
        today = timezone.localdate()
        overview = selectors.city_report_overview(
            user=request.user, today=today, filters=overview_filters(request.query_params)
        )
        reports = [cell.report for _city, cells in overview.rows for cell in cells if cell.report]
        context = {"request": request, "today": today}
        return Response(
            {
                "today": today,
                "periods": overview.periods,
                "reports": CityReportOutputSerializer(reports, many=True, context=context).data,
                "late": CityReportOutputSerializer(overview.late, many=True, context=context).data,
            }
        )


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("city", str, description="A city's code."),
            OpenApiParameter("scene", str, description="A scene, e.g. green_power."),
        ]
    )
)
class PublicPracticeListApi(generics.ListAPIView):
    """The public library of typical practices: those of parks accepted as provincial zero-carbon parks, in
    submitted city reports; for anyone (no sign-in), newest period first, paginated."""

    queryset = TypicalPractice.objects.none()
    serializer_class = PublicPracticeOutputSerializer
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self) -> QuerySet[TypicalPractice]:
        params = self.request.query_params
        return selectors.practice_library(
            filters={"city": params.get("city", ""), "scene": params.get("scene", "")}
        )
