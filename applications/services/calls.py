"""Calls for applications: the province drafts, opens and closes them; expired calls close themselves."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.services import audit_event_record, audited_update

from ..models import Call, CallStatus
from ..permissions import can_manage_calls
from ..workflow import CALL

CALL_FIELDS = ("title", "description", "deadline", "quota_per_city")


def _require_manager(by: User | None) -> None:
    if by is not None and not can_manage_calls(by):
        raise PermissionDenied


@transaction.atomic
def call_create(
    *, by: User | None, title: str, deadline: date, description: str = "", quota_per_city: int | None = None
) -> Call:
    """Draft a call; it accepts applications once opened."""
    _require_manager(by)
    call = Call(
        title=title, deadline=deadline, description=description, quota_per_city=quota_per_city, created_by=by
    )
    call.full_clean()
    call.save()
    audit_event_record(actor=by, target=call, action="call_created", to_state=call.status)
    return call


@transaction.atomic
def call_update(*, by: User | None, call: Call, data: dict[str, Any]) -> Call:
    """Change a call's title, description, deadline or quota (a closed call is history: no changes)."""
    _require_manager(by)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status == CallStatus.CLOSED:
        raise ApplicationError(_("A closed call cannot be changed."))
    audited_update(locked, data=data, allowed=CALL_FIELDS, actor=by, action="call_updated")
    return locked


def call_transition(*, by: User | None, call: Call, action: str, comment: str = "") -> Call:
    """``open`` (draft → open, deadline not passed) or ``close`` (open → closed): ``workflow.CALL``."""
    _require_manager(by)
    return transition_apply(CALL, call, action, by=by, comment=comment)


def calls_close_expired(*, today: date | None = None) -> list[Call]:
    """Close every open call whose deadline is before ``today`` (a daily beat task); returns them. Each
    call is claimed under its lock and closed only if still open: a run overlapping another (two beats, a
    retried task) skips the calls the other closed, with no second event or notice."""
    today = today or timezone.localdate()
    closed = []
    for pk in Call.objects.filter(status=CallStatus.OPEN, deadline__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=pk)
            if call.status != CallStatus.OPEN or call.deadline >= today:
                continue
            comment = _("The deadline passed.")
            closed.append(transition_apply(CALL, call, "close", by=None, comment=comment, locked=True))
    return closed
