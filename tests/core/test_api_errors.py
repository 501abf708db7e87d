"""Under /api/ every error answers the JSON error shape, a 404 and a 500 included; a page size that is
not a whole number from 1 to 200 is refused (issue 12, finding 10)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import include, path, reverse
from django.utils import translation
from rest_framework import serializers

from zcpark.core.api import error_paths


def _crash(request):
    raise RuntimeError("boom")


# A URLconf with one crashing API view beside the portal's own (handler500 is read from it).
urlpatterns = [path("api/v1/crash/", _crash), path("", include("zcpark.urls"))]
handler404 = "zcpark.core.views.not_found"
handler500 = "zcpark.core.views.server_error"


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.django_db
def test_an_unknown_page_answers_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.django_db
def test_a_crash_under_the_api_answers_json_500():
    response = Client(raise_request_exception=False).get("/api/v1/crash/")
    assert response.status_code == 500
    assert set(response.json()) == {"detail", "errors"} and "boom" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["null", "0", "201", "ten", "-1"])
def test_a_page_size_outside_1_to_200_is_refused(world, login, size):
    response = login(world.province).get(reverse("api-park-list"), {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


@pytest.mark.django_db
def test_a_page_size_within_range_pages(world, login):
    response = login(world.province).get(reverse("api-park-list"), {"page_size": "1"})
    assert response.status_code == 200 and len(response.json()["results"]) == 1


@pytest.mark.django_db
def test_the_api_docs_are_for_signed_in_users_when_not_public(world, login, settings):
    settings.API_DOCS_PUBLIC = False
    assert Client().get(reverse("api-schema")).status_code in (401, 403)
    assert Client().get(reverse("api-docs")).status_code in (401, 403)
    assert login(world.staff_a).get(reverse("api-schema")).status_code == 200
    settings.API_DOCS_PUBLIC = True
    assert Client().get(reverse("api-docs")).status_code == 200


# --- errors inside lists and nested objects are named by their path (issue 12, finding 10) ---------


class _ItemInput(serializers.Serializer):
    quantity = serializers.IntegerField(min_value=0)


class _BodyInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False)
    items = _ItemInput(many=True, allow_empty=False)
    scores = serializers.DictField(child=serializers.IntegerField())
    grid = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    place = _ItemInput()


def _paths(data: dict) -> dict[str, int]:
    serializer = _BodyInput(data=data)
    assert not serializer.is_valid()
    return {path: len(messages) for path, messages in error_paths(serializer.errors).items()}


def test_errors_inside_lists_and_objects_are_flat_paths_to_messages():
    body = {
        "ids": [1, 0, "x"],
        "items": [{"quantity": 1}, {}, {"quantity": -1}],
        "scores": {"core": "x", "3": "1"},
        "grid": [[1], [1, "b"]],
        "place": {"quantity": "a"},
    }
    assert _paths(body) == {
        "ids[1]": 1,
        "ids[2]": 1,
        "items[1].quantity": 1,
        "items[2].quantity": 1,
        "scores.core": 1,
        "grid[1][1]": 1,
        "place.quantity": 1,
    }


def test_a_nested_value_s_own_error_is_filed_under_its_path():
    body = {"ids": [], "items": [], "scores": [], "grid": "x", "place": 3}
    assert _paths(body) == {"ids": 1, "items": 1, "scores": 1, "grid": 1, "place": 1}


def test_a_list_of_items_errors_names_each_item():
    serializer = _ItemInput(data=[{"quantity": 1}, {"quantity": "x"}], many=True)
    assert not serializer.is_valid()
    assert list(error_paths(serializer.errors)) == ["[1].quantity"]
    assert error_paths(["A message."]) == {"non_field_errors": ["A message."]}


@pytest.mark.django_db
def test_the_api_answers_list_item_errors_by_path(world, login):
    response = login(world.province).post(
        reverse("api-construction-list-list"),
        {"title": "名单", "applications": [1, 0, "x"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"applications[1]", "applications[2]"}
    assert all(
        isinstance(messages, list) and all(isinstance(m, str) for m in messages)
        for messages in errors.values()
    )


@pytest.mark.django_db
def test_a_json_body_nested_too_deeply_answers_400_not_500(client):
    """Found by the probe: 100,000 nested arrays made the JSON parser recurse past Python's limit."""
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        assert response.json()["detail"] == translation.gettext("The JSON body is nested too deeply.")
