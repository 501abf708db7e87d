from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_ok(client):
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

    call_command("healthcheck")
    assert '"status": "ok"' in capsys.readouterr().out
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"), pytest.raises(CommandError):
        call_command("healthcheck")
