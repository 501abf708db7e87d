"""The province decides on several recommended dossiers at once: picked on its review queue, one opinion,
a confirmation naming the parks, then every decision in one transaction (``services.bulk``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parks.permissions import is_province_admin
from zcpark.core.exceptions import ApplicationError, service_error_text

from ..models import Application
from ..review_forms import DESTRUCTIVE_ACTIONS
from ..services.bulk import BULK_ACTIONS, applications_decide, bulk_selection
from ..workflow import TRANSITIONS

TEMPLATE = "applications/bulk_confirm.html"


def _queue_url(query: str) -> str:
    """The province's queue with the filters it was left with (only a query string of our own path)."""
    cleaned = QueryDict(query or "").urlencode()
    url = reverse("applications:review-province")
    return f"{url}?{cleaned}" if cleaned else url


def _page(
    request: HttpRequest,
    *,
    action: str,
    applications: list[Application],
    ids: list[str],
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The confirmation page: the parks the decision names, the opinion, and why it was refused if so."""
    transition = TRANSITIONS[action]
    context: dict[str, Any] = {
        "action": action,
        "verb": transition.button,
        "event": transition.label,
        "applications": applications,
        "ids": ids,
        "comment": request.POST.get("comment", ""),
        "query": QueryDict(request.POST.get("query", "")).urlencode(),
        "back": _queue_url(request.POST.get("query", "")),
        "error": error,
        "destructive": action in DESTRUCTIVE_ACTIONS,
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_POST
def province_bulk_decide(request: HttpRequest) -> HttpResponse:
    """POST the picked applications, the action and the opinion: the first time (or without an opinion)
    the confirmation page names the parks; with ``confirmed`` every decision is taken, or none."""
    if not is_province_admin(request.user):
        raise PermissionDenied
    action = request.POST.get("action", "")
    ids = request.POST.getlist("applications")
    back = _queue_url(request.POST.get("query", ""))
    if action not in BULK_ACTIONS:
        messages.error(request, _("Choose approve or reject for the selected applications."))
        return redirect(back)
    try:
        selected = bulk_selection(by=request.user, application_ids=ids, action=action)
    except ValidationError as exc:
        messages.error(request, service_error_text(exc))
        return redirect(back)
    except ApplicationError as exc:
        return _page(request, action=action, applications=[], ids=ids, error=exc.message, status=400)
    comment = request.POST.get("comment", "").strip()
    if request.POST.get("confirmed") != "1" or not comment:
        missing = request.POST.get("confirmed") == "1" and not comment
        error = _("Write the opinion that goes with this decision.") if missing else ""
        return _page(
            request,
            action=action,
            applications=selected,
            ids=ids,
            error=error,
            status=400 if missing else 200,
        )
    try:
        decided = applications_decide(by=request.user, application_ids=ids, action=action, comment=comment)
    except (ApplicationError, ValidationError) as exc:
        return _page(
            request, action=action, applications=selected, ids=ids, error=service_error_text(exc), status=400
        )
    parks = "、".join(a.park.name for a in decided)
    messages.success(
        request,
        ngettext(
            "%(event)s: %(count)s application (%(parks)s).",
            "%(event)s: %(count)s applications (%(parks)s).",
            len(decided),
        )
        % {"event": TRANSITIONS[action].label, "count": len(decided), "parks": parks},
    )
    return redirect(back)


urls = [
    path("review/province/decide/", province_bulk_decide, name="review-province-decide"),
]
