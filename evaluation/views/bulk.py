"""Actions on several items at once: the province assigns the same experts to several evaluations, and the
province (or a city, for its own parks) reminds every park late with its annual report.

Each asks first on a page of its own that names what will happen and to whom (it works without
scripts); the services do the work in one transaction, each item as the single action would.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from parks.models import Role, User
from parks.two_factor import safe_next
from zcpark.core.exceptions import ApplicationError, service_error_text

from ..models import EvaluationStatus
from ..permissions import can_remind_late_reports, can_supervise
from ..selectors.acceptance import evaluation_list_visible_to, expert_candidates
from ..selectors.projects import late_parks
from ..services.acceptance import experts_assign_bulk
from ..services.annual_reports import late_reports_remind

BULK_MAX = 100  # evaluations picked at once (a page holds 25)


def _ids(values: list[str]) -> list[int]:
    return sorted({int(value) for value in values if value.isdigit()})[:BULK_MAX]


# ---- experts for several evaluations -------------------------------------------------------------


@login_required
@require_POST
def experts_assign_bulk_view(request: HttpRequest) -> HttpResponse:
    """From the list's ticked evaluations, a page naming their parks where the experts are chosen; sent
    from there (``confirm``), the assignment: all or nothing, each evaluation audited and its experts
    notified as on its own page."""
    if not can_supervise(request.user):
        raise PermissionDenied
    evaluation_ids = _ids(request.POST.getlist("evaluations"))
    evaluations = list(evaluation_list_visible_to(user=request.user).filter(pk__in=evaluation_ids))
    if len(evaluations) != len(evaluation_ids):
        raise Http404  # an evaluation outside one's sight (or gone) is not found
    back = reverse("evaluation:evaluation-list")
    decided = [str(e.project.park) for e in evaluations if e.status != EvaluationStatus.IN_REVIEW]
    if not evaluations or decided:
        messages.error(
            request,
            _("Already decided: %(parks)s.") % {"parks": "、".join(decided)}
            if decided
            else _("Tick at least one evaluation under expert review."),
        )
        return redirect(back)
    # The active review experts, each flagged as on an evaluation's own page: the only ones offered.
    candidates = expert_candidates(parks=[e.project.park for e in evaluations])
    chosen = _ids(request.POST.getlist("experts"))
    context: dict[str, Any] = {
        "evaluations": evaluations,
        "candidates": candidates,
        "chosen": chosen,
        "back": back,
    }
    if request.POST.get("confirm") != "on":
        return render(request, "evaluation/dashboard/experts_assign_bulk.html", context)
    picked = list(User.objects.filter(pk__in=chosen))
    if not picked:
        context["error"] = _("Choose at least one expert.")
        return render(request, "evaluation/dashboard/experts_assign_bulk.html", context, status=400)
    try:
        assigned = experts_assign_bulk(by=request.user, evaluations=evaluations, experts=picked)
    except (ApplicationError, ValidationError) as exc:
        context["error"] = _("Nothing was assigned. %(reason)s") % {"reason": service_error_text(exc)}
        return render(request, "evaluation/dashboard/experts_assign_bulk.html", context, status=400)
    count = sum(len(reviews) for reviews in assigned.values())
    messages.success(
        request,
        ngettext(
            "%(count)s assignment made on %(evaluations)s evaluation; the experts were notified.",
            "%(count)s assignments made on %(evaluations)s evaluations; the experts were notified.",
            count,
        )
        % {"count": count, "evaluations": len(assigned)},
    )
    return redirect(back)


# ---- reminding the parks late with their annual reports -----------------------------------------


def _next(request: HttpRequest) -> str:
    """Where to go back to: the page that asked (a local one), else the project list."""
    target = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, target, reverse("evaluation:project-list"))


@login_required
@require_http_methods(["GET", "POST"])
def late_reports_remind_view(request: HttpRequest) -> HttpResponse:
    """GET: the parks late with an annual report that the user sees, and which would be reminded now (those
    reminded earlier today are not reminded again). POST: send, once a day per park."""
    if not can_remind_late_reports(request.user):
        raise PermissionDenied
    back = _next(request)
    if request.method == "POST":
        result = late_reports_remind(by=request.user)
        if result.sent:
            messages.success(
                request,
                ngettext(
                    "%(count)s park was reminded: %(parks)s.",
                    "%(count)s parks were reminded: %(parks)s.",
                    len(result.sent),
                )
                % {"count": len(result.sent), "parks": "、".join(result.sent)},
            )
        else:
            messages.info(
                request, _("No reminder was sent: every late park has been reminded today already.")
            )
        if result.unreachable:
            messages.warning(
                request,
                _("No active account to notify at: %(parks)s.") % {"parks": "、".join(result.unreachable)},
            )
        return redirect(back)
    parks = late_parks(user=request.user, today=timezone.localdate())
    pending = [park for park in parks if not park.reminded_today]
    context: dict[str, Any] = {
        "parks": parks,
        "pending": pending,
        "already": [park for park in parks if park.reminded_today],
        "back": back,
        "by_city": getattr(request.user, "role", "") == Role.CITY_REVIEWER,
    }
    return render(request, "evaluation/dashboard/late_reports_remind.html", context)


urls = [
    path("evaluations/experts/bulk/", experts_assign_bulk_view, name="experts-assign-bulk"),
    path("projects/late-reports/remind/", late_reports_remind_view, name="late-reports-remind"),
]
