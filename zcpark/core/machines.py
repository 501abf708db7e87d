"""The one way an object changes state: a table of transitions, applied by ``transition_apply``.

A ``Machine`` names the model, its state field and its transitions. Each ``Transition`` carries its
verb (the action key), the event's label and the button's, the roles that may take it, the checks it
runs, the fields it stamps with the time, the writes it makes beside the state and whom it notifies.
``transition_apply`` locks the row, checks role and scope (403), state and checks (400), writes,
audits and notifies, all in one transaction. Tests and the diagrams in ``docs/`` are generated from
the same tables (``manage.py workflow_diagrams``), so neither can drift from the code.

The floor knows no role: a machine's ``may`` predicate, given by its app, says whether a user acts with
a role on an object (its scope). A transition with no roles is the system's: a task or another move
makes it (``by`` is who caused it, if anyone), never a person directly, so services offer only the
transitions with roles to people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import ApplicationError
from .services import audit_event_record, notification_send

_ModelT = TypeVar("_ModelT", bound=models.Model)

REFUSAL = gettext_lazy("Something that is %(status)s cannot be %(action)s.")


def action_unknown_message(verb: str, prefix: str = "") -> str:
    """What a person reads when asked for an action the object has not: the action by its label when the
    portal knows it (``ACTION_LABELS``, by audit action or verb), never the code it was asked by."""
    from .models import ACTION_LABELS

    label = ACTION_LABELS.get(f"{prefix}{verb}") or ACTION_LABELS.get(verb)
    if label:
        return _("“%(action)s” is not possible here.") % {"action": label}
    return _("This action is not available.")


@dataclass
class Step:
    """One transition being applied: what checks and writes read, and the changes they record."""

    machine: Machine
    transition: Transition
    obj: Any
    by: Any
    comment: str
    params: dict[str, Any]
    now: Any
    from_state: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # What the timeline and the notification say; the comment unless a write says otherwise.
    audit_comment: str = ""
    body: str = ""
    url: str = ""


@dataclass(frozen=True)
class Transition:
    verb: str
    sources: tuple[str, ...]
    target: str
    label: Any  # the event, as the timeline shows it ("Recommended")
    button: Any = None  # the verb, as a button shows it ("Recommend"); None for the system's moves
    roles: tuple[str, ...] = ()  # who may take it; () is the system's
    checks: tuple[Callable[[Step], None], ...] = ()  # raise ApplicationError or ValidationError
    stamps: tuple[str, ...] = ()  # fields set to the time of the move
    writes: tuple[Callable[[Step], None], ...] = ()  # beside the state, before the row is saved
    after: tuple[Callable[[Step], None], ...] = ()  # once the row is saved (related rows, other machines)
    notify: Callable[[Any], Iterable[Any]] | None = None  # the recipients
    # the notification's title (else the machine's): a Notice or lazy text reads in each reader's language
    title: Callable[[Step], Any] | None = None
    comment_required: Any = None  # the message when a comment (an opinion, a reason) is required
    refusal: Any = None  # the message when the object is in another state (else a generic one)


@dataclass(frozen=True)
class Machine:
    name: str  # "application"
    model: type[models.Model]
    transitions: tuple[Transition, ...]
    # Whether ``user`` acts with ``role`` on ``obj`` (role and scope); the app's rule.
    may: Callable[[Any, Any, str], bool]
    field: str = "status"
    audit_prefix: str = ""  # the audit action is prefix + verb ("list_" + "publish")
    # The notification's title and link for a move.
    title: Callable[[Any, Transition], Any] | None = None
    url: Callable[[Any], str] | None = None
    # The row as the move needs it, locked (select_for_update, with what the checks read).
    lock: Callable[[Any], Any] | None = None
    # The message when the object is in another state: %(status)s and %(action)s are filled in.
    refusal: Any = None
    description: str = ""

    @property
    def by_verb(self) -> dict[str, Transition]:
        return {t.verb: t for t in self.transitions}

    def get(self, verb: str) -> Transition:
        transition = self.by_verb.get(verb)
        if transition is None:
            raise ValidationError({"action": [action_unknown_message(verb, self.audit_prefix)]})
        return transition

    def states(self) -> list[tuple[str, str]]:
        state_field = self.model._meta.get_field(self.field)
        assert isinstance(state_field, models.Field)  # the state is a column of the row, never a relation
        # A state field's choices are flat (value, label) pairs, never named groups.
        return cast("list[tuple[str, str]]", list(state_field.choices or []))

    def may_take(self, user: Any, obj: Any, transition: Transition) -> bool:
        return any(self.may(user, obj, role) for role in transition.roles)

    def actions_for(self, user: Any, obj: Any) -> list[Transition]:
        """The transitions ``user`` may try on ``obj`` in its state (its checks may still refuse)."""
        state = getattr(obj, self.field)
        return [t for t in self.transitions if t.roles and state in t.sources and self.may_take(user, obj, t)]

    def audit_action(self, transition: Transition) -> str:
        return f"{self.audit_prefix}{transition.verb}"


# Every machine of the portal, registered by its app's ready() (the diagrams and the generated tests read it).
MACHINES: dict[str, Machine] = {}


def register_machines(*machines: Machine) -> None:
    for machine in machines:
        MACHINES[machine.name] = machine


def audit_labels(*machines: Machine) -> dict[str, Any]:
    """The timeline label of every move of ``machines``, by audit action."""
    return {m.audit_action(t): t.label for m in machines for t in m.transitions}


def transition_apply(
    machine: Machine,
    obj: _ModelT,
    verb: str,
    *,
    by: Any,
    comment: str = "",
    system: bool = False,
    locked: bool = False,
    now: Any = None,
    **params: Any,
) -> _ModelT:
    """Move ``obj`` by ``verb`` with its row locked: check role and scope (403; the system, or ``by=None``,
    skips it), state and the transition's checks (400, naming every unmet condition), then stamp, write,
    save, audit and notify. One transaction (joining the caller's). ``locked``: the caller holds the row
    locked already (a move that another move makes). ``params`` are the move's inputs its checks and writes
    read. Returns the object in its new state."""
    transition = machine.get(verb)
    with transaction.atomic():
        if not locked:
            obj = machine.lock(obj) if machine.lock else _lock(obj)
        if transition.roles and not (system or by is None) and not machine.may_take(by, obj, transition):
            raise PermissionDenied
        state = getattr(obj, machine.field)
        if state not in transition.sources:
            display = getattr(obj, f"get_{machine.field}_display")()
            message = transition.refusal or machine.refusal or REFUSAL
            raise ApplicationError(
                str(message) % {"status": display, "action": transition.label},
                errors={"action": [_("Not allowed in this state.")]},
            )
        comment = (comment or "").strip()
        if transition.comment_required and not comment:
            raise ValidationError({"comment": [str(transition.comment_required)]})
        step = Step(machine, transition, obj, by, comment, params, now or timezone.now(), state)
        step.audit_comment = step.body = comment
        step.url = machine.url(obj) if machine.url else ""
        for check in transition.checks:
            check(step)
        setattr(obj, machine.field, transition.target)
        for name in transition.stamps:
            setattr(obj, name, step.now)
        for write in transition.writes:
            write(step)
        obj.save()
        for after in transition.after:
            after(step)
        audit_event_record(
            actor=by,
            target=obj,
            action=machine.audit_action(transition),
            from_state=state,
            to_state=transition.target,
            comment=step.audit_comment,
            changes=step.changes or None,
        )
        if transition.notify is not None:
            title = (
                transition.title(step)
                if transition.title
                else machine.title(obj, transition)
                if machine.title
                else transition.label
            )
            notification_send(recipients=transition.notify(obj), title=title, body=step.body, url=step.url)
    return obj


def _lock(obj: Any) -> Any:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)
