"""公示 objections as a machine (open → answered), and the moves of a list on public notice that they
lead to: dropping a park (a step of ``workflow.LIST`` that keeps the list on notice) and the refusal to
publish while a park still on the list has an unanswered objection."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role
from parks.permissions import is_province_admin
from parks.selectors import park_people, recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, transition_apply
from zcpark.core.models import Notice
from zcpark.core.services import audit_event_record, notification_send

from .models import ConstructionListEntry, ListDrop, ListObjection, ObjectionStatus

ANSWER_REQUIRED = gettext_lazy("Write the answer to the objection.")
DROP_REASON_REQUIRED = gettext_lazy("Give the reason for dropping the park.")


def _may_province(user: Any, obj: Any, role: str) -> bool:
    return role == Role.PROVINCE_ADMIN and is_province_admin(user)


def _objection_park(objection: ListObjection) -> tuple[int, int | None]:
    return objection.park_id, objection.park.zone.city_id


park_and_city_of_objection = recipients_of(Role.PARK_STAFF, Role.CITY_REVIEWER, park=_objection_park)


def objection_url(objection: ListObjection) -> str:
    return reverse("applications:objection-detail", args=[objection.pk])


def _write_answer(step: Step) -> None:
    """The answer, by whom (the time is stamped)."""
    step.obj.answer = step.comment
    step.obj.answered_by = step.by if getattr(step.by, "is_authenticated", False) else None


def _objection_title(objection: Any, transition: Transition) -> Notice:
    return Notice(
        gettext_noop("The objection to %(park)s on the public notice was answered"), park=str(objection.park)
    )


OBJECTION = Machine(
    name="list_objection",
    model=ListObjection,
    may=_may_province,
    audit_prefix="objection_",
    title=_objection_title,
    url=objection_url,
    lock=lambda objection: (
        ListObjection.objects.select_for_update(of=("self",))
        .select_related("park", "park__zone", "construction_list")
        .get(pk=objection.pk)
    ),
    description="公示异议 · Objection to a park on public notice",
    transitions=(
        Transition(
            "answer",
            (ObjectionStatus.OPEN,),
            ObjectionStatus.ANSWERED,
            gettext_lazy("Objection answered"),
            gettext_lazy("Answer the objection"),
            (Role.PROVINCE_ADMIN,),
            comment_required=ANSWER_REQUIRED,
            stamps=("answered_at",),
            writes=(_write_answer,),
            notify=park_and_city_of_objection,
            refusal=gettext_lazy("This objection has been answered already; an answer is final."),
        ),
    ),
)


# ---- the list's moves on public notice ---------------------------------------------------------


def check_drop(step: Step) -> None:
    """The park to drop (``park``: its id) is on the list."""
    park_id = step.params.get("park")
    found = (
        ConstructionListEntry.objects.select_related("park", "park__zone", "application")
        .filter(construction_list=step.obj, park_id=park_id)
        .first()
        if park_id
        else None
    )
    if found is None:
        raise ValidationError({"park": [_("Choose a park that is on this list.")]})
    step.params["dropped_entry"] = found


def drop_park(step: Step) -> None:
    """The entry leaves the list; the drop keeps what the notice showed and why the park left it. The
    application stays approved (it may go on a later list), with the reason on its timeline; the park's
    staff and its city are told."""
    entry: ConstructionListEntry = step.params["dropped_entry"]
    application, park = entry.application, entry.park
    ListDrop.objects.create(
        construction_list=step.obj,
        application=application,
        park=park,
        reason=step.comment,
        dropped_by=step.by if getattr(step.by, "is_authenticated", False) else None,
    )
    entry.delete()
    step.audit_comment = f"{park}: {step.comment}"
    audit_event_record(
        actor=step.by,
        target=application,
        action="list_park_dropped",
        from_state=application.status,
        to_state=application.status,
        comment=f"{step.obj.title}: {step.comment}",
    )
    notification_send(
        recipients=park_people(park.pk, park.zone.city_id, Role.PARK_STAFF, Role.CITY_REVIEWER),
        title=Notice(
            gettext_noop("%(park)s was dropped from the list on public notice: %(title)s"),
            park=str(park),
            title=step.obj.title,
        ),
        body=step.comment,
        url=reverse("applications:application-detail", args=[application.pk]),
    )


def check_parks_left(step: Step) -> None:
    """A park is still on the list (every one may have been dropped)."""
    if not step.obj.entries.exists():
        raise ApplicationError(_("Every park was dropped from the list: there is nothing to publish."))


def answer_dropped_objections(step: Step) -> None:
    """The objections still open to the parks dropped from the list are answered with the drop's reason.

    Publishing waits for the answers to the others; the drop was the answer to these (the system's move,
    audited, the park and its city told), so none is left unanswered once the notice is over."""
    on_list = step.obj.entries.values("park_id")
    objections = ListObjection.objects.filter(
        construction_list=step.obj, status=ObjectionStatus.OPEN
    ).exclude(park_id__in=on_list)
    reasons = {drop.park_id: drop.reason for drop in ListDrop.objects.filter(construction_list=step.obj)}
    for objection in objections.order_by("pk"):
        # The answer is recorded text, read by everyone: in the portal's language, like the answers written.
        with translation.override(settings.LANGUAGE_CODE):
            answer = _("The park was dropped from the list: %(reason)s") % {
                "reason": reasons.get(objection.park_id, "")
            }
        transition_apply(OBJECTION, objection, "answer", by=step.by, comment=answer, system=True)


def check_objections_answered(step: Step) -> None:
    """Every objection to a park still on the list has its answer."""
    on_list = step.obj.entries.values("park_id")
    open_parks = sorted(
        {
            str(objection.park)
            for objection in ListObjection.objects.filter(
                construction_list=step.obj, status=ObjectionStatus.OPEN, park_id__in=on_list
            ).select_related("park")
        }
    )
    if open_parks:
        parks = "、".join(open_parks)
        raise ApplicationError(
            _("Answer the objections first: %(parks)s have objections without an answer.") % {"parks": parks},
            errors={"objections": [_("Objections without an answer: %(parks)s.") % {"parks": parks}]},
        )
