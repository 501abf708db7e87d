"""What every evaluation service shares: locking a project, moving it along the table, notifying."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record, notification_send

from ..models import ConstructionProject
from ..workflow import ACTION_LABELS, PROJECT_TRANSITIONS


def today_or(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def lock_project(project: ConstructionProject | int) -> ConstructionProject:
    """The project row, locked for this transaction, with its park, zone and city loaded."""
    pk = project if isinstance(project, int) else project.pk
    return (
        ConstructionProject.objects.select_for_update(of=("self",))
        .select_related("park", "park__zone", "park__zone__city")
        .get(pk=pk)
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def project_move(
    project: ConstructionProject, *, action: str, by: User | None, comment: str = "", save: bool = True
) -> None:
    """Move a locked project along ``PROJECT_TRANSITIONS[action]`` and write its timeline event."""
    sources, target = PROJECT_TRANSITIONS[action]
    if project.status not in sources:
        raise ApplicationError(
            _("A project that is %(status)s cannot be %(action)s.")
            % {"status": project.get_status_display(), "action": ACTION_LABELS[action]},
            errors={"action": [_("Not allowed in this state.")]},
        )
    old = project.status
    project.status = target
    if save:
        project.save(update_fields=["status", "updated_at"])
    audit_event_record(
        actor=by, target=project, action=action, from_state=old, to_state=target, comment=comment
    )


def record(by: User | None, target: Any, action: str, *, comment: str = "", **states: str) -> None:
    audit_event_record(actor=by, target=target, action=action, comment=comment, **states)


def project_people(project: ConstructionProject, *roles: str) -> list[User]:
    """The active users of ``roles`` concerned with the project: its park's staff, its city's reviewers,
    and (any other role) everyone who holds it, such as the province."""
    scoped = {
        Role.PARK_STAFF: Q(park_id=project.park_id),
        Role.CITY_REVIEWER: Q(city_id=project.park.zone.city_id),
    }
    wanted = Q(pk__in=[])
    for role in roles:
        wanted |= Q(role=role) & scoped.get(role, Q())
    return list(User.objects.filter(wanted, is_active=True))


def notify(
    project: ConstructionProject, roles: tuple[str, ...], *, event: str, body: str = "", url: str = ""
) -> None:
    notification_send(
        recipients=project_people(project, *roles),
        title=_("%(park)s: %(event)s") % {"park": project.park, "event": event},
        body=body,
        url=url or reverse("evaluation:project-detail", args=[project.pk]),
    )
