from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("calculator/", views.CalculatorApi.as_view(), name="api-calculator"),
]
