"""Every wait shows itself (issue 13, point 3), server side: the dossier's PDF and ZIP, the acceptance report,
an energy year's indicators and the recomputation of every result. While a job runs its button is disabled,
its block shows a spinner in a polite live region and asks for itself every 2 s; once done the block stops
asking and shows the result, or the failure with a way to ask again. A second request while a job of the
same kind and target is pending makes no second job. With tasks run in-process (tests, ``make run``) the
page shows the result at once."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from applications import exports
from applications.models import ApplicationStatus, DossierExport
from applications.services.exports import BUILD_TASK, dossier_export_request, dossier_export_retry
from evaluation import reports
from evaluation import services as evaluation_services
from evaluation.reports import RenderedReport
from indicators import selectors as indicator_selectors
from indicators import services as indicator_services
from indicators.engine import dumps
from indicators.services import recompute
from tests.applications.dossier_helpers import _computed, _draft
from tests.applications.factories import ApplicationFactory, application_in
from tests.core.import_steps import upload_previewed, upload_saved
from tests.evaluation.factories import evaluation_requested
from tests.indicators.factories import dataset_document, load_factor_data
from tests.parks.factories import UserFactory
from zcpark.core.models import STALE_ERROR, TIMEOUT_ERROR, FileStatus, ImportStatus, OutboxMessage
from zcpark.core.services import GENERATED_FILE_STALE_AFTER, generated_file_store

POLL = 'hx-trigger="every 2s"'
FACTORS = reverse("indicators:factor-list")


@pytest.fixture(autouse=True)
def _no_recompute_state():
    """The recomputation's state lives in the cache, which outlives each test's database."""
    cache.delete(recompute.STATE_KEY)
    yield
    cache.delete(recompute.STATE_KEY)


@pytest.fixture
def actors_a(world) -> dict:
    return {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(exports, "render_dossier_pdf", lambda context: b"%PDF-1.7 stand-in")


@pytest.fixture
def renders(monkeypatch):
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(
        reports, "acceptance_report_pdf", lambda context: RenderedReport(content=b"%PDF-1.7 r", page_count=2)
    )


def _queued(task: str) -> int:
    return OutboxMessage.objects.filter(task=task).count()


def _button(html: str, element_id: str) -> str:
    match = re.search(rf'<button[^>]*id="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


def _race(*calls):
    """Run the callables at once on their own connections; returns their results."""
    barrier = threading.Barrier(len(calls))
    results: list = []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises all writers itself"
)


# ---- dossier exports ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_export_requests_of_one_kind_make_one_export_and_one_job(world):
    application = ApplicationFactory(park=world.park_a)
    first = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    second = dossier_export_request(by=world.reviewer_a, application=application, kind="pdf")
    assert second.pk == first.pk
    assert _queued(BUILD_TASK) == 1
    zip_export = dossier_export_request(by=world.staff_a, application=application, kind="zip")
    assert zip_export.pk != first.pk and _queued(BUILD_TASK) == 2


@pytest.mark.django_db
def test_a_double_clicked_export_posts_once_and_the_block_disables_its_button(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    client = login(world.staff_a)
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        client.post(url, {"kind": "pdf"}, headers={"HX-Request": "true"})
        html = client.post(url, {"kind": "pdf"}, headers={"HX-Request": "true"}).content.decode()
    assert application.exports.count() == 1
    assert " disabled" in _button(html, "export-pdf") and " disabled" not in _button(html, "export-zip")
    assert html.count(POLL) == 1 and 'aria-live="polite"' in html and "spinner-border" in html
    assert 'hx-select="#dossier-exports"' in html


@pytest.mark.django_db
def test_a_ready_export_stops_the_polling_and_frees_the_button(world, login):
    application = ApplicationFactory(park=world.park_a)
    DossierExport.objects.create(application=application, kind="pdf", revision_number=0, status="ready")
    html = login(world.staff_a).get(reverse("applications:export-status", args=[application.pk])).content
    html = html.decode()
    assert POLL not in html and "data-job-busy" not in html
    assert " disabled" not in _button(html, "export-pdf")


@pytest.mark.django_db
def test_a_lost_export_is_failed_and_a_new_one_is_asked_for(world):
    application = ApplicationFactory(park=world.park_a)
    lost = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    DossierExport.objects.filter(pk=lost.pk).update(
        updated_at=timezone.now() - GENERATED_FILE_STALE_AFTER - timedelta(minutes=1)
    )
    fresh = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    lost.refresh_from_db()
    assert fresh.pk != lost.pk and fresh.status == FileStatus.PENDING
    assert (lost.status, lost.error) == (FileStatus.FAILED, STALE_ERROR)


@pytest.mark.django_db
def test_asking_again_for_a_failed_export_answers_the_one_asked_for_since(world):
    application = ApplicationFactory(park=world.park_a)
    failed = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    generated_file_store(DossierExport, failed.pk, error="RuntimeError: no fonts")
    pending = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    assert dossier_export_retry(by=world.staff_a, export=failed).pk == pending.pk
    failed.refresh_from_db()
    assert failed.status == FileStatus.FAILED and _queued(BUILD_TASK) == 2


@pytest.mark.django_db
def test_a_failed_export_shows_why_and_a_try_again_button(world, login):
    application = ApplicationFactory(park=world.park_a)
    export = dossier_export_request(by=world.staff_a, application=application, kind="zip")
    generated_file_store(DossierExport, export.pk, error=STALE_ERROR)
    html = login(world.staff_a).get(reverse("applications:export-status", args=[application.pk])).content
    html = html.decode()
    with override("zh-hans"):
        assert gettext(STALE_ERROR) in html
    assert reverse("applications:export-retry", args=[application.pk, export.pk]) in html
    assert POLL not in html


@pytest.mark.django_db(transaction=True)
def test_an_export_built_in_process_is_offered_for_download_at_once(world, login, fast_pdf):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    client = login(world.staff_a)
    html = client.post(url, {"kind": "pdf"}, headers={"HX-Request": "true"}).content.decode()
    export = application.exports.get()
    assert export.status == FileStatus.READY
    assert reverse("applications:export-download", args=[application.pk, export.pk]) in html
    assert POLL not in html
    response = client.post(url, {"kind": "zip"})
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    assert application.exports.filter(kind="zip", status=FileStatus.READY).exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_export_requests_at_once_make_one_export(world, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        results = _race(
            lambda: dossier_export_request(by=world.staff_a, application=application, kind="pdf").pk,
            lambda: dossier_export_request(by=world.reviewer_a, application=application, kind="pdf").pk,
        )
    assert len(set(results)) == 1 and DossierExport.objects.count() == 1


# ---- the acceptance report ------------------------------------------------------------------------


@pytest.fixture
def pending_report(db, world, actors_a):
    evaluation = evaluation_requested(actors_a)
    evaluation_services.experts_assign(
        by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)]
    )
    return evaluation.reports.get()


def _report_html(client, evaluation_id: int) -> str:
    return client.get(reverse("evaluation:report-status", args=[evaluation_id])).content.decode()


def test_the_report_panel_polls_with_a_live_spinner_and_regenerate_disabled(world, login, pending_report):
    html = _report_html(login(world.province), pending_report.evaluation_id)
    assert html.count(POLL) == 1 and 'aria-live="polite"' in html and "spinner-border" in html
    assert " disabled" in _button(html, "report-regenerate")


def test_a_failed_report_shows_why_and_try_again_without_polling(world, login, pending_report):
    generated_file_store(type(pending_report), pending_report.pk, error=TIMEOUT_ERROR)
    html = _report_html(login(world.province), pending_report.evaluation_id)
    with override("zh-hans"):
        assert gettext(TIMEOUT_ERROR) in html and gettext("Regenerate") in html
    assert POLL not in html and " disabled" not in _button(html, "report-regenerate")


def test_regenerating_while_a_rendering_is_pending_queues_none(world, login, pending_report):
    client = login(world.province)
    url = reverse("evaluation:report-regenerate", args=[pending_report.evaluation_id])
    before = _queued("evaluation.acceptance_report_render")
    html = client.post(url, headers={"HX-Request": "true"}).content.decode()
    client.post(url, headers={"HX-Request": "true"})
    assert pending_report.evaluation.reports.count() == 1
    assert _queued("evaluation.acceptance_report_render") == before
    assert 'hx-select="#acceptance-report"' in html


@pytest.mark.django_db(transaction=True)
def test_a_report_rendered_in_process_says_it_is_ready(world, login, actors_a, renders):
    evaluation = evaluation_requested(actors_a)
    evaluation_services.experts_assign(
        by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)]
    )
    response = login(world.province).post(reverse("evaluation:report-regenerate", args=[evaluation.pk]))
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]
    assert evaluation.reports.order_by("-pk").first().status == FileStatus.READY
    html = _report_html(login(world.province), evaluation.pk)
    assert POLL not in html and reverse("evaluation:report-download", args=[evaluation.pk]) in html


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_regenerations_at_once_make_one_rendering(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    with mock.patch("evaluation.tasks.acceptance_report_render_task.delay"):
        results = _race(
            lambda: (
                evaluation_services.acceptance_report_schedule(evaluation, force=True, by=world.province).pk
            ),
            lambda: (
                evaluation_services.acceptance_report_schedule(evaluation, force=True, by=world.province).pk
            ),
        )
    assert len(set(results)) == 1 and evaluation.reports.count() == 1


# ---- an energy year's indicators ------------------------------------------------------------------


def _upload(year: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.json", dumps(dataset_document(year=year)).encode(), "application/json")


@pytest.mark.django_db
def test_the_energy_pages_poll_while_a_year_is_being_computed(world, login):
    load_factor_data()
    application = _draft(world)
    client = login(world.staff_a)
    year_url = reverse("applications:energy-year", args=[application.pk, 2025])
    upload_saved(client, year_url, {"file": _upload(2025)})  # stored; its computation runs after a commit
    grid = client.get(reverse("applications:section-energy", args=[application.pk])).content.decode()
    assert grid.count(POLL) == 1 and 'hx-select="#energy-years"' in grid and 'aria-live="polite"' in grid
    assert "reload" not in grid.lower()
    page = client.get(year_url).content.decode()
    assert page.count(POLL) == 1 and 'hx-select-oob="#year-computed"' in page and 'id="year-computed"' in page
    _computed(application)
    assert (
        POLL not in client.get(reverse("applications:section-energy", args=[application.pk])).content.decode()
    )
    page = client.get(year_url).content.decode()
    assert POLL not in page and 'id="year-result"' in page


@pytest.mark.django_db
def test_the_same_energy_year_uploaded_twice_is_computed_once(world, login):
    load_factor_data()
    application = _draft(world)
    client = login(world.staff_a)
    url = reverse("applications:energy-year", args=[application.pk, 2024])
    before = _queued("indicators.results_compute")
    assert upload_saved(client, url, {"file": _upload(2024)})["Location"] == url
    again = upload_previewed(client, url, {"file": _upload(2024)})
    preview = client.get(reverse("core:import-preview", args=[again.pk])).content.decode()
    assert again.diff == [] and 'id="import-no-change"' in preview and 'id="import-commit"' not in preview
    refused = client.post(reverse("core:import-commit", args=[again.pk]))  # saved anyway: refused
    assert refused["Location"] == reverse("core:import-preview", args=[again.pk])
    again.refresh_from_db()
    assert again.status == ImportStatus.PREVIEWED
    assert _queued("indicators.results_compute") == before + 1


@pytest.mark.django_db(transaction=True)
def test_an_energy_year_computed_in_process_shows_its_result_at_once(world, login):
    load_factor_data()
    application = _draft(world)
    client = login(world.staff_a)
    url = reverse("applications:energy-year", args=[application.pk, 2025])
    response = upload_saved(client, url, {"file": _upload(2025)}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert POLL not in page and 'id="year-result"' in page


# ---- the recomputation of every result ------------------------------------------------------------


def _publish(world) -> None:
    indicator_services.scheme_new_version(
        publish=True, by=world.province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("85")}
    )


@pytest.mark.django_db
def test_a_new_version_marks_the_recomputation_pending_and_the_factor_page_polls(world, login):
    load_factor_data()
    _publish(world)
    assert indicator_services.results_recompute_state().status == recompute.PENDING
    html = login(world.province).get(FACTORS).content.decode()
    assert html.count(POLL) == 1 and 'hx-select="#results-recompute"' in html and 'aria-live="polite"' in html
    indicator_services.indicator_results_recompute_all(reason="test")
    assert indicator_services.results_recompute_state().status == recompute.DONE
    html = login(world.province).get(FACTORS).content.decode()
    assert POLL not in html and "data-job-result" in html


@pytest.mark.django_db
def test_a_failed_recomputation_shows_try_again_to_the_province_only(world, login, monkeypatch):
    load_factor_data()
    _publish(world)
    monkeypatch.setattr(
        "indicators.services.results._recompute_all", mock.Mock(side_effect=RuntimeError("x"))
    )
    with pytest.raises(RuntimeError):
        indicator_services.indicator_results_recompute_all(reason="test")
    state = indicator_services.results_recompute_state()
    assert (state.status, state.error, state.failure_reason) == (recompute.FAILED, "RuntimeError: x", "")
    province = login(world.province).get(FACTORS).content.decode()
    assert 'id="results-recompute-retry"' in province and POLL not in province
    assert 'id="results-recompute-retry"' not in login(world.observer).get(FACTORS).content.decode()


@pytest.mark.django_db
def test_a_recomputation_past_its_time_limit_or_lost_reads_as_failed_with_why(world, monkeypatch):
    load_factor_data()
    _publish(world)
    monkeypatch.setattr(
        "indicators.services.results._recompute_all", mock.Mock(side_effect=SoftTimeLimitExceeded())
    )
    with pytest.raises(SoftTimeLimitExceeded):
        indicator_services.indicator_results_recompute_all(reason="test")
    with override("zh-hans"):
        assert indicator_services.results_recompute_state().failure_reason == gettext(TIMEOUT_ERROR)
    indicator_services.scheme_new_version(
        publish=True,  # a new version: asked for again
        by=world.province,
        code="jiangxi-2025",
        thresholds={"water_reuse": Decimal("86")},
    )
    later = timezone.now() + GENERATED_FILE_STALE_AFTER + timedelta(minutes=1)
    lost = indicator_services.results_recompute_state(now=later)
    assert (lost.status, lost.error) == (recompute.FAILED, STALE_ERROR)


@pytest.mark.django_db
def test_a_recomputation_asked_for_during_a_run_stays_pending_after_it(world):
    load_factor_data()
    started = timezone.now()
    _publish(world)  # asked for after the run below started: that run read the older version
    recompute.results_recompute_ended(started_at=started)
    assert indicator_services.results_recompute_state().status == recompute.PENDING


@pytest.mark.django_db
def test_asking_again_twice_queues_one_recomputation(world, login):
    load_factor_data()
    recompute.results_recompute_ended(started_at=timezone.now(), error="RuntimeError: x")
    client = login(world.province)
    before = _queued(recompute.RECOMPUTE_TASK)
    html = client.post(FACTORS, headers={"HX-Request": "true"}).content.decode()
    assert client.post(FACTORS).status_code == 302
    assert _queued(recompute.RECOMPUTE_TASK) == before + 1
    assert indicator_services.results_recompute_state().status == recompute.PENDING
    assert POLL in html


@pytest.mark.django_db
def test_asking_again_is_the_provinces_only(world, login):
    load_factor_data()
    recompute.results_recompute_ended(started_at=timezone.now(), error="RuntimeError: x")
    before = _queued(recompute.RECOMPUTE_TASK)
    assert login(world.observer).post(FACTORS).status_code == 403
    assert _queued(recompute.RECOMPUTE_TASK) == before
    assert indicator_services.results_recompute_state().status == recompute.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_version_published_in_process_shows_the_recomputation_done(world, login):
    load_factor_data()
    client = login(world.province)
    drafted = client.post(reverse("indicators:scheme-version-create", args=["jiangxi-2025"]), _scheme_post())
    response = client.post(drafted.url, {"action": "publish"}, follow=True)  # the draft's page publishes it
    assert response.redirect_chain == [(FACTORS, 302)]
    html = response.content.decode()
    assert POLL not in html and "data-job-result" in html
    assert indicator_services.results_recompute_state().status == recompute.DONE


def _scheme_post() -> dict[str, str]:
    items = indicator_selectors.scheme_threshold_items(
        document=indicator_selectors.scheme_current_record(code="jiangxi-2025").document
    )
    data = {"t_" + item.key.replace(":", "__"): str(item.value) for item in items}
    return {**data, "t_water_reuse": "85", "comment": "省发改委通知"}


@pytest.mark.django_db
def test_the_recomputation_state_is_not_kept_where_no_worker_could_share_it(world, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    load_factor_data()
    _publish(world)
    assert indicator_services.results_recompute_state() is None
