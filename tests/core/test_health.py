from __future__ import annotations

import time
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse

from zcpark.core.health import WORKER_HEARTBEAT_KEY, check_worker, worker_heartbeat


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
    worker_heartbeat()  # a worker ran the relay a moment ago (no worker runs in the tests)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="memory://")
def test_healthz_says_tasks_run_eagerly_when_no_broker_is_configured(client):
    broker = client.get(reverse("healthz")).json()["checks"]["broker"]
    assert broker["ok"] is True
    assert "eager" in broker["detail"]


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_when_the_broker_is_unreachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails(client):
    with mock.patch("zcpark.core.health.connection.cursor", side_effect=DatabaseError("connection refused")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    detail = response.json()["checks"]["database"]["detail"]
    assert detail == "DatabaseError"  # the message itself (hosts, users) stays in the log


@pytest.mark.django_db
def test_healthcheck_command_prints_the_report_and_fails_when_a_check_fails(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    worker_heartbeat()
    call_command("healthcheck")
    assert '"status": "ok"' in capsys.readouterr().out
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"), pytest.raises(CommandError):
        call_command("healthcheck")


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0")
def test_the_worker_is_unhealthy_without_a_recent_heartbeat():
    cache.delete(WORKER_HEARTBEAT_KEY)
    assert check_worker().ok is False
    worker_heartbeat()
    assert check_worker().ok is True
    with time_machine.travel(time.time() + 4 * 60):
        stale = check_worker()
    assert stale.ok is False and "last seen" in stale.detail


@override_settings(CELERY_BROKER_URL="memory://")
def test_the_worker_check_needs_no_worker_when_tasks_run_eagerly():
    cache.delete(WORKER_HEARTBEAT_KEY)
    assert check_worker().ok is True


@pytest.mark.django_db
def test_the_relay_writes_the_heartbeat():
    from zcpark.core.tasks import outbox_relay_task

    cache.delete(WORKER_HEARTBEAT_KEY)
    outbox_relay_task()
    assert cache.get(WORKER_HEARTBEAT_KEY) is not None
