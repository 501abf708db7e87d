"""Every wait shows itself (issue 13, point 3), in the real browser. The jobs' tasks are held back (their
``delay`` does nothing) so each page is seen waiting; the test then does the job itself, as a worker would,
and the page must update itself (htmx asks every 2 s) without a reload. A double click makes one request;
an upload says "正在上传…" until its answer comes; a file chosen for a form refused for another field is
still chosen when the page comes back."""

from __future__ import annotations

import json
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.utils.translation import gettext, override

from applications import exports
from applications import services as app_services
from applications.models import DossierExport, ExportKind
from applications.services.exports import dossier_export_build
from applications.views import energy_imports as dossier_views
from evaluation import reports
from evaluation import services as evaluation_services
from evaluation.reports import RenderedReport
from evaluation.services import acceptance_report_render
from indicators import services as indicator_services
from indicators.engine import dumps
from indicators.services import recompute
from tests.applications.dossier_helpers import _computed
from tests.applications.factories import PDF_BYTES, ApplicationFactory
from tests.conftest import PASSWORD
from tests.evaluation.factories import evaluation_requested
from tests.indicators.factories import dataset_document, load_factor_data
from tests.parks.factories import UserFactory
from zcpark.core.models import OutboxMessage

# What the upload form looks like a moment after it was sent, kept for after the answer replaced the page.
RECORD_BUSY = """() => document.addEventListener("submit", (event) => window.setTimeout(() => {
  const form = event.target;
  const button = form.querySelector("button[type=submit]");
  sessionStorage.setItem("busy-seen", JSON.stringify({busy: form.getAttribute("aria-busy"),
    disabled: button.disabled, spinner: !!button.querySelector(".spinner-border"), text: button.textContent.trim()}));
}, 200))"""
UPDATE_MS = 10_000  # two polls and then some, on a busy machine


@pytest.fixture
def reference(transactional_db):
    load_factor_data()
    recompute.cache.delete(recompute.STATE_KEY)
    yield
    recompute.cache.delete(recompute.STATE_KEY)


@pytest.fixture
def errors(page):
    """What the page said went wrong in its scripts."""
    seen: list[str] = []
    page.on("pageerror", lambda error: seen.append(str(error)))
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else None)
    return seen


def _sign_in(page, user) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/home/")


def _said(page) -> str:
    """What jobs.js told screen readers last."""
    page.wait_for_function(
        "() => (document.getElementById('job-announcer') || {}).textContent", timeout=UPDATE_MS
    )
    return page.locator("#job-announcer").text_content() or ""


# ---- the dossier's PDF ----------------------------------------------------------------------------


def test_a_double_clicked_pdf_is_built_once_and_the_page_offers_it_when_ready(
    reference, world, page, errors, monkeypatch
):
    monkeypatch.setattr(exports, "render_dossier_pdf", lambda context: b"%PDF-1.7 stand-in")
    application = ApplicationFactory(park=world.park_a)
    _sign_in(page, world.staff_a)
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        page.goto(f"/applications/{application.pk}/")
        button = page.locator("#export-pdf")
        button.dblclick()
        page.wait_for_selector("#dossier-exports [data-job-busy]")
        assert DossierExport.objects.filter(application=application).count() == 1
        assert button.is_disabled() and not page.locator("#export-zip").is_disabled()
        status = page.locator("#dossier-exports [role=status]")
        assert (
            status.get_attribute("aria-live") == "polite" and status.locator(".spinner-border").count() == 1
        )
        dossier_export_build(export=DossierExport.objects.get(application=application))  # the worker's part
        page.wait_for_selector("#dossier-exports a[href$='/download/']", timeout=UPDATE_MS)
    assert not page.locator("#export-pdf").is_disabled()
    assert page.locator("#dossier-exports [data-job-poll]").count() == 0
    with override("zh-hans"):
        kind = str(ExportKind.PDF.label)
        assert _said(page) == gettext("%(kind)s is ready to download.") % {"kind": kind}
    assert DossierExport.objects.filter(application=application).count() == 1
    assert errors == []


