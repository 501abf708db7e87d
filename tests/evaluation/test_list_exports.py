"""The construction pages' lists: search and filters kept in the URL, and the same list as an Excel sheet
(Chinese headers with units, the filters on top, the user's scope), at a cost that does not grow with the
rows. The expert scores go to the province only, as blind review has it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import services
from evaluation.models import ConstructionProject, ProjectStatus
from tests.evaluation.factories import bare_evaluation, full_scores, listed_project
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.services import notification_mark_read, notification_send

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROJECTS = reverse("evaluation:project-list")
EVALUATIONS = reverse("evaluation:evaluation-list")
NOTIFICATIONS = reverse("portal:notifications")


def _sheet(response: Any) -> tuple[str, list[Any], list[list[Any]]]:
    """(the filters line, the header, the data rows) of an exported list."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[1][0], rows[3], rows[4:]


def _more_projects(world, n: int, city=None) -> list[ConstructionProject]:
    projects = []
    for index in range(n):
        park = ParkFactory(zone=ZoneFactory(city=city or world.nanchang), name=f"新增园区{index}")
        staff = UserFactory(staff=True, park=park)
        projects.append(
            listed_project({"staff": staff, "reviewer": world.reviewer_a, "province": world.province})
        )
    return projects


@pytest.fixture
def two_projects(world, actors_a, actors_b) -> list[ConstructionProject]:
    return [listed_project(actors_a), listed_project(actors_b, period_years=5)]


# ---------------------------------------------------------------- the project list


def test_projects_are_searched_by_park_or_zone_name(world, login, two_projects):
    client = login(world.province)
    by_park = client.get(PROJECTS, {"q": "赣州测试"}).context["rows"]
    by_zone = client.get(PROJECTS, {"q": "南昌经济技术"}).context["rows"]
    assert [row.project.park.name for row in by_park] == ["赣州测试园"]
    assert [row.project.park.name for row in by_zone] == ["南昌测试园"]
    html = client.get(PROJECTS, {"q": "不存在的园区"}).content.decode()
    assert 'id="projects-empty"' in html and 'id="clear-filters"' in html


def test_projects_are_filtered_by_city_status_and_construction_year(world, login, two_projects):
    client = login(world.province)

    def names(params: dict[str, str]) -> list[str]:
        return [row.project.park.name for row in client.get(PROJECTS, params).context["rows"]]

    assert names({"city": "360700"}) == ["赣州测试园"]
    assert names({"year": "2029"}) == ["赣州测试园"]  # a 3-year period ends in 2028
    assert names({"year": "2027"}) == ["南昌测试园", "赣州测试园"]
    assert names({"status": ProjectStatus.ACCEPTED}) == []
    assert names({"year": "1999", "status": "nonsense"}) == ["南昌测试园", "赣州测试园"]  # unknown: no filter


def test_the_project_export_has_chinese_headers_units_and_the_pages_filters(world, login, two_projects):
    page = login(world.province).get(PROJECTS, {"city": "360700"}).content.decode()
    assert 'href="?city=360700&amp;format=xlsx"' in page

    filters, header, rows = _sheet(login(world.province).get(PROJECTS, {"city": "360700", "format": "xlsx"}))

    assert "赣州市" in filters
    assert header[:4] == ["园区", "开发区", "设区市", "状态"]
    assert any("tCO2/tce" in str(title) for title in header)
    assert [row[0] for row in rows] == ["赣州测试园"]
    assert rows[0][4] == "2026–2030" and rows[0][2] == "赣州市"


def test_a_city_exports_its_own_projects_only(world, login, two_projects):
    _filters, _header, rows = _sheet(login(world.reviewer_a).get(PROJECTS, {"format": "xlsx"}))
    assert [row[0] for row in rows] == ["南昌测试园"]
    _filters, _header, rows = _sheet(
        login(world.reviewer_a).get(PROJECTS, {"format": "xlsx", "city": "360700"})
    )
    assert rows == []


@pytest.mark.parametrize("extra", [0, 3])
def test_the_project_export_costs_the_same_queries_for_more_rows(
    world, login, django_assert_num_queries, two_projects, extra
):
    _more_projects(world, extra)
    client = login(world.province)
    # session, user, the projects with their counts, submitted report years, the parks' provincial results,
    # the scheme's directions
    with django_assert_num_queries(6):
        response = client.get(PROJECTS, {"format": "xlsx"})
    assert len(_sheet(response)[2]) == 2 + extra


# ---------------------------------------------------------------- the dashboard's attainment matrix


