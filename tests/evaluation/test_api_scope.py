"""The construction and acceptance API's role × scope matrix on park_a's project, and list query counts.

Outside the caller's scope the object does not exist (404); inside it, an action the role may not take
answers 403; the right role in the wrong state 400; without credentials DRF answers 401 (token
authentication comes first). Each matrix walks its columns in order over every caller on ONE object:
refusals change nothing, and only one caller per column succeeds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from applications import services as app_services
from applications.models import ApplicationStatus
from evaluation import services
from evaluation.models import ConstructionProject
from tests.applications.factories import application_in, pdf_file
from tests.evaluation.factories import (
    assigned_declared,
    evaluation_requested,
    full_scores,
    listed_project,
    project_in_self_assessment,
)
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
WHO = [
    "anonymous",
    "province",
    "observer",
    "reviewer_a",  # the park's city
    "reviewer_b",  # another city
    "staff_a",  # the park's own staff
    "staff_b",  # another park's staff
    "expert",  # assigned to the evaluation (in the evaluation matrix)
    "expert_other",  # assigned to nothing
]


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users = {
        **world.users(),
        "anonymous": None,
        "expert_other": UserFactory(username="expert_other", expert=True),
    }
    return {who: login(users[who]) for who in WHO}


def table(*rows: tuple) -> dict[str, tuple]:
    """(who, expected…) rows, checked to cover every caller once, in WHO's order."""
    assert [row[0] for row in rows] == WHO
    return {row[0]: tuple(row[1:]) for row in rows}


def walk(callers: dict[str, Client], columns: list[Any]) -> dict[str, tuple]:
    """Each column (a request made with a client) over every caller, column by column."""
    answers: dict[str, list[int]] = {who: [] for who in WHO}
    for column in columns:
        for who in WHO:
            answers[who].append(column(callers[who]).status_code)
    return {who: tuple(codes) for who, codes in answers.items()}


def post(name: str, *args: Any, data: Any = None) -> Any:
    return lambda client: client.post(reverse(name, args=args), data or {}, content_type=JSON)


def get(name: str, *args: Any) -> Any:
    return lambda client: client.get(reverse(name, args=args))


NOWHERE = (404,) * 8


# ---- a project under construction: reading it, reports, orders, incentives, removal ----------------

PROJECT_MATRIX = table(
    # who           GET  timeline PATCH-report submit-report POST-order POST-incentive removal
    ("anonymous", 401, 401, 401, 401, 401, 401, 401),
    ("province", 200, 200, 403, 403, 201, 201, 200),
    ("observer", 200, 200, 403, 403, 403, 403, 403),
    ("reviewer_a", 200, 200, 403, 403, 403, 403, 403),
    ("reviewer_b", *NOWHERE[:7]),
    ("staff_a", 200, 200, 200, 400, 403, 403, 403),  # submitting an incomplete report: 400
    ("staff_b", *NOWHERE[:7]),
    ("expert", *NOWHERE[:7]),
    ("expert_other", *NOWHERE[:7]),
)


def test_project_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    project = listed_project(actors_a)
    pk = project.pk
    answers = walk(
        callers,
        [
            get("api-project-detail", pk),
            get("api-project-timeline", pk),
            lambda c: c.patch(
                reverse("api-project-report-detail", args=[pk, 2026]),
                {"narrative": "进展"},
                content_type=JSON,
            ),
            post("api-project-report-submit", pk, 2026),
            post(
                "api-project-orders",
                pk,
                data={"title": "整改", "requirements": "补报数据", "deadline": "2099-01-01"},
            ),
            post(
                "api-project-incentives",
                pk,
                data={"granted_on": "2026-06-01", "description": "省级专项资金", "amount_wan": "100"},
            ),
            post("api-project-removal", pk, data={"reason": "未按期建设", "document_no": "R1"}),
        ],
    )
    assert answers == PROJECT_MATRIX
    project.refresh_from_db()
    assert project.status == "removed"


# ---- a rectification order: reading it, the park's answer, the province's close ----------------------