# ---- the acceptance report ------------------------------------------------------------------------


def test_the_report_panel_waits_with_regenerate_disabled_and_shows_the_ready_report(
    reference, world, page, errors, monkeypatch
):
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(
        reports, "acceptance_report_pdf", lambda context: RenderedReport(content=b"%PDF-1.7 r", page_count=3)
    )
    actors = {"staff": world.staff_a, "reviewer": world.reviewer_a, "province": world.province}
    with mock.patch("evaluation.tasks.acceptance_report_render_task.delay"):
        evaluation = evaluation_requested(actors)
        evaluation_services.experts_assign(
            by=world.province, evaluation=evaluation, experts=[UserFactory(expert=True)]
        )
        _sign_in(page, world.province)
        page.goto(f"/evaluations/{evaluation.pk}/")
        page.wait_for_selector("#acceptance-report [data-job-busy]")
        assert page.locator("#report-regenerate").is_disabled()
        acceptance_report_render(evaluation.reports.get().pk)  # the worker's part
        page.wait_for_selector("#report-latest[data-status=ready]", timeout=UPDATE_MS)
    assert not page.locator("#report-regenerate").is_disabled()
    assert "3" in _said(page)
    assert errors == []


# ---- an energy year: the upload, then its indicators ----------------------------------------------


def test_an_upload_is_busy_until_its_answer_then_the_year_shows_its_indicators_when_computed(
    reference, world, page, errors, tmp_path, monkeypatch
):
    application = ApplicationFactory(park=world.park_a)
    upload = tmp_path / "2025.json"
    upload.write_text(dumps(dataset_document(year=2025)))
    read = dossier_views.read_energy_upload

    def slow_read(*args, **kwargs):  # the answer takes a while, as a big workbook's does
        time.sleep(1.5)
        return read(*args, **kwargs)

    monkeypatch.setattr(dossier_views, "read_energy_upload", slow_read)
    _sign_in(page, world.staff_a)
    page.goto(f"/applications/{application.pk}/energy/2025/")
    page.evaluate(RECORD_BUSY)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    with mock.patch("indicators.tasks.indicator_results_compute_task.delay"):
        page.locator("#energy-upload-form input[type=file]").set_input_files(str(upload))
        page.locator("#energy-upload-form button[type=submit]").dblclick()
        page.wait_for_selector("#import-commit")  # the preview of what the file changes
        seen = json.loads(page.evaluate("sessionStorage.getItem('busy-seen')"))
        with override("zh-hans"):  # 正在上传…
            assert seen == {"busy": "true", "disabled": True, "spinner": True, "text": gettext("Uploading…")}
        assert len(posts) == 1  # the second click sent nothing
        page.locator("#import-commit").click()
        page.wait_for_selector("#year-state[data-state=pending] [data-job-busy]")
        assert "reload" not in page.content().lower()
        _computed(application)  # the worker's part
        page.wait_for_selector("#year-state[data-state=computed]", timeout=UPDATE_MS)
    page.wait_for_selector("#year-computed #year-result")  # taken out of band with the state line
    assert page.locator("[data-job-poll]").count() == 0
    with override("zh-hans"):
        assert _said(page) == gettext("computed")
    page.goto(f"/applications/{application.pk}/energy/")
    assert page.locator("#energy-years [data-year='2025'][data-state=computed]").count() == 1
    assert errors == []


