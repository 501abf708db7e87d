"""Clarification threads: questions and answers between a park and its reviewers on an object (a dossier
section, an annual report, an order), with no effect on the object's state.

A thread is the messages of one object, one anchor (a dossier section's code, or empty) and one
visibility: ``shared`` (the park reads and writes) or ``internal`` (the reviewers only). The floor knows
neither roles nor parks: each app registers a ``ThreadTarget`` for its model, saying whom the object is
visible to, which side a user writes for, who the people of each side are, and where the thread is shown.
Every message is audited on its object (the timeline) and notifies the other side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from .models import TODO_LIMIT, Notice, ThreadMessage, ThreadSide, ThreadVisibility
from .services import audit_event_record, notification_send

# A user's side: PARK or REVIEWERS write, READER reads every thread and writes none, None reads none.
READER = "reader"
TEXT_MAX_CHARS = 4000


@dataclass(frozen=True)
class ThreadTarget:
    model: type[models.Model]
    visible: Callable[[Any], Q]  # the objects ``user`` sees (scope), as a filter on the model
    sees: Callable[[Any, Any], bool]  # ``visible`` for one object
    side: Callable[[Any], str | None]  # the user's side by role (PARK, REVIEWERS, READER or None)
    people: Callable[[Any, str], list[Any]]  # the active users of a side for the object
    url: Callable[[Any, str], str]  # where the object's thread at the anchor is shown
    title: Callable[[Any, str], Any]  # what the object is, for a notice and the to-do (a Notice or text)
    anchors: tuple[str, ...] = ("",)
    related: tuple[str, ...] = ()  # what ``title`` reads beyond the object (select_related on the to-do)


THREAD_TARGETS: dict[type[models.Model], ThreadTarget] = {}
# The anchors' labels (a dossier section's code → its title), registered by the app that anchors threads.
ANCHOR_LABELS: dict[str, Any] = {}


def register_thread_target(target: ThreadTarget, *, anchor_labels: dict[str, Any] | None = None) -> None:
    THREAD_TARGETS[target.model] = target
    ANCHOR_LABELS.update(anchor_labels or {})


def _spec(obj: models.Model) -> ThreadTarget:
    return THREAD_TARGETS[type(obj)]


def _with_related(spec: ThreadTarget) -> QuerySet[Any]:
    """The target's objects with what its title reads (none extra when it names nothing: an empty
    ``select_related()`` would follow every foreign key)."""
    objects = spec.model._default_manager.all()
    return objects.select_related(*spec.related) if spec.related else objects


def thread_side(user: Any, obj: models.Model) -> str | None:
    """The side ``user`` reads ``obj``'s threads from; None when the object is not visible to it."""
    spec = _spec(obj)
    if not spec.sees(user, obj):
        return None
    return spec.side(user)


def reads_internal(side: str | None) -> bool:
    return side in (ThreadSide.REVIEWERS, READER)


# ---- reads ---------------------------------------------------------------------------------------------


def thread_messages(*, user: Any, target: models.Model, anchor: str | None = None) -> QuerySet[ThreadMessage]:
    """The messages of ``target`` (at ``anchor`` when given) that ``user`` reads, oldest first: the park
    only the shared threads; nobody outside the object's scope any."""
    side = thread_side(user, target)
    messages = ThreadMessage.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("author")
    if anchor is not None:
        messages = messages.filter(anchor=anchor)
    if side is None:
        return messages.none()
    if not reads_internal(side):
        messages = messages.filter(visibility=ThreadVisibility.SHARED)
    return messages


