"""Dossier exports: request a PDF or ZIP, watch it being built (htmx), download it, ask again for one that
failed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zcpark.core.models import FileStatus

from .. import exports, selectors
from ..models import Application, DossierExport
from ..permissions import can_export_application
from ..services.exports import dossier_export_request, dossier_export_retry

PARTIAL = "applications/partials/_exports.html"


def _exports_block(request: HttpRequest, application: Application) -> HttpResponse:
    context = {"application": application, "exports": exports.dossier_export_list(application)}
    response = render(request, PARTIAL, context)
    response["Cache-Control"] = "no-store"
    return response


def _export_queued(request: HttpRequest, application: Application, export: DossierExport) -> HttpResponse:
    """After an export was asked for: htmx gets the refreshed block, a plain form a redirect and a note
    saying where the file stands (a worker running in-process has built it already)."""
    if request.headers.get("HX-Request"):
        response = _exports_block(request, application)
    else:
        export.refresh_from_db(fields=["status"])
        if export.status == FileStatus.READY:
            messages.success(request, _("The file is ready: download it from the list below."))
        elif export.status == FileStatus.FAILED:
            messages.error(request, _("The file could not be prepared: ask for it again below."))
        else:
            messages.success(
                request, _("The file is being prepared; the list below shows it as soon as it is ready.")
            )
        response = redirect("applications:application-detail", pk=application.pk)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def application_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a PDF or ZIP of the dossier; htmx gets the refreshed block, a plain form a redirect."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    try:
        export = dossier_export_request(
            by=request.user, application=application, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return _export_queued(request, application, export)


@login_required
@require_POST
def export_retry(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    """Ask again for a failed export (the same one goes back to being prepared); htmx gets the refreshed
    block, a plain form a redirect."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    export = get_object_or_404(application.exports, pk=export_pk)
    return _export_queued(request, application, dossier_export_retry(by=request.user, export=export))


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The exports block; it polls itself while an export is still being built."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not can_export_application(request.user, application):
        raise PermissionDenied
    return _exports_block(request, application)


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int, export_pk: int) -> FileResponse:
    """Stream a ready export under a readable name."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    if not can_export_application(request.user, application):
        raise PermissionDenied
    export = exports.dossier_export_get_ready(application=application, pk=export_pk)
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=exports.export_download_name(export)
    )


urls = [
    path("applications/<int:pk>/exports/", application_export, name="application-export"),
    path("applications/<int:pk>/exports/status/", export_status, name="export-status"),
    path("applications/<int:pk>/exports/<int:export_pk>/download/", export_download, name="export-download"),
    path("applications/<int:pk>/exports/<int:export_pk>/retry/", export_retry, name="export-retry"),
]
