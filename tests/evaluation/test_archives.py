"""Park archives and the national package: built by the task into storage, every part present, the
manifest's SHA-256 matching every member; each role's copy reading as its pages read (internal notes,
experts' names, undecided evaluations); the role × scope matrix on the page and the API; a second request
while one is being built gets the same archive."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from applications import exports as dossier
from evaluation import reports, selectors, services
from evaluation.archives import national_sections
from evaluation.models import ArchiveAudience, ArchiveKind, ParkArchive, ReviewStatus
from evaluation.reports import RenderedReport
from evaluation.services import acceptance_report_render, acceptance_report_schedule
from tests.applications.factories import ApplicationFactory
from tests.evaluation.factories import (
    INTERNAL_NOTE,
    accepted_project,
    archive_entries,
    blind_review_project,
    listed_project,
)
from zcpark.core.models import STALE_ERROR, FileStatus
from zcpark.core.services import GENERATED_FILE_STALE_AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_pdf(monkeypatch):
    """Stand-in PDFs where the rendering itself is not under test (it takes seconds); the dossier
    contexts rendered are kept."""
    rendered = []

    def render(context):
        rendered.append(context)
        return b"%PDF-1.7 dossier"

    monkeypatch.setattr(dossier, "render_dossier_pdf", render)
    monkeypatch.setattr(reports, "acceptance_report_context", lambda evaluation: {})
    monkeypatch.setattr(
        reports,
        "acceptance_report_pdf",
        lambda context: RenderedReport(content=b"%PDF-1.7 report", page_count=1),
    )
    return rendered


@pytest.fixture
def accepted(world, actors_a, fast_pdf):
    project = accepted_project(world, actors_a)
    evaluation = project.evaluations.get()
    acceptance_report_render(acceptance_report_schedule(evaluation, force=True).pk)
    return project


def _built(by, project, kind) -> ParkArchive:
    archive = services.park_archive_request(by=by, park=project.park, project=project, kind=kind)
    assert services.park_archive_build(archive.pk) == FileStatus.READY
    archive.refresh_from_db()
    return archive


def _check_manifest(entries: dict[str, bytes]) -> list[dict]:
    """Every member but the manifest files is listed once with its size and SHA-256, and SHA256SUMS agrees."""
    files = json.loads(entries["manifest.json"])["files"]
    assert sorted(f["name"] for f in files) == sorted(set(entries) - {"manifest.json", "SHA256SUMS"})
    for f in files:
        content = entries[f["name"]]
        assert (f["size_bytes"], f["sha256"]) == (len(content), hashlib.sha256(content).hexdigest())
    sums = entries["SHA256SUMS"].decode().splitlines()
    assert sums == [f"{f['sha256']}  {f['name']}" for f in files]
    return files


def test_project_archive_holds_every_part_with_matching_hashes(world, accepted):
    archive = _built(world.province, accepted, ArchiveKind.PROJECT)
    entries = archive_entries(archive)
    files = _check_manifest(entries)
    names = set(entries)
    evaluation = accepted.evaluations.get()
    expected = {
        "dossier/revisions/r1.json",
        "dossier/申报书.pdf",
        "dossier/opinions.json",
        "dossier/审核意见.txt",
        "dossier/timeline.json",
        "decisions/project.json",
        "decisions/timeline.json",
        "decisions/时间线.txt",
        "annual-reports/2026/report.json",
        "annual-reports/2028/dataset.json",
        "annual-reports/2028/results-national-2025.json",
        "self-assessment/2028/self-assessment.json",
        "self-assessment/2028/evidence/自评估报告.pdf",
        f"acceptance/2028-{evaluation.pk}/expert-opinions.json",
        f"acceptance/2028-{evaluation.pk}/验收评估报告.pdf",
    }
    assert expected <= names
    assert any(name.startswith("dossier/attachments/") for name in names)
    assert entries[f"acceptance/2028-{evaluation.pk}/验收评估报告.pdf"] == b"%PDF-1.7 report"
    decisions = json.loads(entries["decisions/project.json"])
    assert decisions["acceptance_decisions"][0]["document_no"] == "赣发改环资〔2029〕9号"
    assert decisions["meets_national_scheme"] is True and decisions["national_recommendation"] is None
    assert (archive.file_count, archive.size_bytes) == (len(files), archive.file.size)


def test_park_copy_leaves_the_experts_names_out(world, accepted):
    province = archive_entries(_built(world.province, accepted, ArchiveKind.PROJECT))
    park = archive_entries(_built(world.staff_a, accepted, ArchiveKind.PROJECT))
    name = next(n for n in province if n.endswith("expert-opinions.json"))
    experts = {o["expert"] for o in json.loads(province[name])}
    assert experts and not experts & {o["expert"] for o in json.loads(park[name])}
    assert not any(expert in park[name].decode() for expert in experts)


# ---- whose copy: each reads what its role reads on the pages ----------------------------------------


def _copies(world, project) -> dict[str, dict[str, bytes]]:
    """The project's archive built for the province, the city and the park."""
    return {
        who: archive_entries(_built(getattr(world, who), project, ArchiveKind.PROJECT))
        for who in ("province", "reviewer_a", "staff_a")
    }


