"""The exemption claims' role × scope matrix, on the pages and in the API, on park_a's dossier.

Outside the caller's scope the dossier does not exist (404); inside it, a move the role may not take is 403;
the right person at the wrong moment 400 (the page says why and keeps the state). Each column runs over every
caller in order on ONE claim, so only one caller per column moves it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import ApplicationStatus
from tests.applications.exemption_helpers import claimed, decide
from tests.parks.factories import UserFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"
WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users: dict[str, Any] = {**world.users(), "anonymous": None}
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


def api_move(pk: int, claim: int, action: str) -> Any:
    url = reverse("api-application-exemption-transitions", args=[pk, claim])
    return lambda c: c.post(url, {"action": action, "comment": "意见"}, content_type=JSON)


def page_move(pk: int, claim: int, action: str) -> Any:
    url = reverse("applications:exemption-transition", args=[pk, claim])
    return lambda c: c.post(url, {"action": action, "comment": "意见"})


def reads(pk: int) -> list[Any]:
    page = reverse("applications:application-detail", args=[pk])
    api = reverse("api-application-exemptions", args=[pk])
    return [lambda c: c.get(page), lambda c: c.get(api)]


CITY_STAGE = table(
    # who          page  API-list  API-agree  page-disagree  API-agree-again
    ("anonymous", 302, 401, 401, 302, 401),
    ("province", 200, 200, 403, 403, 403),
    ("observer", 200, 200, 403, 403, 403),
    ("reviewer_a", 200, 200, 200, 302, 400),
    ("reviewer_b", 404, 404, 404, 404, 404),
    ("staff_a", 200, 200, 403, 403, 403),
    ("staff_b", 404, 404, 404, 404, 404),
    ("expert", 404, 404, 404, 404, 404),  # experts see no dossier
)

PROVINCE_STAGE = table(
    # who          API-accept  page-reject  API-reject-again
    ("anonymous", 401, 302, 401),
    ("province", 200, 302, 400),
    ("observer", 403, 403, 403),
    ("reviewer_a", 403, 403, 403),
    ("reviewer_b", 404, 404, 404),
    ("staff_a", 403, 403, 403),
    ("staff_b", 404, 404, 404),
    ("expert", 404, 404, 404),
)


def test_the_city_stage_answers_by_role_and_scope(world, actors_a, callers):
    application = claimed(actors_a, "clean_transport_share", "green_buildings")
    first, second = application.exemption_claims.order_by("indicator")
    pk = application.pk
    answers = walk(
        callers,
        [
            *reads(pk),
            api_move(pk, first.pk, "city_agree"),
            page_move(pk, second.pk, "city_disagree"),
            api_move(pk, first.pk, "city_agree"),
        ],
    )
    assert answers == CITY_STAGE
    assert dict(application.exemption_claims.values_list("indicator", "city_agrees")) == {
        "clean_transport_share": True,
        "green_buildings": False,
    }


def test_the_province_stage_answers_by_role_and_scope(world, actors_a, callers):
    application = claimed(actors_a, "clean_transport_share", "green_buildings")
    decide(application, world.reviewer_a, "city_agree")
    application = services.application_transition(
        by=world.reviewer_a, application=application, action="recommend", comment="推荐"
    )
    assert application.status == ApplicationStatus.RECOMMENDED
    first, second = application.exemption_claims.order_by("indicator")
    pk = application.pk
    answers = walk(
        callers,
        [
            api_move(pk, first.pk, "accept"),
            page_move(pk, second.pk, "reject"),
            api_move(pk, first.pk, "reject"),
        ],
    )
    assert answers == PROVINCE_STAGE
    assert dict(application.exemption_claims.values_list("indicator", "status")) == {
        "clean_transport_share": "granted",
        "green_buildings": "refused",
    }


def test_the_page_shows_the_claim_and_the_callers_actions(world, actors_a, login):
    application = claimed(actors_a)
    url = reverse("applications:application-detail", args=[application.pk])
    city = login(world.reviewer_a).get(url).content.decode()
    assert 'id="exemptions"' in city and 'data-action="city_agree"' in city
    park = login(world.staff_a).get(url).content.decode()
    assert 'id="exemptions"' in park and 'data-action="city_agree"' not in park
    other_expert = UserFactory(expert=True)
    assert login(other_expert).get(url).status_code == 404
