"""Account management edges: superusers out of reach, tokens ended, lockouts cleared, admin access."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from parks import services
from parks.models import Role, User
from tests.conftest import PASSWORD
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.cn", "root-pass-123456")


def test_superusers_are_invisible_to_province_admins(world, login, root):
    client = login(world.province)
    assert root not in client.get(reverse("parks:user-list")).context["page"].object_list
    assert client.get(reverse("parks:user-edit", args=[root.pk])).status_code == 404
    assert (
        client.post(reverse("parks:user-set-password", args=[root.pk]), {"password": "x" * 12}).status_code
        == 404
    )


def test_services_refuse_to_touch_a_superuser_for_a_province_admin(world, root):
    with pytest.raises(PermissionDenied):
        services.user_update(user=root, by=world.province, role=Role.OBSERVER)
    with pytest.raises(PermissionDenied):
        services.user_set_password(user=root, by=world.province, password="a-long-passphrase-9")


@pytest.mark.parametrize(
    "change",
    [
        lambda w: services.user_set_password(user=w.staff_a, by=w.province, password="a-long-passphrase-9"),
        lambda w: services.user_update(user=w.staff_a, by=w.province, role=Role.OBSERVER, park=None),
        lambda w: services.user_set_active(user=w.staff_a, by=w.province, active=False),
    ],
    ids=["password", "role", "deactivation"],
)
def test_account_changes_end_its_api_tokens(world, change):
    services.api_token_issue(user=world.staff_a, reason="test")
    change(world)
    assert not AuthToken.objects.filter(user=world.staff_a).exists()


def test_user_create_service_enforces_the_password_rules(world):
    with pytest.raises(ValidationError):
        services.user_create(by=world.province, username="weak", password="123", role=Role.OBSERVER)


def test_province_admins_get_staff_status_and_others_lose_it(world):
    admin = services.user_create(
        by=world.province, username="admin2", password=None, role=Role.PROVINCE_ADMIN
    )
    assert admin.is_staff is True
    services.user_update(user=admin, by=world.province, role=Role.OBSERVER)
    admin.refresh_from_db()
    assert admin.is_staff is False


def test_province_admin_maintains_reference_data_in_the_admin_with_an_audit_trail(world):
    admin = services.user_create(
        by=world.province, username="admin2", password=None, role=Role.PROVINCE_ADMIN
    )
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:parks_developmentzone_changelist")).status_code == 200
    assert client.get(reverse("admin:parks_user_changelist")).status_code == 403
    zone = world.park_a.zone
    response = client.post(
        reverse("admin:parks_developmentzone_change", args=[zone.pk]),
        {
            "name": zone.name,
            "city": zone.city_id,
            "level": "provincial",
            "kind": zone.kind,
            "catalog_code": "",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.for_object(zone).get()
    assert (event.actor, event.action, event.changes["level"]) == (
        admin,
        "admin_changed",
        ["national", "provincial"],
    )


def test_other_roles_never_enter_the_admin(world, login):
    assert login(world.reviewer_a).get(reverse("admin:index")).status_code == 302


def test_province_admin_clears_a_sign_in_lockout(world, login):
    anonymous = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        anonymous.post(reverse("login"), {"username": "staff_a", "password": "wrong"})
    assert anonymous.post(reverse("login"), {"username": "staff_a", "password": PASSWORD}).status_code == 429
    login(world.province).post(reverse("parks:user-unlock", args=[world.staff_a.pk]))
    assert anonymous.post(reverse("login"), {"username": "staff_a", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.for_object(world.staff_a).filter(action="user_unlocked").exists()


def test_park_list_varies_on_the_htmx_header(world, login):
    response = login(world.province).get(reverse("parks:park-list"))
    assert "HX-Request" in response["Vary"]