def _text(entries: dict[str, bytes], prefix: str) -> str:
    return "\n".join(content.decode() for name, content in entries.items() if name.startswith(prefix))


def _names(experts) -> set[str]:
    return {e.username for e in experts} | {e.get_full_name() for e in experts}


def test_each_copy_is_written_for_its_audience(world, actors_a, fast_pdf):
    project, evaluation, experts = blind_review_project(world, actors_a)
    copies = _copies(world, project)
    archives = {a.requested_by.username: a.audience for a in ParkArchive.objects.all()}
    assert archives == {"province": "province", "reviewer_a": "city", "staff_a": "park"}
    timelines = {who: _text(entries, "decisions/") for who, entries in copies.items()}
    # The reviewers' internal note: the province's and the city's copies; never the park's.
    assert INTERNAL_NOTE in timelines["province"] and INTERNAL_NOTE in timelines["reviewer_a"]
    assert INTERNAL_NOTE not in timelines["staff_a"]
    # The experts (the one who declined as well): named in the province's copy only.
    assert any(name in timelines["province"] for name in _names(experts))
    for who in ("reviewer_a", "staff_a"):
        read = timelines[who] + _text(copies[who], "acceptance/")
        assert not any(name in read for name in _names(experts)), who
    opinions = f"acceptance/{evaluation.assessment_year}-{evaluation.pk}/expert-opinions.json"
    assert {o["expert"] for o in json.loads(copies["province"][opinions])} == {
        e.get_full_name() for e in experts[1:]
    }
    assert len(json.loads(copies["staff_a"][opinions])) == 2


def test_an_undecided_evaluation_is_the_provinces_to_read(world, actors_a, fast_pdf):
    project, evaluation, experts = blind_review_project(world, actors_a, decide=False)
    acceptance_report_render(acceptance_report_schedule(evaluation, force=True).pk)
    copies = _copies(world, project)
    base = f"acceptance/{evaluation.assessment_year}-{evaluation.pk}/"
    assert {f"{base}expert-opinions.json", f"{base}验收评估报告.pdf"} <= set(copies["province"])
    assert experts[1].get_full_name() in copies["province"][f"{base}expert-opinions.json"].decode()
    for who in ("reviewer_a", "staff_a"):
        assert not any(name.startswith(base) for name in copies[who]), who
        assert "同意通过验收" not in _text(copies[who], ""), who
    assert INTERNAL_NOTE in _text(copies["reviewer_a"], "decisions/")


def test_the_archive_numbers_the_experts_as_the_page_does(world, actors_a, fast_pdf, login):
    project, evaluation, _experts = blind_review_project(world, actors_a)
    entries = archive_entries(_built(world.staff_a, project, ArchiveKind.PROJECT))
    opinions = json.loads(
        entries[f"acceptance/{evaluation.assessment_year}-{evaluation.pk}/expert-opinions.json"]
    )
    reviews = list(evaluation.reviews.select_related("expert").order_by("id"))
    with translation.override(settings.LANGUAGE_CODE):  # the worker writes the archive in Chinese
        read = selectors.reviews_as_read(world.staff_a, reviews)
        labels = [selectors.expert_label(1), selectors.expert_label(2)]
    assert [o["expert"] for o in opinions] == [n for r, n in read if r.status == ReviewStatus.SUBMITTED]
    assert [o["expert"] for o in opinions] == labels
    page = login(world.staff_a).get(reverse("evaluation:evaluation-detail", args=[evaluation.pk]))
    assert all(o["expert"] in page.content.decode() for o in opinions)


