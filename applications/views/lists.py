"""Construction lists: the province's drafting and publishing pages, and the public list pages.

Drafts and notices in progress are the province's (observers read them); the public pages show the
published lists and the ones on public notice to everyone, signed in or not.
"""

from __future__ import annotations

import datetime as dt
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

from parks.models import City
from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.models import AuditEvent
from zcpark.core.sheets import export_filename, xlsx_response

from .. import list_exports, permissions, selectors, services
from ..list_forms import (
    ConstructionListFilterForm,
    ConstructionListForm,
    ListEntryFilterForm,
    ListTransitionForm,
)
from ..models import ConstructionList, ConstructionListEntry, ListStatus
from ..selectors import objections as objection_selectors
from ..selectors.lists import construction_list_filter
from .calls import TIMELINE_LIMIT

# The public notice (公示) usually runs five working days: a week is the default objection period.
OBJECTION_DAYS_DEFAULT = 7


# ---- the province's pages --------------------------------------------------------------------


def _require_reader(user: Any) -> None:
    if not can_view_whole_program(user):
        raise PermissionDenied


def _lists_query(request: HttpRequest) -> tuple[ConstructionListFilterForm, QuerySet[ConstructionList]]:
    _require_reader(request.user)
    form = ConstructionListFilterForm(request.GET)
    return form, construction_list_filter(selectors.construction_list_all(), **form.values())


@login_required
def list_manage(request: HttpRequest) -> HttpResponse:
    form, lists = _lists_query(request)
    return render(
        request,
        "applications/list_manage.html",
        {
            "lists": lists,
            "filters": form.values(),
            "statuses": ListStatus.choices,
            "can_manage": permissions.can_manage_lists(request.user),
        },
    )


@login_required
def list_manage_export(request: HttpRequest) -> HttpResponse:
    """The construction lists as the page shows them, in an Excel sheet."""
    form, lists = _lists_query(request)
    names = {"status": {value: str(label) for value, label in ListStatus.choices}}
    content = list_exports.construction_lists_workbook(lists, filters=form.shown(names))
    return xlsx_response(content, filename=export_filename(_("Construction lists")))


def _entries_query(
    request: HttpRequest, pk: int
) -> tuple[ConstructionList, ListEntryFilterForm, QuerySet[ConstructionListEntry]]:
    construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
    _require_reader(request.user)
    form = ListEntryFilterForm(request.GET)
    entries = selectors.construction_list_entries(construction_list, **form.values())
    return construction_list, form, entries


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    construction_list, form, entries = _entries_query(request, pk)
    today = timezone.localdate()
    deadline = construction_list.objection_deadline
    return render(
        request,
        "applications/list_detail.html",
        {
            "construction_list": construction_list,
            "entries": entries,
            "filters": form.values(),
            "cities": City.objects.order_by("code"),
            "events": AuditEvent.objects.for_object(construction_list)[:TIMELINE_LIMIT],
            "can_manage": permissions.can_manage_lists(request.user),
            "default_deadline": today + dt.timedelta(days=OBJECTION_DAYS_DEFAULT),
            "today": today,
            "publish_open": deadline is not None and today >= deadline,
            **objection_selectors.list_notice_context(construction_list),
        },
    )


@login_required
def list_detail_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The parks on one construction list (as filtered on its page), in an Excel sheet."""
    construction_list, form, entries = _entries_query(request, pk)
    city = form.values()["city"]
    names = {"city": dict(City.objects.filter(code=city).values_list("code", "name"))} if city else {}
    content = list_exports.list_entries_workbook(construction_list, entries, filters=form.shown(names))
    return xlsx_response(content, filename=export_filename(construction_list.title))


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    permissions.require_list_manager(request.user)
    form = ConstructionListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            construction_list = services.construction_list_create(
                by=request.user,
                title=form.cleaned_data["title"],
                document_no=form.cleaned_data["document_no"],
                application_ids=form.application_ids(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The list was drafted."))
            return redirect("applications:list-detail", pk=construction_list.pk)
    return render(request, "applications/list_form.html", {"form": form, "construction_list": None})


@login_required
@require_http_methods(["GET", "POST"])
def list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
    permissions.require_list_manager(request.user)
    form = ConstructionListForm(request.POST or None, construction_list=construction_list)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "applications": form.application_ids()}
        try:
            services.construction_list_update(by=request.user, construction_list=construction_list, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, service_error_text(exc))
        else:
            messages.success(request, _("The list was saved."))
            return redirect("applications:list-detail", pk=construction_list.pk)
    return render(
        request, "applications/list_form.html", {"form": form, "construction_list": construction_list}
    )


@login_required
@require_http_methods(["GET", "POST"])
def list_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """GET ``?action=notice|publish`` asks for confirmation; POST does it."""
    construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
    permissions.require_list_manager(request.user)
    form = ListTransitionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    elif request.method == "GET":
        context = {
            "construction_list": construction_list,
            "form": form,
            "entries": selectors.construction_list_entries(construction_list),
        }
        return render(request, "applications/list_confirm.html", context)
    else:
        try:
            services.construction_list_transition(
                by=request.user, construction_list=construction_list, **form.cleaned_data
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, service_error_text(exc))
        else:
            noticed = form.cleaned_data["action"] == "notice"
            messages.success(
                request, _("The list is on public notice.") if noticed else _("The list is published.")
            )
    return redirect("applications:list-detail", pk=construction_list.pk)


# ---- public pages ----------------------------------------------------------------------------


def public_lists(request: HttpRequest) -> HttpResponse:
    """Published lists (and lists on public notice), for everyone, signed in or not."""
    return render(
        request,
        "applications/public_lists.html",
        {"published": selectors.public_list_published(), "on_notice": selectors.public_list_on_notice()},
    )


def public_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published list (or one on public notice), for everyone."""
    return render(request, "applications/list_public.html", {"clist": selectors.public_list_get(pk=pk)})


urls = [
    path("lists/", list_manage, name="list-manage"),
    path("lists/export/", list_manage_export, name="list-manage-export"),
    path("lists/new/", list_create, name="list-create"),
    path("lists/<int:pk>/", list_detail, name="list-detail"),
    path("lists/<int:pk>/export/", list_detail_export, name="list-detail-export"),
    path("lists/<int:pk>/edit/", list_edit, name="list-edit"),
    path("lists/<int:pk>/transition/", list_transition, name="list-transition"),
    path("public/lists/", public_lists, name="public-lists"),
    path("public/lists/<int:pk>/", public_list_detail, name="public-list-detail"),
]
