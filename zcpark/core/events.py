"""Which events of a timeline each reader reads: an internal note between reviewers is not the park's to
read, and the person behind a blind expert review is known to the province only."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AuditEvent

# The events of a message reviewers post among themselves (zcpark.core.threads).
INTERNAL_ACTIONS = frozenset({"thread_internal_posted"})

# Actions whose actor and comment name a review expert, registered by the app that records them.
NAMED_ACTIONS: set[str] = set()


def register_named_actions(*actions: str) -> None:
    NAMED_ACTIONS.update(actions)


def events_visible(events: QuerySet[AuditEvent], *, internal: bool) -> QuerySet[AuditEvent]:
    """``events`` without the reviewers' internal notes unless ``internal`` (the one filter every timeline,
    export and API of events reads them through)."""
    return events if internal else events.exclude(action__in=INTERNAL_ACTIONS)


def events_for_reader(
    events: QuerySet[AuditEvent], *, internal: bool, names: bool, limit: int | None = None
) -> list[AuditEvent]:
    """``events`` as a reader reads them (the first ``limit`` when given): without the reviewers' internal
    notes unless ``internal`` (``events_visible``), and, unless ``names``, with the expert behind a named
    action left out (actor and comment, in memory only: nothing is saved). ``event.redacted`` tells the
    template to say "review expert"."""
    visible = events_visible(events, internal=internal)
    shown = list(visible[:limit] if limit is not None else visible)
    if not names:
        for event in shown:
            if event.action in NAMED_ACTIONS:
                event.actor = None
                event.comment = ""
                event.redacted = True  # type: ignore[attr-defined]
    return shown
