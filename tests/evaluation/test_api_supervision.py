"""The 督导 and extension API's role × scope matrix (as tests/evaluation/test_api_scope.py): the list of parks
to supervise, the province's moves on an overdue order, and the extension request and its decision."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import ExtensionStatus, OrderStatus, ProjectStatus
from tests.evaluation.factories import (
    listed_project,
    order_overdue,
    project_in_self_assessment,
    report_year,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"
WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]
NOWHERE = (404,) * 8


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users = {**world.users(), "anonymous": None}
    return {who: login(users[who]) for who in WHO}


def table(*rows: tuple) -> dict[str, tuple]:
    assert [row[0] for row in rows] == WHO
    return {row[0]: tuple(row[1:]) for row in rows}


def walk(callers: dict[str, Client], columns: list[Any]) -> dict[str, tuple]:
    answers: dict[str, list[int]] = {who: [] for who in WHO}
    for column in columns:
        for who in WHO:
            answers[who].append(column(callers[who]).status_code)
    return {who: tuple(codes) for who, codes in answers.items()}


def post(name: str, *args: Any, data: Any = None) -> Any:
    return lambda client: client.post(reverse(name, args=args), data or {}, content_type=JSON)


def test_the_list_shows_what_each_caller_may_see(world, actors_a, actors_b, callers):
    lagging = listed_project(actors_a)
    report_year(lagging, world.staff_a, 2026, lagging=True)
    other = listed_project(actors_b)
    report_year(other, world.staff_b, 2026, lagging=True)
    expected = {
        "anonymous": 401,
        "province": {lagging.pk, other.pk},
        "observer": {lagging.pk, other.pk},
        "reviewer_a": {lagging.pk},
        "reviewer_b": {other.pk},
        "staff_a": 403,
        "staff_b": 403,
        "expert": 403,
    }
    for who, want in expected.items():
        response = callers[who].get(reverse("api-supervision-list"))
        if isinstance(want, int):
            assert response.status_code == want, who
            continue
        assert {row["project"] for row in response.json()} == want, who
    rows = callers["province"].get(reverse("api-supervision-list"), {"city": world.nanchang.code}).json()
    assert [(r["project"], r["core_year"], r["core_lagging"], r["open_orders"]) for r in rows] == [
        (lagging.pk, 2026, True, 0)
    ]
    assert rows[0]["core_value"] and isinstance(rows[0]["core_value"], str) and rows[0]["reasons"]


ORDER_MATRIX = table(
    # who         GET  remind  extend  escalate
    ("anonymous", 401, 401, 401, 401),
    ("province", 200, 200, 200, 400),  # extended: issued again, so no longer escalable
    ("observer", 200, 403, 403, 403),
    ("reviewer_a", 200, 403, 403, 403),
    ("reviewer_b", *NOWHERE[:4]),
    ("staff_a", 200, 403, 403, 403),
    ("staff_b", *NOWHERE[:4]),
    ("expert", *NOWHERE[:4]),
)


def test_the_overdue_order_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    order = order_overdue(listed_project(actors_a), world.province)
    new = (timezone.localdate() + timedelta(30)).isoformat()
    answers = walk(
        callers,
        [
            lambda c: c.get(reverse("api-order-detail", args=[order.pk])),
            post("api-order-reminder", order.pk),
            post(
                "api-order-transitions",
                order.pk,
                data={"action": "extend_deadline", "comment": "汛期影响", "deadline": new},
            ),
            post(
                "api-order-transitions",
                order.pk,
                data={"action": "escalate", "comment": "整改不到位", "document_no": "R9"},
            ),
        ],
    )
    assert answers == ORDER_MATRIX
    order.refresh_from_db()
    assert (order.status, order.deadline.isoformat()) == (OrderStatus.ISSUED, new)
    again = callers["province"].post(reverse("api-order-reminder", args=[order.pk]), content_type=JSON)
    assert again.status_code == 400  # not overdue any more


def test_escalating_through_the_api_removes_the_project(world, actors_a, callers):
    order = order_overdue(listed_project(actors_a), world.province)
    url = reverse("api-order-transitions", args=[order.pk])
    province = callers["province"]
    missing = province.post(url, {"action": "escalate", "comment": "整改不到位"}, content_type=JSON)
    assert missing.status_code == 400 and "document_no" in missing.json()["errors"]
    done = province.post(
        url, {"action": "escalate", "comment": "整改不到位", "document_no": "R9"}, content_type=JSON
    )
    assert done.status_code == 200 and done.json()["status"] == "escalated"
    order.project.refresh_from_db()
    assert order.project.status == ProjectStatus.REMOVED


EXTENSION_MATRIX = table(
    # who         list  request  decide
    ("anonymous", 401, 401, 401),
    ("province", 200, 403, 200),
    ("observer", 200, 403, 403),
    ("reviewer_a", 200, 201, 403),
    ("reviewer_b", *NOWHERE[:3]),
    ("staff_a", 200, 403, 403),
    ("staff_b", *NOWHERE[:3]),
    ("expert", *NOWHERE[:3]),
)


def test_the_extension_endpoints_answer_by_scope_and_role(world, actors_a, callers):
    project = project_in_self_assessment(actors_a, lagging=True)
    made: dict[str, int] = {}

    def request_it(client: Client) -> Any:
        response = client.post(
            reverse("api-project-extension-requests", args=[project.pk]),
            {"years": 1, "reason": "核心指标未达标"},
            content_type=JSON,
        )
        if response.status_code == 201:
            made["pk"] = response.json()["id"]
        return response

    def decide_it(client: Client) -> Any:
        return client.post(
            reverse("api-extension-decision", args=[made["pk"]]),
            {"action": "approve", "comment": "同意延期"},
            content_type=JSON,
        )

    answers = walk(
        callers,
        [
            lambda c: c.get(reverse("api-project-extension-requests", args=[project.pk])),
            request_it,
            decide_it,
        ],
    )
    assert answers == EXTENSION_MATRIX
    project.refresh_from_db()
    assert (project.status, project.final_year) == (ProjectStatus.IN_CONSTRUCTION, 2029)
    listed = callers["reviewer_a"].get(reverse("api-project-extension-requests", args=[project.pk])).json()
    assert [(r["status"], r["years"], r["decided_by"]) for r in listed] == [
        (ExtensionStatus.APPROVED, 1, "province")
    ]


def test_a_bad_extension_request_names_its_fields(world, actors_a, callers):
    project = project_in_self_assessment(actors_a, lagging=True)
    response = callers["reviewer_a"].post(
        reverse("api-project-extension-requests", args=[project.pk]), {"years": 5}, content_type=JSON
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"years", "reason"}
