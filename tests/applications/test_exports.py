"""The dossier's PDF and ZIP: the context, the rendering, the archive, the build task and the download pages."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from applications import exports, services
from applications.models import ApplicationStatus, DossierExport, SectionCode
from applications.services.exports import dossier_export_build, dossier_export_request
from applications.tasks import dossier_export_build_task
from indicators.models import IndicatorResult
from tests.applications.factories import ApplicationFactory, application_in, ready_application
from tests.pdf import document_text, font_names
from zcpark.core.models import FileStatus


def _ready_export(application, *, kind="pdf", content=b"%PDF-1.4 test") -> DossierExport:
    export = DossierExport.objects.create(
        application=application, kind=kind, revision_number=application.revision, status=FileStatus.READY
    )
    export.file.save(f"test.{kind}", ContentFile(content))
    return export


def _current_value(application, year: int, code: str) -> str:
    result = IndicatorResult.objects.current().get(
        dataset__park=application.park, dataset__year=year, scheme_code="jiangxi-2025"
    )
    return next(i["value"] for i in result.document["indicators"] if i["code"] == code)


def _overview_values(context) -> list[str]:
    items = context["sections"][0]["form_items"]
    return [value for item in items if item["kind"] == "fields" for _label, value in item["pairs"]]


# ---- context ----------------------------------------------------------------------------------


def test_build_dossier_context_holds_park_project_and_core_value_when_submitted(world, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    context = exports.build_dossier_context(application)
    assert (context["park"]["name"], context["revision_number"]) == ("南昌测试园", 1)
    projects = next(s for s in context["sections"] if s["code"] == SectionCode.PROJECTS)["form_items"][0]
    assert projects["rows"][0][3] == {"text": "48,000 万元", "num": True}  # investment of the first project
    assert context["total_investment_wan"] == Decimal("128500")
    year_2025 = next(y for y in context["emissions"]["years"] if y["year"] == 2025)
    assert year_2025["carbon_per_energy"] == Decimal(_current_value(application, 2025, "carbon_per_energy"))


def test_build_dossier_context_shows_the_revision_when_the_dossier_changed_since(world, actors_a):
    application = application_in(ApplicationStatus.RETURNED, actors=actors_a)
    overview = application.sections.get(code=SectionCode.OVERVIEW).data
    services.dossier_section_save(
        by=world.staff_a, application=application, code="overview", data={**overview, "area_km2": "99"}
    )
    submitted = exports.build_dossier_context(application)
    live = exports.build_dossier_context(application, revision_number=0)
    assert "12.6 km²" in _overview_values(submitted) and "99 km²" not in _overview_values(submitted)
    assert "99 km²" in _overview_values(live)


def test_build_dossier_context_reads_the_live_dossier_when_never_submitted(world):
    application = ready_application(staff=world.staff_a)
    context = exports.build_dossier_context(application)
    assert context["revision_number"] == 0
    assert context["park"]["name"] == "南昌测试园"
    assert "12.6 km²" in _overview_values(context)


def test_build_dossier_context_computes_feasibility_when_dossier_complete(world, actors_a):
    context = exports.build_dossier_context(application_in(ApplicationStatus.SUBMITTED, actors=actors_a))
    feasibility = context["feasibility"]
    assert feasibility["notes"] == []
    assert feasibility["economics"].irr_pct is not None
    assert [t["row"].year for t in feasibility["trajectory"]] == list(range(2025, 2031))
    assert feasibility["trajectory_chart"].startswith("<svg")


# ---- PDF --------------------------------------------------------------------------------------


def test_render_dossier_pdf_is_a_pdf_with_embedded_cjk_fonts_when_rendered(world):
    context = exports.build_dossier_context(ready_application(staff=world.staff_a))
    pdf = exports.render_dossier_pdf(context)
    assert pdf.startswith(b"%PDF")
    fonts = font_names(pdf)
    assert any("Noto" in name and "CJK" in name for name in fonts), fonts


def test_render_dossier_document_shows_park_numbers_and_page_footer_when_rendered(world, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    document = exports.render_dossier_document(exports.build_dossier_context(application))
    text = document_text(document)
    assert "南昌测试园" in text
    assert "217,000" in text  # 2025 green power supplied directly (MWh), from the dataset
    assert _current_value(application, 2025, "carbon_per_energy") in text
    assert f"第 1 页 共 {len(document.pages)} 页" in text


@pytest.fixture
def fast_pdf(monkeypatch):
    """A stand-in PDF where the rendering itself is not under test (it takes seconds)."""
    monkeypatch.setattr(exports, "render_dossier_pdf", lambda context: b"%PDF-1.7 stand-in")


# ---- archive ----------------------------------------------------------------------------------


def test_build_archive_holds_pdf_attachments_opinions_timeline_and_revisions_when_returned(
    world, actors_a, fast_pdf
):
    application = application_in(ApplicationStatus.RETURNED, actors=actors_a)
    with zipfile.ZipFile(io.BytesIO(exports.build_archive(application))) as archive:
        names = set(archive.namelist())
        opinions = json.loads(archive.read("opinions.json"))
    assert {"申报书.pdf", "opinions.json", "审核意见.txt", "timeline.json", "时间线.txt"} <= names
    assert {"revisions/r1.json", "README.txt", "manifest.json"} <= names
    attachments = [n for n in names if n.startswith("attachments/")]
    assert len(attachments) == 1 and attachments[0].startswith("attachments/zone_approval-")
    assert [o["action"] for o in opinions] == ["return"]


def test_build_archive_manifest_digests_match_the_files_when_built(world, fast_pdf):
    application = ready_application(staff=world.staff_a)
    with zipfile.ZipFile(io.BytesIO(exports.build_archive(application))) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        readme = archive.read("README.txt").decode()
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
            assert f"{entry['sha256']}  {entry['name']}" in readme
    assert len(manifest["files"]) == len(archive.namelist()) - 2  # all but README.txt and manifest.json


# ---- services and task ------------------------------------------------------------------------


def test_dossier_export_request_creates_pending_row_and_enqueues_when_committed(
    world, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED, revision=2)
    with (
        mock.patch("applications.tasks.dossier_export_build_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        export = dossier_export_request(by=world.reviewer_a, application=application, kind="zip")
    assert (export.status, export.kind, export.revision_number) == (FileStatus.PENDING, "zip", 2)
    delay.assert_called_once_with(export.pk)


def test_dossier_export_request_refuses_when_user_cannot_see_the_application(world):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        dossier_export_request(by=world.reviewer_b, application=application, kind="pdf")
    assert not DossierExport.objects.exists()


@pytest.mark.parametrize(("kind", "magic"), [("pdf", b"%PDF"), ("zip", b"PK\x03\x04")])
def test_dossier_export_build_task_stores_file_and_marks_ready_when_build_succeeds(
    world, actors_a, fast_pdf, kind, magic
):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    export = dossier_export_request(by=world.staff_a, application=application, kind=kind)
    assert dossier_export_build_task(export.pk) == FileStatus.READY
    export.refresh_from_db()
    with export.file.open("rb") as handle:
        assert handle.read(4) == magic
    assert (export.error, export.revision_number) == ("", 1)


def test_dossier_export_build_marks_failed_with_the_error_when_rendering_raises(world, monkeypatch):
    application = ready_application(staff=world.staff_a)
    export = dossier_export_request(by=world.staff_a, application=application, kind="pdf")
    monkeypatch.setattr(exports, "render_dossier_pdf", mock.Mock(side_effect=RuntimeError("no fonts")))
    dossier_export_build(export=export)
    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == (
        FileStatus.FAILED,
        "RuntimeError: no fonts",
        "",
    )


# ---- views ------------------------------------------------------------------------------------


def test_export_download_streams_the_file_when_observer_and_dossier_submitted(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED, revision=1)
    export = _ready_export(application)
    url = reverse("applications:export-download", args=[application.pk, export.pk])
    response = login(world.observer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["reviewer_b", "staff_b", "expert"])
def test_export_download_answers_404_when_application_out_of_scope(world, login, who):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    export = _ready_export(application)
    url = reverse("applications:export-download", args=[application.pk, export.pk])
    assert login(getattr(world, who)).get(url).status_code == 404


def test_export_download_answers_404_when_observer_and_dossier_is_a_draft(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.DRAFT)
    export = _ready_export(application)
    url = reverse("applications:export-download", args=[application.pk, export.pk])
    assert login(world.observer).get(url).status_code == 404


def test_export_download_answers_404_when_export_not_ready(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    export = DossierExport.objects.create(application=application, kind="pdf", revision_number=0)
    url = reverse("applications:export-download", args=[application.pk, export.pk])
    assert login(world.staff_a).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"), [("export-download", "get"), ("export-status", "get"), ("application-export", "post")]
)
def test_export_pages_redirect_to_login_when_anonymous(world, login, name, method):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    export = _ready_export(application)
    args = [application.pk, export.pk] if name == "export-download" else [application.pk]
    response = getattr(login(None), method)(reverse(f"applications:{name}", args=args))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_application_export_queues_and_redirects_when_staff_posts_a_form(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        response = login(world.staff_a).post(url, {"kind": "pdf"})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-detail", args=[application.pk])
    assert application.exports.get().status == FileStatus.PENDING


def test_application_export_answers_the_polling_block_when_htmx(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    with mock.patch("applications.tasks.dossier_export_build_task.delay"):
        response = login(world.staff_a).post(url, {"kind": "zip"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert reverse("applications:export-status", args=[application.pk]) in response.content.decode()


def test_application_export_answers_400_when_kind_unknown(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    response = login(world.staff_a).post(url, {"kind": "docx"})
    assert response.status_code == 400
    assert not application.exports.exists()


def test_application_export_answers_404_when_application_out_of_scope(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:application-export", args=[application.pk])
    assert login(world.staff_b).post(url, {"kind": "pdf"}).status_code == 404


def test_export_status_stops_polling_when_every_export_is_done(world, login):
    application = ApplicationFactory(park=world.park_a)
    export = _ready_export(application)
    url = reverse("applications:export-status", args=[application.pk])
    html = login(world.staff_a).get(url).content.decode()
    assert 'hx-trigger="every 2s"' not in html
    assert reverse("applications:export-download", args=[application.pk, export.pk]) in html


def test_export_status_polls_once_when_several_exports_are_pending(world, login):
    application = ApplicationFactory(park=world.park_a)
    for kind in ("pdf", "zip", "pdf"):
        DossierExport.objects.create(application=application, kind=kind, revision_number=0)
    html = login(world.staff_a).get(reverse("applications:export-status", args=[application.pk])).content
    assert html.decode().count('hx-trigger="every 2s"') == 1


@pytest.mark.parametrize("count", [1, 5])
def test_export_status_query_count_stays_flat_when_exports_grow(
    world, login, django_assert_num_queries, count
):
    application = ApplicationFactory(park=world.park_a)
    for _ in range(count):
        DossierExport.objects.create(
            application=application, kind="pdf", revision_number=0, requested_by=world.staff_a
        )
    client = login(world.staff_a)
    url = reverse("applications:export-status", args=[application.pk])
    # session, user, application with park/zone/city/call, exports with requester
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
