from __future__ import annotations

from .views import dashboard, evaluations, projects, self_assessment

app_name = "evaluation"

urlpatterns = [*projects.urls, *self_assessment.urls, *evaluations.urls, *dashboard.urls]
