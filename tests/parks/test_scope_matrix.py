"""The role × scope matrix: every role against a park inside and outside its scope, on pages and API.

Outside the scope answers 404 (the park might as well not exist); inside the scope, an action the
role may not take answers 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from parks import permissions
from parks.models import Park
from parks.selectors import park_list_visible_to

# For park_a (in 南昌): expected status of the detail page, the edit page and the API detail.
PARK_A_MATRIX = {
    # user        detail  edit  api
    "province": (200, 200, 200),
    "observer": (200, 403, 200),
    "reviewer_a": (200, 403, 200),
    "staff_a": (200, 200, 200),
    "reviewer_b": (404, 404, 404),
    "staff_b": (404, 404, 404),
    "expert": (404, 404, 404),
}

VISIBLE = {
    "province": {"park_a", "park_b"},
    "observer": {"park_a", "park_b"},
    "reviewer_a": {"park_a"},
    "reviewer_b": {"park_b"},
    "staff_a": {"park_a"},
    "staff_b": {"park_b"},
    "expert": set(),
}


@pytest.mark.parametrize(("who", "expected"), PARK_A_MATRIX.items())
def test_park_detail_page_answers_by_scope(world, login, who, expected):
    response = login(world.users()[who]).get(reverse("parks:park-detail", args=[world.park_a.pk]))
    assert response.status_code == expected[0]


@pytest.mark.parametrize(("who", "expected"), PARK_A_MATRIX.items())
def test_park_edit_page_answers_by_scope_and_role(world, login, who, expected):
    response = login(world.users()[who]).get(reverse("parks:park-edit", args=[world.park_a.pk]))
    assert response.status_code == expected[1]


def park_form_data(park: Park, **overrides: str) -> dict[str, object]:
    data = {
        "name": park.name,
        "zone": park.zone_id,
        "scope": park.scope,
        "park_type": park.park_type,
        "managing_body": park.managing_body,
        "boundary_text": park.boundary_text,
        "boundary_geojson": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(("who", "expected"), PARK_A_MATRIX.items())
def test_park_edit_post_is_refused_like_the_page(world, login, who, expected):
    client = login(world.users()[who])
    data = park_form_data(world.park_a, managing_body="改名管委会")
    response = client.post(reverse("parks:park-edit", args=[world.park_a.pk]), data)
    world.park_a.refresh_from_db()
    if expected[1] == 200:
        assert response.status_code == 302
        assert world.park_a.managing_body == "改名管委会"
    else:
        assert response.status_code == expected[1]
        assert world.park_a.managing_body != "改名管委会"


@pytest.mark.parametrize(("who", "expected"), PARK_A_MATRIX.items())
def test_park_detail_api_answers_by_scope(world, login, who, expected):
    response = login(world.users()[who]).get(reverse("api-park-detail", args=[world.park_a.pk]))
    assert response.status_code == expected[2]
    if expected[2] == 404:
        assert response.json() == {"detail": response.json()["detail"], "errors": {}}


@pytest.mark.parametrize(("who", "visible"), VISIBLE.items())
def test_park_list_api_shows_exactly_the_scope(world, login, who, visible):
    response = login(world.users()[who]).get(reverse("api-park-list"))
    assert response.status_code == 200
    names = {p["name"] for p in response.json()["results"]}
    assert names == {getattr(world, key).name for key in visible}


@pytest.mark.parametrize(("who", "visible"), VISIBLE.items())
def test_park_list_page_shows_exactly_the_scope(world, login, who, visible):
    response = login(world.users()[who]).get(reverse("parks:park-list"))
    if not visible:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {park.name for park in response.context["page"].object_list}
    assert shown == {getattr(world, key).name for key in visible}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_can_view_park_agrees_with_the_list_filter(world, who):
    user = world.users()[who]
    for park in Park.objects.with_places():
        in_list = park_list_visible_to(user=user).filter(pk=park.pk).exists()
        assert permissions.can_view_park(user, park) is in_list


@pytest.mark.parametrize(
    "name", ["parks:park-list", "parks:park-create", "parks:user-list", "parks:user-create", "portal:home"]
)
def test_pages_send_anonymous_users_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["api-park-list"])
def test_api_refuses_anonymous_users(client, db, name):
    assert client.get(reverse(name)).status_code == 401


def test_api_detail_refuses_anonymous_users(world, client):
    assert client.get(reverse("api-park-detail", args=[world.park_a.pk])).status_code == 401


@pytest.mark.parametrize(
    ("who", "status"),
    [("province", 200), ("observer", 403), ("expert", 403), ("reviewer_a", 403), ("staff_a", 403)],
)
@pytest.mark.parametrize("name", ["parks:park-create", "parks:user-list", "parks:user-create"])
def test_province_only_pages_answer_403_to_other_roles(world, login, who, status, name):
    assert login(world.users()[who]).get(reverse(name)).status_code == status


@pytest.mark.parametrize(("who", "status"), [("province", 200), ("reviewer_a", 403), ("staff_a", 403)])
def test_user_edit_page_is_for_the_province(world, login, who, status):
    response = login(world.users()[who]).get(reverse("parks:user-edit", args=[world.staff_b.pk]))
    assert response.status_code == status


def test_staff_cannot_change_registration_fields_of_its_own_park(world, login):
    client = login(world.staff_a)
    response = client.post(
        reverse("parks:park-edit", args=[world.park_a.pk]),
        park_form_data(world.park_a, managing_body="管委会", park_type="chemical", name="改名"),
    )
    assert response.status_code == 302
    world.park_a.refresh_from_db()
    assert world.park_a.park_type == "non_chemical"
    assert world.park_a.name == "南昌测试园"


def test_inactive_user_sees_nothing(world):
    world.province.is_active = False
    assert not permissions.can_view_park(world.province, world.park_a)
    assert park_list_visible_to(user=world.province).count() == 0
