"""The Django admin shows an integration platform's service user read-only: its park, role and rights
are what the platform's key reaches, and change only with the integration account (issue 15 review)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from parks.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(db) -> Client:
    root = User.objects.create_superuser("root", "root@example.cn", "root-pass-123456")
    client = Client()
    client.force_login(root)
    client.cookies["django_language"] = "en"
    return client


def test_a_superuser_cannot_edit_a_service_user_in_the_admin(world, root_client):
    account, _key = integration_account_create(
        by=world.province, name="p", park=world.park_a, scopes=[MachineScope.RESULTS_READ]
    )
    user = account.user
    url = reverse("admin:parks_user_change", args=[user.pk])
    page = root_client.get(url)
    assert page.status_code == 200  # seen, read-only
    assert b'name="_save"' not in page.content
    assert b'name="role"' not in page.content
    posted = root_client.post(
        url,
        {
            "username": user.username,
            "role": Role.PARK_STAFF,
            "park": world.park_b.pk,
            "is_superuser": "on",
            "is_active": "on",
        },
    )
    assert posted.status_code == 403
    password = root_client.get(reverse("admin:auth_user_password_change", args=[user.pk]))
    assert password.status_code == 403
    assert root_client.get(reverse("admin:parks_user_delete", args=[user.pk])).status_code == 403
    user.refresh_from_db()
    assert (user.park, user.role, user.is_superuser) == (world.park_a, Role.PARK_STAFF, False)


def test_people_stay_editable_in_the_admin(world, root_client):
    page = root_client.get(reverse("admin:parks_user_change", args=[world.staff_a.pk]))
    assert page.status_code == 200
    assert b'name="_save"' in page.content and b'name="role"' in page.content
