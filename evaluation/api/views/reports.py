"""Annual reports API: a project's reports, one year's report (the park edits it while due), submitting it."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zcpark.core.api import READ_ERRORS, WRITE_ERRORS, DecimalBodyParser

from ... import selectors, services
from ...models import AnnualReport, ReportStatus
from ...permissions import is_park_staff_of
from ...services.common import require
from ..serializers import (
    AnnualReportDetailOutputSerializer,
    AnnualReportOutputSerializer,
    AnnualReportPatchInputSerializer,
)


def report_response(request: Request, report: AnnualReport) -> Response:
    """The report with a progress row per key project and, for the park while it is due, what is missing."""
    project = report.project
    given = {row.key_project_id: row for row in report.progress.all()}
    progress = [
        {
            "key_project": key_project,
            "progress_pct": given[key_project.pk].progress_pct if key_project.pk in given else None,
            "note": given[key_project.pk].note if key_project.pk in given else "",
        }
        for key_project in selectors.key_projects(project)
    ]
    today = timezone.localdate()
    editable = (
        is_park_staff_of(request.user, project) and project.is_active and report.status == ReportStatus.DUE
    )
    context = {
        "request": request,
        "today": today,
        "progress": progress,
        "problems": services.report_problems(report, today=today) if editable else None,
    }
    return Response(AnnualReportDetailOutputSerializer(report, context=context).data)


class ReportListApi(APIView):
    """The project's annual reports, one per year of the period (extensions included)."""

    @extend_schema(responses={200: AnnualReportOutputSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        project = selectors.project_get_for_user(user=request.user, pk=pk)
        context = {"request": request, "today": timezone.localdate()}
        reports = selectors.annual_reports(project)
        return Response(AnnualReportOutputSerializer(reports, many=True, context=context).data)


class ReportDetailApi(APIView):
    """One year's report: narrative, dataset, each key project's progress; the park saves drafts with PATCH."""

    parser_classes = [DecimalBodyParser]

    @extend_schema(responses={200: AnnualReportDetailOutputSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int, year: int) -> Response:
        return report_response(
            request, selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
        )

    @extend_schema(
        request=AnnualReportPatchInputSerializer,
        responses={200: AnnualReportDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "Save any of narrative, progress and dataset, all or nothing. Progress values are read exactly "
            '("33.3" stays 33.3): 0 to 100 in steps of 0.1; errors are keyed progress.<key project id>. '
            "The dataset's indicators are computed after saving. The park's staff only (403); a submitted "
            "report, or a project no longer active, answers 400."
        ),
    )
    def patch(self, request: Request, pk: int, year: int) -> Response:
        report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
        require(is_park_staff_of(request.user, report.project))
        serializer = AnnualReportPatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.annual_report_save(
            by=request.user,
            report=report,
            narrative=data.get("narrative"),
            progress=data.get("progress"),
            document=data.get("dataset"),
        )
        return report_response(
            request, selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
        )


class ReportSubmitApi(APIView):
    """The park submits the year's report."""

    @extend_schema(
        request=None,
        responses={200: AnnualReportDetailOutputSerializer, **WRITE_ERRORS},
        description=(
            "400 lists every unmet condition in errors.__all__ (the year is not over, no narrative, no "
            "data or data with errors, a key project without progress)."
        ),
    )
    def post(self, request: Request, pk: int, year: int) -> Response:
        report = selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
        require(is_park_staff_of(request.user, report.project))
        services.annual_report_submit(by=request.user, report=report)
        return report_response(
            request, selectors.report_get_for_user(user=request.user, project_pk=pk, year=year)
        )
