"""Dashboards. SKELETON: the URL names are the contract; the pages are being written."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path


def _todo(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse(status=501)


urls = [
    path("dashboard/", _todo, name="dashboard"),
    path("public/progress/", _todo, name="public-progress"),
]