def test_the_attainment_matrix_exports_each_indicator_with_its_status(world, login, two_projects):
    board = login(world.province).get(reverse("evaluation:dashboard")).context["board"]
    _filters, header, rows = _sheet(
        login(world.province).get(reverse("evaluation:dashboard"), {"format": "xlsx"})
    )
    assert header[0] == "园区"
    assert len(header) == 6 + 2 * len(board.indicators)
    assert any("tCO2/tce" in str(title) for title in header)
    assert sorted(row[0] for row in rows) == ["南昌测试园", "赣州测试园"]
    assert login(world.observer).get(reverse("evaluation:dashboard"), {"format": "xlsx"}).status_code == 200
    assert login(world.reviewer_a).get(reverse("evaluation:dashboard"), {"format": "xlsx"}).status_code == 403


@pytest.mark.parametrize("extra", [0, 3])
def test_the_attainment_export_costs_the_same_queries(
    world, login, django_assert_num_queries, two_projects, extra
):
    _more_projects(world, extra)
    client = login(world.province)
    # session, user, projects, cities, submitted reports, base-year datasets, summaries, orders, reports
    with django_assert_num_queries(9):
        response = client.get(reverse("evaluation:dashboard"), {"format": "xlsx"})
    assert len(_sheet(response)[2]) == 2 + extra


# ---------------------------------------------------------------- an evaluation's expert scores


@pytest.fixture
def reviewed(world):
    """An evaluation of park_a with two experts: one has submitted, the other not yet."""
    late = UserFactory(expert=True)
    evaluation = bare_evaluation(world.park_a, experts=[world.expert, late])
    services.expert_review_submit(
        by=world.expert,
        review=evaluation.reviews.get(expert=world.expert),
        scores=full_scores("4"),
        opinion="同意通过验收。",
        recommends_acceptance=True,
    )
    return evaluation


def test_the_province_exports_the_scores_it_reads_on_the_page(world, login, reviewed):
    url = reverse("evaluation:scores-export", args=[reviewed.pk])
    assert (
        f'href="{url}"'
        in login(world.province)
        .get(reverse("evaluation:evaluation-detail", args=[reviewed.pk]))
        .content.decode()
    )

    _filters, header, rows = _sheet(login(world.province).get(url))

    submitted, waiting = rows
    assert len(header) == 2 + 7 + 4  # expert, status, the seven areas, total, recommendation, time, opinion
    assert submitted[0] == (world.expert.get_full_name() or world.expert.username)
    assert submitted[2:9] == [4] * 7 and submitted[9] == 28
    assert submitted[-1] == "同意通过验收。"
    assert waiting[2:] == [None] * (len(header) - 2)  # not submitted: its status only


@pytest.mark.parametrize("who", ["observer", "reviewer_a", "staff_a", "expert"])
def test_only_the_province_exports_the_scores(world, login, reviewed, who):
    response = login(world.users()[who]).get(reverse("evaluation:scores-export", args=[reviewed.pk]))
    assert response.status_code == 403
    html = login(world.users()[who]).get(reverse("evaluation:evaluation-detail", args=[reviewed.pk]))
    assert 'id="scores-export"' not in html.content.decode()


def test_an_expert_not_assigned_does_not_find_the_scores(world, login, reviewed):
    outsider = UserFactory(expert=True)
    response = login(outsider).get(reverse("evaluation:scores-export", args=[reviewed.pk]))
    assert response.status_code == 404


# ---------------------------------------------------------------- the evaluation list


@pytest.fixture
def evaluations(world):
    return [bare_evaluation(world.park_a, experts=[world.expert]), bare_evaluation(world.park_b)]


def test_evaluations_are_searched_and_filtered(world, login, evaluations):
    client = login(world.province)

    def parks(params: dict[str, str]) -> list[str]:
        return [r["evaluation"].project.park.name for r in client.get(EVALUATIONS, params).context["rows"]]

    assert parks({"q": "赣州"}) == ["赣州测试园"]
    assert parks({"city": "360100"}) == ["南昌测试园"]
    assert parks({"status": "accepted"}) == []
    assert sorted(parks({"status": "in_review"})) == ["南昌测试园", "赣州测试园"]


