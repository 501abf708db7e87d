"""The provincial dashboard and the public progress page: access, the numbers they show, what the public
page keeps back, and a query count that does not grow with the number of parks."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from evaluation import services
from evaluation.models import ConstructionProject, ProjectStatus
from evaluation.selectors import assessment_results
from tests.evaluation.factories import (
    evaluation_requested,
    experts_reviewed,
    listed_project,
    report_year,
)
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: datetime.date) -> time_machine.travel:
    """Pin the clock to the morning of ``day`` in the portal's time zone."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI), tick=False
    )


def _more_projects(world, n: int) -> list[ConstructionProject]:
    """``n`` more listed parks in 南昌, each with its own staff."""
    projects = []
    for _ in range(n):
        park = ParkFactory(zone=ZoneFactory(city=world.nanchang))
        staff = UserFactory(staff=True, park=park)
        projects.append(
            listed_project({"staff": staff, "reviewer": world.reviewer_a, "province": world.province})
        )
    return projects


def _row(html: str, project: ConstructionProject) -> str:
    match = re.search(rf'<tr data-project="{project.pk}" data-year="(\d*)">(.*?)</tr>', html, re.S)
    assert match, f"no row for project {project.pk}"
    return match.group(0)


def _cell(row: str, code: str) -> tuple[str, str]:
    """(status, value) of an indicator's cell in a matrix row."""
    match = re.search(rf'data-indicator="{code}" data-status="(\w+)"[^>]*>([^<]*)<', row)
    assert match, f"no {code} cell"
    return match.group(1), match.group(2)


@pytest.fixture
def accepted(world, actors_a) -> ConstructionProject:
    """park_a accepted for 2028 (large: it also meets the national thresholds), through the services."""
    evaluation = evaluation_requested(actors_a, large=True)
    experts_reviewed(evaluation, world.province)
    services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision="accepted",
        comment="省发改委决定意见：予以通过。",
        document_no="赣发改环资〔2029〕9号",
    )
    return ConstructionProject.objects.get(pk=evaluation.project_id)


@pytest.fixture
def removed(world, actors_b) -> ConstructionProject:
    project = listed_project(actors_b)
    return services.project_remove(
        by=world.province,
        project=project,
        reason="未按期整改",
        document_no="赣发改环资〔2027〕3号",
        today=D(2027, 6, 1),
    )


# ---------------------------------------------------------------- the dashboard: access


@pytest.mark.parametrize(
    ("who", "code"),
    [("province", 200), ("observer", 200), ("reviewer_a", 403), ("staff_a", 403), ("expert", 403)],
)
def test_dashboard_answers_by_role(world, login, who, code):
    assert login(world.users()[who]).get(reverse("evaluation:dashboard")).status_code == code


def test_dashboard_sends_anonymous_users_to_sign_in(world, login):
    response = login(None).get(reverse("evaluation:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- the dashboard: content


def test_dashboard_counts_parks_against_the_plan_goals(world, actors_a, login):
    listed_project(actors_a)
    board = login(world.province).get(reverse("evaluation:dashboard")).context["board"]
    under_construction, accepted = board.goals
    assert (under_construction.count, under_construction.full) == (1, 10)
    assert (accepted.count, accepted.minimum, accepted.full) == (0, 3, 5)
    assert "10" in under_construction.goal_text


def test_dashboard_counts_parks_by_city_and_status_including_cities_without_parks(world, actors_a, login):
    project = listed_project(actors_a)
    services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="请整改。",
        deadline=D(2027, 6, 30),
        today=D(2027, 5, 1),
    )
    html = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    nanchang = re.search(r'<tr data-city="360100">(.*?)</tr>', html, re.S).group(1)
    ganzhou = re.search(r'<tr data-city="360700">(.*?)</tr>', html, re.S).group(1)
    # columns: in construction, under rectification, self-assessment, acceptance review, accepted, removed
    assert re.findall(r">(\d+)</td>", nanchang) == ["0", "1", "0", "0", "0", "0", "1"]
    assert re.findall(r">(\d+)</td>", ganzhou) == ["0"] * 7
    assert 'id="chart-by-city-data"' in html


def test_dashboard_matrix_shows_the_latest_submitted_year(world, actors_a, login):
    project = listed_project(actors_a)
    report_year(project, world.staff_a, 2026)
    report_year(project, world.staff_a, 2027)
    html = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    row = _row(html, project)
    assert 'data-year="2027"' in row and gettext("base year") not in row
    assert _cell(row, "carbon_per_energy") == ("pass", "0.2602")


def test_dashboard_matrix_falls_back_to_the_base_year_without_a_submitted_report(world, actors_a, login):
    project = listed_project(actors_a)
    html = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    row = _row(html, project)
    assert 'data-year="2025"' in row and gettext("base year") in row
    assert _cell(row, "carbon_per_energy") == ("fail", "0.4372")


def test_dashboard_lists_an_overdue_rectification_order_with_its_days(world, actors_a, login):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="屋顶光伏整改",
        requirements="请整改。",
        deadline=D(2027, 4, 15),
        today=D(2027, 4, 1),
    )
    services.orders_mark_overdue(today=D(2027, 4, 16))
    with _at(D(2027, 5, 1)):
        html = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    assert f'<tr data-order="{order.pk}" data-days="16">' in html
    assert reverse("evaluation:order-detail", args=[order.pk]) in html


