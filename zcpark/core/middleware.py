"""Middleware of the floor: Chinese first, and text the database cannot hold refused at the door.

The portal speaks Chinese first: the browser's Accept-Language never overrides that. English is chosen
explicitly with the language switch (a cookie), which LocaleMiddleware honours.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .text import UNSTORABLE_MESSAGE, unstorable_field


class ChineseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class UnstorableTextMiddleware:
    """A query string or form field holding a NUL or an unpaired surrogate answers 400 naming the field
    (a JSON body is checked by its parser): nothing reaches a view, a query or the database with it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = unstorable_field(request.GET.lists())
        if field is None and request.method == "POST" and request.content_type in FORM_TYPES:
            field = unstorable_field(request.POST.lists())
        if field is None:
            return self.get_response(request)
        message = _("The field %(field)s %(problem)s") % {"field": field, "problem": UNSTORABLE_MESSAGE}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Invalid input."), "errors": {field: [message]}}, status=400)
        return render(request, "bad_request.html", {"message": message}, status=400)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# No page needs the camera, the microphone, the location or payments: a script injected somewhere cannot ask.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every answer; a signed-in user's pages are never stored by a browser or a proxy
    (``Cache-Control: no-store``), so the back button on a shared office computer shows nothing after
    sign-out. An answer that sets its own Cache-Control keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response
