"""The provincial dashboard (province and observers) and the public progress page (everyone)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from parks.permissions import can_view_whole_program

from ..selectors.dashboard import dashboard_overview, plan_goals
from ..selectors.public_progress import public_progress


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can_view_whole_program(request.user):
        raise PermissionDenied
    board = dashboard_overview(today=timezone.localdate())
    return render(
        request,
        "evaluation/dashboard/dashboard.html",
        {"board": board, "plan": plan_goals(), "chart": board.by_city.chart()},
    )


def progress_public(request: HttpRequest) -> HttpResponse:
    progress = public_progress()
    return render(
        request,
        "evaluation/dashboard/public_progress.html",
        {"progress": progress, "plan": plan_goals(), "chart": progress.by_city.chart()},
    )


urls = [
    path("dashboard/", dashboard, name="dashboard"),
    path("public/progress/", progress_public, name="public-progress"),
]
