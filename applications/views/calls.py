"""Calls for applications (申报批次): the province drafts, opens and closes them; the others read them.

The province sees every call, observers every call but drafts, park staff and city reviewers the open
ones. Application counts and lists on these pages follow the user's application scope.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from parks.models import Role
from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.models import AuditEvent
from zcpark.core.sheets import export_filename, xlsx_response

from .. import list_exports, permissions, selectors, services
from ..call_forms import CallForm, CallTransitionForm
from ..list_forms import CallFilterForm
from ..models import Call, CallStatus
from ..selectors.calls import call_filter

TIMELINE_LIMIT = 50


# ---- pages -----------------------------------------------------------------------------------


def _require_manager(user: Any) -> None:
    if not permissions.can_manage_calls(user):
        raise PermissionDenied


def _call_query(request: HttpRequest) -> tuple[CallFilterForm, QuerySet[Call]]:
    """The calls the user may see, narrowed as the URL asks (the page and its export share it)."""
    if not permissions.can_view_calls(request.user):
        raise PermissionDenied
    statuses = CallStatus.choices
    if not permissions.can_manage_calls(request.user):
        statuses = [(value, label) for value, label in statuses if value != CallStatus.DRAFT]
    form = CallFilterForm(request.GET, statuses=statuses)
    calls = call_filter(selectors.call_list_visible_to(request.user), **form.values())
    return form, calls


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    form, calls = _call_query(request)
    rows = selectors.call_rows(request.user, calls)
    return render(
        request,
        "applications/call_list.html",
        {
            "rows": rows,
            "filters": form.values(),
            "statuses": form.fields["status"].choices[1:],  # type: ignore[attr-defined]
            "can_manage": permissions.can_manage_calls(request.user),
            "whole_program": can_view_whole_program(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def call_list_export(request: HttpRequest) -> HttpResponse:
    """The calls list as the page shows it, with the user's applications counted by state, in Excel."""
    form, calls = _call_query(request)
    rows = selectors.call_rows(request.user, calls)
    names = {"status": {value: str(label) for value, label in CallStatus.choices}}
    content = list_exports.call_list_workbook(rows, filters=form.shown(names))
    return xlsx_response(content, filename=export_filename(_("Calls for applications")))


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get_for_user(user=user, pk=pk)
    return render(
        request,
        "applications/call_detail.html",
        {
            "call": call,
            "groups": selectors.city_groups(call, selectors.application_list_visible_to(user=user)),
            "show_quota": getattr(user, "role", None) != Role.PARK_STAFF,
            "events": AuditEvent.objects.for_object(call)[:TIMELINE_LIMIT]
            if can_view_whole_program(user)
            else None,
            "can_manage": permissions.can_manage_calls(user),
            "accepting": permissions.is_call_accepting(call, timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request.user)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The call was drafted; open it when parks may apply."))
            return redirect("applications:call-detail", pk=call.pk)
    return render(request, "applications/call_form.html", {"form": form, "call": None})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(by=request.user, call=call, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, service_error_text(exc))
        else:
            messages.success(request, _("The call was saved."))
            return redirect("applications:call-detail", pk=call.pk)
    return render(request, "applications/call_form.html", {"form": form, "call": call})


@login_required
@require_http_methods(["GET", "POST"])
def call_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ``?action=open|close`` asks for confirmation; POST does it."""
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = CallTransitionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Unknown action."))
    elif request.method == "GET":
        return render(request, "applications/call_confirm.html", {"call": call, "form": form})
    else:
        try:
            services.call_transition(by=request.user, call=call, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, service_error_text(exc))
        else:
            opened = form.cleaned_data["action"] == "open"
            messages.success(request, _("The call is open.") if opened else _("The call is closed."))
    return redirect("applications:call-detail", pk=call.pk)


urls = [
    path("calls/", call_list, name="call-list"),
    path("calls/export/", call_list_export, name="call-list-export"),
    path("calls/new/", call_create, name="call-create"),
    path("calls/<int:pk>/", call_detail, name="call-detail"),
    path("calls/<int:pk>/edit/", call_edit, name="call-edit"),
    path("calls/<int:pk>/transition/", call_transition, name="call-transition"),
]