def threads_awaiting(*, user: Any, limit: int = TODO_LIMIT) -> list[ThreadMessage]:
    """The shared threads whose latest message waits for ``user``'s side: a reviewer's question the park
    has not answered (for the park's staff), a park's message no reviewer has answered (for its city and
    the province); each as its latest message with ``target``, ``link`` and ``about`` set, newest first."""
    # Every app reads a user's side from its role alike: any registered target says it.
    side = next((spec.side(user) for spec in THREAD_TARGETS.values()), None)
    if side not in (ThreadSide.PARK, ThreadSide.REVIEWERS):
        return []
    waiting_on = ThreadSide.REVIEWERS if side == ThreadSide.PARK else ThreadSide.PARK
    scope = Q(pk__in=[])
    for spec in THREAD_TARGETS.values():
        scope |= Q(
            target_type=ContentType.objects.get_for_model(spec.model),
            target_id__in=spec.model._default_manager.filter(spec.visible(user)).values("pk"),
        )
    latest = (
        ThreadMessage.objects.filter(
            target_type=OuterRef("target_type"),
            target_id=OuterRef("target_id"),
            anchor=OuterRef("anchor"),
            visibility=ThreadVisibility.SHARED,
        )
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    waiting = list(
        ThreadMessage.objects.filter(scope, visibility=ThreadVisibility.SHARED, author_side=waiting_on)
        .filter(pk=Subquery(latest))
        .select_related("target_type")
        .prefetch_related(
            GenericPrefetch(
                "target",
                [_with_related(spec) for spec in THREAD_TARGETS.values()],
            )
        )
        .order_by("-created_at", "-id")[:limit]
    )
    for message in waiting:
        target = message.target
        assert target is not None  # the scope above reads existing objects only
        spec = _spec(target)
        message.link = spec.url(target, message.anchor)  # type: ignore[attr-defined]
        message.about = spec.title(target, message.anchor)  # type: ignore[attr-defined]
    return waiting


@dataclass
class ThreadPanel:
    """What the thread panel of an object's page shows: the shared and (for reviewers) internal messages
    at one anchor, and whether the reader may post."""

    shared: list[ThreadMessage]
    internal: list[ThreadMessage] | None  # None: not the reader's to read
    can_post: bool
    post_url: str
    choices: list[tuple[str, Any]]
    max_chars: int = TEXT_MAX_CHARS  # the longest message (the form's textarea says it too)


def thread_panel(*, user: Any, target: models.Model, anchor: str, post_url: str) -> ThreadPanel:
    """The panel for ``target`` at ``anchor``: one query."""
    side = thread_side(user, target)
    messages = list(thread_messages(user=user, target=target, anchor=anchor))
    writes = side in (ThreadSide.PARK, ThreadSide.REVIEWERS)
    return ThreadPanel(
        shared=[m for m in messages if m.visibility == ThreadVisibility.SHARED],
        internal=[m for m in messages if m.visibility == ThreadVisibility.INTERNAL]
        if reads_internal(side)
        else None,
        can_post=writes,
        post_url=post_url,
        choices=list(ThreadVisibility.choices) if side == ThreadSide.REVIEWERS else [],
    )


# ---- the one write -------------------------------------------------------------------------------------


@transaction.atomic
def thread_message_post(
    *, by: Any, target: models.Model, anchor: str = "", visibility: str, text: str
) -> ThreadMessage:
    """Post a message in ``target``'s thread at ``anchor``: the park in the shared thread only, a reviewer
    (city or province) in either; an observer reads only (403). The object is not touched (its state
    stays), an event goes on its timeline and the other side is notified: the park's staff of a reviewer's
    shared message, the reviewers of the park's or of another reviewer's internal one."""
    spec = _spec(target)
    side = thread_side(by, target)
    if side not in (ThreadSide.PARK, ThreadSide.REVIEWERS):
        raise PermissionDenied
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if visibility not in ThreadVisibility.values:
        errors["visibility"] = [_("Choose who reads the message.")]
    elif side == ThreadSide.PARK and visibility != ThreadVisibility.SHARED:
        raise PermissionDenied
    if not text:
        errors["text"] = [_("Write the message.")]
    elif len(text) > TEXT_MAX_CHARS:
        errors["text"] = [_("At most %(n)s characters.") % {"n": TEXT_MAX_CHARS}]
    if anchor not in spec.anchors:
        errors["anchor"] = [_("This part has no thread.")]
    if errors:
        raise ValidationError(errors)
    message = ThreadMessage(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        anchor=anchor,
        visibility=visibility,
        author=by,
        author_role=getattr(by, "role", ""),
        author_side=side,
        text=text,
    )
    message.full_clean()
    message.save()
    audit_event_record(
        actor=by,
        target=target,
        action=f"thread_{visibility}_posted",
        comment=text,
        changes={"anchor": ("", anchor)} if anchor else None,
    )
    if side == ThreadSide.PARK:
        recipients = spec.people(target, ThreadSide.REVIEWERS)
        event = gettext_noop("The park wrote: %(about)s")
    elif visibility == ThreadVisibility.SHARED:
        recipients = spec.people(target, ThreadSide.PARK)
        event = gettext_noop("A question from the reviewers: %(about)s")
    else:
        recipients = spec.people(target, ThreadSide.REVIEWERS)
        event = gettext_noop("An internal note: %(about)s")
    notification_send(
        recipients=[user for user in recipients if user.pk != by.pk],
        title=Notice(event, about=spec.title(target, anchor)),
        body=text,
        url=spec.url(target, anchor),
    )
    return message


# ---- the timeline --------------------------------------------------------------------------------------


def anchor_change_read(name: str, old: Any, new: Any) -> tuple[str, str, str] | None:
    """A message's anchor on the timeline: the part it is about, by its label."""
    if name != "anchor":
        return None
    return (_("About"), "", str(ANCHOR_LABELS.get(new, new)))


ACTION_LABELS = {
    "thread_shared_posted": gettext_lazy("Clarification message (shared with the park)"),
    "thread_internal_posted": gettext_lazy("Clarification note (internal to the reviewers)"),
}
