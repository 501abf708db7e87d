"""Work a change needs is never lost: its task is written in the change's transaction (an outbox row),
sent after commit without waiting on a dead broker, and sent by the relay once the broker answers
(issue 12, finding 1)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from zcpark.core.models import OutboxMessage
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.tasks import outbox_relay_task

pytestmark = pytest.mark.django_db

ECHO = "core.echo"


def _broker_down():
    return mock.patch.object(current_app.tasks[ECHO], "delay", side_effect=KombuOperationalError("refused"))


def test_a_committed_change_sends_its_task_after_commit(django_capture_on_commit_callbacks):
    # The mock outermost: the captured callbacks run when the inner block ends.
    with (
        mock.patch.object(current_app.tasks[ECHO], "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_enqueue_on_commit(ECHO, "零碳")
    delay.assert_called_once_with("零碳")
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_rolled_back_change_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        task_enqueue_on_commit(ECHO, "x")
        raise RuntimeError("the change fails")
    assert not OutboxMessage.objects.exists()


def test_a_dead_broker_keeps_the_task_for_the_relay_which_sends_it_when_the_broker_answers(
    django_capture_on_commit_callbacks,
):
    with _broker_down(), django_capture_on_commit_callbacks(execute=True):
        task_enqueue_on_commit(ECHO, "later")
    message = OutboxMessage.objects.get()
    assert (message.sent_at, message.attempts) == (None, 1) and "refused" in message.last_error
    with time_machine.travel(timezone.now() + timedelta(minutes=2)), _broker_down():
        assert outbox_relay_task() == 0
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=3)),
        mock.patch.object(current_app.tasks[ECHO], "delay") as delay,
    ):
        assert outbox_relay_task() == 1
    delay.assert_called_once_with("later")
    assert OutboxMessage.objects.get().sent_at is not None


def test_the_relay_leaves_a_fresh_message_to_its_own_send_and_forgets_old_sent_ones():
    OutboxMessage.objects.create(task=ECHO, args=["fresh"])
    OutboxMessage.objects.create(task=ECHO, args=["old"], sent_at=timezone.now() - timedelta(days=8))
    with mock.patch.object(current_app.tasks[ECHO], "delay") as delay:
        assert outbox_relay_task() == 0
    delay.assert_not_called()
    assert list(OutboxMessage.objects.values_list("args", flat=True)) == [["fresh"]]


def test_the_relay_runs_every_minute_from_the_one_schedule():
    from zcpark.celery import app

    assert app.conf.beat_schedule["outbox-relay"]["task"] == "core.outbox_relay"
    assert app.conf.beat_schedule["outbox-relay"]["schedule"] == 60


def test_an_unexpected_send_error_keeps_the_task_and_the_relay_goes_on_with_the_others():
    old = timezone.now() - timedelta(minutes=2)
    for value in ("first", "second"):
        OutboxMessage.objects.create(task=ECHO, args=[value])
    OutboxMessage.objects.update(created_at=old)
    side_effects = [RuntimeError("Retry limit exceeded while trying to reconnect"), None]
    with mock.patch.object(current_app.tasks[ECHO], "delay", side_effect=side_effects):
        assert outbox_relay_task() == 1
    first, second = OutboxMessage.objects.order_by("id")
    assert (first.sent_at, first.attempts) == (None, 1) and first.last_error.startswith("RuntimeError")
    assert second.sent_at is not None


def test_a_send_asks_for_no_result_so_a_dead_result_backend_cannot_hold_the_request():
    """Asking for a result subscribes to the result backend (Redis) first, which retries for 20 s when it
    is down: no task but the round-trip probe keeps one, and nobody reads one."""
    from zcpark.celery import app

    assert app.conf.task_ignore_result is True
    keeping = [name for name, task in app.tasks.items() if not task.ignore_result]
    assert [name for name in keeping if not name.startswith("celery.")] == ["core.echo"]
