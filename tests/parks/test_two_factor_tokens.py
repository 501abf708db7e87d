"""A token is a sign-in: an account that signs in with two factors gets a token only with its code."""

from __future__ import annotations

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tests.parks.two_factor_helpers import REQUIRED, code_for, enrol
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def _ask(client, user, **extra):
    return client.post(TOKEN_URL, {"username": user.username, "password": PASSWORD, **extra}, format="json")


def test_an_account_with_an_authenticator_needs_its_code_for_a_token(world, clock, settings):
    settings.TWO_FACTOR_ROLES = REQUIRED
    enrol(world.province, clock)
    client = APIClient()

    missing = _ask(client, world.province)
    assert missing.status_code == 400
    assert "otp" in str(missing.json())
    wrong = _ask(client, world.province, otp="000000")
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="two_factor_failed", target_id=world.province.pk).exists()
    assert not AuthToken.objects.filter(user=world.province).exists()

    clock.shift(60)  # past the wait a wrong code sets
    device = world.province.totpdevice_set.get()
    right = _ask(client, world.province, otp=code_for(device))
    assert right.status_code == 200, right.content
    assert AuthToken.objects.filter(user=world.province).count() == 1


def test_a_recovery_code_gets_a_token_once(world, clock):
    codes = enrol(world.reviewer_a, clock).recovery_codes
    client = APIClient()
    assert _ask(client, world.reviewer_a, otp=codes[0]).status_code == 200
    clock.shift(60)
    assert _ask(client, world.reviewer_a, otp=codes[0]).status_code == 400


def test_a_required_role_without_an_authenticator_gets_no_token(world, settings):
    settings.TWO_FACTOR_ROLES = REQUIRED
    response = _ask(APIClient(), world.reviewer_a, otp="123456")
    assert response.status_code == 400
    assert not AuthToken.objects.filter(user=world.reviewer_a).exists()


def test_accounts_without_two_factor_get_a_token_with_the_password_alone(world, settings):
    settings.TWO_FACTOR_ROLES = REQUIRED
    assert _ask(APIClient(), world.staff_a).status_code == 200
