"""What every evaluation service shares: permission, moving a project along its machine, notifying."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise

from parks.models import User
from zcpark.core.machines import transition_apply
from zcpark.core.models import Notice
from zcpark.core.services import audit_event_record, notification_send

from ..models import ConstructionProject
from ..workflow import PROJECT
from ..workflow.common import lock_project, park_title, project_people, today_or


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def project_move(
    project: ConstructionProject, *, action: str, by: User | None, comment: str = "", **params: Any
) -> None:
    """Move a locked project by ``action`` of the ``PROJECT`` machine (its checks, writes, event, notices)."""
    transition_apply(PROJECT, project, action, by=by, comment=comment, locked=True, **params)


def record(
    by: User | None,
    target: models.Model,
    action: str,
    *,
    comment: str = "",
    from_state: str = "",
    to_state: str = "",
) -> None:
    audit_event_record(
        actor=by, target=target, action=action, comment=comment, from_state=from_state, to_state=to_state
    )


def notify(
    project: ConstructionProject,
    roles: tuple[str, ...],
    *,
    event: str | Promise | Notice,
    body: str | Promise | Notice = "",
    url: str = "",
) -> None:
    """Tell ``roles`` of the project's park "<park>: <event>"; an ``event`` given as a ``Notice`` or a lazy
    translation reads in each reader's language (a plain string as it was written)."""
    notification_send(
        recipients=project_people(project, *roles),
        title=park_title(project, event),
        body=body,
        url=url or reverse("evaluation:project-detail", args=[project.pk]),
    )


__all__ = ["lock_project", "notify", "project_move", "record", "require", "today_or"]
