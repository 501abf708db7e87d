"""The rectification order's machine (整改通知): issued with a deadline → answered → closed; an issued order
past its deadline becomes overdue (the daily task); the province may send an answer back with a new deadline.
An overdue order: the province extends its deadline with a reason (back to issued), or escalates it (整改不到位,
退出建设名单: the project's ``removed`` move, the order named as the reason); a reminder is no move
(``services.order_remind``). An order is issued by ``services.order_issue`` (it moves the project under
rectification)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Role
from zcpark.core.machines import Machine, Step, Transition, transition_apply
from zcpark.core.models import Notice

from ..models import OrderStatus as O
from ..models import RectificationOrder
from .common import lock_with_project, may_for_record, park_title, record_people, today_or
from .projects import PROJECT

PARK, PROVINCE = (Role.PARK_STAFF,), (Role.PROVINCE_ADMIN,)


def deadline_checked(deadline: date | None, today: date) -> date:
    if deadline is None:
        raise ValidationError({"deadline": [_("Set the deadline for the rectification.")]})
    if deadline < today:
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    return deadline


def lock_order(order: RectificationOrder) -> RectificationOrder:
    """The project first, then the order (``common.lock_with_project``)."""
    return lock_with_project(order)


def _titled(message: Any) -> Any:
    def title(step: Step) -> Notice:
        event = Notice(message, title=step.obj.title, deadline=str(step.obj.deadline))
        return park_title(step.obj.project, event)

    return title


def _check_answer(step: Step) -> None:
    """An answer."""
    if not (step.params.get("answer") or "").strip():
        raise ValidationError({"answer": [_("Describe what has been rectified.")]})


def _write_answer(step: Step) -> None:
    """The answer."""
    answer = step.params["answer"].strip()
    step.obj.answer = answer
    step.audit_comment = answer[:500]


def _check_new_deadline(step: Step) -> None:
    """A new deadline not in the past."""
    step.params["deadline"] = deadline_checked(
        step.params.get("deadline"), today_or(step.params.get("today"))
    )


def _write_new_deadline(step: Step) -> None:
    """The new deadline; no longer overdue."""
    step.obj.deadline, step.obj.overdue_at = step.params["deadline"], None
    step.audit_comment = f"{step.comment} · {step.params['deadline']}"


def _check_extended_deadline(step: Step) -> None:
    """A new deadline after today."""
    today = today_or(step.params.get("today"))
    deadline = deadline_checked(step.params.get("deadline"), today)
    if deadline <= today:
        raise ValidationError({"deadline": [_("The new deadline must be after today.")]})
    step.params["deadline"] = deadline


def _write_extended_deadline(step: Step) -> None:
    """The new deadline (the missed one kept in the event's changes); no longer overdue."""
    old = step.obj.deadline
    step.changes["deadline"] = (str(old), str(step.params["deadline"]))
    step.obj.deadline, step.obj.overdue_at = step.params["deadline"], None
    step.audit_comment = f"{old} → {step.params['deadline']} · {step.comment}"


def escalation_reason(order: RectificationOrder, reason: str) -> str:
    """The removal's reason as the list entry records it: the order by its number, title and deadline."""
    return _("Rectification order No. %(number)s “%(title)s” not rectified by %(deadline)s: %(reason)s") % {
        "number": order.number,
        "title": order.title,
        "deadline": order.deadline,
        "reason": reason,
    }


def _remove_project(step: Step) -> None:
    """The project's ``removed`` move (its checks: a reason and the document number), the order named."""
    reason = escalation_reason(step.obj, step.comment)
    transition_apply(
        PROJECT,
        step.obj.project,
        "removed",
        by=step.by,
        comment=reason,
        locked=True,
        document_no=step.params.get("document_no") or "",
        today=step.params.get("today"),
    )
    step.audit_comment = f"{(step.params.get('document_no') or '').strip()}: {step.comment}"


def _write_overdue(step: Step) -> None:
    """The deadline missed, on the timeline."""
    step.audit_comment = str(step.obj.deadline)


ORDER = Machine(
    name="rectification_order",
    model=RectificationOrder,
    may=may_for_record,
    lock=lock_order,
    audit_prefix="order_",
    url=lambda order: reverse("evaluation:order-detail", args=[order.pk]),
    refusal=gettext_lazy("An order that is %(status)s cannot be %(action)s."),
    description="整改通知 · Rectification order",
    transitions=(
        Transition(
            "answer",
            (O.ISSUED, O.OVERDUE),
            O.ANSWERED,
            gettext_lazy("Rectification answered"),
            gettext_lazy("Answer: report what has been rectified"),
            PARK,
            checks=(_check_answer,),
            stamps=("answered_at",),
            writes=(_write_answer,),
            notify=record_people(Role.PROVINCE_ADMIN),
            title=_titled(gettext_lazy("Rectification answered: %(title)s")),
        ),
        # The province accepts the answer; the last open order closing ends the project's rectification.
        Transition(
            "close",
            (O.ANSWERED,),
            O.CLOSED,
            gettext_lazy("Rectification order closed"),
            gettext_lazy("Close: accept the answer"),
            PROVINCE,
            stamps=("closed_at",),
            notify=record_people(Role.PARK_STAFF, Role.CITY_REVIEWER),
            title=_titled(gettext_lazy("Rectification order closed: %(title)s")),
        ),
        Transition(
            "return",
            (O.ANSWERED,),
            O.ISSUED,
            gettext_lazy("Rectification answer sent back"),
            gettext_lazy("Send back: the answer is insufficient"),
            PROVINCE,
            checks=(_check_new_deadline,),
            writes=(_write_new_deadline,),
            notify=record_people(Role.PARK_STAFF),
            title=_titled(gettext_lazy("Rectification answer sent back: %(title)s")),
            comment_required=gettext_lazy("Say what is still missing."),
        ),
        Transition(
            "overdue",
            (O.ISSUED,),
            O.OVERDUE,
            gettext_lazy("Rectification order overdue"),
            stamps=("overdue_at",),
            writes=(_write_overdue,),
            notify=record_people(Role.PARK_STAFF, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN),
            title=_titled(gettext_lazy("Rectification order overdue: %(title)s (deadline %(deadline)s)")),
        ),
        # The province gives an overdue order more time, with its reason.
        Transition(
            "extend_deadline",
            (O.OVERDUE,),
            O.ISSUED,
            gettext_lazy("Rectification deadline extended"),
            gettext_lazy("Extend the deadline"),
            PROVINCE,
            checks=(_check_extended_deadline,),
            writes=(_write_extended_deadline,),
            notify=record_people(Role.PARK_STAFF, Role.CITY_REVIEWER),
            title=_titled(
                gettext_lazy("Rectification deadline extended: %(title)s (new deadline %(deadline)s)")
            ),
            comment_required=gettext_lazy("Give the reason for extending the deadline."),
        ),
        # 整改不到位的，退出建设名单: the park leaves the list with this order as the reason.
        Transition(
            "escalate",
            (O.OVERDUE,),
            O.ESCALATED,
            gettext_lazy("Not rectified: park removed from the list"),
            gettext_lazy("Escalate: remove the park from the list"),
            PROVINCE,
            # The removal tells the park and its city (the project's ``removed``): no second notice.
            after=(_remove_project,),
            comment_required=gettext_lazy("Give the reason for the removal."),
        ),
    ),
)
