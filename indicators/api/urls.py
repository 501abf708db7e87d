from __future__ import annotations

from django.urls import path

from . import park_views, views

urlpatterns = [
    path("calculator/", views.CalculatorApi.as_view(), name="api-calculator"),
    path(
        "parks/<int:park_id>/datasets/<int:year>/",
        park_views.ParkDatasetPushApi.as_view(),
        name="api-park-dataset",
    ),
    path(
        "parks/<int:park_id>/results/<int:year>/",
        park_views.ParkResultsApi.as_view(),
        name="api-park-results",
    ),
]
