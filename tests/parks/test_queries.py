"""Query-count tests: list pages and endpoints cost the same number of queries for 1 or 5 rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory


def _parks(world, n):
    for _ in range(n):
        ParkFactory(zone=ZoneFactory(city=world.nanchang))


@pytest.mark.parametrize("extra", [0, 4])
def test_park_list_page_query_count_is_constant(world, login, django_assert_num_queries, extra):
    _parks(world, extra)
    client = login(world.province)
    # session, user (with park/zone/city joined), unread notifications, count, page of parks (zone and
    # city joined), cities filter
    with django_assert_num_queries(6):
        response = client.get(reverse("parks:park-list"))
    assert len(response.context["page"].object_list) == 2 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_park_list_api_query_count_is_constant(world, login, django_assert_num_queries, extra):
    _parks(world, extra)
    client = login(world.reviewer_a)
    # session, user, count, page of parks (zone and city joined)
    with django_assert_num_queries(4):
        response = client.get(reverse("api-park-list"))
    assert response.json()["count"] == 1 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_user_list_page_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for i in range(extra):
        UserFactory(username=f"more{i}", staff=True, park=world.park_b)
    client = login(world.province)
    # session, user, unread notifications, count, page of users (park, zone, city joined), cities filter
    with django_assert_num_queries(6):
        client.get(reverse("parks:user-list"))


@pytest.mark.parametrize("extra", [0, 4])
def test_province_home_query_count_is_constant(world, login, django_assert_num_queries, extra):
    _parks(world, extra)
    client = login(world.province)
    client.get(reverse("portal:home"))  # warm the content-type cache (the questions' generic targets)
    # session, user, park count, zone count, active-user count, cities with annotated counts; the
    # province's to-do: recommended applications, approved ones on no list, lists ready to publish,
    # unanswered objections on notice, the application count by status, exemption claims to decide and
    # their count; construction: answered orders, overdue orders, extension requests, evaluations in
    # review, accepted parks to recommend nationally, and the 督导 list's projects with no open order (one
    # query while no project is under construction); city progress reports: the late ones; questions
    # waiting for an answer; unread notifications
    with django_assert_num_queries(22):
        client.get(reverse("portal:home"))
