"""Row locks under real concurrency (PostgreSQL): two reviewers racing for a city's last recommendation,
and a double-clicked submission, must each leave exactly one winner."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from applications import services
from applications.models import Application, ApplicationRevision, ApplicationStatus
from tests.applications.factories import CallFactory, application_in, ready_application
from tests.parks.factories import ParkFactory, UserFactory
from zcpark.core.exceptions import ApplicationError

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers itself"),
]


def _race(*calls):
    """Run the callables at once; returns (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:  # the losers' errors are the point
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_recommend_race_for_the_last_quota_place_has_one_winner(world, actors_a):
    call = CallFactory(quota_per_city=1)
    first = application_in(ApplicationStatus.SUBMITTED, actors=actors_a, call=call)
    other_park = ParkFactory(zone=world.park_a.zone, scope="park_in_park", boundary_text="东至甲路")
    other_staff = UserFactory(username="staff_a2", staff=True, park=other_park)
    second = application_in(ApplicationStatus.SUBMITTED, actors={**actors_a, "staff": other_staff}, call=call)
    reviewer2 = UserFactory(username="reviewer_a2", reviewer=True, city=world.nanchang)
    results, errors = _race(
        lambda: services.application_transition(
            by=world.reviewer_a, application=first, action="recommend", comment="推荐"
        ),
        lambda: services.application_transition(
            by=reviewer2, application=second, action="recommend", comment="推荐"
        ),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ApplicationError)
    assert Application.objects.filter(status=ApplicationStatus.RECOMMENDED).count() == 1


def test_double_submit_makes_one_revision(world):
    application = ready_application(staff=world.staff_a)
    results, errors = _race(
        lambda: services.application_transition(by=world.staff_a, application=application, action="submit"),
        lambda: services.application_transition(by=world.staff_a, application=application, action="submit"),
    )
    assert len(results) == 1 and len(errors) == 1
    assert ApplicationRevision.objects.filter(application=application).count() == 1