ORDER_MATRIX = table(
    # who           GET  answer close
    ("anonymous", 401, 401, 401),
    ("province", 200, 403, 200),
    ("observer", 200, 403, 403),
    ("reviewer_a", 200, 403, 403),
    ("reviewer_b", *NOWHERE[:3]),
    ("staff_a", 200, 200, 403),
    ("staff_b", *NOWHERE[:3]),
    ("expert", *NOWHERE[:3]),
    ("expert_other", *NOWHERE[:3]),
)


def test_order_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    answers = walk(
        callers,
        [
            get("api-order-detail", order.pk),
            post("api-order-transitions", order.pk, data={"action": "answer", "answer": "已补报"}),
            post("api-order-transitions", order.pk, data={"action": "close"}),
        ],
    )
    assert answers == ORDER_MATRIX
    order.refresh_from_db()
    assert order.status == "closed"


# ---- the self-assessment and the request for acceptance (the park's city) -----------------------------

SELF_ASSESSMENT_MATRIX = table(
    # who           GET  PATCH evidence submit acceptance-request
    ("anonymous", 401, 401, 401, 401, 401),
    ("province", 200, 403, 403, 403, 403),
    ("observer", 200, 403, 403, 403, 403),
    ("reviewer_a", 200, 200, 201, 200, 201),
    ("reviewer_b", *NOWHERE[:5]),
    ("staff_a", 200, 403, 403, 403, 403),
    ("staff_b", *NOWHERE[:5]),
    ("expert", *NOWHERE[:5]),
    ("expert_other", *NOWHERE[:5]),
)


def test_self_assessment_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    project = project_in_self_assessment(actors_a)
    pk = project.pk
    answers = walk(
        callers,
        [
            get("api-project-self-assessment", pk),
            lambda c: c.patch(
                reverse("api-project-self-assessment", args=[pk]),
                {"conclusion": "meets", "summary": "达到建设目标"},
                content_type=JSON,
            ),
            lambda c: c.post(reverse("api-project-evidence", args=[pk]), {"file": pdf_file()}),
            post("api-project-self-assessment-submit", pk),
            post("api-project-acceptance-request", pk),
        ],
    )
    assert answers == SELF_ASSESSMENT_MATRIX
    project.refresh_from_db()
    assert project.status == "acceptance_review"


# ---- an evaluation in review with ``expert`` assigned -------------------------------------------------

EVALUATION_MATRIX = table(
    # who           GET  report assign-experts review decision regenerate-report
    ("anonymous", 401, 401, 401, 401, 401, 401),
    ("province", 200, 200, 200, 403, 400, 202),  # deciding with one opinion in: 400
    ("observer", 200, 200, 403, 403, 403, 403),
    ("reviewer_a", 200, 200, 403, 403, 403, 403),
    ("reviewer_b", *NOWHERE[:6]),
    ("staff_a", 200, 200, 403, 403, 403, 403),
    ("staff_b", *NOWHERE[:6]),
    ("expert", 200, 200, 403, 200, 403, 403),
    ("expert_other", *NOWHERE[:6]),
)


def test_evaluation_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    evaluation = evaluation_requested(actors_a)
    assigned_declared(evaluation, world.province, [world.expert])
    third = UserFactory(expert=True)
    pk = evaluation.pk
    answers = walk(
        callers,
        [
            get("api-evaluation-detail", pk),
            get("api-evaluation-report", pk),
            post("api-evaluation-experts", pk, data={"experts": [third.pk]}),
            post(
                "api-evaluation-review",
                pk,
                data={"scores": full_scores(), "opinion": "同意", "recommends_acceptance": True},
            ),
            post(
                "api-evaluation-decision",
                pk,
                data={"decision": "accepted", "comment": "同意", "document_no": "D"},
            ),
            post("api-evaluation-report", pk),
        ],
    )
    assert answers == EVALUATION_MATRIX
    assert evaluation.reviews.filter(status="submitted").get().expert == world.expert


def test_expert_unassign_answers_403_to_the_city_and_204_to_the_province(world, actors_a, callers):
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    target = reverse("api-evaluation-expert-detail", args=[evaluation.pk, world.expert.pk])
    assert callers["reviewer_a"].delete(target).status_code == 403
    assert callers["reviewer_b"].delete(target).status_code == 404
    assert callers["province"].delete(target).status_code == 204
    assert not evaluation.reviews.exists()


