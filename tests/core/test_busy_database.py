"""A row held by someone else answers 503 "busy, try again" after the lock timeout, the page's change
rolled back, instead of a hung worker (issue 12, finding 6)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory

from applications.models import Application, ApplicationStatus
from tests.applications.factories import ApplicationFactory
from zcpark.core.middleware import BusyDatabaseMiddleware


class _LockNotAvailable(Exception):
    pgcode = "55P03"


def _busy_error() -> OperationalError:
    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = _LockNotAvailable()
    return error


def test_a_lock_timeout_answers_503_with_retry_after_on_pages_and_json_under_the_api(db):
    middleware = BusyDatabaseMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]
    request = RequestFactory().get("/applications/1/")
    request.user = AnonymousUser()
    page = middleware.process_exception(request, _busy_error())
    api = middleware.process_exception(
        RequestFactory().post("/api/v1/applications/1/transitions/"), _busy_error()
    )
    assert (page.status_code, page["Retry-After"]) == (503, "5")
    assert api.status_code == 503 and "detail" in api.content.decode()
    assert middleware.process_exception(RequestFactory().get("/"), OperationalError("gone away")) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and lock_timeout are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_transition_on_a_row_someone_holds_answers_busy(world, login):
    application = ApplicationFactory(park=world.park_a)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            Application.objects.select_for_update().get(pk=application.pk)
            held.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 300")
        response = login(world.staff_a).post(
            f"/api/v1/applications/{application.pk}/transitions/",
            {"action": "withdraw"},
            content_type="application/json",
        )
    finally:
        release.set()
        holder.join()
    assert response.status_code == 503 and response["Retry-After"] == "5"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
