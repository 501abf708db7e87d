"""The provincial dashboard (province and observers) and the public progress page (everyone)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.permissions import can_view_whole_program
from zcpark.core.sheets import export_filename, xlsx_response

from ..list_exports import attainment_workbook
from ..permissions import can_remind_late_reports
from ..selectors.dashboard import dashboard_overview, plan_goals
from ..selectors.public_progress import public_progress


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The programme at a glance; ``?format=xlsx`` exports its attainment matrix."""
    if not can_view_whole_program(request.user):
        raise PermissionDenied
    board = dashboard_overview(today=timezone.localdate())
    if request.GET.get("format") == "xlsx":
        return xlsx_response(attainment_workbook(board), filename=export_filename(_("Indicator attainment")))
    context = {
        "board": board,
        "plan": plan_goals(),
        "chart": board.by_city.chart(),
        "can_remind": can_remind_late_reports(request.user),
    }
    return render(request, "evaluation/dashboard/dashboard.html", context)


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