def test_another_roles_copy_is_not_downloaded_nor_asked_again(world, accepted, login):
    archive = _built(world.province, accepted, ArchiveKind.PROJECT)
    url = reverse("evaluation:archive-download", args=[accepted.pk, archive.pk])
    assert login(world.reviewer_a).get(url).status_code == 403
    api = reverse("api-project-archive-download", args=[accepted.pk, archive.pk])
    assert login(world.reviewer_a).get(api).status_code == 404
    assert login(world.province).get(api).status_code == 200


def test_orders_part_holds_the_orders_and_answers(world, actors_a, fast_pdf):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="补充能耗监测",
        requirements="接入能耗在线监测平台",
        deadline=timezone.localdate() + timedelta(days=30),
        document_no="赣发改〔2027〕3号",
    )
    services.order_answer(by=world.staff_a, order=order, answer="已接入平台")
    entries = archive_entries(_built(world.reviewer_a, project, ArchiveKind.PROJECT))
    _check_manifest(entries)
    (saved,) = json.loads(entries["orders/orders.json"])
    assert (saved["title"], saved["answer"]) == ("补充能耗监测", "已接入平台")
    assert "已接入平台" in entries["orders/整改通知及答复.txt"].decode()


def test_park_archive_holds_every_application_of_the_park(world, accepted):
    draft = ApplicationFactory(park=world.park_a)
    entries = archive_entries(_built(world.province, accepted, ArchiveKind.PARK))
    _check_manifest(entries)
    folders = {name.split("/")[0] for name in entries if "/" in name}
    assert folders == {f"application-{accepted.application_id}", f"application-{draft.pk}"}
    assert f"application-{accepted.application_id}/decisions/project.json" in entries
    assert not any(name.startswith(f"application-{draft.pk}/decisions") for name in entries)


def test_national_package_recuts_the_dossier_and_holds_results_and_report(world, accepted, fast_pdf):
    entries = archive_entries(_built(world.province, accepted, ArchiveKind.NATIONAL))
    _check_manifest(entries)
    assert set(entries) - {"manifest.json", "SHA256SUMS"} == {
        "1-建设方案（国家级大纲）.pdf",
        "2-国家级指标结果.xlsx",
        "2-national-results.json",
        "3-验收评估报告.pdf",
    }
    context = fast_pdf[-1]
    numbers = [s["number"] for s in context["sections"]]
    assert numbers[:4] == ["1.1", "1.2", "2.1", "2.2"] and "declarations" not in {
        s["code"] for s in context["sections"]
    }
    results = json.loads(entries["2-national-results.json"])
    assert results["scheme"] == "national-2025" and results["core_passed"] is True
    sheet = load_workbook(io.BytesIO(entries["2-国家级指标结果.xlsx"])).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert len(results["indicators"]) >= 1 and results["indicators"][0]["name"] in values


def test_national_sections_follow_the_national_outline():
    sections = [{"code": c, "title": c} for c in ("declarations", "projects", "overview", "industry")]
    ordered = national_sections(sections)
    assert [(s["code"], s["number"]) for s in ordered] == [
        ("overview", "1.1"),
        ("industry", "1.2"),
        ("projects", "5"),
    ]


def test_a_second_request_while_building_gets_the_same_archive(world, accepted):
    first = services.park_archive_request(
        by=world.province, park=accepted.park, project=accepted, kind="project"
    )
    again = services.park_archive_request(
        by=world.province, park=accepted.park, project=accepted, kind="project"
    )
    assert first.pk == again.pk and ParkArchive.objects.count() == 1
    other = services.park_archive_request(
        by=world.reviewer_a, park=accepted.park, project=accepted, kind="park"
    )
    assert other.pk != first.pk


def test_a_request_after_the_job_was_lost_fails_the_stale_archive_and_asks_anew(world, accepted):
    first = services.park_archive_request(
        by=world.province, park=accepted.park, project=accepted, kind="project"
    )
    stale = timezone.now() - GENERATED_FILE_STALE_AFTER - timedelta(minutes=1)
    ParkArchive.objects.filter(pk=first.pk).update(updated_at=stale)
    again = services.park_archive_request(
        by=world.province, park=accepted.park, project=accepted, kind="project"
    )
    first.refresh_from_db()
    assert again.pk != first.pk and first.status == FileStatus.FAILED and first.error == STALE_ERROR


