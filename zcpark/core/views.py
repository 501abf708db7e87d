"""The health probe (JSON, for machines) and the status page (for people); the error pages: 400, 403, 404
and 500 inside the portal's frame, in the reader's language, and under /api/ the JSON error shape."""

from __future__ import annotations

from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report, status_components
from .logging import REQUEST_LINE_ATTR

logger = structlog.get_logger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@never_cache
@require_GET
def status_page(request: HttpRequest) -> HttpResponse:
    """The footer's 系统状态: each service the portal needs, up or degraded, in words (no JSON, no vendor)."""
    components = status_components()
    # With the database down, the site's frame (navigation, the province's name) cannot be drawn: the
    # plain page then says so on its own.
    if not next(c for c in components if c.key == "records").ok:
        return _plain_page(
            503, _("Some services are unavailable"), " ".join(c.summary for c in components if not c.ok)
        )
    healthy = all(component.ok for component in components)
    context = {"components": components, "healthy": healthy, "checked_at": timezone.localtime()}
    # A page for people: 200 whatever it says (a proxy must not swap it for its own error page); machines
    # read /healthz, which answers 503.
    return _page(request, "status.html", 200, _("System status"), context)


def _api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(
    request: HttpRequest, template: str, status: int, title: str, context: dict[str, object] | None = None
) -> HttpResponse:
    """``template`` in the site's frame; the plain page with ``title`` if the frame itself fails (its
    navigation and the province's name need the database)."""
    try:
        return render(request, template, context, status=status)
    except Exception:
        logger.exception("error_page_failed", template=template, status=status)
        return _plain_page(status, title, "")


def _plain_page(status: int, title: str, message: str) -> HttpResponse:
    """A page that needs neither the database nor a context processor (templates/500.html)."""
    html = loader.get_template("500.html").render({"status": status, "title": title, "message": message})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("The request could not be read."), "errors": {}}, status=400)
    message = _("The address or the form sent could not be read. Go back, reload the page and try again.")
    return _page(request, "bad_request.html", 400, _("The request could not be read"), {"message": message})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action."), "errors": {}}, status=403
        )
    return _page(request, "403.html", 403, _("You cannot open this page"))


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _api(request):
        return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
    return _page(request, "404.html", 404, _("Page not found"))


def server_error(request: HttpRequest) -> HttpResponse:
    if _api(request):
        return JsonResponse(
            {"detail": _("A server error occurred; it has been logged."), "errors": {}}, status=500
        )
    return _plain_page(
        500,
        _("Something went wrong on our side"),
        _(
            "The error has been recorded for the portal's administrators, and what you saved before is kept. "
            "If it happens again, tell them what you were doing and when."
        ),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its security token (CSRF_FAILURE_VIEW): an old tab, a session that ended, cookies
    off. The reason goes on the request's one log line (``request_finished``), not on a line of its own."""
    structlog.contextvars.bind_contextvars(csrf_reason=reason)
    if _api(request):
        return JsonResponse({"detail": _("CSRF check failed: reload the page."), "errors": {}}, status=403)
    return _page(request, "403.html", 403, _("The form could not be sent"), {"csrf": True})


class ErrorPagesMiddleware:
    """Placed just outside django_structlog's RequestMiddleware, it does two things for error answers:

    - With DEBUG on (``make run``), a 404 is still the portal's page (or, under /api/, its JSON): Django's
      technical 404 lists every URL pattern, which the demo must never show. (Without DEBUG, Django calls
      ``handler404`` itself.)
    - It marks the request as one whose answer the request's own log line records, so that Django's
      duplicate line about a 4xx is dropped (``zcpark.core.logging.AnsweredOnceFilter``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, REQUEST_LINE_ATTR, True)
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return not_found(request, Http404())
        return response
