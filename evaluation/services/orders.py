"""Rectification orders (整改通知): issued with a deadline → answered → closed, or overdue."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.models import Notice

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    OPEN_ORDER_STATUSES,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
)
from ..permissions import can_supervise
from ..workflow import ORDER
from ..workflow.orders import deadline_checked, lock_order
from .common import lock_project, notify, project_move, record, require, today_or
from .projects import next_number, project_settle


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
        deadline=deadline_checked(deadline, today),
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
        event=Notice(
            gettext_noop("Rectification order: %(title)s (deadline %(deadline)s)"),
            title=order.title,
            deadline=str(order.deadline),
        ),
        body=order.requirements,
        url=_order_url(order),
    )
    return order


@transaction.atomic
def order_answer(*, by: User | None, order: RectificationOrder, answer: str) -> RectificationOrder:
    """The park reports what it has rectified (also after the deadline: the order stays overdue on record)."""
    answered: RectificationOrder = transition_apply(ORDER, order, "answer", by=by, answer=answer)
    return answered


@transaction.atomic
def order_close(
    *, by: User | None, order: RectificationOrder, comment: str = "", today: date | None = None
) -> RectificationOrder:
    """The province accepts the answer. The last open order closing ends the rectification."""
    require(by is None or can_supervise(by))
    closed: RectificationOrder = transition_apply(ORDER, order, "close", by=by, comment=comment)
    project = lock_project(closed.project_id)
    still_open = project.orders.filter(status__in=OPEN_ORDER_STATUSES).exists()
    if project.status == ProjectStatus.UNDER_RECTIFICATION and not still_open:
        project_move(project, action="rectified", by=by, comment=closed.title)
        project_settle(project, by=by, today=today_or(today))
    return closed


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
    returned: RectificationOrder = transition_apply(
        ORDER, order, "return", by=by, comment=comment, deadline=deadline, today=today
    )
    return returned


def orders_mark_overdue(*, today: date | None = None) -> int:
    """The daily step: issued orders past their deadline become overdue, and the park, its city and the
    province are told. Each order is its own transaction; an order is marked once."""
    today = today_or(today)
    marked = 0
    for pk in RectificationOrder.objects.filter(
        status=OrderStatus.ISSUED, deadline__lt=today, project__status__in=ACTIVE_PROJECT_STATUSES
    ).values_list("pk", flat=True):
        with transaction.atomic():
            order = lock_order(RectificationOrder(pk=pk, project_id=_project_id(pk)))
            if order.status != OrderStatus.ISSUED or order.deadline >= today:
                continue
            transition_apply(ORDER, order, "overdue", by=None, locked=True)
            marked += 1
    return marked


def _project_id(order_id: int) -> int:
    return RectificationOrder.objects.values_list("project_id", flat=True).get(pk=order_id)
