"""Which events of a timeline each reader reads: an internal note between reviewers is not the park's to
read, and the person behind a blind expert review is known to the province only."""

from __future__ import annotations

from collections.abc import Iterable

from .models import AuditEvent

# The events of a message reviewers post among themselves (zcpark.core.threads).
INTERNAL_ACTIONS = frozenset({"thread_internal_posted"})

# Actions whose actor and comment name a review expert, registered by the app that records them.
NAMED_ACTIONS: set[str] = set()


def register_named_actions(*actions: str) -> None:
    NAMED_ACTIONS.update(actions)


def events_for_reader(events: Iterable[AuditEvent], *, internal: bool, names: bool) -> list[AuditEvent]:
    """``events`` as a reader reads them: without the reviewers' internal notes unless ``internal``, and,
    unless ``names``, with the expert behind a named action left out (actor and comment, in memory only:
    nothing is saved). ``event.redacted`` tells the template to say "review expert"."""
    shown = []
    for event in events:
        if not internal and event.action in INTERNAL_ACTIONS:
            continue
        if not names and event.action in NAMED_ACTIONS:
            event.actor = None
            event.comment = ""
            event.redacted = True  # type: ignore[attr-defined]
        shown.append(event)
    return shown
