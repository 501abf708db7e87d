"""Headers every answer carries: no powerful browser feature for any page, and a signed-in user's pages
never stored by a browser or proxy (issue 12, finding 9)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_not_stored_and_asks_for_no_powerful_feature(world, login):
    response = login(world.staff_a).get(reverse("portal:home"))
    assert response["Cache-Control"] == "no-store, private"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )


def test_a_public_page_may_be_cached_but_still_asks_for_no_powerful_feature(world):
    response = Client().get(reverse("applications:public-lists"))
    assert "no-store" not in response.get("Cache-Control", "")
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_api_answers_signed_in_users_with_no_store(world, login):
    response = login(world.province).get(reverse("api-park-list"))
    assert response["Cache-Control"] == "no-store, private"
