from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parks import services
from parks.models import ParkScope, Role
from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_park_create_records_an_audit_event(world):
    park = services.park_create(
        by=world.province,
        name="新园",
        zone=ZoneFactory(city=world.nanchang),
        park_type="chemical",
        managing_body="管委会",
    )
    event = AuditEvent.objects.for_object(park).get()
    assert (event.actor, event.action, event.to_state) == (world.province, "park_created", "whole")


def test_park_create_rejects_park_in_park_without_four_borders(world):
    with pytest.raises(ValidationError) as exc:
        services.park_create(
            by=world.province,
            name="园中园",
            zone=world.park_a.zone,
            scope=ParkScope.PARK_IN_PARK,
            park_type="chemical",
            managing_body="管委会",
        )
    assert "four borders" in str(exc.value) or "四至" in str(exc.value)


def test_park_create_rejects_a_second_whole_park_in_one_zone(world):
    with pytest.raises(ValidationError):
        services.park_create(
            by=world.province,
            name="另一个",
            zone=world.park_a.zone,
            park_type="chemical",
            managing_body="管委会",
        )


def test_park_create_rejects_an_invalid_boundary_polygon_and_saves_nothing(world):
    bad = {"type": "Polygon", "coordinates": [[[115.8, 28.7], [115.9, 28.7], [115.9, 28.8], [115.8, 28.8]]]}
    with pytest.raises(ValidationError) as exc:
        services.park_create(
            by=world.province,
            name="坏边界",
            zone=ZoneFactory(city=world.nanchang),
            park_type="chemical",
            managing_body="管委会",
            boundary_geojson=bad,
        )
    assert "boundary_geojson" in exc.value.message_dict
    assert not AuditEvent.objects.filter(action="park_created").exists()


def test_park_create_is_refused_to_non_province_users(world):
    with pytest.raises(PermissionDenied):
        services.park_create(
            by=world.reviewer_a, name="x", zone=world.park_a.zone, park_type="chemical", managing_body="m"
        )


def test_park_update_records_each_changed_field(world):
    services.park_update(park=world.park_a, by=world.staff_a, managing_body="新管委会", contact_name="王")
    event = AuditEvent.objects.for_object(world.park_a).get()
    assert event.changes["managing_body"][1] == "新管委会"
    assert event.changes["contact_name"] == ["", "王"]


def test_park_update_without_changes_writes_no_event(world):
    services.park_update(park=world.park_a, by=world.staff_a, managing_body=world.park_a.managing_body)
    assert not AuditEvent.objects.for_object(world.park_a).exists()


def test_park_update_scope_change_is_recorded_from_and_to(world):
    services.park_update(
        park=world.park_a, by=world.province, scope=ParkScope.PARK_IN_PARK, boundary_text="东至…"
    )
    event = AuditEvent.objects.for_object(world.park_a).get()
    assert (event.from_state, event.to_state) == ("whole", "park_in_park")


def test_park_update_refuses_registration_fields_to_park_staff(world):
    with pytest.raises(PermissionDenied):
        services.park_update(park=world.park_a, by=world.staff_a, park_type="chemical")


def test_park_update_refuses_staff_of_another_park(world):
    with pytest.raises(PermissionDenied):
        services.park_update(park=world.park_a, by=world.staff_b, managing_body="x")


def test_user_create_requires_the_scope_its_role_needs(world):
    with pytest.raises(ValidationError):
        services.user_create(by=world.province, username="nopark", password="x", role=Role.PARK_STAFF)
    with pytest.raises(ValidationError):
        services.user_create(
            by=world.province, username="both", password="x", role=Role.OBSERVER, city=world.nanchang
        )


def test_user_update_role_change_is_recorded_from_and_to(world):
    services.user_update(user=world.observer, by=world.province, role=Role.CITY_REVIEWER, city=world.ganzhou)
    event = AuditEvent.objects.for_object(world.observer).get()
    assert (event.from_state, event.to_state) == ("observer", "city_reviewer")


def test_user_set_active_refuses_to_deactivate_oneself(world):
    with pytest.raises(ValidationError):
        services.user_set_active(user=world.province, by=world.province, active=False)


def test_user_set_active_deactivates_and_records(world):
    services.user_set_active(user=world.staff_a, by=world.province, active=False, comment="离职")
    world.staff_a.refresh_from_db()
    assert world.staff_a.is_active is False
    assert AuditEvent.objects.for_object(world.staff_a).get().comment == "离职"


def test_user_set_password_enforces_the_password_rules(world):
    with pytest.raises(ValidationError):
        services.user_set_password(user=world.staff_a, by=world.province, password="12345")


def test_user_services_are_refused_to_non_province_users(world):
    with pytest.raises(PermissionDenied):
        services.user_update(user=world.staff_a, by=world.reviewer_a, first_name="x")


def test_cities_load_is_idempotent_and_loads_eleven_cities(db):
    assert services.cities_load() == 11
    assert services.cities_load() == 11
    from parks.models import City

    assert City.objects.count() == 11
    assert City.objects.get(code="360700").name == "赣州市"


def test_factories_build_valid_objects(db):
    park = ParkFactory(park_in_park=True, zone=ZoneFactory(city=CityFactory()))
    park.full_clean()
    UserFactory(staff=True, park=park).full_clean(exclude=["password"])
