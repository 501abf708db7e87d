"""City progress reports: periods shown by their labels (never the code) on pages, in notifications and in
the sheet; a removed practice's file stays downloadable from the submitted version that names it, and is
deleted when none does."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluation.models import CityReportStatus, PracticeScene
from evaluation.models.city_reports import period_label
from evaluation.selectors.city_reports import practice_storage
from evaluation.services import city_reports as services
from tests.applications.factories import PDF_BYTES, pdf_file
from tests.evaluation.city_report_factories import city_report
from tests.evaluation.factories import listed_project
from zcpark.core.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(actors_a):
    return listed_project(actors_a)


# ---- period labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "english"),
    [
        ("2027-H1", "2027, first half"),
        ("2027-H2", "2027, second half"),
        ("2027-Q3", "2027, quarter 3"),
        ("2027-T1", "2027, months 1–4"),
        ("2027-T3", "2027, months 9–12"),
        ("2027", "2027, whole year"),
        ("odd", "odd"),
    ],
)
def test_a_period_has_a_label(code, english):
    assert period_label(code).render("en") == english


def test_the_chinese_page_shows_the_period_label_not_its_code(world, login):
    report = city_report(world.nanchang, period="2027-H1")
    city_report(world.nanchang, period="2026-H1")  # on the home to-do (its period has begun)
    client: Client = login(world.reviewer_a)
    client.cookies["django_language"] = "zh-hans"
    detail = client.get(reverse("evaluation:city-report-detail", args=[report.pk])).content.decode()
    overview = client.get(reverse("evaluation:city-report-list")).content.decode()
    home = client.get(reverse("portal:home")).content.decode()
    for page, label, code in (
        (detail, "2027年上半年", "2027-H1"),
        (overview, "2027年上半年", "2027-H1"),
        (home, "2026年上半年", "2026-H1"),
    ):
        assert label in page
        assert f">{code}<" not in page and f" {code}" not in page
    assert 'value="2027-H1"' in overview  # the filter keeps the code


def test_the_english_page_and_the_api_label_the_period(world, login):
    report = city_report(world.nanchang, period="2027-H1")
    client: Client = login(world.reviewer_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("evaluation:city-report-detail", args=[report.pk])).content.decode()
    assert "2027, first half" in page
    answer = client.get(reverse("api-city-report-detail", args=[report.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["period"] == "2027-H1"


def test_a_notification_names_the_period_in_the_readers_language(world):
    city_report(world.nanchang, period="2025-H2")
    services.city_reports_remind_late(by=world.province)
    notice = Notification.objects.get(recipient=world.reviewer_a)
    assert notice.title_message["params"]["period"]["msgid"] == "%(year)s, second half"
    with translation.override("en"):
        assert notice.title_text.startswith(f"{world.nanchang} 2025, second half: Reminder")
    assert "2025-H2" not in notice.title_text


def test_the_sheet_labels_the_period(world, login):
    city_report(world.nanchang, period="2026-H1")
    client: Client = login(world.province)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("evaluation:city-report-list") + "?format=xlsx&period=2026-H1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "2026, first half" in cells
    assert "2026-H1" not in cells


# ---- files of removed practices ------------------------------------------------------------------


def _add(world, report, project):
    return services.practice_add(
        by=world.reviewer_a,
        report=report,
        project_id=project.pk,
        title="光伏",
        scene=PracticeScene.ENERGY,
        description="屋顶光伏",
        file=pdf_file("case.pdf"),
        name="case.pdf",
    )


def test_a_removed_practice_stays_downloadable_from_the_version_that_sent_it(
    world, project, login, django_capture_on_commit_callbacks
):
    report = city_report(world.nanchang, narrative="一")
    practice = _add(world, report, project)
    path = practice.file.name
    submitted = services.city_report_submit(by=world.reviewer_a, report=report)
    kept = submitted.submissions.get().content["practices"][0]
    assert (kept["file"], kept["file_path"], kept["sha256"]) == ("case.pdf", path, practice.sha256)
    returned = services.city_report_return(by=world.province, report=submitted, comment="改")
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_remove(by=world.reviewer_a, practice=practice)
    assert returned.status == CityReportStatus.RETURNED
    assert practice_storage().exists(path)
    url = reverse("evaluation:city-report-submission-file", args=[report.pk, 1, 0])
    detail = login(world.reviewer_a).get(reverse("evaluation:city-report-detail", args=[report.pk]))
    assert url in detail.content.decode()
    answer = login(world.province).get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF_BYTES
    assert 'filename="case.pdf"' in answer["Content-Disposition"]
    assert login(world.reviewer_b).get(url).status_code == 404  # another city's report
    assert login(world.reviewer_a).get(url.replace("/0/file/", "/1/file/")).status_code == 404


def test_a_removed_practice_no_version_names_loses_its_file(
    world, project, django_capture_on_commit_callbacks
):
    report = city_report(world.nanchang)
    practice = _add(world, report, project)
    path = practice.file.name
    assert practice_storage().exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_remove(by=world.reviewer_a, practice=practice)
    assert not practice_storage().exists(path)
