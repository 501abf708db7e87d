"""The construction items of the home page's to-do list, per role."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import gettext

from evaluation import services
from evaluation.models import ConstructionProject
from evaluation.selectors.activity import construction_todo
from parks.models import User
from tests.evaluation.factories import (
    declared,
    evaluation_requested,
    experts_reviewed,
    full_scores,
    listed_project,
    project_in_self_assessment,
    projects_listed,
    report_year,
    self_assessment_submitted,
)
from tests.parks.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date) -> time_machine.travel:
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def project(actors_a) -> ConstructionProject:
    return listed_project(actors_a)


def _home(login, user) -> str:
    return login(user).get(reverse("portal:home")).content.decode()


def _order(world, project, title: str = "整改") -> object:
    return services.order_issue(
        by=world.province, project=project, title=title, requirements="补充材料", deadline=date.today()
    )


# ---- park staff --------------------------------------------------------------------------------


def test_staff_sees_a_report_due_within_30_days(world, login, project):
    with at(date(2027, 3, 10)):
        html = _home(login, world.staff_a)
    report = project.annual_reports.get(year=2026)
    assert f'data-report="{report.pk}"' in html
    assert reverse("evaluation:report-detail", args=[project.pk, 2026]) in html


def test_staff_sees_no_report_while_the_due_date_is_far(world, login, project):
    todo = construction_todo(user=world.staff_a, today=date(2027, 2, 28))
    assert todo.reports == []


def test_staff_sees_an_overdue_report_marked(world, login, project):
    with at(date(2027, 4, 5)):
        html = _home(login, world.staff_a)
    section = html[html.index('id="todo-reports"') :]
    section = section[: section.index("</ul>")]
    assert f'<span class="badge text-bg-danger">{gettext("overdue")}</span>' in section


def test_staff_sees_orders_to_answer_of_their_park_only(world, login, actors_b, project):
    order = _order(world, project)
    _order(world, listed_project(actors_b))
    todo = construction_todo(user=world.staff_a, today=date.today())
    assert todo.orders_to_answer == [order]
    assert f'data-order="{order.pk}"' in _home(login, world.staff_a)


def test_staff_no_longer_sees_an_answered_order(world, project):
    order = _order(world, project)
    services.order_answer(by=world.staff_a, order=order, answer="已整改")
    assert construction_todo(user=world.staff_a, today=date.today()).orders_to_answer == []


# ---- city --------------------------------------------------------------------------------------


def test_city_is_asked_to_write_then_to_request_acceptance(world, login, actors_a):
    ended = project_in_self_assessment(actors_a)
    html = _home(login, world.reviewer_a)
    assert f'data-project="{ended.pk}"' in html
    assert reverse("evaluation:self-assessment", args=[ended.pk]) in html
    assert (
        construction_todo(user=world.reviewer_a, today=date.today())
        .self_assessments[0]
        .self_assessment_submitted
        is False
    )
    self_assessment_submitted(actors_a, ended)
    (item,) = construction_todo(user=world.reviewer_a, today=date.today()).self_assessments
    assert item.self_assessment_submitted is True
    assert construction_todo(user=world.reviewer_b, today=date.today()).is_empty


# ---- province ----------------------------------------------------------------------------------


def test_province_sees_answered_orders_to_close(world, login, project):
    issued = _order(world, project, "未答复")
    answered = _order(world, project, "已答复")
    services.order_answer(by=world.staff_a, order=answered, answer="已整改")
    todo = construction_todo(user=world.province, today=date.today())
    assert todo.orders_to_close == [answered]
    html = _home(login, world.province)
    assert f'data-order="{answered.pk}"' in html
    assert f'data-order="{issued.pk}"' not in html


def test_province_is_asked_for_experts_then_for_the_decision(world, login, actors_a):
    evaluation = evaluation_requested(actors_a)
    assert f'data-evaluation="{evaluation.pk}" data-needs="experts"' in _home(login, world.province)
    experts_reviewed(evaluation, world.province)
    assert f'data-evaluation="{evaluation.pk}" data-needs="decision"' in _home(login, world.province)


def test_expert_sees_assigned_reviews_until_submitted(world, login, actors_a):
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    review = evaluation.reviews.get()
    assert f'data-review="{review.pk}"' in _home(login, world.expert)
    review = declared(review)
    services.expert_review_submit(
        by=world.expert, review=review, scores=full_scores(), opinion="同意", recommends_acceptance=True
    )
    assert construction_todo(user=world.expert, today=date.today()).is_empty
    assert construction_todo(user=UserFactory(expert=True), today=date.today()).is_empty


@pytest.mark.parametrize("who", ["observer", "reviewer_b", "staff_b"])
def test_todo_is_empty_for_those_with_nothing_to_do(world, project, who):
    _order(world, project)
    assert construction_todo(user=world.users()[who], today=date.today()).is_empty


# ---- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_staff_construction_todo_query_count_is_constant(world, project, django_assert_num_queries, extra):
    for n in range(1 + extra):
        _order(world, project, f"整改{n}")
    # reports due, orders to answer
    with django_assert_num_queries(2):
        todo = construction_todo(user=world.staff_a, today=date(2027, 4, 5))
    assert (len(todo.reports), len(todo.orders_to_answer)) == (1, 1 + extra)


@pytest.mark.parametrize("extra", [0, 3])
def test_province_construction_todo_query_count_is_constant(world, project, django_assert_num_queries, extra):
    for n in range(1 + extra):
        services.order_answer(by=world.staff_a, order=_order(world, project, f"整改{n}"), answer="已整改")
    # the 督导 list's projects with no open order (none: the park's order is open, so the list's other
    # queries do not run); answered orders, overdue orders, extension requests, evaluations in review with
    # their review counts, accepted parks to recommend
    with django_assert_num_queries(6):
        todo = construction_todo(user=world.province, today=date.today())
    assert len(todo.orders_to_close) == 1 + extra


@pytest.mark.parametrize("extra", [0, 2])
def test_province_counts_the_parks_to_supervise_in_constant_queries(world, django_assert_num_queries, extra):
    for project in projects_listed(world, 1 + extra):
        report_year(project, User.objects.get(park=project.park), 2026, lagging=True)
    # the 督导 list (projects with their counts, late reports, submitted years, results, the scheme's
    # directions), then the five lists above
    with django_assert_num_queries(10):
        todo = construction_todo(user=world.province, today=date(2027, 2, 1))
    assert todo.to_supervise == 1 + extra


def test_province_is_pointed_to_the_parks_to_supervise_without_an_order(world, login, project):
    report_year(project, world.staff_a, 2026, lagging=True)
    client = login(world.province)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:home")).content.decode()
    section = html[html.index('id="todo-supervise"') :]
    assert f'href="{reverse("evaluation:supervision-list")}?order=none"' in section
    assert "1 park to supervise without an order" in section
    _order(world, project)
    assert construction_todo(user=world.province, today=date(2027, 2, 1)).to_supervise == 0
