"""督导 acting, not only recording: the province's moves on an overdue rectification order (remind, extend
the deadline, escalate to removal) and the period-end extension (the city requests, the province decides)."""

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
from zcpark.core.models import AuditEvent, Notice

from ..models import (
    ConstructionProject,
    ExtensionRequest,
    ExtensionStatus,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
)
from ..permissions import can_supervise, is_city_reviewer_of
from ..selectors.trajectory import assessment_results
from ..workflow import EXTENSION, ORDER
from ..workflow.extensions import years_checked
from ..workflow.orders import lock_order
from .common import lock_project, notify, record, require, today_or

# ---- overdue orders ----------------------------------------------------------------------------------


def reminded_today(order: RectificationOrder) -> bool:
    """Whether the order was reminded since midnight (a reminder goes at most once a day)."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        AuditEvent.objects.for_object(order)
        .filter(action="order_reminded", created_at__gte=midnight)
        .exists()
    )


@transaction.atomic
def order_remind(*, by: User | None, order: RectificationOrder, today: date | None = None) -> None:
    """The province reminds the park (and its city) of an overdue order; no change of state, at most once
    a day."""
    require(by is None or can_supervise(by))
    locked = lock_order(order)
    if locked.status != OrderStatus.OVERDUE:
        raise ApplicationError(
            _("Only an overdue order can be reminded; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            errors={"action": [_("Not allowed in this state.")]},
        )
    if reminded_today(locked):
        raise ApplicationError(
            _("The park was reminded of this order today already."),
            errors={"action": [_("A reminder goes at most once a day.")]},
        )
    days = (today_or(today) - locked.deadline).days
    record(by, locked, "order_reminded", comment=str(locked.deadline))
    notify(
        locked.project,
        (Role.PARK_STAFF, Role.CITY_REVIEWER),
        event=Notice(
            gettext_noop(
                "Reminder: rectification “%(title)s” is %(days)s day(s) past its deadline %(deadline)s"
            ),
            title=locked.title,
            days=days,
            deadline=str(locked.deadline),
        ),
        body=locked.requirements,
        url=reverse("evaluation:order-detail", args=[locked.pk]),
    )


@transaction.atomic
def order_extend_deadline(
    *,
    by: User | None,
    order: RectificationOrder,
    comment: str,
    deadline: date | None,
    today: date | None = None,
) -> RectificationOrder:
    """The province gives an overdue order a new deadline, with its reason: the order is issued again."""
    require(by is None or can_supervise(by))
    extended: RectificationOrder = transition_apply(
        ORDER, order, "extend_deadline", by=by, comment=comment, deadline=deadline, today=today
    )
    return extended


@transaction.atomic
def order_escalate(
    *,
    by: User | None,
    order: RectificationOrder,
    comment: str,
    document_no: str,
    today: date | None = None,
) -> RectificationOrder:
    """整改不到位的，退出建设名单: the province removes the park from the list with the overdue order as the
    reason (the project's ``removed`` move, with its document number)."""
    require(by is None or can_supervise(by))
    escalated: RectificationOrder = transition_apply(
        ORDER, order, "escalate", by=by, comment=comment, document_no=document_no, today=today
    )
    return escalated


# ---- extensions at the period's end -------------------------------------------------------------------


def core_fails_at_period_end(project: ConstructionProject) -> bool:
    """The project's assessment year has no passing core indicator (no computed result counts as failing)."""
    local = assessment_results(project).local
    return not (local is not None and local.ok and local.core_passed)


@transaction.atomic
def extension_request_file(
    *, by: User | None, project: ConstructionProject, years: int | None, reason: str
) -> ExtensionRequest:
    """The city asks the province for ``years`` more of construction for its park whose period ended failing
    the core indicator."""
    require(by is None or is_city_reviewer_of(by, project))
    locked = lock_project(project)
    if locked.status != ProjectStatus.SELF_ASSESSMENT:
        raise ApplicationError(
            _("An extension can be requested when the period has ended; the project is %(status)s.")
            % {"status": locked.get_status_display()},
            errors={"action": [_("Not allowed in this state.")]},
        )
    if locked.extension_requests.filter(status=ExtensionStatus.REQUESTED).exists():
        raise ApplicationError(
            _("An extension request is already waiting for the province's decision."),
            errors={"action": [_("Not allowed in this state.")]},
        )
    if not core_fails_at_period_end(locked):
        raise ApplicationError(
            _("The core indicator passes for %(year)s: request acceptance instead.")
            % {"year": locked.final_year},
            errors={"action": [_("Not allowed in this state.")]},
        )
    errors: dict[str, list[str]] = {}
    checked = 0
    try:
        checked = years_checked(locked, years)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the extension.")]
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        project=locked,
        years=checked,
        reason=reason.strip(),
        final_year=locked.final_year,
        requested_at=timezone.now(),
        requested_by=by,
    )
    record(
        by,
        request,
        "extension_requested",
        comment=f"+{checked} · {request.reason}"[:500],
        to_state=request.status,
    )
    notify(
        locked,
        (Role.PROVINCE_ADMIN, Role.PARK_STAFF),
        event=Notice(gettext_noop("Extension of %(years)s year(s) requested"), years=checked),
        body=request.reason,
        url=reverse("evaluation:project-extension", args=[locked.pk]),
    )
    return request


@transaction.atomic
def extension_decide(
    *, by: User | None, request: ExtensionRequest, decision: str, comment: str, document_no: str = ""
) -> ExtensionRequest:
    """The province approves (the project goes back under construction with the extra years and their
    reports) or rejects (it stays in self-assessment; removal remains possible) the city's request."""
    require(by is None or can_supervise(by))
    decided: ExtensionRequest = transition_apply(
        EXTENSION, request, decision, by=by, comment=comment, document_no=document_no
    )
    return decided
