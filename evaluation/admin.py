from __future__ import annotations

from django.contrib import admin

from .models import (
    AcceptanceEvaluation,
    AcceptanceReport,
    AnnualReport,
    ConstructionProject,
    ExpertReview,
    RectificationOrder,
    SelfAssessment,
)


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(admin.ModelAdmin):
    list_display = ("park", "status", "period_years", "extension_years", "national_recommended")
    list_filter = ("status",)
    list_select_related = ("park",)

    # Changes go through the services (they audit and notify); the admin reads.
    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


for model in (
    AnnualReport,
    RectificationOrder,
    SelfAssessment,
    AcceptanceEvaluation,
    ExpertReview,
    AcceptanceReport,
):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (admin.ModelAdmin,),
            {"has_change_permission": lambda self, request, obj=None: False},
        ),
    )
