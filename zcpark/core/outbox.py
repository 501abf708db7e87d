"""The transactional outbox: a task a change needs is written in the change's own transaction, sent to
the broker after commit without waiting on a dead one, and sent by the relay (beat, every minute) once
the broker answers again. At least once: every task is idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from .models import OutboxMessage

logger = structlog.get_logger(__name__)

# The relay leaves a message this long to its own after-commit send, and sends at most this many a run.
RELAY_AFTER = timedelta(minutes=1)
RELAY_BATCH = 500


def task_enqueue_on_commit(name: str, *args: Any) -> None:
    """Queue the task registered as ``name`` for the change being committed: an outbox row in the same
    transaction (a rolled-back change queues nothing), sent at once after commit, or by the relay once the
    broker answers again. Sending never waits on a dead broker (no publish retries).

    Services name the task instead of importing it: the tasks call the services, so imports go one way.
    Each app's ``ready()`` imports its tasks module, so every task is registered in every process."""
    message = OutboxMessage.objects.create(task=name, args=list(args))
    transaction.on_commit(lambda: outbox_send(message.pk), robust=True)


def outbox_send(message_id: int) -> bool:
    """Send one queued task to the broker and mark it sent; a broker that cannot be reached leaves it for
    the relay (counted, with the error). Returns whether it went."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return False
    try:
        # Tasks keep no result (CELERY_TASK_IGNORE_RESULT): asking for one would first subscribe to the
        # result backend (the same Redis), which retries for 20 s when it is down, in the committing request.
        current_app.tasks[message.task].delay(*message.args)
    except Exception as exc:  # a broker down (kombu's OperationalError) or anything else: the relay retries
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        known = isinstance(exc, OSError | KombuOperationalError)
        log = logger.warning if known else logger.exception
        log("outbox_send_failed", task=message.task, message_id=message.pk, error=str(exc))
        return False
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return True


def outbox_relay() -> int:
    """Send the queued tasks still unsent a minute after their change (the broker was down, or the process
    died before sending); forget those sent a week ago. Returns how many went."""
    now = timezone.now()
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=now - RELAY_AFTER)
    sent = sum(outbox_send(pk) for pk in pending.values_list("pk", flat=True)[:RELAY_BATCH])
    OutboxMessage.objects.filter(sent_at__lt=now - timedelta(days=7)).delete()
    return sent
