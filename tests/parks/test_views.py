from __future__ import annotations

import pytest
from django.urls import reverse

from parks.models import Role, User
from tests.parks.factories import ParkFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "marker"),
    [
        ("province", 'id="home-province"'),
        ("observer", 'id="home-province"'),
        ("reviewer_a", 'id="home-city"'),
        ("staff_a", 'id="home-park"'),
        ("expert", 'id="home-expert"'),
    ],
)
def test_home_shows_each_role_its_own_page(world, login, who, marker):
    html = login(world.users()[who]).get(reverse("portal:home")).content.decode()
    assert marker in html


def test_home_of_park_staff_names_its_park_only(world, login):
    html = login(world.staff_a).get(reverse("portal:home")).content.decode()
    assert world.park_a.name in html
    assert world.park_b.name not in html


def test_home_of_city_reviewer_counts_its_city_only(world, login):
    ParkFactory(zone=ZoneFactory(city=world.nanchang))
    response = login(world.reviewer_a).get(reverse("portal:home"))
    assert response.context["summary"].park_count == 2


def test_navigation_offers_user_management_to_the_province_only(world, login):
    assert reverse("parks:user-list") in login(world.province).get(reverse("portal:home")).content.decode()
    assert (
        reverse("parks:user-list") not in login(world.observer).get(reverse("portal:home")).content.decode()
    )


def test_park_list_filters_by_city_type_and_text(world, login):
    client = login(world.province)
    by_city = client.get(reverse("parks:park-list"), {"city": "360700"}).context["page"].object_list
    assert [p.name for p in by_city] == [world.park_b.name]
    by_text = client.get(reverse("parks:park-list"), {"q": "南昌"}).context["page"].object_list
    assert [p.name for p in by_text] == [world.park_a.name]


def test_park_list_answers_htmx_with_the_table_only(world, login):
    response = login(world.province).get(reverse("parks:park-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="parks"' in html
    assert "<html" not in html


def test_park_detail_shows_the_boundary_sketch_and_timeline(world, login):
    world.park_a.boundary_geojson = {
        "type": "Polygon",
        "coordinates": [[[115.8, 28.7], [115.9, 28.7], [115.9, 28.8], [115.8, 28.7]]],
    }
    world.park_a.save()
    html = login(world.staff_a).get(reverse("parks:park-detail", args=[world.park_a.pk])).content.decode()
    assert "<polygon" in html
    assert 'id="park-edit"' in html


def test_park_edit_form_shows_the_geojson_error_on_its_field(world, login):
    response = login(world.staff_a).post(
        reverse("parks:park-edit", args=[world.park_a.pk]),
        {"managing_body": "管委会", "boundary_geojson": '{"type": "Point", "coordinates": [115.8, 28.7]}'},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["boundary_geojson"]


def test_park_create_page_registers_a_park(world, login):
    zone = ZoneFactory(city=world.ganzhou)
    response = login(world.province).post(
        reverse("parks:park-create"),
        {
            "name": "赣州新园",
            "zone": zone.pk,
            "scope": "whole",
            "park_type": "chemical",
            "managing_body": "管委会",
        },
    )
    assert response.status_code == 302
    assert world.park_b.zone.city.zones.filter(parks__name="赣州新园").exists()


def test_user_create_page_creates_a_scoped_account(world, login):
    response = login(world.province).post(
        reverse("parks:user-create"),
        {
            "username": "new_staff",
            "first_name": "新",
            "role": Role.PARK_STAFF,
            "park": world.park_b.pk,
            "password": "a-long-passphrase-1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_staff")
    assert (user.role, user.park, user.check_password("a-long-passphrase-1")) == (
        "park_staff",
        world.park_b,
        True,
    )


def test_user_create_page_names_the_missing_scope(world, login):
    response = login(world.province).post(
        reverse("parks:user-create"),
        {"username": "x", "role": Role.CITY_REVIEWER, "password": "a-long-passphrase-1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["city"]
    assert not User.objects.filter(username="x").exists()


def test_user_edit_page_changes_role_and_drops_the_unused_binding(world, login):
    response = login(world.province).post(
        reverse("parks:user-edit", args=[world.staff_a.pk]), {"role": Role.OBSERVER, "park": world.park_a.pk}
    )
    assert response.status_code == 302
    world.staff_a.refresh_from_db()
    assert (world.staff_a.role, world.staff_a.park) == ("observer", None)


def test_user_deactivation_page_blocks_sign_in(world, login):
    login(world.province).post(reverse("parks:user-set-active", args=[world.staff_a.pk]), {"active": "0"})
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active is False


def test_user_set_password_page_reports_a_weak_password(world, login):
    client = login(world.province)
    response = client.post(
        reverse("parks:user-set-password", args=[world.staff_a.pk]), {"password": "123"}, follow=True
    )
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_user_list_filters_by_role_and_city(world, login):
    page = login(world.province).get(reverse("parks:user-list"), {"role": "park_staff", "city": "360100"})
    assert [u.username for u in page.context["page"].object_list] == ["staff_a"]


def test_park_timeline_shows_who_changed_what_in_chinese(world, login):
    from parks.services import park_update

    park_update(park=world.park_a, by=world.province, scope="park_in_park", boundary_text="东至甲路")
    html = login(world.staff_a).get(reverse("parks:park-detail", args=[world.park_a.pk])).content.decode()
    assert "园区信息已修改" in html
    assert "园区整体 → 园中园" in html
    assert "province" in html
