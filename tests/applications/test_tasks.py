"""The daily task that closes calls whose deadline has passed (called directly, as Celery would)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from applications.models import CallStatus
from applications.tasks import calls_close_expired_task
from tests.applications.factories import CallFactory
from zcpark.celery import app

DEADLINE = dt.date(2026, 3, 31)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_calls_close_expired_task_closes_and_counts_when_deadline_passed_in_shanghai(db, time_machine):
    # 00:30 on 1 April in Jiangxi is still 31 March in UTC: the local date decides.
    time_machine.move_to(dt.datetime(2026, 4, 1, 0, 30, tzinfo=SHANGHAI), tick=False)
    expired, running = CallFactory(deadline=DEADLINE), CallFactory(deadline=DEADLINE + dt.timedelta(days=1))
    assert calls_close_expired_task() == 1
    expired.refresh_from_db()
    running.refresh_from_db()
    assert (expired.status, running.status) == (CallStatus.CLOSED, CallStatus.OPEN)


def test_calls_close_expired_task_closes_nothing_when_today_is_the_deadline(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 31, 23, 30, tzinfo=SHANGHAI), tick=False)
    call = CallFactory(deadline=DEADLINE)
    assert calls_close_expired_task() == 0
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_calls_close_expired_task_runs_through_celery_when_enqueued(db, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    CallFactory(deadline=DEADLINE)
    assert calls_close_expired_task.delay().get(timeout=1) == 1


def test_calls_close_expired_task_is_on_the_daily_beat_schedule():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert calls_close_expired_task.name == "applications.calls_close_expired"
    assert calls_close_expired_task.name in scheduled
