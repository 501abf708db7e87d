"""The daily construction tasks, called as Celery beat would, on a pinned clock (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from evaluation import services
from evaluation.models import OrderStatus, ProjectStatus
from evaluation.tasks import construction_daily_task, orders_mark_overdue_task
from tests.evaluation.factories import listed_project
from zcpark.celery import app

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_overdue_task_marks_an_order_the_day_after_its_deadline_in_shanghai(
    world, actors_a, time_machine
):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="整改",
        deadline=dt.date(2027, 6, 30),
        today=dt.date(2027, 6, 1),
    )
    # 23:30 on the deadline in Jiangxi: still in time.
    time_machine.move_to(dt.datetime(2027, 6, 30, 23, 30, tzinfo=SHANGHAI), tick=False)
    assert orders_mark_overdue_task() == 0
    # 00:30 the next day in Jiangxi is still 30 June in UTC: the local date decides.
    time_machine.move_to(dt.datetime(2027, 7, 1, 0, 30, tzinfo=SHANGHAI), tick=False)
    assert orders_mark_overdue_task() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.OVERDUE


def test_the_daily_task_reminds_and_ends_periods(world, actors_a, time_machine):
    project = listed_project(actors_a)
    time_machine.move_to(dt.datetime(2027, 3, 10, 9, 0, tzinfo=SHANGHAI), tick=False)
    assert construction_daily_task() == {"reminded": 1, "reports_overdue": 0, "periods_ended": 0}
    time_machine.move_to(dt.datetime(2029, 1, 2, 9, 0, tzinfo=SHANGHAI), tick=False)
    result = construction_daily_task()
    assert result == {"reminded": 0, "reports_overdue": 2, "periods_ended": 1}  # 2026 and 2027 overdue
    project.refresh_from_db()
    assert project.status == ProjectStatus.SELF_ASSESSMENT


def test_the_tasks_are_scheduled_daily():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {
        "evaluation.orders_mark_overdue",
        "evaluation.daily",
        "evaluation.acceptance_reports_refresh",
    } <= tasks