def test_the_evaluation_export_keeps_the_filters_and_the_scope(world, login, evaluations):
    filters, header, rows = _sheet(login(world.province).get(EVALUATIONS, {"q": "南昌", "format": "xlsx"}))
    assert "南昌" in filters
    assert header[:3] == ["园区", "开发区", "设区市"]
    assert [row[0] for row in rows] == ["南昌测试园"]
    _filters, header, rows = _sheet(login(world.expert).get(EVALUATIONS, {"format": "xlsx"}))
    assert [row[0] for row in rows] == ["南昌测试园"]  # an expert: only what it is assigned
    assert len(header) == 11  # with its own review's state
    _filters, _header, rows = _sheet(login(world.reviewer_b).get(EVALUATIONS, {"format": "xlsx"}))
    assert [row[0] for row in rows] == ["赣州测试园"]


@pytest.mark.parametrize("extra", [0, 3])
def test_the_evaluation_export_costs_the_same_queries(world, login, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        bare_evaluation(ParkFactory(zone=ZoneFactory(city=world.nanchang)), experts=[world.expert])
    client = login(world.province)
    # session, user, the evaluations with their places, their reviews with their experts
    with django_assert_num_queries(4):
        response = client.get(EVALUATIONS, {"format": "xlsx"})
    assert len(_sheet(response)[2]) == 1 + extra


# ---------------------------------------------------------------- the user's notifications


def _notify(user, title: str, url: str = "/home/"):
    (note,) = notification_send(recipients=[user], title=title, body=f"{title}：详情", url=url)
    return note


def test_notifications_are_searched_and_filtered_by_read_state(world, login):
    read = _notify(world.staff_a, "2026 年度报告已提交")
    _notify(world.staff_a, "整改通知")
    _notify(world.staff_b, "赣州的整改通知")
    notification_mark_read(user=world.staff_a, notification_id=read.pk)
    client = login(world.staff_a)

    def titles(params: dict[str, str]) -> list[str]:
        return [n.title for n in client.get(NOTIFICATIONS, params).context["page"].object_list]

    assert titles({"q": "整改"}) == ["整改通知"]
    assert titles({"state": "unread"}) == ["整改通知"]
    assert titles({"state": "read"}) == ["2026 年度报告已提交"]
    assert titles({"q": "详情", "state": "read"}) == ["2026 年度报告已提交"]


def test_the_notification_export_is_the_users_own_with_the_same_filters(world, login):
    _notify(world.staff_a, "整改通知", url="/projects/1/")
    _notify(world.staff_a, "年度报告提醒")
    _notify(world.staff_b, "赣州的整改通知")
    filters, _header, rows = _sheet(login(world.staff_a).get(NOTIFICATIONS, {"q": "整改", "format": "xlsx"}))
    assert "整改" in filters
    assert [row[1] for row in rows] == ["整改通知"]
    assert rows[0][-1] == "http://testserver/projects/1/"


@pytest.mark.parametrize("extra", [0, 4])
def test_the_notification_export_costs_the_same_queries(world, login, django_assert_num_queries, extra):
    for index in range(1 + extra):
        _notify(world.staff_a, f"通知{index}")
    client = login(world.staff_a)
    with django_assert_num_queries(3):  # session, user, the notifications
        response = client.get(NOTIFICATIONS, {"format": "xlsx"})
    assert len(_sheet(response)[2]) == 1 + extra


def _container_of(html: str, marker: str) -> str:
    """The opening tag of the innermost <div> or <form> still open where ``marker`` stands."""
    before = html[: html.index(marker)]
    depth = 0
    for match in reversed(list(re.finditer(r"<(/?)(div|form)\b[^>]*>", before))):
        if match.group(1):
            depth += 1
        elif depth:
            depth -= 1
        else:
            return match.group(0)
    raise AssertionError(f"{marker} is in no container")


@pytest.mark.parametrize(
    "url", [PROJECTS, EVALUATIONS, NOTIFICATIONS, reverse("evaluation:dashboard")], ids=lambda u: u
)
def test_the_controls_stay_off_paper(world, login, two_projects, url):
    """Print keeps the list: the export and print buttons and the filters are hidden on paper."""
    html = login(world.province).get(url).content.decode()
    assert "js/bulk.js" in html
    assert "data-print hidden" in html
    for marker in ('id="export-xlsx"', 'id="attainment-export"', "data-print hidden"):
        if marker in html:
            at = html.index(marker)
            own = html[html.rindex("<", 0, at) : html.index(">", at)]
            assert "d-print-none" in own or "d-print-none" in _container_of(html, marker), marker
    for form in ('id="project-filters"', 'id="evaluation-filters"', 'id="notification-filters"'):
        if form in html:
            tag = html[html.rindex("<form", 0, html.index(form)) : html.index(">", html.index(form))]
            assert "d-print-none" in tag
