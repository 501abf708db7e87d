"""The dossier's attachments section: the evidence the review needs, added and removed by the park's
staff while the dossier may change, downloaded by everyone who sees the dossier."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors

from .. import permissions, selectors, services
from ..forms import AttachmentForm
from ..models import AttachmentKind, SectionCode
from .dossier import _page

# --- Attachments --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def section_attachments(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    required = selectors.required_attachment_kinds(application)
    post = request.method == "POST"
    form = AttachmentForm(
        request.POST if post else None,
        request.FILES if post else None,
        required_kinds=required,
        max_bytes=settings.ATTACHMENT_MAX_BYTES,
    )
    if post:
        if not permissions.can_edit_dossier(request.user, application):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.attachment_add(
                    by=request.user,
                    application=application,
                    kind=data["kind"],
                    file=data["file"],
                    name=data["file"].name,
                    title=data["title"],
                    indicator=data["indicator"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("%(name)s was attached.") % {"name": data["file"].name})
                return redirect("applications:section-attachments", pk=application.pk)
    attachments = list(selectors.attachment_list(application))
    present = {a.kind for a in attachments}
    context = _page(
        request,
        application,
        SectionCode.ATTACHMENTS,
        form=form,
        attachments=attachments,
        required=[
            {"kind": kind, "label": AttachmentKind(kind).label, "present": kind in present}
            for kind in required
        ],
    )
    return render(request, "applications/section_attachments.html", context)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file under its original (possibly Chinese) name: RFC 5987 ``filename*`` in the header."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(selectors.attachment_list(application), pk=attachment_pk)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    attachment = get_object_or_404(selectors.attachment_list(application), pk=attachment_pk)
    if not permissions.can_edit_dossier(request.user, application):
        raise PermissionDenied
    try:
        services.attachment_remove(by=request.user, attachment=attachment)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
    return redirect("applications:section-attachments", pk=application.pk)


urls = [
    path("applications/<int:pk>/attachments/", section_attachments, name="section-attachments"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        attachment_download,
        name="attachment-download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachment_delete,
        name="attachment-delete",
    ),
]
