from __future__ import annotations

from django.urls import path

from . import calculator_views, draft_views, quality_views, views

app_name = "indicators"
urlpatterns = [
    path("calculator/", calculator_views.calculator, name="calculator"),
    path("calculator/download/", calculator_views.calculator_download, name="calculator-download"),
    path("calculator/template.xlsx", calculator_views.calculator_template, name="calculator-template"),
    path("factors/", views.factor_list, name="factor-list"),
    path("factors/grid-factors/new/", views.factor_set_edit, {"kind": "grid-factor"}, name="grid-factor-add"),
    path("factors/<slug:kind>/new/", views.factor_set_edit, name="factor-set-edit"),
    path("schemes/<slug:code>/new/", views.scheme_version_create, name="scheme-version-create"),
    path("quality-rules/", quality_views.quality_rule_list, name="quality-rule-list"),
    path("quality-rules/<slug:kind>/", quality_views.quality_rule_edit, name="quality-rule-edit"),
    path("factors/drafts/<slug:kind>/<int:pk>/", draft_views.draft_detail, name="draft-detail"),
]
