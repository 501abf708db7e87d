from __future__ import annotations

from django.urls import path

from . import token_views, views

urlpatterns = [
    path("auth/token/", token_views.TokenApi.as_view(), name="api-token"),
    path("auth/tokens/", token_views.TokenListApi.as_view(), name="api-token-list"),
    path("auth/tokens/<str:ref>/", token_views.TokenDetailApi.as_view(), name="api-token-detail"),
    path("parks/", views.ParkListApi.as_view(), name="api-park-list"),
    path("parks/<int:pk>/", views.ParkDetailApi.as_view(), name="api-park-detail"),
]
