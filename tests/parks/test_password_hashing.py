"""Passwords are stored with Argon2; an account from before keeps signing in and is moved to Argon2."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from tests.conftest import PASSWORD
from tests.parks.factories import UserFactory
from zcpark.settings import base

pytestmark = pytest.mark.django_db


def test_argon2_is_the_hasher_new_passwords_get():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password(PASSWORD).startswith("argon2$argon2id$")


def test_a_pbkdf2_account_signs_in_and_is_rehashed_with_argon2(client):
    user = UserFactory(username="old-account")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        response = client.post("/accounts/login/", {"username": "old-account", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