def test_dashboard_counts_an_issued_order_past_its_deadline_as_overdue_before_it_is_marked(
    world, actors_a, login
):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="请整改。",
        deadline=D(2027, 4, 15),
        today=D(2027, 4, 1),
    )
    with _at(D(2027, 4, 15)):
        on_the_day = login(world.province).get(reverse("evaluation:dashboard")).context["board"]
    with _at(D(2027, 4, 16)):
        day_after = login(world.province).get(reverse("evaluation:dashboard")).context["board"]
    assert on_the_day.overdue_orders == []
    assert [(o.pk, o.days) for o in day_after.overdue_orders] == [(order.pk, 1)]


@pytest.mark.parametrize(("today", "overdue"), [(D(2027, 3, 31), False), (D(2027, 4, 1), True)])
def test_dashboard_lists_an_annual_report_once_it_is_past_due(world, actors_a, login, today, overdue):
    project = listed_project(actors_a)  # the 2026 report is due on 2027-03-31
    with _at(today):
        html = login(world.province).get(reverse("evaluation:dashboard")).content.decode()
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    assert (f'data-project="{project.pk}" data-year="2026" data-days="1"' in html) is overdue
    assert (url in html) is overdue


def test_dashboard_lists_accepted_parks_with_the_national_flag(world, accepted, login):
    html = login(world.observer).get(reverse("evaluation:dashboard")).content.decode()
    assert f'<tr data-project="{accepted.pk}" data-national="1">' in html
    assert accepted.national_recommended


@pytest.mark.parametrize("extra", [0, 4])
def test_dashboard_query_count_is_constant(world, accepted, login, django_assert_num_queries, extra):
    _more_projects(world, extra)
    client = login(world.province)
    # session, user, projects with places, cities, submitted reports, base-year datasets, current results'
    # summaries, open orders, overdue reports, unread notifications (header), the scheme's title
    with django_assert_num_queries(11):
        response = client.get(reverse("evaluation:dashboard"))
    assert len(response.context["board"].matrix) == 1 + extra


# ---------------------------------------------------------------- the public progress page


def test_public_progress_is_open_to_anonymous_visitors(world, actors_a, login):
    listed_project(actors_a)
    response = login(None).get(reverse("evaluation:public-progress"))
    assert response.status_code == 200
    assert "南昌测试园" in response.content.decode()


def test_public_progress_shows_an_accepted_park_with_its_core_value(world, accepted, login):
    html = login(None).get(reverse("evaluation:public-progress")).content.decode()
    # It meets the national scheme, but is shown as recommended only once the province recommends it.
    (park,) = re.findall(r'<tr class="accepted-park" data-national="0">(.*?)</tr>', html, re.S)
    assert "南昌测试园" in park and "南昌经济技术开发区" in park and "南昌市" in park
    assert re.search(r'class="text-end core-value">0\.0563 <span[^>]*>\(2028\)', park)
    assert timezone.localdate(accepted.accepted_at).strftime("%Y-%m-%d") in park


def test_public_progress_shows_a_removed_park_as_removed_with_its_date(world, actors_a, removed, login):
    listed_project(actors_a)
    response = login(None).get(reverse("evaluation:public-progress"))
    html = response.content.decode()
    assert '<tr class="listed-park text-muted removed-park" data-status="removed">' in html
    assert "<del>赣州测试园</del>" in html and "2027-06-01" in html
    progress = response.context["progress"]
    assert [(p.name, p.status_key) for p in progress.parks] == [
        ("南昌测试园", "building"),
        ("赣州测试园", "removed"),
    ]


def test_public_progress_keeps_back_opinions_orders_and_drafts(world, accepted, actors_b, login):
    other = listed_project(actors_b)
    services.order_issue(
        by=world.province,
        project=other,
        title="能源计量整改通知",
        requirements="补齐二级计量。",
        deadline=D(2027, 6, 30),
        today=D(2027, 5, 1),
    )
    html = login(None).get(reverse("evaluation:public-progress")).content.decode()
    assert "同意通过验收" not in html  # expert opinions
    assert "予以通过" not in html  # the decision's opinion
    assert "自评估" not in html  # the self-assessment
    assert "能源计量整改通知" not in html and "补齐二级计量" not in html  # the order
    assert "Under rectification" not in html  # the public sees the park as under construction
    assert "年度建设进展" not in html  # annual report narratives


def test_public_progress_calls_a_park_under_rectification_under_construction(world, actors_a, login):
    project = listed_project(actors_a)
    services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="请整改。",
        deadline=D(2027, 6, 30),
        today=D(2027, 5, 1),
    )
    progress = login(None).get(reverse("evaluation:public-progress")).context["progress"]
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_RECTIFICATION
    assert [p.status_key for p in progress.parks] == ["building"]
    assert progress.goals[0].count == 1


@pytest.mark.parametrize("extra", [0, 4])
def test_public_progress_query_count_is_constant(world, accepted, login, django_assert_num_queries, extra):
    _more_projects(world, extra)
    client = login(None)
    # projects with places and list entries, cities, accepted parks' assessment-year core values
    with django_assert_num_queries(3):
        response = client.get(reverse("evaluation:public-progress"))
    assert len(response.context["progress"].parks) == 1 + extra


def test_public_progress_core_value_is_the_assessment_year_result(world, accepted, login):
    progress = login(None).get(reverse("evaluation:public-progress")).context["progress"]
    local = assessment_results(accepted).local
    assert [a.core_value for a in progress.accepted] == [
        Decimal(local.summary["indicators"]["carbon_per_energy"]["value"])
    ]
    assert [(a.assessment_year, a.core_status) for a in progress.accepted] == [(2028, "pass")]
