"""City progress reports API: the city writes its report (narrative, practices) with the role × scope
matrix of the pages, and the lists and the detail answer in a number of queries that does not grow with
their rows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CityReportStatus, PracticeScene, ProjectStatus, TypicalPractice
from tests.applications.factories import pdf_file
from tests.evaluation.city_report_factories import city_report, practice_in, practices_in, queries_of
from tests.evaluation.factories import listed_project
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]
JSON = "application/json"
# Outside the report's scope (another city, park staff, experts) 404; may see it but not write it 403.
WRITE_CODES = {
    "anonymous": 401,
    "province": 403,
    "observer": 403,
    "reviewer_b": 404,
    "staff_a": 404,
    "staff_b": 404,
    "expert": 404,
}


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users = {**world.users(), "anonymous": None}
    return {who: login(users[who]) for who in WHO}


@pytest.fixture
def project(actors_a):
    return listed_project(actors_a)


@pytest.fixture
def report(world):
    """南昌's report (reviewer_a's city)."""
    return city_report(world.nanchang, narrative="本期进展。")


def _others(callers) -> dict[str, Client]:
    return {who: client for who, client in callers.items() if who != "reviewer_a"}


def _practice_data(project, **overrides) -> dict:
    return {
        "project": project.pk,
        "title": "屋顶光伏",
        "scene": PracticeScene.ENERGY,
        "description": "园区屋顶光伏全覆盖。",
        **overrides,
    }


def test_only_the_citys_reviewer_saves_the_narrative(callers, report, project):
    url = reverse("api-city-report-detail", args=[report.pk])
    codes = {
        who: c.patch(url, {"narrative": "x"}, content_type=JSON).status_code
        for who, c in _others(callers).items()
    }
    assert codes == WRITE_CODES
    answer = callers["reviewer_a"].patch(url, {"narrative": " 新进展 "}, content_type=JSON)
    assert answer.status_code == 200
    body = answer.json()
    assert body["narrative"] == "新进展"
    assert [row["project"] for row in body["figures"]] == [project.pk]  # refreshed
    report.refresh_from_db()
    assert report.narrative == "新进展"
    assert AuditEvent.objects.for_object(report).filter(action="city_report_saved").count() == 1


def test_a_submitted_report_is_not_written_through_the_api(callers, report, project):
    report.status, report.submitted_at = CityReportStatus.SUBMITTED, timezone.now()
    report.save()
    practice = practice_in(report, project)
    city = callers["reviewer_a"]
    assert (
        city.patch(
            reverse("api-city-report-detail", args=[report.pk]), {"narrative": "改"}, content_type=JSON
        ).status_code
        == 400
    )
    adding = city.post(reverse("api-city-report-practices", args=[report.pk]), _practice_data(project))
    assert adding.status_code == 400
    removing = city.delete(reverse("api-city-report-practice-detail", args=[report.pk, practice.pk]))
    assert removing.status_code == 400
    report.refresh_from_db()
    assert report.narrative == "本期进展。" and TypicalPractice.objects.filter(pk=practice.pk).exists()


def test_the_city_adds_a_practice_with_a_file_and_the_api_names_wrong_fields(callers, report, project):
    url = reverse("api-city-report-practices", args=[report.pk])
    codes = {who: c.post(url, _practice_data(project)).status_code for who, c in _others(callers).items()}
    assert codes == WRITE_CODES
    city = callers["reviewer_a"]
    city.cookies["django_language"] = "en"
    wrong = city.post(url, _practice_data(project, title="", scene="moon", description=""))
    assert wrong.status_code == 400
    assert set(wrong.json()["errors"]) == {"title", "scene", "description"}
    answer = city.post(url, {**_practice_data(project), "file": pdf_file("case.pdf")})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["title"], body["scene"], body["original_name"]) == ("屋顶光伏", "energy", "case.pdf")
    assert body["file_url"].endswith(reverse("evaluation:practice-file", args=[body["id"]]))
    assert list(report.practices.values_list("title", flat=True)) == ["屋顶光伏"]


def test_a_practice_of_another_citys_park_is_refused(callers, report, actors_b):
    other = listed_project(actors_b)
    answer = callers["reviewer_a"].post(
        reverse("api-city-report-practices", args=[report.pk]), _practice_data(other)
    )
    assert answer.status_code == 400
    assert "project" in answer.json()["errors"]
    assert not TypicalPractice.objects.exists()


def test_only_the_citys_reviewer_removes_a_practice(callers, report, project, world):
    practice = practice_in(report, project)
    url = reverse("api-city-report-practice-detail", args=[report.pk, practice.pk])
    codes = {who: c.delete(url).status_code for who, c in _others(callers).items()}
    assert codes == WRITE_CODES
    elsewhere = practice_in(city_report(world.nanchang, period="2026-H1"), project)
    not_here = reverse("api-city-report-practice-detail", args=[report.pk, elsewhere.pk])
    assert callers["reviewer_a"].delete(not_here).status_code == 404
    assert callers["reviewer_a"].delete(url).status_code == 204
    assert list(TypicalPractice.objects.all()) == [elsewhere]


# ---- queries that do not grow with the rows ------------------------------------------------------


def _accepted(project) -> None:
    type(project).objects.filter(pk=project.pk).update(status=ProjectStatus.ACCEPTED)


def _submitted(world, period: str):
    return city_report(
        world.nanchang,
        period=period,
        narrative="y",
        status=CityReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


@pytest.mark.parametrize("path", ["evaluation:practice-library", "api-public-practices"])
def test_the_public_library_queries_do_not_grow_with_its_practices(world, login, project, path):
    _accepted(project)
    report = _submitted(world, "2026-H1")
    anonymous = login(None)
    practices_in(report, project, 1)
    anonymous.get(reverse(path))  # warm: what a first request loads once
    one = queries_of(lambda: anonymous.get(reverse(path)))
    practices_in(report, project, 4)
    assert TypicalPractice.objects.count() == 5
    assert queries_of(lambda: anonymous.get(reverse(path))) == one


def test_the_report_list_api_queries_do_not_grow_with_its_reports(world, login):
    client = login(world.reviewer_a)
    city_report(world.nanchang, period="2026-H2")
    client.get(reverse("api-city-report-list"))
    one = queries_of(lambda: client.get(reverse("api-city-report-list")))
    for period in ("2024-H1", "2024-H2", "2025-H1", "2025-H2"):
        city_report(world.nanchang, period=period)
    answer = client.get(reverse("api-city-report-list"))
    assert len(answer.json()["results"]) == 5
    assert queries_of(lambda: client.get(reverse("api-city-report-list"))) == one


def test_the_report_detail_api_loads_the_practices_parks_at_once(world, login, report, project):
    client = login(world.reviewer_a)
    url = reverse("api-city-report-detail", args=[report.pk])
    practices_in(report, project, 1)
    client.get(url)
    one = queries_of(lambda: client.get(url))
    practices_in(report, project, 4)
    answer = client.get(url)
    assert [p["park_name"] for p in answer.json()["practices"]] == [project.park.name] * 5
    assert queries_of(lambda: client.get(url)) == one
