"""The exemption claims on the application page: the city's opinion and the province's decision on each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zcpark.core.exceptions import ApplicationError, error_messages

from .. import selectors
from ..exemptions.selectors import claim_get_for_application
from ..exemptions.services import exemption_transition
from ..exemptions.workflow import ACTION_LABELS, EXEMPTION, TRANSITIONS


@login_required
@require_POST
def exemption_claim_transition(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    """The city's opinion or the province's decision on one claim, with its text (403 for another role or
    scope; the reason named when refused)."""
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    claim = claim_get_for_application(application, claim_pk)
    action = request.POST.get("action", "")
    if action in TRANSITIONS and not EXEMPTION.may_take(request.user, claim, TRANSITIONS[action]):
        raise PermissionDenied
    try:
        exemption_transition(
            by=request.user, claim=claim, action=action, comment=request.POST.get("comment", "")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        for messages_of_field in error_messages(exc).values():
            for message in messages_of_field:
                messages.error(request, message)
    else:
        label = ACTION_LABELS[EXEMPTION.audit_action(TRANSITIONS[action])]
        messages.success(
            request,
            _("%(indicator)s: %(event)s.") % {"indicator": claim.get_indicator_display(), "event": label},
        )
    return redirect(reverse("applications:application-detail", args=[application.pk]) + "#exemptions")


urls = [
    path(
        "applications/<int:pk>/exemptions/<int:claim_pk>/transition/",
        exemption_claim_transition,
        name="exemption-transition",
    ),
]
