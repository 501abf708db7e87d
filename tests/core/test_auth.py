"""Signing in: the Chinese login page, lockout per user and address, session expiry, API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.parks.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "江西省零碳园区" in html


def test_login_page_stays_chinese_for_a_browser_asking_for_english(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in html


def test_login_page_switches_to_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login")).content.decode()
    assert "Sign in" in html


def test_login_redirects_to_home_when_credentials_are_right(client):
    UserFactory(username="alice", province=True)
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("portal:home")


def test_login_locks_the_user_out_after_repeated_failures(client):
    UserFactory(username="alice", province=True)
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()


def test_lockout_of_one_user_does_not_lock_out_others_from_the_same_address(client):
    UserFactory(username="alice", province=True)
    UserFactory(username="bob", province=True)
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


def test_lockout_does_not_follow_the_user_to_another_address():
    UserFactory(username="alice", province=True)
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "alice", settings.AXES_FAILURE_LIMIT)
    response = Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("login"), {"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off_time(client):
    UserFactory(username="alice", province=True)
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_an_attempt_during_the_lockout_does_not_restart_it(client):
    UserFactory(username="alice", province=True)
    _fail(client, "alice", settings.AXES_FAILURE_LIMIT)
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=10)):
        assert client.post(reverse("login"), {"username": "alice", "password": "wrong"}).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302


def test_session_expires_after_the_configured_age(client):
    UserFactory(username="alice", province=True)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert client.get(reverse("portal:home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_ends_the_session(client):
    client.force_login(UserFactory(username="alice", province=True))
    client.post(reverse("logout"))
    assert client.get(reverse("portal:home")).status_code == 302


def test_password_change_page_changes_the_password(client):
    user = UserFactory(username="alice", province=True)
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_api_token_is_issued_for_right_credentials(client):
    UserFactory(username="alice", province=True)
    response = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    parks = Client().get(reverse("api-park-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert parks.status_code == 200


def test_api_token_refuses_wrong_credentials_with_the_error_format(client):
    UserFactory(username="alice", province=True)
    response = client.post(reverse("api-token"), {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert response.json()["errors"]["non_field_errors"]


def test_api_token_is_refused_while_the_user_is_locked_out(client):
    UserFactory(username="alice", province=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("api-token"), {"username": "alice", "password": "nope"})
    response = client.post(reverse("api-token"), {"username": "alice", "password": PASSWORD})
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.json()
