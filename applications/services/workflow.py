"""Moving an application through its workflow: the table is ``workflow.APPLICATION``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from parks.models import User
from zcpark.core.machines import action_unknown_message, transition_apply

from ..models import Application
from ..workflow import APPLICATION, TRANSITIONS


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
    if action not in TRANSITIONS:
        raise ValidationError({"action": [action_unknown_message(action, APPLICATION.audit_prefix)]})
    return transition_apply(
        APPLICATION, application, action, by=by, comment=comment, conditions=conditions, checklist=checklist
    )


def actions_for(user: User, application: Application) -> list[tuple[str, str]]:
    """The (action, verb) pairs ``user`` may try on ``application`` in its current state."""
    return [(t.verb, str(t.button)) for t in APPLICATION.actions_for(user, application)]
