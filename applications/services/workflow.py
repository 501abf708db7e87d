"""The one service that moves an application through the workflow (``workflow.TRANSITIONS``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.services import indicator_results_compute
from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record, notification_send

from .. import selectors
from ..models import Application, ApplicationRevision, ApplicationStatus, Call, ReviewOpinion
from ..permissions import can_take_action
from ..workflow import ACTION_LABELS, ACTION_VERBS, TRANSITIONS, Transition
from .dossiers import lock_application

CONDITION_MAX_LENGTH = 500


def _clean_conditions(conditions: Any) -> list[str]:
    if conditions in (None, "", []):
        return []
    if isinstance(conditions, str):
        conditions = conditions.splitlines()
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise ValidationError({"conditions": [_("Give the conditions as a list of texts.")]})
    cleaned = [c.strip() for c in conditions if c.strip()]
    for index, condition in enumerate(cleaned):
        if len(condition) > CONDITION_MAX_LENGTH:
            raise ValidationError(
                {f"conditions.{index + 1}": [_("At most %(n)s characters.") % {"n": CONDITION_MAX_LENGTH}]}
            )
    return cleaned


def _check_quota(application: Application) -> None:
    """Serialised on the call row, so two reviewers of one city cannot both take the last place."""
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if call.quota_per_city is None:
        return
    used = selectors.recommended_count(
        call=call, city_id=application.park.zone.city_id, exclude_pk=application.pk
    )
    if used >= call.quota_per_city:
        raise ApplicationError(
            _("%(city)s has used all %(quota)s recommendations of this call.")
            % {"city": application.park.zone.city, "quota": call.quota_per_city},
            errors={
                "quota": [
                    _("Quota used: %(used)s of %(quota)s.") % {"used": used, "quota": call.quota_per_city}
                ]
            },
        )


def _compute_missing_results(application: Application) -> None:
    """A result still queued behind a busy worker (missing, or older than its dataset) is computed here,
    so a submission never waits on the worker nor snapshots a stale result."""
    results = selectors.history_results(application)
    for year, dataset in selectors.history_datasets(application).items():
        result = results[year]
        if dataset is not None and (result is None or result.computed_at < dataset.updated_at):
            indicator_results_compute(dataset=dataset, reason="submission")


def _check(transition: Transition, application: Application, *, by: User, comment: str) -> None:
    if not can_take_action(by, application, transition.action):
        raise PermissionDenied
    if application.status not in transition.sources:
        raise ApplicationError(
            _("An application that is %(status)s cannot be %(action)s.")
            % {"status": application.get_status_display(), "action": ACTION_LABELS[transition.action]},
            errors={"action": [_("Not allowed in this state.")]},
        )
    if transition.stage and not comment.strip():
        raise ValidationError({"comment": [_("Write the opinion that goes with this decision.")]})
    if transition.gated:
        _compute_missing_results(application)
        problems = selectors.submission_problems(application, today=timezone.localdate())
        if problems:
            count = sum(len(items) for items in problems.values())
            raise ApplicationError(
                _("The dossier cannot be submitted yet: %(count)s condition(s) are not met.")
                % {"count": count},
                errors=problems,
            )
    if transition.action == "recommend":
        _check_quota(application)


@transaction.atomic
def application_transition(
    *,
    by: User,
    application: Application,
    action: str,
    comment: str = "",
    conditions: Any = None,
    checklist: dict[str, bool] | None = None,
) -> Application:
    """Take ``action`` on ``application`` with the row locked: check role and scope (403), state, opinion,
    gate and quota (400, listing every unmet condition), then write the state, the revision or the opinion,
    the timeline event and the notifications. Returns the application in its new state."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": [_("Unknown action: %(action)s.") % {"action": action}]})
    locked = lock_application(application)
    comment = (comment or "").strip()
    _check(transition, locked, by=by, comment=comment)
    cleaned_conditions = _clean_conditions(conditions) if action == "approve" else []
    now = timezone.now()
    old_status = locked.status
    locked.status = transition.target
    update = ["status", "updated_at"]
    if transition.gated:
        locked.revision += 1
        locked.submitted_at = now
        update += ["revision", "submitted_at"]
        ApplicationRevision.objects.create(
            application=locked,
            number=locked.revision,
            snapshot=selectors.snapshot_build(locked),
            submitted_by=by,
        )
    if action in ("decline", "approve", "reject"):
        locked.decided_at = now
        update.append("decided_at")
    if action == "approve":
        locked.conditions = cleaned_conditions
        update.append("conditions")
    locked.save(update_fields=update)
    if transition.stage:
        ReviewOpinion.objects.create(
            application=locked,
            revision_number=locked.revision,
            stage=transition.stage,
            action=action,
            text=comment,
            checklist={str(k): bool(v) for k, v in (checklist or {}).items()},
            conditions=cleaned_conditions,
            author=by,
        )
    audit_event_record(
        actor=by,
        target=locked,
        action=action,
        from_state=old_status,
        to_state=locked.status,
        comment=comment,
        changes={"conditions": ([], cleaned_conditions)} if cleaned_conditions else None,
    )
    _notify(locked, action=action, comment=comment)
    return locked


def _recipients(application: Application, action: str) -> list[User]:
    park_staff = User.objects.filter(role=Role.PARK_STAFF, park_id=application.park_id, is_active=True)
    reviewers = User.objects.filter(
        role=Role.CITY_REVIEWER, city_id=application.park.zone.city_id, is_active=True
    )
    province = User.objects.filter(role=Role.PROVINCE_ADMIN, is_active=True)
    if action in ("submit", "resubmit", "withdraw"):
        return list(reviewers)
    if action == "recommend":
        return list(province) + list(park_staff)
    if action in ("approve", "reject"):
        return list(park_staff) + list(reviewers)
    return list(park_staff)


def _notify(application: Application, *, action: str, comment: str) -> None:
    title = _("%(park)s: %(event)s") % {"park": application.park, "event": ACTION_LABELS[action]}
    notification_send(
        recipients=_recipients(application, action),
        title=title,
        body=comment,
        url=reverse("applications:application-detail", args=[application.pk]),
    )


def actions_for(user: User, application: Application) -> list[tuple[str, str]]:
    """The (action, verb) pairs ``user`` may try on ``application`` in its current state."""
    return [
        (t.action, str(ACTION_VERBS[t.action]))
        for t in TRANSITIONS.values()
        if application.status in t.sources and can_take_action(user, application, t.action)
    ]


def applications_mark_listed(*, by: User | None, applications: list[Application], list_title: str) -> None:
    """Approved → listed for the applications of a list being published (inside its transaction)."""
    for application in Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]):
        if application.status != ApplicationStatus.APPROVED:
            raise ApplicationError(
                _("%(park)s is %(status)s, not approved.")
                % {"park": application.park, "status": application.get_status_display()}
            )
        application.status = ApplicationStatus.LISTED
        application.save(update_fields=["status", "updated_at"])
        audit_event_record(
            actor=by,
            target=application,
            action="listed",
            from_state=ApplicationStatus.APPROVED,
            to_state=ApplicationStatus.LISTED,
            comment=list_title,
        )
