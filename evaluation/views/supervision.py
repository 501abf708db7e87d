"""督导: the province's list of parks to supervise (lagging on the core indicator, late with a report) from
which it orders rectification, and a project's extension at the end of its period (the city requests, the
province decides).

A city reviewer reads its own parks' rows and requests extensions for them; observers read; park staff do
not see the list (403). Out of scope is 404, as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from parks.models import City
from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.sheets import export_filename, xlsx_response

from .. import list_exports, permissions, selectors, services
from ..forms import ExtensionDecisionForm, ExtensionRequestForm
from ..models import ExtensionRequest, ExtensionStatus, ProjectStatus
from ..selectors.supervision import (
    ORDER_NONE,
    ORDER_OPEN,
    REASON_LAGGING,
    REASON_OVERDUE,
    SupervisionFilters,
    supervision_rows,
)
from ..services.supervision import core_fails_at_period_end
from ..workflow import EXTENSION
from ..workflow.common import extension_room
from .projects import PAGE_SIZE, _require


@login_required
@require_GET
def supervision_list(request: HttpRequest) -> HttpResponse:
    """The parks to supervise, filtered from the URL; ``?format=xlsx`` exports every matching row."""
    _require(permissions.can_view_supervision(request.user))
    filters = SupervisionFilters.from_query(request.GET)
    today = timezone.localdate()
    rows = supervision_rows(user=request.user, filters=filters, today=today)
    reasons = {REASON_LAGGING: _("Core indicator lagging"), REASON_OVERDUE: _("Annual report overdue")}
    orders = {ORDER_OPEN: _("An order is open"), ORDER_NONE: _("No open order")}
    if request.GET.get("format") == "xlsx":
        shown = {
            _("Search"): filters.q,
            _("City"): list_exports.city_label(filters.city),
            _("Reason"): str(reasons.get(filters.reason, "")),
            _("Orders"): str(orders.get(filters.order, "")),
        }
        content = list_exports.supervision_workbook(rows, filters=shown)
        return xlsx_response(content, filename=export_filename(_("Parks to supervise")))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": page.object_list,
        "filters": filters,
        "reasons": list(reasons.items()),
        "orders": list(orders.items()),
        "cities": City.objects.order_by("code") if can_view_whole_program(request.user) else [],
        "can_supervise": permissions.can_supervise(request.user),
    }
    return render(request, "evaluation/projects/supervision_list.html", context)


# ---- the extension at the period's end ------------------------------------------------------------------


def _extension_act(request: HttpRequest, project: Any, pending: ExtensionRequest | None, forms: dict) -> bool:
    """Run the posted action; True when done (the page redirects)."""
    action = request.POST.get("action", "")
    if action == "request":
        _require(permissions.is_city_reviewer_of(request.user, project))
        form = forms["request_form"]
        if form is None:
            # Not offered now (another request waits, the indicator passes, no year left…): the service
            # says why, as a message (the page has no form to show it on).
            years = request.POST.get("years", "").strip()
            services.extension_request_file(
                by=request.user,
                project=project,
                years=int(years) if years.isdigit() else None,
                reason=request.POST.get("reason", ""),
            )
        elif not form.is_valid():
            return False
        else:
            services.extension_request_file(by=request.user, project=project, **form.cleaned_data)
        messages.success(request, _("The extension was requested; the Provincial DRC has been told."))
        return True
    _require(action in EXTENSION.by_verb and permissions.can_supervise(request.user))
    form = forms["decision_form"]
    if pending is None or form is None or not form.is_valid():
        if pending is None:
            messages.error(request, _("No extension request is waiting for a decision."))
            return True
        return False
    services.extension_decide(by=request.user, request=pending, decision=action, **form.cleaned_data)
    messages.success(
        request,
        _("The extension was approved: the park is under construction again.")
        if action == "approve"
        else _("The extension was rejected."),
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def project_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's extension requests; the city requests one at the period's end when the core indicator
    fails, the province approves or rejects it."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    user = request.user
    requests = list(project.extension_requests.select_related("requested_by", "decided_by"))
    pending = next((r for r in requests if r.status == ExtensionStatus.REQUESTED), None)
    room = extension_room(project)
    at_period_end = project.status == ProjectStatus.SELF_ASSESSMENT
    failing = at_period_end and core_fails_at_period_end(project)
    may_request = permissions.is_city_reviewer_of(user, project) and failing and room and pending is None
    posted = request.POST if request.method == "POST" else None
    action = posted.get("action", "") if posted else ""
    forms = {
        "request_form": ExtensionRequestForm(posted if action == "request" else None, room=room)
        if may_request
        else None,
        "decision_form": ExtensionDecisionForm(posted if action in EXTENSION.by_verb else None)
        if pending is not None and permissions.can_supervise(user)
        else None,
    }
    if posted is not None:
        form = forms["request_form"] if action == "request" else forms["decision_form"]
        try:
            if _extension_act(request, project, pending, forms):
                return redirect("evaluation:project-extension", pk=project.pk)
        except ValidationError as exc:
            if form is None:
                messages.error(request, service_error_text(exc))
                return redirect("evaluation:project-extension", pk=project.pk)
            add_service_errors(form, exc)
        except ApplicationError as exc:
            messages.error(request, service_error_text(exc))
            return redirect("evaluation:project-extension", pk=project.pk)
    context = {
        "project": project,
        "requests": requests,
        "pending": pending,
        "room": room,
        "at_period_end": at_period_end,
        "failing": failing,
        **forms,
    }
    return render(
        request, "evaluation/projects/project_extension.html", context, status=400 if posted else 200
    )


urls = [
    path("supervision/", supervision_list, name="supervision-list"),
    path("projects/<int:pk>/extension/", project_extension, name="project-extension"),
]
