"""Read-only admin views: versions and results change only through the services (and their audit)."""

from __future__ import annotations

from django.contrib import admin

from parks.admin_access import ReadOnlyProvinceAdmin

from .models import FactorSet, IndicatorResult, ParkDataset, Scheme


@admin.register(FactorSet)
class FactorSetAdmin(ReadOnlyProvinceAdmin):
    list_display = ["name", "title", "is_current", "based_on", "created_at", "created_by"]
    list_filter = ["family", "is_current"]
    list_select_related = ["based_on", "created_by"]
    search_fields = ["name", "title", "comment"]


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyProvinceAdmin):
    list_display = ["code", "version", "title", "is_current", "created_at", "created_by"]
    list_filter = ["code", "is_current"]
    list_select_related = ["created_by"]
    search_fields = ["code", "title", "comment"]


@admin.register(ParkDataset)
class ParkDatasetAdmin(ReadOnlyProvinceAdmin):
    list_display = ["park", "year", "updated_at", "created_by"]
    list_filter = ["year"]
    list_select_related = ["park", "created_by"]
    search_fields = ["park__name"]


@admin.register(IndicatorResult)
class IndicatorResultAdmin(ReadOnlyProvinceAdmin):
    list_display = [
        "dataset",
        "scheme_code",
        "scheme_version",
        "factor_set_name",
        "engine_version",
        "ok",
        "core_passed",
        "computed_at",
        "superseded_at",
    ]
    list_filter = ["scheme_code", "ok", "core_passed", "factor_set_name"]
    list_select_related = ["dataset", "dataset__park"]
    search_fields = ["dataset__park__name", "reason"]
    date_hierarchy = "computed_at"