# ---- lists: what each caller sees ----------------------------------------------------------------------

PROJECTS_VISIBLE = {
    "anonymous": 401,
    "province": {"a", "b"},
    "observer": {"a", "b"},
    "reviewer_a": {"a"},
    "reviewer_b": {"b"},
    "staff_a": {"a"},
    "staff_b": {"b"},
    "expert": 403,  # experts see evaluations only
    "expert_other": 403,
}


def test_project_list_shows_what_each_caller_may_see(world, actors_a, actors_b, callers):
    projects = {"a": listed_project(actors_a), "b": listed_project(actors_b)}
    for who, expected in PROJECTS_VISIBLE.items():
        response = callers[who].get(reverse("api-project-list"))
        if isinstance(expected, int):
            assert response.status_code == expected, who
        else:
            ids = {item["id"] for item in response.json()["results"]}
            assert ids == {projects[name].pk for name in expected}, who


EVALUATIONS_VISIBLE = {
    "anonymous": 401,
    "province": {"a"},
    "observer": {"a"},
    "reviewer_a": {"a"},
    "reviewer_b": set(),
    "staff_a": {"a"},
    "staff_b": set(),
    "expert": {"a"},
    "expert_other": set(),
}


def test_evaluation_list_shows_what_each_caller_may_see(world, actors_a, callers):
    evaluations = {"a": evaluation_requested(actors_a)}
    services.experts_assign(by=world.province, evaluation=evaluations["a"], experts=[world.expert])
    for who, expected in EVALUATIONS_VISIBLE.items():
        response = callers[who].get(reverse("api-evaluation-list"))
        if isinstance(expected, int):
            assert response.status_code == expected, who
        else:
            ids = {item["id"] for item in response.json()["results"]}
            assert ids == {evaluations[name].pk for name in expected}, who


# ---- query counts: constant in the number of rows ---------------------------------------------------------


def projects_opened(world, count: int) -> list[ConstructionProject]:
    """``count`` parks of 南昌 approved and published on one list, through the services."""
    ids = []
    for _ in range(count):
        staff = UserFactory(staff=True, park=ParkFactory(zone=ZoneFactory(city=world.nanchang)))
        actors = {"staff": staff, "reviewer": world.reviewer_a, "province": world.province}
        ids.append(application_in(ApplicationStatus.APPROVED, actors=actors).pk)
    the_list = app_services.construction_list_create(by=world.province, title="名单", application_ids=ids)
    app_services.construction_list_transition(
        by=world.province, construction_list=the_list, action="notice", objection_deadline=date.today()
    )
    app_services.construction_list_transition(by=world.province, construction_list=the_list, action="publish")
    return list(ConstructionProject.objects.filter(application_id__in=ids))


@pytest.mark.parametrize("extra", [0, 4])
def test_project_list_query_count_is_constant(world, callers, django_assert_num_queries, extra):
    projects = projects_opened(world, 1 + extra)
    services.order_issue(
        by=world.province, project=projects[0], title="整改", requirements="补报", deadline=date(2099, 1, 1)
    )
    client = callers["province"]
    # session, user, count, page of projects (park, zone and city joined; open orders counted)
    with django_assert_num_queries(4):
        response = client.get(reverse("api-project-list"))
    assert response.json()["count"] == 1 + extra
    assert sorted(item["open_orders"] for item in response.json()["results"])[-1] == 1


@pytest.mark.parametrize("extra", [0, 4])
def test_evaluation_list_query_count_is_constant(world, callers, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        staff = UserFactory(staff=True, park=ParkFactory(zone=ZoneFactory(city=world.nanchang)))
        evaluation = evaluation_requested(
            {"staff": staff, "reviewer": world.reviewer_a, "province": world.province}
        )
        services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    client = callers["province"]
    # session, user, count, page of evaluations (project, park, zone and city joined), their reviews
    with django_assert_num_queries(5):
        response = client.get(reverse("api-evaluation-list"))
    assert response.json()["count"] == 1 + extra
    assert {item["experts_assigned"] for item in response.json()["results"]} == {1}
