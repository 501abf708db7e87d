from __future__ import annotations

from django.urls import path

from .monthly import views as monthly
from .views import (
    bulk,
    city_reports,
    dashboard,
    declarations,
    evaluations,
    national,
    projects,
    self_assessment,
    supervision,
    threads,
)

app_name = "evaluation"

urlpatterns = [
    *projects.urls,
    *national.urls,
    *self_assessment.urls,
    *evaluations.urls,
    path("evaluations/<int:pk>/scores.xlsx", evaluations.scores_export, name="scores-export"),
    *bulk.urls,
    *supervision.urls,
    *dashboard.urls,
    *city_reports.urls,
    *threads.urls,
    *monthly.urls,
    *declarations.urls,
]
