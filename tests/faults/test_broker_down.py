"""The broker stopped: pages and a request that needs a job answer at once and succeed, the outbox keeps
the job; the broker back and the relay run, the job is done exactly once (issue 12, finding 1)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationStatus, DossierExport
from tests.applications.factories import application_in
from tests.faults.conftest import needs_postgres_and_broker, wait_for
from zcpark.core.models import AuditEvent, FileStatus, OutboxMessage
from zcpark.core.outbox import RELAY_AFTER
from zcpark.core.tasks import outbox_relay_task

pytestmark = needs_postgres_and_broker

QUICK = 3.0  # seconds


def _timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_with_the_broker_down_a_request_succeeds_at_once_and_its_job_is_done_once_it_is_back(
    world, login, sent_to, private_redis, workers, settings
):
    actors = {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors)
    client = login(world.staff_a)
    sent_to()
    settings.CELERY_BROKER_URL = private_redis.url  # what /healthz checks
    private_redis.stop()

    page, seconds = _timed(
        lambda: client.get(reverse("applications:application-detail", args=[application.pk]))
    )
    assert page.status_code == 200 and seconds < QUICK, seconds
    url = reverse("applications:application-export", args=[application.pk])
    response, seconds = _timed(lambda: client.post(url, {"kind": "pdf"}, headers={"HX-Request": "true"}))
    assert response.status_code == 200 and seconds < QUICK, seconds
    export = DossierExport.objects.get(application=application)
    assert export.status == FileStatus.PENDING
    message = OutboxMessage.objects.get(task="applications.dossier_export_build")
    assert (message.args, message.sent_at, message.attempts) == ([export.pk], None, 1)
    assert "OperationalError" in message.last_error
    health, seconds = _timed(lambda: client.get("/healthz"))
    assert seconds < QUICK and health.json()["checks"]["broker"]["ok"] is False

    private_redis.start()
    workers.start()
    OutboxMessage.objects.update(created_at=timezone.now() - RELAY_AFTER - timedelta(seconds=1))
    assert outbox_relay_task() >= 1
    assert outbox_relay_task() == 0  # sent once: the relay does not send it again

    def ended() -> bool:
        export.refresh_from_db()
        return export.status != FileStatus.PENDING

    wait_for(ended, timeout=120, what=f"the worker to build the export\n{workers.logs()}")
    assert (export.status, export.error) == (FileStatus.READY, ""), workers.logs()
    assert export.file.name.endswith(".pdf")
    assert [e.action for e in AuditEvent.objects.for_object(export)] == ["file_ready"]
    assert DossierExport.objects.filter(application=application).count() == 1
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None
