from __future__ import annotations

from django.urls import path

from . import import_views

app_name = "core"

urlpatterns = [
    path("<int:pk>/", import_views.import_preview_page, name="import-preview"),
    path("<int:pk>/commit/", import_views.import_commit_view, name="import-commit"),
    path("<int:pk>/discard/", import_views.import_discard_view, name="import-discard"),
    path("<int:pk>/undo/", import_views.import_rollback_view, name="import-rollback"),
]
