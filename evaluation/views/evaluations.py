"""Acceptance evaluation pages. SKELETON: the URL names are the contract; the pages are being written."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


urls = [
    path("evaluations/", _todo, name="evaluation-list"),
    path("evaluations/<int:pk>/", _todo, name="evaluation-detail"),
    path("evaluations/<int:pk>/review/", _todo, name="expert-review"),
    path("evaluations/<int:pk>/report/", _todo, name="report-download"),
    path("evaluations/<int:pk>/report/status/", _todo, name="report-status"),
]
