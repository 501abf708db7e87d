"""The national recommendation (the province's act on an accepted park) and the park's archives: ask for
one (the national package, the project's or the whole park's archive), watch it being built (htmx), ask
again for one that failed, download it (streamed). Seeing follows the project (out of scope is 404);
acting follows ``permissions.can_recommend_nationally`` / ``can_archive_park`` (403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zcpark.core.exceptions import ApplicationError
from zcpark.core.forms import add_service_errors
from zcpark.core.models import FileStatus

from .. import permissions, selectors
from ..archives import archives_visible_to, download_name
from ..forms import NationalRecommendationForm
from ..models import ConstructionProject, NationalRecommendation, ParkArchive, ProjectStatus
from ..services.national import national_recommend, park_archive_request, park_archive_retry

PARTIAL = "evaluation/projects/_archives.html"
ARCHIVES_SHOWN = 10


def _recommendation(project: ConstructionProject) -> NationalRecommendation | None:
    """The recommendation, read only for an accepted park (no other has one)."""
    if project.status != ProjectStatus.ACCEPTED:
        return None
    return NationalRecommendation.objects.filter(project=project).first()


def _may_archive(user: Any, project: ConstructionProject) -> bool:
    return permissions.can_archive_park(user, project.park_id, project.park.zone.city_id)


def project_context(user: Any, project: ConstructionProject) -> dict[str, Any]:
    """What the project page shows of the national recommendation and the archives."""
    recommendation = _recommendation(project)
    may_recommend = permissions.can_recommend_nationally(user) and project.status == ProjectStatus.ACCEPTED
    may_archive = _may_archive(user, project)
    archives = list(archives_visible_to(user, project)[:ARCHIVES_SHOWN]) if may_archive else []
    return {
        "recommendation": recommendation,
        "can_recommend": may_recommend and project.national_recommended and recommendation is None,
        "can_package": may_recommend,
        "can_archive": may_archive,
        "archives": archives,
        "archives_pending": any(a.status == FileStatus.PENDING for a in archives),
    }


def _archives_block(request: HttpRequest, project: ConstructionProject) -> HttpResponse:
    context = {"project": project, **project_context(request.user, project)}
    response = render(request, PARTIAL, context)
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """The province records the recommendation to the national programme: date, document number, note."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    if not permissions.can_recommend_nationally(request.user):
        raise PermissionDenied
    form = NationalRecommendationForm(request.POST or None, initial={"recommended_on": timezone.localdate()})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            national_recommend(by=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ApplicationError as exc:
            refusal = exc.message
        else:
            messages.success(request, _("The park was recommended to the national programme."))
            return redirect("evaluation:project-detail", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "refusal": refusal,
        "recommendation": _recommendation(project),
    }
    return render(request, "evaluation/projects/national_recommend.html", context)


@login_required
@require_POST
def archive_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue an archive; htmx gets the refreshed block, a plain form a redirect with a note."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    try:
        archive = park_archive_request(
            by=request.user, park=project.park, project=project, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    except ApplicationError as error:
        return HttpResponseBadRequest(error.message)
    return _queued(request, project, archive)


def _queued(request: HttpRequest, project: ConstructionProject, archive: ParkArchive) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return _archives_block(request, project)
    archive.refresh_from_db(fields=["status"])
    if archive.status == FileStatus.READY:
        messages.success(request, _("The archive is ready: download it from the list."))
    elif archive.status == FileStatus.FAILED:
        messages.error(request, _("The archive could not be prepared: ask for it again."))
    else:
        messages.success(
            request, _("The archive is being prepared; the list shows it as soon as it is ready.")
        )
    return redirect("evaluation:project-detail", pk=project.pk)


def _archive_of(request: HttpRequest, project: ConstructionProject, archive_pk: int) -> ParkArchive:
    """One of the project's (or the park's) archives: 404 if it is not one, 403 if it is not the user's
    to download (another role's copy, the province's national package)."""
    if not _may_archive(request.user, project):
        raise PermissionDenied
    archive = get_object_or_404(ParkArchive, pk=archive_pk, park_id=project.park_id)
    if archive.project_id not in (None, project.pk):
        raise Http404
    if not archives_visible_to(request.user, project).filter(pk=archive.pk).exists():
        raise PermissionDenied
    return archive


@login_required
@require_POST
def archive_retry(request: HttpRequest, pk: int, archive_pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    archive = _archive_of(request, project, archive_pk)
    return _queued(request, project, park_archive_retry(by=request.user, archive=archive))


@login_required
@require_GET
def archive_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The archives block; it polls itself while an archive is being built."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    if not _may_archive(request.user, project):
        raise PermissionDenied
    return _archives_block(request, project)


@login_required
@require_GET
def archive_download(request: HttpRequest, pk: int, archive_pk: int) -> FileResponse:
    """Stream a ready archive from storage under a readable name."""
    project = selectors.project_get_for_user(user=request.user, pk=pk)
    archive = _archive_of(request, project, archive_pk)
    if archive.status != FileStatus.READY or not archive.file:
        raise Http404
    return FileResponse(archive.file.open("rb"), as_attachment=True, filename=download_name(archive))


urls = [
    path("projects/<int:pk>/national-recommendation/", recommend, name="national-recommend"),
    path("projects/<int:pk>/archives/", archive_request, name="archive-request"),
    path("projects/<int:pk>/archives/status/", archive_status, name="archive-status"),
    path("projects/<int:pk>/archives/<int:archive_pk>/download/", archive_download, name="archive-download"),
    path("projects/<int:pk>/archives/<int:archive_pk>/retry/", archive_retry, name="archive-retry"),
]
