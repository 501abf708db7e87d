"""Jobs that always end, once (issue 12): a rendering delivered twice (acks_late redelivers a job whose
worker died; the relay sends again what it could not tell was sent) makes one file and one event; past its
soft time limit it fails with a message the page shows; every task retries a transient error with back-off
and ends within its limits."""

from __future__ import annotations

import posixpath
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from applications import exports
from applications.models import ApplicationStatus, DossierExport
from applications.services.exports import dossier_export_request
from applications.tasks import dossier_export_build_task
from evaluation import reports, selectors, services
from evaluation.models import AcceptanceReport
from evaluation.reports import RenderedReport
from evaluation.tasks import acceptance_report_render_task, acceptance_reports_refresh_task
from tests.applications.factories import application_in
from tests.evaluation.factories import evaluation_requested
from tests.parks.factories import UserFactory
from zcpark.celery import app
from zcpark.core.models import STALE_ERROR, TIMEOUT_ERROR, AuditEvent, FileStatus, OutboxMessage
from zcpark.core.services import GENERATED_FILE_STALE_AFTER, generated_file_build, generated_file_store

pytestmark = pytest.mark.django_db


def _events(obj, action: str) -> int:
    return sum(1 for e in AuditEvent.objects.for_object(obj) if e.action == action)


def _stored_files(generated) -> list[str]:
    """The files in storage next to ``generated``'s, named after it (a second copy would get a suffix)."""
    folder, name = posixpath.split(generated.file.name)
    stem = name.rsplit(".", 1)[0]
    return [f for f in default_storage.listdir(folder)[1] if f.startswith(stem)]


@pytest.fixture
def actors_a(world) -> dict:
    return {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """A stand-in report rendering (the real one takes seconds and has its own tests); counts its calls."""
    calls: list[int] = []
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {"id": evaluation.pk})

    def pdf(context):
        calls.append(context["id"])
        return RenderedReport(content=b"%PDF-1.7 stand-in", page_count=3)

    monkeypatch.setattr(reports, "acceptance_report_pdf", pdf)
    return calls


@pytest.fixture
def pending_report(world, actors_a) -> AcceptanceReport:
    """A report queued by the experts' assignment (its job not run: on_commit does not run here)."""
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)])
    report = evaluation.reports.get()
    assert report.status == FileStatus.PENDING
    return report


@pytest.fixture
def pending_export(world, actors_a, monkeypatch) -> DossierExport:
    monkeypatch.setattr(exports, "render_dossier_pdf", lambda context: b"%PDF-1.7 stand-in")
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    return dossier_export_request(by=world.staff_a, application=application, kind="pdf")


# ---- delivered twice ------------------------------------------------------------------------------


def test_a_report_job_delivered_twice_renders_once_with_one_file_and_one_event(pending_report, renders):
    assert acceptance_report_render_task(pending_report.pk) == FileStatus.READY
    assert acceptance_report_render_task(pending_report.pk) == FileStatus.READY
    pending_report.refresh_from_db()
    assert renders == [pending_report.evaluation_id]
    assert _stored_files(pending_report) == [posixpath.basename(pending_report.file.name)]
    assert _events(pending_report, "file_ready") == 1


def test_two_runs_of_one_report_at_once_store_one_file_and_one_event(pending_report, renders):
    """The second delivery starts while the first is still building; the first stores first."""
    from evaluation.services.acceptance_reports import _render

    def overlapped(report):
        built = _render(report)
        assert acceptance_report_render_task(report.pk) == FileStatus.READY  # the other run finishes first
        return built

    generated_file_build(AcceptanceReport, pending_report.pk, overlapped)
    pending_report.refresh_from_db()
    assert pending_report.status == FileStatus.READY and len(renders) == 2
    assert _stored_files(pending_report) == [posixpath.basename(pending_report.file.name)]
    assert _events(pending_report, "file_ready") == 1


def test_an_export_job_delivered_twice_builds_once_with_one_file_and_one_event(pending_export):
    assert dossier_export_build_task(pending_export.pk) == FileStatus.READY
    first = DossierExport.objects.get(pk=pending_export.pk)
    assert dossier_export_build_task(pending_export.pk) == FileStatus.READY
    pending_export.refresh_from_db()
    assert (pending_export.file.name, pending_export.updated_at) == (first.file.name, first.updated_at)
    assert _stored_files(pending_export) == [posixpath.basename(pending_export.file.name)]
    assert _events(pending_export, "file_ready") == 1


def test_a_job_delivered_after_the_sweep_failed_its_export_leaves_it_failed(pending_export):
    """The user was told to ask again; a late copy of the old job does not change the page under them."""
    generated_file_store(DossierExport, pending_export.pk, error="lost")
    assert dossier_export_build_task(pending_export.pk) == FileStatus.FAILED
    pending_export.refresh_from_db()
    assert (pending_export.error, pending_export.file.name) == ("lost", "")
    assert _events(pending_export, "file_failed") == 1


def test_a_file_built_while_the_sweep_failed_its_row_is_kept(pending_export):
    generated_file_store(DossierExport, pending_export.pk, error="lost")
    generated_file_store(DossierExport, pending_export.pk, name="late.pdf", content=b"%PDF late")
    pending_export.refresh_from_db()
    assert (pending_export.status, pending_export.error) == (FileStatus.READY, "")
    assert _events(pending_export, "file_ready") == 1


