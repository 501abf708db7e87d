"""公示 objections: the province records what the public raised against a park on a list on public
notice, answers each (``workflow_objections.OBJECTION``), and may drop a park before publishing
(``workflow.LIST``'s ``drop``)."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role, User
from parks.selectors import park_people
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.models import Notice
from zcpark.core.services import audit_event_record, notification_send
from zcpark.core.uploads import upload_check

from ..models import ConstructionList, ConstructionListEntry, ListObjection, ListStatus
from ..permissions import require_list_manager
from ..workflow import LIST
from ..workflow_objections import OBJECTION, objection_url

NOT_ON_NOTICE = gettext_lazy("Objections can be recorded only while the list is on public notice.")


def _check_received_on(construction_list: ConstructionList, received_on: dt.date | None) -> dt.date:
    if received_on is None:
        raise ValidationError({"received_on": [_("Give the day the objection was received.")]})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("The day received cannot be in the future.")]})
    assert construction_list.noticed_at is not None  # a list on notice has its start (the ``notice`` stamp)
    start = timezone.localdate(construction_list.noticed_at)
    if received_on < start:
        raise ValidationError(
            {"received_on": [_("The public notice started on %(date)s.") % {"date": f"{start:%Y-%m-%d}"}]}
        )
    deadline = construction_list.objection_deadline
    if deadline is not None and received_on > deadline:
        raise ValidationError(
            {
                "received_on": [
                    _("Objections were open until %(date)s; a later one is not recorded.")
                    % {"date": f"{deadline:%Y-%m-%d}"}
                ]
            }
        )
    return received_on


@transaction.atomic
def objection_record(
    *,
    by: User | None,
    construction_list: ConstructionList,
    park_id: int | None,
    raised_by: str,
    received_on: dt.date | None,
    text: str,
    contact: str = "",
    evidence: IO[bytes] | None = None,
    evidence_name: str = "",
) -> ListObjection:
    """Record an objection to a park on ``construction_list`` while it is on public notice (the list row
    locked), with its evidence file if any; the park's staff and its city are told."""
    require_list_manager(by)
    locked = ConstructionList.objects.select_for_update().get(pk=construction_list.pk)
    if locked.status != ListStatus.PUBLIC_NOTICE:
        raise ApplicationError(
            str(NOT_ON_NOTICE),
            errors={
                "construction_list": [_("The list is %(status)s.") % {"status": locked.get_status_display()}]
            },
        )
    entry = (
        ConstructionListEntry.objects.select_related("park", "park__zone", "application")
        .filter(construction_list=locked, park_id=park_id)
        .first()
        if park_id
        else None
    )
    if entry is None:
        raise ValidationError({"park": [_("Choose a park that is on this list.")]})
    errors: dict[str, list[str]] = {}
    if not (raised_by or "").strip():
        errors["raised_by"] = [_("Give who raised the objection (a person or an organisation).")]
    if not (text or "").strip():
        errors["text"] = [_("Write what the objection says.")]
    if errors:
        raise ValidationError(errors)
    objection = ListObjection(
        construction_list=locked,
        park=entry.park,
        application=entry.application,
        raised_by=raised_by.strip(),
        contact=(contact or "").strip(),
        received_on=_check_received_on(locked, received_on),
        text=text.strip(),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    checked = upload_check(evidence, evidence_name, field="evidence") if evidence is not None else None
    if checked is not None:
        objection.evidence_name = evidence_name[-255:]
        objection.evidence_sha256 = checked.sha256
    # Everything is checked before the evidence is written; whatever fails after removes it again.
    objection.full_clean(exclude=["evidence"])
    if checked is not None:
        assert evidence is not None
        objection.evidence.save(f"evidence.{checked.extension}", File(evidence), save=False)
    try:
        objection.save()
        audit_event_record(
            actor=by,
            target=objection,
            action="objection_recorded",
            to_state=objection.status,
            comment=objection.text,
        )
        park = entry.park
        notification_send(
            recipients=park_people(park.pk, park.zone.city_id, Role.PARK_STAFF, Role.CITY_REVIEWER),
            title=Notice(
                gettext_noop("An objection to %(park)s on the public notice was recorded"), park=str(park)
            ),
            body=objection.text,
            url=objection_url(objection),
        )
    except Exception:
        if objection.evidence:
            objection.evidence.delete(save=False)
        raise
    return objection


def objection_answer(*, by: User | None, objection: ListObjection, answer: str) -> ListObjection:
    """Answer an open objection (final: an answered one is refused); the park and its city are told."""
    return transition_apply(OBJECTION, objection, "answer", by=by, comment=answer)


def list_park_drop(
    *, by: User | None, construction_list: ConstructionList, park_id: int | None, reason: str
) -> ConstructionList:
    """Take a park off a list on public notice, with the reason; its application stays approved."""
    require_list_manager(by)
    return transition_apply(LIST, construction_list, "drop", by=by, comment=reason, park=park_id)
