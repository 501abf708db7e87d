from __future__ import annotations

from .views import dashboard, evaluations, projects

app_name = "evaluation"

urlpatterns = [*projects.urls, *evaluations.urls, *dashboard.urls]