def test_a_job_for_a_row_gone_does_nothing(pending_export):
    DossierExport.objects.filter(pk=pending_export.pk).delete()
    assert dossier_export_build_task(pending_export.pk) == ""


# ---- time limits ----------------------------------------------------------------------------------


def test_a_report_past_its_soft_time_limit_fails_with_a_message_and_the_task_returns(
    world, pending_report, monkeypatch, login
):
    def slow(context):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(reports, "acceptance_report_pdf", slow)
    assert acceptance_report_render_task(pending_report.pk) == FileStatus.FAILED
    pending_report.refresh_from_db()
    assert (pending_report.error, pending_report.file.name) == (TIMEOUT_ERROR, "")
    assert _events(pending_report, "file_failed") == 1
    from django.urls import reverse
    from django.utils.translation import gettext, override

    url = reverse("evaluation:report-status", args=[pending_report.evaluation_id])
    page = login(world.province).get(url).content.decode()
    with override("zh-hans"):
        assert gettext(TIMEOUT_ERROR) in page
    assert url not in page  # failed: the panel stops polling
    assert reverse("evaluation:report-regenerate", args=[pending_report.evaluation_id]) in page


def test_an_export_past_its_soft_time_limit_fails_with_a_message(pending_export, monkeypatch):
    monkeypatch.setattr(
        exports, "render_dossier_pdf", lambda context: (_ for _ in ()).throw(SoftTimeLimitExceeded())
    )
    assert dossier_export_build_task(pending_export.pk) == FileStatus.FAILED
    pending_export.refresh_from_db()
    assert pending_export.error == TIMEOUT_ERROR and pending_export.failure_reason


def test_every_task_ends_within_its_limits_and_retries_transient_errors():
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.RENDER_SOFT_TIME_LIMIT < settings.RENDER_TIME_LIMIT <= settings.CELERY_TASK_TIME_LIMIT
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT  # a running task is never handed to a second worker
    assert (
        GENERATED_FILE_STALE_AFTER.total_seconds() > 2 * settings.RENDER_TIME_LIMIT
    )  # nor failed by the sweep
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert len(ours) >= 12
    for name, task in ours.items():
        if name == "core.echo":
            continue
        assert task.autoretry_for and task.retry_backoff and task.max_retries == 5, name
    for name in ("evaluation.acceptance_report_render", "applications.dossier_export_build"):
        task = app.tasks[name]
        assert (task.soft_time_limit, task.time_limit) == (
            settings.RENDER_SOFT_TIME_LIMIT,
            settings.RENDER_TIME_LIMIT,
        )


# ---- the hourly refresh ---------------------------------------------------------------------------


def _age(report, minutes: int) -> None:
    when = timezone.now() - timedelta(minutes=minutes)
    AcceptanceReport.objects.filter(pk=report.pk).update(created_at=when, updated_at=when)


def test_the_refresh_leaves_a_rendering_in_progress_to_its_job(pending_report):
    _age(pending_report, 5)
    assert acceptance_reports_refresh_task() == 0
    assert pending_report.evaluation.reports.count() == 1


def test_the_refresh_fails_a_report_pending_past_its_time_and_queues_a_new_one(pending_report, renders):
    _age(pending_report, 45)
    with mock.patch.object(app.tasks["evaluation.acceptance_report_render"], "delay") as delay:
        assert acceptance_reports_refresh_task() == 1
    pending_report.refresh_from_db()
    assert (pending_report.status, pending_report.error) == (FileStatus.FAILED, STALE_ERROR)
    assert _events(pending_report, "file_failed") == 1
    newer = selectors.report_latest(pending_report.evaluation)
    assert newer.pk != pending_report.pk and newer.status == FileStatus.PENDING
    assert OutboxMessage.objects.filter(task="evaluation.acceptance_report_render", args=[newer.pk]).exists()
    delay.assert_not_called()  # sent after commit (the test's transaction never commits)


def test_the_refresh_renders_a_failed_report_again_three_times_at_most(world, pending_report, monkeypatch):
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(reports, "acceptance_report_pdf", mock.Mock(side_effect=ValueError("broken")))
    evaluation = pending_report.evaluation
    acceptance_report_render_task(pending_report.pk)
    for _attempt in range(2):
        assert acceptance_reports_refresh_task() == 1
        acceptance_report_render_task(selectors.report_latest(evaluation).pk)
    assert acceptance_reports_refresh_task() == 0  # three failures for the same inputs: the province decides
    assert evaluation.reports.filter(status=FileStatus.FAILED).count() == 3
    regenerated = services.acceptance_report_schedule(evaluation, force=True, by=world.province)
    assert regenerated is not None and regenerated.status == FileStatus.PENDING


def test_regenerate_on_a_report_pending_past_its_time_queues_a_new_one(world, pending_report):
    _age(pending_report, 45)
    fresh = services.acceptance_report_schedule(pending_report.evaluation, force=True, by=world.province)
    assert fresh.pk != pending_report.pk
    (event,) = AuditEvent.objects.for_object(fresh)
    assert (event.action, event.actor, event.to_state) == ("file_requeued", world.province, "pending")
    pending_report.refresh_from_db()
    assert pending_report.status == FileStatus.FAILED
    assert (
        services.acceptance_report_schedule(pending_report.evaluation, force=True, by=world.province) == fresh
    )
