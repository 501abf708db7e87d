"""公示 objections: the province records and answers them and drops parks from a list on public notice;
the park's staff and its city read the objections about their park (read-only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parks.permissions import can_view_whole_program
from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors
from zcpark.core.models import AuditEvent

from .. import permissions, selectors, services
from ..models import ObjectionStatus
from ..objection_forms import ObjectionAnswerForm, ObjectionForm, ParkDropForm
from ..selectors import objections as objection_selectors


@login_required
@require_http_methods(["GET", "POST"])
def objection_record(request: HttpRequest, pk: int) -> HttpResponse:
    construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
    permissions.require_list_manager(request.user)
    form = ObjectionForm(request.POST or None, request.FILES or None, construction_list=construction_list)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = data["evidence"]
        try:
            objection = services.objection_record(
                by=request.user,
                construction_list=construction_list,
                park_id=data["park"],
                raised_by=data["raised_by"],
                contact=data["contact"],
                received_on=data["received_on"],
                text=data["text"],
                evidence=evidence,
                evidence_name=evidence.name if evidence else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, service_error_text(exc))
        else:
            messages.success(request, _("The objection was recorded; the park and its city were told."))
            return redirect("applications:objection-detail", pk=objection.pk)
    context = {"form": form, "construction_list": construction_list}
    return render(request, "applications/objection_form.html", context)


@login_required
@require_GET
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objection_selectors.objection_get_for_user(user=request.user, pk=pk)
    can_answer = permissions.can_manage_lists(request.user) and objection.status == ObjectionStatus.OPEN
    context = {
        "objection": objection,
        "sees_objector": can_view_whole_program(request.user),
        "can_answer": can_answer,
        "answer_form": ObjectionAnswerForm() if can_answer else None,
        "events": AuditEvent.objects.for_object(objection),
    }
    return render(request, "applications/objection_detail.html", context)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    objection = objection_selectors.objection_get_for_user(user=request.user, pk=pk)
    permissions.require_list_manager(request.user)
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.objection_answer(
                by=request.user, objection=objection, answer=form.cleaned_data["answer"]
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, service_error_text(exc))
        else:
            messages.success(request, _("The answer was saved; the park and its city were told."))
    return redirect("applications:objection-detail", pk=objection.pk)


@login_required
@require_GET
def objection_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence under its original name: the province's and observers' (it may name the objector)."""
    objection = objection_selectors.objection_get_for_user(user=request.user, pk=pk)
    if not can_view_whole_program(request.user):
        raise PermissionDenied
    if not objection.evidence:
        raise Http404
    response = FileResponse(
        objection.evidence.open("rb"), as_attachment=True, filename=objection.evidence_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def list_park_drop(request: HttpRequest, pk: int) -> HttpResponse:
    construction_list = selectors.construction_list_get_for_user(user=request.user, pk=pk)
    permissions.require_list_manager(request.user)
    form = ParkDropForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.list_park_drop(
                by=request.user,
                construction_list=construction_list,
                park_id=form.cleaned_data["park"],
                reason=form.cleaned_data["reason"],
            )
        except (ApplicationError, ValidationError) as exc:
            messages.error(request, service_error_text(exc))
        else:
            messages.success(
                request, _("The park was dropped from the list; its application stays approved.")
            )
    return redirect("applications:list-detail", pk=construction_list.pk)


urls = [
    path("lists/<int:pk>/objections/new/", objection_record, name="objection-record"),
    path("lists/<int:pk>/drop/", list_park_drop, name="list-park-drop"),
    path("lists/objections/<int:pk>/", objection_detail, name="objection-detail"),
    path("lists/objections/<int:pk>/answer/", objection_answer, name="objection-answer"),
    path("lists/objections/<int:pk>/evidence/", objection_evidence, name="objection-evidence"),
]
