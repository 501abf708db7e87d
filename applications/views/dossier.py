"""The dossier: the application page, its sections, energy years and attachments (park staff edit; others read)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from .. import selectors


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "applications/application_detail.html",
        {"application": application, "progress": selectors.dossier_progress(application)},
    )


urls = [
    path("applications/<int:pk>/", application_detail, name="application-detail"),
]