def test_a_file_refused_for_another_field_is_still_chosen_and_one_refused_for_its_content_is_not(
    reference, world, page, tmp_path, monkeypatch
):
    application = ApplicationFactory(park=world.park_a)
    evidence = tmp_path / "批复.pdf"
    evidence.write_bytes(PDF_BYTES)
    _sign_in(page, world.staff_a)
    page.goto(f"/applications/{application.pk}/attachments/")
    form = page.locator("#attachment-form")
    form.locator("input[type=file]").set_input_files(str(evidence))
    page.wait_for_function("() => Object.keys(sessionStorage).some(k => k.startsWith('zc-file:'))")
    form.locator("button[type=submit]").click()  # no kind of evidence chosen
    page.wait_for_selector("#attachment-form .invalid-feedback")
    kept = page.evaluate(
        "() => [...document.querySelector('#attachment-form input[type=file]').files].map(f => f.name)"
    )
    assert kept == ["批复.pdf"]
    form = page.locator("#attachment-form")
    form.locator("select[name=kind]").select_option(index=1)
    add = app_services.attachment_add

    def slow_add(*args, **kwargs):
        time.sleep(1)
        return add(*args, **kwargs)

    monkeypatch.setattr(app_services, "attachment_add", slow_add)
    page.evaluate(RECORD_BUSY)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#attachment-form:not([aria-busy])")
    assert application.attachments.count() == 1
    seen = json.loads(page.evaluate("sessionStorage.getItem('busy-seen')"))
    assert seen == {"busy": "true", "disabled": True, "spinner": True, "text": "正在上传…"}  # forms.js's own
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('zc-file:'))") == []

    wrong = tmp_path / "2024.json"
    document = dataset_document(year=2024)
    document["energy"][0]["quantity"] = "-5"
    wrong.write_text(json.dumps(document))
    page.goto(f"/applications/{application.pk}/energy/2024/")
    page.locator("#energy-upload-form input[type=file]").set_input_files(str(wrong))
    page.wait_for_function("() => Object.keys(sessionStorage).some(k => k.startsWith('zc-file:'))")
    page.locator("#energy-upload-form button[type=submit]").click()
    page.wait_for_selector("#upload-errors")
    assert (
        page.evaluate("() => document.querySelector('#energy-upload-form input[type=file]').files.length")
        == 0
    )


# ---- the recomputation of every result ------------------------------------------------------------


def test_the_factor_page_follows_the_recomputation_and_offers_to_ask_again_when_it_failed(
    reference, world, page, errors, monkeypatch
):
    _sign_in(page, world.province)
    with mock.patch("indicators.tasks.indicator_results_recompute_task.delay"):
        indicator_services.scheme_new_version(
            publish=True, by=world.province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("85")}
        )
        page.goto("/indicators/factors/")
        page.wait_for_selector("#results-recompute [data-job-busy]")
        indicator_services.indicator_results_recompute_all(reason="test")  # the worker's part
        page.wait_for_selector("#results-recompute p[data-job-result]", timeout=UPDATE_MS)
        assert page.locator("#results-recompute [data-job-poll]").count() == 0

        recompute.results_recompute_ended(started_at=recompute.timezone.now(), error="RuntimeError: x")
        page.reload()
        asked = OutboxMessage.objects.filter(task=recompute.RECOMPUTE_TASK).count()
        page.locator("#results-recompute-retry").dblclick()
        page.wait_for_selector("#results-recompute [data-job-busy]")
        page.wait_for_timeout(300)
        assert indicator_services.results_recompute_state().status == recompute.PENDING
        assert OutboxMessage.objects.filter(task=recompute.RECOMPUTE_TASK).count() == asked + 1
    assert errors == []


def test_a_job_outlasting_half_an_hour_of_watching_stops_the_polling_and_says_so(reference, world, page):
    application = ApplicationFactory(park=world.park_a)
    _sign_in(page, world.staff_a)
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        page.goto(f"/applications/{application.pk}/")
        page.locator("#export-zip").click()
        poller = page.locator("#dossier-exports [data-job-poll]")
        poller.wait_for(state="attached")
        slow = poller.get_attribute("data-job-slow")
        page.evaluate("() => { const now = Date.now; Date.now = () => now() + 31 * 60 * 1000; }")
        page.wait_for_selector("#dossier-exports [data-job-poll]", state="detached", timeout=UPDATE_MS)
    assert page.locator("#dossier-exports [data-job-busy]").inner_text() == slow
