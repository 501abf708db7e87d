"""API tokens end: after API_TOKEN_TTL_DAYS, when the owner revokes them, at sign-out and at a password
change (issue 12, finding 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import PASSWORD
from tests.parks.factories import UserFactory
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _token(username: str = "alice") -> str:
    response = Client().post(reverse("api-token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def _parks(token: str) -> int:
    return Client().get(reverse("api-park-list"), HTTP_AUTHORIZATION=f"Token {token}").status_code


@pytest.fixture
def alice():
    return UserFactory(username="alice", province=True)


def test_a_token_expires_and_a_new_one_replaces_it(alice):
    token = _token()
    assert _parks(token) == 200
    with time_machine.travel(timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS + 1)):
        assert _parks(token) == 401
        fresh = _token()
        assert fresh != token and _parks(fresh) == 200


def test_the_owner_revokes_their_token(alice):
    token = _token()
    response = Client().delete(reverse("api-token"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204 and _parks(token) == 401
    assert AuditEvent.objects.filter(action="api_token_revoked", comment="revoked by its owner").exists()
    assert Client().delete(reverse("api-token")).status_code in (401, 403)


def test_signing_out_ends_the_token(alice):
    token = _token()
    client = Client()
    client.force_login(alice)
    client.post(reverse("logout"))
    assert _parks(token) == 401


def test_a_password_change_ends_the_token(alice):
    token = _token()
    client = Client()
    client.force_login(alice)
    new = "Qx7!mR2#vL9p-new"
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert _parks(token) == 401 and not Token.objects.filter(user=alice).exists()
