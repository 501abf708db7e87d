"""The daily steps under two beats (or a retried task overlapping the first run): two runs at once on
PostgreSQL send each reminder, overdue notice, overdue order and call closing once (issue 12)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from applications.models import CallStatus
from applications.services import calls_close_expired
from evaluation import services
from evaluation.models import AnnualReport, OrderStatus
from parks.models import User
from tests.applications.factories import CallFactory
from tests.evaluation.factories import listed_project
from zcpark.core.models import AuditEvent, Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers itself"),
]


def _twice_at_once(call):
    """Run ``call`` in two threads (two connections) released together; returns both results."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # any error fails the test below, with the error shown
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def _titles(user: User) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_two_runs_of_the_reminders_at_once_notify_each_park_once(world, actors_a):
    listed_project(actors_a)
    Notification.objects.all().delete()
    results = _twice_at_once(lambda: services.annual_reports_remind(today=dt.date(2027, 3, 10)))
    assert sorted(results) == [(0, 0), (1, 0)]
    (title,) = _titles(world.staff_a)
    assert "2026" in title
    assert AnnualReport.objects.filter(reminded_at__isnull=False).count() == 1


def test_two_runs_of_the_overdue_notices_at_once_tell_everyone_once(world, actors_a):
    listed_project(actors_a)
    Notification.objects.all().delete()
    results = _twice_at_once(lambda: services.annual_reports_remind(today=dt.date(2029, 1, 2)))
    assert sum(overdue for _reminded, overdue in results) == 2  # 2026 and 2027, once each
    for user in (world.staff_a, world.reviewer_a, world.province):
        titles = _titles(user)
        assert len(titles) == 2 and len(set(titles)) == 2, titles


def test_two_runs_marking_orders_overdue_at_once_mark_and_tell_once(world, actors_a):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="整改",
        deadline=dt.date(2027, 6, 30),
        today=dt.date(2027, 6, 1),
    )
    Notification.objects.all().delete()
    results = _twice_at_once(lambda: services.orders_mark_overdue(today=dt.date(2027, 7, 1)))
    assert sorted(results) == [0, 1]
    order.refresh_from_db()
    assert order.status == OrderStatus.OVERDUE
    overdue_events = [e for e in AuditEvent.objects.for_object(order) if e.to_state == OrderStatus.OVERDUE]
    assert len(overdue_events) == 1
    assert len(_titles(world.staff_a)) == 1


def test_two_runs_closing_expired_calls_at_once_close_each_once_without_an_error(world):
    expired = [CallFactory(status=CallStatus.OPEN, deadline=dt.date(2026, 1, 31)) for _ in range(3)]
    results = _twice_at_once(lambda: calls_close_expired(today=dt.date(2026, 2, 1)))
    assert sum(len(closed) for closed in results) == 3  # who wins which call varies
    for call in expired:
        call.refresh_from_db()
        assert call.status == CallStatus.CLOSED
        assert sum(e.action == "call_close" for e in AuditEvent.objects.for_object(call)) == 1
