"""Construction and acceptance API routes (mounted under /api/v1/)."""

from __future__ import annotations

from django.urls import path

from ..monthly import api as monthly
from .views import (
    acceptance,
    city_reports,
    evaluations,
    national,
    orders,
    projects,
    reports,
    supervision,
    threads,
)

urlpatterns = [
    path("parks/<int:park_id>/monthly/", monthly.MonthlyPushApi.as_view(), name="api-monthly-push"),
    path(
        "parks/<int:park_id>/monthly/<int:year>/", monthly.MonthlyYearApi.as_view(), name="api-monthly-year"
    ),
    path("city-reports/", city_reports.CityReportListApi.as_view(), name="api-city-report-list"),
    path(
        "city-reports/overview/",
        city_reports.CityReportOverviewApi.as_view(),
        name="api-city-report-overview",
    ),
    path("city-reports/<int:pk>/", city_reports.CityReportDetailApi.as_view(), name="api-city-report-detail"),
    path(
        "city-reports/<int:pk>/transitions/",
        city_reports.CityReportTransitionApi.as_view(),
        name="api-city-report-transitions",
    ),
    path(
        "city-reports/<int:pk>/practices/",
        city_reports.CityReportPracticeListApi.as_view(),
        name="api-city-report-practices",
    ),
    path(
        "city-reports/<int:pk>/practices/<int:practice_id>/",
        city_reports.CityReportPracticeDetailApi.as_view(),
        name="api-city-report-practice-detail",
    ),
    path("public/practices/", city_reports.PublicPracticeListApi.as_view(), name="api-public-practices"),
    path(
        "projects/<int:pk>/reports/<int:year>/threads/",
        threads.ReportThreadApi.as_view(),
        name="api-report-thread",
    ),
    path("orders/<int:pk>/threads/", threads.OrderThreadApi.as_view(), name="api-order-thread"),
    path(
        "evaluations/<int:pk>/declaration/",
        evaluations.EvaluationDeclarationApi.as_view(),
        name="api-evaluation-declaration",
    ),
    path("projects/", projects.ProjectListApi.as_view(), name="api-project-list"),
    path("projects/<int:pk>/", projects.ProjectDetailApi.as_view(), name="api-project-detail"),
    path("projects/<int:pk>/removal/", projects.ProjectRemovalApi.as_view(), name="api-project-removal"),
    path(
        "projects/<int:pk>/incentives/",
        projects.ProjectIncentiveListApi.as_view(),
        name="api-project-incentives",
    ),
    path("projects/<int:pk>/timeline/", projects.ProjectTimelineApi.as_view(), name="api-project-timeline"),
    path("projects/<int:pk>/reports/", reports.ReportListApi.as_view(), name="api-project-reports"),
    path(
        "projects/<int:pk>/reports/<int:year>/",
        reports.ReportDetailApi.as_view(),
        name="api-project-report-detail",
    ),
    path(
        "projects/<int:pk>/reports/<int:year>/submit/",
        reports.ReportSubmitApi.as_view(),
        name="api-project-report-submit",
    ),
    path("projects/<int:pk>/orders/", orders.ProjectOrderListApi.as_view(), name="api-project-orders"),
    path("orders/<int:pk>/", orders.OrderDetailApi.as_view(), name="api-order-detail"),
    path("orders/<int:pk>/transitions/", orders.OrderTransitionApi.as_view(), name="api-order-transitions"),
    path(
        "projects/<int:pk>/self-assessment/",
        acceptance.SelfAssessmentApi.as_view(),
        name="api-project-self-assessment",
    ),
    path(
        "projects/<int:pk>/self-assessment/submit/",
        acceptance.SelfAssessmentSubmitApi.as_view(),
        name="api-project-self-assessment-submit",
    ),
    path(
        "projects/<int:pk>/self-assessment/evidence/",
        acceptance.EvidenceListApi.as_view(),
        name="api-project-evidence",
    ),
    path(
        "projects/<int:pk>/self-assessment/evidence/<int:evidence_id>/",
        acceptance.EvidenceDetailApi.as_view(),
        name="api-project-evidence-detail",
    ),
    path(
        "projects/<int:pk>/acceptance-request/",
        acceptance.AcceptanceRequestApi.as_view(),
        name="api-project-acceptance-request",
    ),
    path(
        "projects/<int:pk>/national-recommendation/",
        national.NationalRecommendationApi.as_view(),
        name="api-project-national-recommendation",
    ),
    path("projects/<int:pk>/archives/", national.ArchiveListApi.as_view(), name="api-project-archives"),
    path(
        "projects/<int:pk>/archives/<int:archive_pk>/download/",
        national.ArchiveDownloadApi.as_view(),
        name="api-project-archive-download",
    ),
    path(
        "public/accepted-parks/", national.PublicAcceptedParkApi.as_view(), name="api-public-accepted-parks"
    ),
    path("supervision/", supervision.SupervisionListApi.as_view(), name="api-supervision-list"),
    path("orders/<int:pk>/reminder/", supervision.OrderReminderApi.as_view(), name="api-order-reminder"),
    path(
        "projects/<int:pk>/extension-requests/",
        supervision.ProjectExtensionRequestListApi.as_view(),
        name="api-project-extension-requests",
    ),
    path(
        "extension-requests/<int:pk>/decision/",
        supervision.ExtensionDecisionApi.as_view(),
        name="api-extension-decision",
    ),
    path("evaluations/", evaluations.EvaluationListApi.as_view(), name="api-evaluation-list"),
    path("evaluations/<int:pk>/", evaluations.EvaluationDetailApi.as_view(), name="api-evaluation-detail"),
    path(
        "evaluations/<int:pk>/experts/",
        evaluations.EvaluationExpertsApi.as_view(),
        name="api-evaluation-experts",
    ),
    path(
        "evaluations/<int:pk>/experts/<int:expert_id>/",
        evaluations.EvaluationExpertDetailApi.as_view(),
        name="api-evaluation-expert-detail",
    ),
    path(
        "evaluations/<int:pk>/review/",
        evaluations.EvaluationReviewApi.as_view(),
        name="api-evaluation-review",
    ),
    path(
        "evaluations/<int:pk>/decision/",
        evaluations.EvaluationDecisionApi.as_view(),
        name="api-evaluation-decision",
    ),
    path(
        "evaluations/<int:pk>/report/",
        evaluations.EvaluationReportApi.as_view(),
        name="api-evaluation-report",
    ),
]
