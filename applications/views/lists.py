"""Construction lists: the province's drafting and publishing pages, and the public list page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from .. import selectors


def public_lists(request: HttpRequest) -> HttpResponse:
    """Published lists (and lists on public notice), for everyone, signed in or not."""
    return render(
        request,
        "applications/public_lists.html",
        {"published": selectors.public_list_published(), "on_notice": selectors.public_list_on_notice()},
    )


urls = [
    path("public/lists/", public_lists, name="public-lists"),
]
