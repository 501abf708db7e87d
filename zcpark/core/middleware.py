"""Middleware of the floor: Chinese first, and text the database cannot hold refused at the door.

The portal speaks Chinese first: the browser's Accept-Language never overrides that. English is chosen
explicitly with the language switch (a cookie), which LocaleMiddleware honours.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


# PostgreSQL's codes for a lock not obtained in time (lock_timeout) and a statement cancelled (statement_timeout).
BUSY_CODES = ("55P03", "57014")


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is the database giving up on a held lock or a long statement (settings' timeouts)."""
    cause = getattr(exc, "__cause__", None)
    return isinstance(exc, OperationalError) and getattr(cause, "pgcode", None) in BUSY_CODES


BUSY_MESSAGE = gettext_lazy("Someone else is changing this record right now. Wait a moment and try again.")


def busy_response(request: HttpRequest) -> HttpResponse:
    message = str(BUSY_MESSAGE)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "errors": {}}, status=503)
    else:
        response = render(request, "bad_request.html", {"message": message, "busy": True}, status=503)
    response["Retry-After"] = "5"
    return response


class BusyDatabaseMiddleware:
    """A page whose statement hit the lock or statement timeout answers 503 "busy, try again" (the
    transaction is rolled back, nothing is half-written), not a 500 after a hung worker."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exception) else None
