from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("auth/token/", views.TokenApi.as_view(), name="api-token"),
    path("parks/", views.ParkListApi.as_view(), name="api-park-list"),
    path("parks/<int:pk>/", views.ParkDetailApi.as_view(), name="api-park-detail"),
]
