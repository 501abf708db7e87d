"""Pages that belong to no single app: the landing page, each role's home page, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from parks import permissions
from parks.selectors import home_summary

from .health import health_report


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html")


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    summary = home_summary(user=request.user)
    return render(
        request,
        "core/home.html",
        {
            "summary": summary,
            "can_manage_users": permissions.can_manage_users(request.user),
            "can_create_park": permissions.can_create_park(request.user),
            "can_manage_reference_data": permissions.can_manage_reference_data(request.user),
            "can_edit_own_park": summary.park is not None
            and permissions.can_edit_park_profile(request.user, summary.park),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
