"""Rectification orders (整改通知): issued with a deadline → answered → closed, or overdue."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    OPEN_ORDER_STATUSES,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
)
from ..permissions import can_supervise, is_park_staff_of
from ..workflow import ACTION_LABELS, ORDER_TRANSITIONS
from .common import lock_project, notify, project_move, record, require, today_or
from .projects import next_number, project_settle


def _deadline_ok(deadline: date | None, today: date) -> date:
    if deadline is None:
        raise ValidationError({"deadline": [_("Set the deadline for the rectification.")]})
    if deadline < today:
        raise ValidationError({"deadline": [_("The deadline cannot be in the past.")]})
    return deadline


def _order_url(order: RectificationOrder) -> str:
    return reverse("evaluation:order-detail", args=[order.pk])


@transaction.atomic
def order_issue(
    *,
    by: User | None,
    project: ConstructionProject,
    title: str,
    requirements: str,
    deadline: date | None,
    document_no: str = "",
    today: date | None = None,
) -> RectificationOrder:
    """Order a park to rectify by a deadline; a project under construction goes under rectification."""
    require(by is None or can_supervise(by))
    today = today_or(today)
    locked = lock_project(project)
    if locked.status not in ACTIVE_PROJECT_STATUSES:
        raise ApplicationError(
            _("A project that is %(status)s cannot be ordered to rectify.")
            % {"status": locked.get_status_display()},
            errors={"action": [_("Not allowed in this state.")]},
        )
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the order a title.")]
    if not (requirements or "").strip():
        errors["requirements"] = [_("Say what must be rectified.")]
    if errors:
        raise ValidationError(errors)
    order = RectificationOrder(
        project=locked,
        number=next_number(locked.orders),
        document_no=(document_no or "").strip(),
        title=title.strip(),
        requirements=requirements.strip(),
        deadline=_deadline_ok(deadline, today),
        issued_at=timezone.now(),
        issued_by=by,
    )
    order.full_clean()
    order.save()
    record(by, order, "order_issued", comment=f"{order.title} · {order.deadline}", to_state=order.status)
    if locked.status == ProjectStatus.IN_CONSTRUCTION:
        project_move(locked, action="order_issued", by=by, comment=order.title)
    notify(
        locked,
        (Role.PARK_STAFF, Role.CITY_REVIEWER),
        event=str(
            _("Rectification order: %(title)s (deadline %(deadline)s)")
            % {"title": order.title, "deadline": order.deadline}
        ),
        body=order.requirements,
        url=_order_url(order),
    )
    return order


def _lock_order(order: RectificationOrder) -> RectificationOrder:
    return RectificationOrder.objects.select_for_update().get(pk=order.pk)


def _move(order: RectificationOrder, action: str, *, by: User | None, comment: str = "") -> None:
    sources, target = ORDER_TRANSITIONS[action]
    if order.status not in sources:
        raise ApplicationError(
            _("An order that is %(status)s cannot be %(action)s.")
            % {"status": order.get_status_display(), "action": ACTION_LABELS[action]},
            errors={"action": [_("Not allowed in this state.")]},
        )
    old = order.status
    order.status = target
    record(by, order, action, comment=comment, from_state=old, to_state=target)


@transaction.atomic
def order_answer(*, by: User | None, order: RectificationOrder, answer: str) -> RectificationOrder:
    """The park reports what it has rectified (also after the deadline: the order stays overdue on record)."""
    project = lock_project(order.project_id)
    require(by is None or is_park_staff_of(by, project))
    locked = _lock_order(order)
    if not (answer or "").strip():
        raise ValidationError({"answer": [_("Describe what has been rectified.")]})
    _move(locked, "order_answer", by=by, comment=answer.strip()[:500])
    locked.answer, locked.answered_at = answer.strip(), timezone.now()
    locked.full_clean()
    locked.save()
    notify(
        project,
        (Role.PROVINCE_ADMIN,),
        event=str(_("Rectification answered: %(title)s") % {"title": locked.title}),
        url=_order_url(locked),
    )
    return locked


@transaction.atomic
def order_close(
    *, by: User | None, order: RectificationOrder, comment: str = "", today: date | None = None
) -> RectificationOrder:
    """The province accepts the answer. The last open order closing ends the rectification."""
    require(by is None or can_supervise(by))
    project = lock_project(order.project_id)
    locked = _lock_order(order)
    _move(locked, "order_close", by=by, comment=(comment or "").strip())
    locked.closed_at = timezone.now()
    locked.save()
    still_open = project.orders.filter(status__in=OPEN_ORDER_STATUSES).exclude(pk=locked.pk).exists()
    if project.status == ProjectStatus.UNDER_RECTIFICATION and not still_open:
        project_move(project, action="rectified", by=by, comment=locked.title)
        project_settle(project, by=by, today=today_or(today))
    notify(
        project,
        (Role.PARK_STAFF, Role.CITY_REVIEWER),
        event=str(_("Rectification order closed: %(title)s") % {"title": locked.title}),
        body=comment,
        url=_order_url(locked),
    )
    return locked


@transaction.atomic
def order_return(
    *,
    by: User | None,
    order: RectificationOrder,
    comment: str,
    deadline: date | None,
    today: date | None = None,
) -> RectificationOrder:
    """The province finds the answer insufficient: the order is issued again with a new deadline."""
    require(by is None or can_supervise(by))
    project = lock_project(order.project_id)
    locked = _lock_order(order)
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what is still missing.")]})
    new_deadline = _deadline_ok(deadline, today_or(today))
    _move(locked, "order_return", by=by, comment=f"{comment.strip()} · {new_deadline}")
    locked.deadline, locked.overdue_at = new_deadline, None
    locked.save()
    notify(
        project,
        (Role.PARK_STAFF,),
        event=str(_("Rectification answer sent back: %(title)s") % {"title": locked.title}),
        body=comment,
        url=_order_url(locked),
    )
    return locked


def orders_mark_overdue(*, today: date | None = None) -> int:
    """The daily step: issued orders past their deadline become overdue, and the park, its city and the
    province are told. Each order is its own transaction; an order is marked once."""
    today = today_or(today)
    marked = 0
    for pk in RectificationOrder.objects.filter(
        status=OrderStatus.ISSUED, deadline__lt=today, project__status__in=ACTIVE_PROJECT_STATUSES
    ).values_list("pk", flat=True):
        with transaction.atomic():
            order = (
                RectificationOrder.objects.select_for_update()
                .select_related("project", "project__park", "project__park__zone")
                .get(pk=pk)
            )
            if order.status != OrderStatus.ISSUED or order.deadline >= today:
                continue
            _move(order, "order_overdue", by=None, comment=str(order.deadline))
            order.overdue_at = timezone.now()
            order.save()
            notify(
                order.project,
                (Role.PARK_STAFF, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN),
                event=str(
                    _("Rectification order overdue: %(title)s (deadline %(deadline)s)")
                    % {"title": order.title, "deadline": order.deadline}
                ),
                url=_order_url(order),
            )
            marked += 1
    return marked
