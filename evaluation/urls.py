from __future__ import annotations

from django.urls import path

from .views import bulk, dashboard, declarations, evaluations, projects, self_assessment, threads

app_name = "evaluation"

urlpatterns = [
    *projects.urls,
    *self_assessment.urls,
    *evaluations.urls,
    path("evaluations/<int:pk>/scores.xlsx", evaluations.scores_export, name="scores-export"),
    *bulk.urls,
    *dashboard.urls,
    *threads.urls,
    *declarations.urls,
]
