"""An export or report whose job died (worker killed mid-render, message lost) fails visibly after 20
minutes instead of pending forever; its page stops polling, says why and offers to ask again, which puts
the same export back in the queue, audited (issue 12, jobs that always end)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from applications.models import ApplicationStatus, DossierExport
from applications.services.exports import dossier_export_retry
from tests.applications.factories import ApplicationFactory
from zcpark.core.models import AuditEvent, FileStatus, OutboxMessage
from zcpark.core.services import STALE_ERROR, generated_files_fail_stale
from zcpark.core.tasks import generated_files_sweep_task

pytestmark = pytest.mark.django_db


def _export(world, minutes_ago: int = 0, **fields) -> DossierExport:
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED, revision=1)
    export = DossierExport.objects.create(application=application, kind="pdf", revision_number=1, **fields)
    when = timezone.now() - timedelta(minutes=minutes_ago)
    DossierExport.objects.filter(pk=export.pk).update(created_at=when, updated_at=when)
    return export


def _failed(world, error: str = STALE_ERROR) -> DossierExport:
    return _export(world, status=FileStatus.FAILED, error=error)


def _events(export, action: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.for_object(export) if e.action == action]


# ---- the sweep -------------------------------------------------------------------------------------


def test_a_job_pending_past_its_time_fails_with_a_message_and_an_event_and_a_fresh_one_waits(world):
    stale, fresh = _export(world, 45), _export(world, 5)
    assert generated_files_fail_stale() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.error) == (FileStatus.FAILED, STALE_ERROR)
    assert fresh.status == FileStatus.PENDING
    (event,) = _events(stale, "file_failed")
    assert (event.from_state, event.to_state, event.actor) == ("pending", "failed", None)
    assert generated_files_sweep_task() == 0


def test_an_export_asked_for_again_gets_its_full_time_from_the_new_request(world):
    """Asked for 45 minutes ago, failed, asked again a minute ago: it is not stale."""
    export = _export(world, 45)
    assert generated_files_fail_stale() == 1
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        dossier_export_retry(by=world.staff_a, export=export)
    assert generated_files_fail_stale() == 0
    export.refresh_from_db()
    assert export.status == FileStatus.PENDING


def test_the_sweep_runs_from_the_one_schedule():
    from zcpark.celery import app

    assert app.conf.beat_schedule["generated-files-sweep"]["task"] == "core.generated_files_sweep"


# ---- the page --------------------------------------------------------------------------------------


def test_the_exports_block_polls_while_pending_and_stops_once_failed_saying_why(world, login):
    export = _export(world)
    client = login(world.staff_a)
    url = reverse("applications:export-status", args=[export.application_id])
    assert url in client.get(url).content.decode()  # still being prepared: it asks again in 3 s
    generated_files_fail_stale(now=timezone.now() + timedelta(minutes=30))
    page = client.get(url).content.decode()
    assert url not in page  # failed: no more polling
    assert reverse("applications:export-retry", args=[export.application_id, export.pk]) in page
    assert "重新生成" in page
    with override("zh-hans"):
        assert gettext(STALE_ERROR) in page  # why, in the reader's language


def test_the_page_never_shows_an_exception_text(world, login):
    export = _failed(world, error="OSError: /srv/media/exports/x.pdf: disk full")
    page = login(world.staff_a).get(reverse("applications:export-status", args=[export.application_id]))
    assert "/srv/media" not in page.content.decode()


# ---- asking again ----------------------------------------------------------------------------------


def test_retry_puts_the_same_export_back_in_the_queue_audited(
    world, login, django_capture_on_commit_callbacks
):
    export = _failed(world)
    url = reverse("applications:export-retry", args=[export.application_id, export.pk])
    with (
        mock.patch("applications.tasks.dossier_export_build_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = login(world.staff_a).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    export.refresh_from_db()
    assert (export.status, export.error) == (FileStatus.PENDING, "")
    assert DossierExport.objects.count() == 1
    (event,) = _events(export, "file_requeued")
    assert (event.actor, event.from_state, event.to_state) == (world.staff_a, "failed", "pending")
    delay.assert_called_once_with(export.pk)
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_second_click_on_retry_changes_nothing(world, login):
    export = _failed(world)
    url = reverse("applications:export-retry", args=[export.application_id, export.pk])
    client = login(world.staff_a)
    client.post(url)
    response = client.post(url)
    assert response.status_code == 302
    assert len(_events(export, "file_requeued")) == 1
    assert OutboxMessage.objects.filter(task="applications.dossier_export_build").count() == 1


@pytest.mark.parametrize("who", ["staff_b", "reviewer_b", "expert"])
def test_retry_answers_404_when_the_application_is_out_of_scope(world, login, who):
    export = _failed(world)
    url = reverse("applications:export-retry", args=[export.application_id, export.pk])
    assert login(getattr(world, who)).post(url).status_code == 404
    export.refresh_from_db()
    assert export.status == FileStatus.FAILED and not _events(export, "file_requeued")


def test_retry_answers_404_for_an_export_of_another_application(world, login):
    export, other = _failed(world), _failed(world)
    url = reverse("applications:export-retry", args=[export.application_id, other.pk])
    assert login(world.staff_a).post(url).status_code == 404


def test_retry_refuses_a_user_who_may_not_export_the_application(world):
    from django.core.exceptions import PermissionDenied

    export = _failed(world)
    with pytest.raises(PermissionDenied):
        dossier_export_retry(by=world.staff_b, export=export)


def test_retry_needs_a_post_and_a_signed_in_user(world, login):
    export = _failed(world)
    url = reverse("applications:export-retry", args=[export.application_id, export.pk])
    assert login(world.staff_a).get(url).status_code == 405
    response = login(None).post(url)
    assert response.status_code == 302 and "/login" in response["Location"]
