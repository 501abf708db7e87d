"""The recomputation of every stored result as a job its page can follow: asked for (a new factor-set or
scheme version, or the province asking again after a failure), done, or failed.

Where it stands is kept in the shared cache (production requires one: the web and the workers see the same
entry), one entry for the whole recomputation, since every recomputation recomputes everything. The job is
asked for inside the change's transaction, so a worker that runs it at once (in-process, eagerly, after the
commit) finds it marked. An entry no process can share (a per-process memory cache beside a real worker) is
not kept at all: the page then says nothing rather than wait for ever. A job asked for more than
``GENERATED_FILE_STALE_AFTER`` ago and still not done reads as failed (its worker died or its message was
lost), and the province may ask again; a job asked for and still pending is the answer to a second request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from parks.models import User
from zcpark.core.models import KNOWN_ERRORS, STALE_ERROR
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import GENERATED_FILE_STALE_AFTER

from ..models import FactorSet
from ..permissions import can_manage_factors

RECOMPUTE_TASK = "indicators.results_recompute"
STATE_KEY = "indicators:results-recompute"
STATE_TIMEOUT = 7 * 24 * 3600  # seconds: the page says when the last recomputation ended for a week
PENDING, DONE, FAILED = "pending", "done", "failed"
ERROR_MAX_CHARS = 500


@dataclass(frozen=True)
class RecomputeState:
    """Where the latest recomputation of every stored result stands."""

    status: str  # PENDING | DONE | FAILED
    asked_at: datetime
    ended_at: datetime | None = None
    error: str = ""

    @property
    def failure_reason(self) -> str:
        """Why it failed, in the reader's language, when the job said why (lost, too long); otherwise
        nothing: the page says the results could not be recomputed."""
        return gettext(self.error) if self.status == FAILED and self.error in KNOWN_ERRORS else ""


def _tracked() -> bool:
    """Whether every process sees the same entry: tasks run in this process, or the cache is shared."""
    backend = str(settings.CACHES["default"]["BACKEND"])
    return bool(settings.CELERY_TASK_ALWAYS_EAGER) or not backend.endswith("LocMemCache")


def _stored() -> dict[str, Any] | None:
    entry = cache.get(STATE_KEY) if _tracked() else None
    return entry if isinstance(entry, dict) and entry.get("status") in (PENDING, DONE, FAILED) else None


def _store(entry: dict[str, Any]) -> None:
    if _tracked():
        cache.set(STATE_KEY, entry, STATE_TIMEOUT)


def results_recompute_state(*, now: datetime | None = None) -> RecomputeState | None:
    """The latest recomputation (None when none is known): pending, done or failed. One still pending past
    the time a job gets reads as failed with the message the page shows."""
    entry = _stored()
    if entry is None:
        return None
    asked_at, ended = entry["asked_at"], entry.get("ended_at")
    if entry["status"] == PENDING and asked_at < (now or timezone.now()) - GENERATED_FILE_STALE_AFTER:
        return RecomputeState(status=FAILED, asked_at=asked_at, error=STALE_ERROR)
    return RecomputeState(
        status=entry["status"], asked_at=asked_at, ended_at=ended, error=entry.get("error", "")
    )


def results_recompute_asked() -> None:
    """Mark a recomputation asked for (called where its task is queued, inside the change's transaction)."""
    _store({"status": PENDING, "asked_at": timezone.now()})


def results_recompute_ended(*, started_at: datetime, error: str = "") -> None:
    """Mark the recomputation that started at ``started_at`` done (or failed with ``error``), unless another
    was asked for since it started: that one read newer reference data and is still to come."""
    entry = _stored()
    if entry is not None and entry["status"] == PENDING and entry["asked_at"] > started_at:
        return
    asked_at = entry["asked_at"] if entry is not None else started_at
    _store(
        {
            "status": FAILED if error else DONE,
            "asked_at": asked_at,
            "ended_at": timezone.now(),
            "error": error[:ERROR_MAX_CHARS],
        }
    )


@transaction.atomic
def results_recompute_request(*, by: User | None) -> RecomputeState | None:
    """The province asks again for a recomputation of every stored result (after one failed). One asked for
    and still pending is the answer to a second request: requests queue on the current factor set's row, so
    however many come at once, one job is queued. Returns where the recomputation stands."""
    if not can_manage_factors(by):
        raise PermissionDenied
    FactorSet.objects.select_for_update().filter(is_current=True).values_list("pk").first()
    state = results_recompute_state()
    if state is not None and state.status == PENDING:
        return state
    results_recompute_asked()
    task_enqueue_on_commit(RECOMPUTE_TASK, "asked again")
    return results_recompute_state()
