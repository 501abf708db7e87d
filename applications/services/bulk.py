"""The province's decision on several recommended dossiers at once, with one opinion.

Each dossier goes through the same transition as a single decision (``application_transition``: its lock,
checks, opinion, audit event and notifications), all of them in one transaction: either every dossier of
the batch is decided or none is, and the refusal names the dossier that blocked the batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.permissions import is_province_admin
from zcpark.core.exceptions import ApplicationError, error_messages
from zcpark.core.machines import action_unknown_message

from ..models import Application, ApplicationStatus
from ..permissions import application_visibility
from ..workflow import APPLICATION, TRANSITIONS
from .workflow import application_transition

# The province's decisions on a recommended dossier (workflow.APPLICATION): approve or reject.
BULK_ACTIONS = ("approve", "reject")
BULK_MAX = 100


def _ids(application_ids: Iterable[Any]) -> list[int]:
    try:
        ids = sorted({int(pk) for pk in application_ids})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"applications": [_("Choose the applications from the list.")]}) from exc
    if not ids:
        raise ValidationError({"applications": [_("Choose at least one recommended application.")]})
    if len(ids) > BULK_MAX:
        raise ValidationError(
            {"applications": [_("Decide on at most %(n)s applications at once.") % {"n": BULK_MAX}]}
        )
    return ids


def bulk_selection(*, by: Any, application_ids: Iterable[Any], action: str) -> list[Application]:
    """The applications a batch decision names, by park name, once checked: the province only (403),
    a known action, each application in ``by``'s scope and recommended; otherwise the whole batch is
    refused, naming the application that blocks it (ApplicationError)."""
    if not is_province_admin(by):
        raise PermissionDenied
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [action_unknown_message(action, APPLICATION.audit_prefix)]})
    ids = _ids(application_ids)
    found = list(
        Application.objects.with_places()
        .filter(application_visibility(by), pk__in=ids)
        .order_by("park__name", "pk")
    )
    missing = sorted(set(ids) - {a.pk for a in found})
    if missing:
        # Out of scope reads as not there: the message names the number only, never a park.
        raise ApplicationError(
            _("Application no. %(pk)s does not exist or is outside your scope; nothing was decided.")
            % {"pk": missing[0]},
            errors={"applications": [str(pk) for pk in missing]},
        )
    verb = TRANSITIONS[action].button
    for application in found:
        if application.status != ApplicationStatus.RECOMMENDED:
            raise ApplicationError(
                _("%(park)s is %(status)s: “%(action)s” cannot be taken on it; nothing was decided.")
                % {
                    "park": application.park.name,
                    "status": application.get_status_display(),
                    "action": verb,
                },
                errors={"applications": [str(application.pk)]},
            )
    return found


def applications_decide(
    *, by: Any, application_ids: Iterable[Any], action: str, comment: str
) -> list[Application]:
    """Approve or reject every application named, with one opinion, in one transaction.

    Each goes through ``application_transition`` as a single decision would (its own opinion record,
    timeline event and notifications). The first one refused rolls the whole batch back; the
    ApplicationError names its park. Returns the applications in their new state, by park name.
    """
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Write the opinion that goes with this decision.")]})
    with transaction.atomic():
        selected = bulk_selection(by=by, application_ids=application_ids, action=action)
        decided = []
        # Rows are locked in primary-key order (as any other batch would lock them): no deadlock.
        for application in sorted(selected, key=lambda a: a.pk):
            try:
                decided.append(
                    application_transition(by=by, application=application, action=action, comment=comment)
                )
            except ApplicationError as exc:
                raise ApplicationError(
                    _("%(park)s: %(reason)s Nothing was decided.")
                    % {"park": application.park.name, "reason": exc.message},
                    errors=exc.errors,
                ) from exc
            except ValidationError as exc:
                reasons = " ".join(m for ms in error_messages(exc).values() for m in ms)
                raise ApplicationError(
                    _("%(park)s: %(reason)s Nothing was decided.")
                    % {"park": application.park.name, "reason": reasons},
                    errors=error_messages(exc),
                ) from exc
    return sorted(decided, key=lambda a: (a.park.name, a.pk))