def test_a_failed_archive_can_be_asked_for_again(world, accepted, monkeypatch):
    archive = services.park_archive_request(
        by=world.province, park=accepted.park, project=accepted, kind="project"
    )
    monkeypatch.setattr("evaluation.archives.parts_write", lambda *args: 1 / 0)
    assert services.park_archive_build(archive.pk) == FileStatus.FAILED
    monkeypatch.undo()
    again = services.park_archive_retry(by=world.province, archive=ParkArchive.objects.get(pk=archive.pk))
    assert again.pk == archive.pk and again.status == FileStatus.PENDING


# ---- the role × scope matrix -----------------------------------------------------------------------

# who: (project archive request on the page, download of the province's national package on the API)
MATRIX = [
    ("reviewer_b", 404, 404),
    ("staff_b", 404, 404),
    ("expert", 404, 404),
    ("observer", 403, 403),
    ("reviewer_a", 302, 404),
    ("staff_a", 302, 404),
    ("province", 302, 200),
]


def test_archive_role_scope_matrix(world, accepted, login):
    package = _built(world.province, accepted, ArchiveKind.NATIONAL)
    request_url = reverse("evaluation:archive-request", args=[accepted.pk])
    for who, page, api_download in MATRIX:
        client = login(getattr(world, who))
        assert client.post(request_url, {"kind": "project"}).status_code == page, who
        url = reverse("api-project-archive-download", args=[accepted.pk, package.pk])
        assert client.get(url).status_code == api_download, who
        if page == 302:
            national = client.post(request_url, {"kind": "national"}).status_code
            assert national == (302 if who == "province" else 403), who


def test_download_streams_the_archive_to_its_requesters_copy(world, accepted, login):
    archive = _built(world.staff_a, accepted, ArchiveKind.PROJECT)
    url = reverse("evaluation:archive-download", args=[accepted.pk, archive.pk])
    response = login(world.staff_a).get(url)
    assert response.status_code == 200 and response.streaming
    assert b"".join(response.streaming_content)[:4] == b"PK\x03\x04"
    assert login(world.reviewer_a).get(url).status_code == 403  # the park's copy is the park's


def test_archive_api_lists_requests_and_links_the_download(world, accepted, login):
    client = login(world.reviewer_a)
    url = reverse("api-project-archives", args=[accepted.pk])
    response = client.post(url, {"kind": "park"}, content_type="application/json")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    services.park_archive_build(response.json()["id"])
    (listed,) = client.get(url).json()
    assert (listed["audience"], listed["audience_label"]) == ("city", str(ArchiveAudience.CITY.label))
    assert listed["status"] == "ready" and listed["download_url"].endswith(
        f"/archives/{listed['id']}/download/"
    )
    assert client.get(listed["download_url"]).status_code == 200
    assert client.post(url, {"kind": "national"}, content_type="application/json").status_code == 403
    assert login(world.observer).get(url).status_code == 403


def test_project_page_offers_the_archives_and_polls_while_building(world, accepted, login):
    services.park_archive_request(by=world.province, park=accepted.park, project=accepted, kind="project")
    html = (
        login(world.province).get(reverse("evaluation:project-detail", args=[accepted.pk])).content.decode()
    )
    assert 'id="archive-national"' in html and "data-job-poll" in html and "data-job-busy" in html
    staff = (
        login(world.staff_a).get(reverse("evaluation:project-detail", args=[accepted.pk])).content.decode()
    )
    assert 'id="archive-project"' in staff and 'id="archive-national"' not in staff
    observer = (
        login(world.observer).get(reverse("evaluation:project-detail", args=[accepted.pk])).content.decode()
    )
    assert 'id="park-archives"' not in observer


def test_recut_dossier_prints_the_national_chapters(world, actors_a):
    project = listed_project(actors_a)
    with translation.override("en"):
        context = dossier.build_dossier_context(project.application)
        context["sections"] = national_sections(context["sections"])
        html = dossier.render_dossier_html(context)
    assert html.index("1.1　Basic situation of the park：") < html.index(
        "2.2　Energy and carbon emissions today："
    )
    assert "7　Safeguards" in html and "Eligibility declarations" not in html
