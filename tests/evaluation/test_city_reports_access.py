"""City progress reports: the role × scope matrix on pages and API (a city only its own reports, park
staff and experts nothing, the public only the library), the forms' errors, the Excel export, the home
to-do and the public library's filters."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import CityReportStatus, ProjectStatus
from tests.evaluation.city_report_factories import city_report, practice_in
from tests.evaluation.factories import listed_project

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]
JSON = "application/json"


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users = {**world.users(), "anonymous": None}
    return {who: login(users[who]) for who in WHO}


@pytest.fixture
def report(world):
    """南昌's report (reviewer_a's city)."""
    return city_report(world.nanchang, narrative="本期进展。")


def _codes(callers, method: str, url: str, **kwargs) -> dict[str, int]:
    return {who: getattr(client, method)(url, **kwargs).status_code for who, client in callers.items()}


def test_pages_role_and_scope(callers, report):
    assert _codes(callers, "get", reverse("evaluation:city-report-list")) == {
        "anonymous": 302,
        "province": 200,
        "observer": 200,
        "reviewer_a": 200,
        "reviewer_b": 200,  # its own (empty) list
        "staff_a": 403,
        "staff_b": 403,
        "expert": 403,
    }
    assert _codes(callers, "get", reverse("evaluation:city-report-detail", args=[report.pk])) == {
        "anonymous": 302,
        "province": 200,
        "observer": 200,
        "reviewer_a": 200,
        "reviewer_b": 404,
        "staff_a": 404,
        "staff_b": 404,
        "expert": 404,
    }


def test_only_the_citys_reviewer_submits_and_only_the_province_returns_on_the_page(callers, report):
    url = reverse("evaluation:city-report-detail", args=[report.pk])
    others = {who: callers[who] for who in ("province", "observer")}
    assert _codes(others, "post", url, data={"action": "submit"}) == {"province": 403, "observer": 403}
    assert callers["reviewer_b"].post(url, {"action": "submit"}).status_code == 404
    assert callers["reviewer_a"].post(url, {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.status == CityReportStatus.SUBMITTED
    assert callers["reviewer_a"].post(url, {"action": "return", "comment": "x"}).status_code == 403
    assert callers["province"].post(url, {"action": "return", "comment": ""}).status_code == 400
    assert callers["province"].post(url, {"action": "return", "comment": "补充"}).status_code == 302
    report.refresh_from_db()
    assert report.status == CityReportStatus.RETURNED


def test_the_page_names_a_wrong_practice_field(callers, report, world):
    url = reverse("evaluation:city-report-detail", args=[report.pk])
    response = callers["reviewer_a"].post(url, {"action": "practice", "practice-title": ""})
    assert response.status_code == 400
    assert response.context["practice_form"].errors.keys() >= {"title", "scene", "description", "project"}


def test_the_province_reminds_late_cities_from_the_overview(callers, world):
    city_report(world.nanchang, period="2025-H2")
    url = reverse("evaluation:city-reports-remind")
    assert callers["reviewer_a"].post(url).status_code == 403
    assert callers["province"].post(url).status_code == 302
    page = callers["province"].get(reverse("evaluation:city-report-list") + "?late=1").content.decode()
    assert 'data-late="1"' in page and 'id="late-cities"' in page


def test_the_overview_exports_to_excel(callers, report):
    response = callers["province"].get(reverse("evaluation:city-report-list") + "?format=xlsx")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_home_page_lists_the_citys_report(callers, world):
    report = city_report(world.nanchang, period="2025-H2")
    assert (
        f'data-city-report="{report.pk}"'
        in callers["reviewer_a"].get(reverse("portal:home")).content.decode()
    )
    province_home = callers["province"].get(reverse("portal:home")).content.decode()
    assert 'id="todo-late-cities"' in province_home


def test_api_role_and_scope(callers, report):
    assert _codes(callers, "get", reverse("api-city-report-list")) == {
        "anonymous": 401,
        "province": 200,
        "observer": 200,
        "reviewer_a": 200,
        "reviewer_b": 200,
        "staff_a": 403,
        "staff_b": 403,
        "expert": 403,
    }
    assert [
        r["id"] for r in callers["reviewer_b"].get(reverse("api-city-report-list")).json()["results"]
    ] == []
    assert _codes(callers, "get", reverse("api-city-report-detail", args=[report.pk])) == {
        "anonymous": 401,
        "province": 200,
        "observer": 200,
        "reviewer_a": 200,
        "reviewer_b": 404,
        "staff_a": 404,
        "staff_b": 404,
        "expert": 404,
    }
    assert _codes(callers, "get", reverse("api-city-report-overview")) == {
        "anonymous": 401,
        "province": 200,
        "observer": 200,
        "reviewer_a": 403,
        "reviewer_b": 403,
        "staff_a": 403,
        "staff_b": 403,
        "expert": 403,
    }


def test_api_submit_and_return(callers, report):
    url = reverse("api-city-report-transitions", args=[report.pk])
    submit, back = {"action": "submit"}, {"action": "return", "comment": "请补充"}
    assert callers["province"].post(url, submit, content_type=JSON).status_code == 403
    assert callers["reviewer_b"].post(url, submit, content_type=JSON).status_code == 404
    answer = callers["reviewer_a"].post(url, submit, content_type=JSON)
    assert answer.status_code == 200
    assert answer.json()["status"] == "submitted" and answer.json()["late"] is False
    assert callers["reviewer_a"].post(url, submit, content_type=JSON).status_code == 400
    assert callers["reviewer_a"].post(url, back, content_type=JSON).status_code == 403
    returned = callers["province"].post(url, back, content_type=JSON).json()
    assert (returned["status"], returned["return_comment"]) == ("returned", "请补充")
    assert returned["actions"] == []


def test_the_public_sees_only_the_library(callers, world, actors_a):
    project = listed_project(actors_a)
    report = city_report(
        world.nanchang, narrative="y", status=CityReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    practice = practice_in(report, project)
    type(project).objects.filter(pk=project.pk).update(status=ProjectStatus.ACCEPTED)
    anonymous = callers["anonymous"]
    page = anonymous.get(reverse("evaluation:practice-library") + "?scene=green_power")
    assert page.status_code == 200
    assert f'data-practice="{practice.pk}"' in page.content.decode()
    assert (
        f'data-practice="{practice.pk}"'
        not in anonymous.get(reverse("evaluation:practice-library") + "?scene=storage").content.decode()
    )
    api = anonymous.get(reverse("api-public-practices") + f"?city={world.nanchang.code}")
    assert [p["title"] for p in api.json()["results"]] == ["绿电直连"]
    assert anonymous.get(reverse("evaluation:city-report-detail", args=[report.pk])).status_code == 302
    assert anonymous.get(reverse("api-city-report-detail", args=[report.pk])).status_code == 401


def test_a_report_without_narrative_is_refused_on_the_page_with_the_reason(callers, world):
    report = city_report(world.nanchang)
    response = callers["reviewer_a"].post(
        reverse("evaluation:city-report-detail", args=[report.pk]), {"action": "submit"}
    )
    assert response.status_code == 400
    assert response.context["refusal"]["lines"]
    report.refresh_from_db()
    assert report.status == CityReportStatus.DRAFT


@pytest.mark.parametrize("periods", [("2026-H1",), ("2025-H1", "2025-H2", "2026-H1")])
def test_the_overview_query_count_is_constant(world, login, django_assert_num_queries, periods):
    for period in periods:
        city_report(world.nanchang, period=period)
        city_report(world.ganzhou, period=period)
    client = login(world.province)
    # session, user, the reports (city, submitter, practice count), the cities of the filter, the
    # periods of the filter, unread notifications (header)
    with django_assert_num_queries(6):
        client.get(reverse("evaluation:city-report-list"))
