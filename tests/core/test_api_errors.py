"""Under /api/ every error answers the JSON error shape, a 404 and a 500 included; a page size that is
not a whole number from 1 to 200 is refused (issue 12, finding 10)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import include, path, reverse


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
