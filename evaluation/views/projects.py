"""Construction project pages. SKELETON: the URL names are the contract; the pages are being written."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


urls = [
    path("projects/", _todo, name="project-list"),
    path("projects/<int:pk>/", _todo, name="project-detail"),
    path("projects/<int:pk>/reports/<int:year>/", _todo, name="report-detail"),
    path("projects/<int:pk>/orders/new/", _todo, name="order-create"),
    path("orders/<int:pk>/", _todo, name="order-detail"),
    path("projects/<int:pk>/remove/", _todo, name="project-remove"),
    path("projects/<int:pk>/incentives/new/", _todo, name="incentive-create"),
    path("projects/<int:pk>/self-assessment/", _todo, name="self-assessment"),
    path("evidence/<int:pk>/", _todo, name="evidence-download"),
    path("evidence/<int:pk>/delete/", _todo, name="evidence-delete"),
]
