"""The construction period in the Django admin: read-only for the province (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from parks.admin_access import ReadOnlyProvinceAdmin

from .models import (
    AcceptanceEvaluation,
    AcceptanceReport,
    AnnualReport,
    CityProgressReport,
    ConstructionProject,
    ExpertReview,
    NationalRecommendation,
    ParkArchive,
    RectificationOrder,
    SelfAssessment,
)


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(ReadOnlyProvinceAdmin):
    list_display = ("park", "status", "period_years", "extension_years", "national_recommended")
    list_filter = ("status",)
    list_select_related = ("park",)


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyProvinceAdmin):
    list_display = ("project", "year", "status", "due_on", "submitted_at")
    list_filter = ("status", "year")
    list_select_related = ("project__park",)


@admin.register(RectificationOrder)
class RectificationOrderAdmin(ReadOnlyProvinceAdmin):
    list_display = ("project", "number", "title", "status", "deadline")
    list_filter = ("status",)
    list_select_related = ("project__park",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(ReadOnlyProvinceAdmin):
    list_display = ("project", "assessment_year", "conclusion", "submitted_at")
    list_select_related = ("project__park",)


@admin.register(AcceptanceEvaluation)
class AcceptanceEvaluationAdmin(ReadOnlyProvinceAdmin):
    list_display = ("project", "assessment_year", "status", "decision", "decided_at")
    list_filter = ("status", "decision")
    list_select_related = ("project__park",)


@admin.register(ExpertReview)
class ExpertReviewAdmin(ReadOnlyProvinceAdmin):
    list_display = ("evaluation", "expert", "status", "total_score", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("evaluation__project__park", "expert")


@admin.register(AcceptanceReport)
class AcceptanceReportAdmin(ReadOnlyProvinceAdmin):
    list_display = ("evaluation", "status", "page_count", "rendered_at")
    list_filter = ("status",)
    list_select_related = ("evaluation__project__park",)


@admin.register(CityProgressReport)
class CityProgressReportAdmin(ReadOnlyProvinceAdmin):
    list_display = ("city", "period", "status", "due_on", "submitted_at")
    list_filter = ("status", "period")
    list_select_related = ("city",)


@admin.register(NationalRecommendation)
class NationalRecommendationAdmin(ReadOnlyProvinceAdmin):
    list_display = ("project", "recommended_on", "document_no", "decided_by")
    list_select_related = ("project__park", "decided_by")


@admin.register(ParkArchive)
class ParkArchiveAdmin(ReadOnlyProvinceAdmin):
    list_display = ("park", "kind", "project", "audience", "status", "size_bytes", "created_at")
    list_filter = ("kind", "status")
    list_select_related = ("park", "project__park")
