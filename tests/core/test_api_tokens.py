"""API tokens (issue 12, finding 4): knox's, kept as digests only; they end API_TOKEN_TTL_DAYS after their
issue, when their owner or the province revokes them, at sign-out and at any password change, and every
issue and end is audited. Who may list and revoke whose: tests/parks/test_tokens_scope.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from parks import services
from parks.models import Role
from tests.conftest import PASSWORD
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _issue(username: str) -> dict:
    response = Client().post(reverse("api-token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def _call(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def _parks(key: str):
    return _call(key).get(reverse("api-park-list"))


def _new_password(world, login, key, ref):
    client = login(world.staff_a)
    new = "Qx7!mR2#vL9p-new"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post(reverse("password_change"), data).status_code == 302


# How a token can end before its time, and the audit comment each end leaves.
ENDINGS: dict[str, tuple[Callable, str]] = {
    "owner_api": (
        lambda w, login, key, ref: _call(key).delete(reverse("api-token-detail", args=[ref])),
        "revoked by its owner",
    ),
    "owner_own_request": (
        lambda w, login, key, ref: _call(key).delete(reverse("api-token")),
        "revoked by its owner",
    ),
    "owner_page": (
        lambda w, login, key, ref: login(w.staff_a).post(reverse("parks:token-revoke", args=[ref])),
        "revoked by its owner",
    ),
    "province_api": (
        lambda w, login, key, ref: login(w.province).delete(reverse("api-token-detail", args=[ref])),
        "revoked by the province",
    ),
    "province_page": (
        lambda w, login, key, ref: login(w.province).post(reverse("parks:token-revoke", args=[ref])),
        "revoked by the province",
    ),
    "province_all": (
        lambda w, login, key, ref: login(w.province).post(
            reverse("parks:user-tokens-revoke", args=[w.staff_a.pk])
        ),
        "revoked by the province",
    ),
    "sign_out": (lambda w, login, key, ref: login(w.staff_a).post(reverse("logout")), "signed out"),
    "password_change": (_new_password, "password changed"),
    "password_set_by_province": (
        lambda w, login, key, ref: services.user_set_password(
            user=w.staff_a, by=w.province, password="a-long-passphrase-9"
        ),
        "password set",
    ),
    "role_change": (
        lambda w, login, key, ref: services.user_update(
            user=w.staff_a, by=w.province, role=Role.OBSERVER, park=None
        ),
        "role changed",
    ),
    "deactivation": (
        lambda w, login, key, ref: services.user_set_active(user=w.staff_a, by=w.province, active=False),
        "account deactivated",
    ),
}


def test_a_fresh_token_works_and_its_issue_is_audited(world):
    issued = _issue("staff_a")
    assert set(issued) == {"token", "expires", "id"}
    assert _parks(issued["token"]).status_code == 200
    event = AuditEvent.objects.get(action="api_token_issued")
    assert event.actor == world.staff_a and event.target_id == str(world.staff_a.pk)
    assert issued["id"] in event.comment and issued["token"] not in event.comment


@pytest.mark.parametrize("ending", ENDINGS, ids=list(ENDINGS))
def test_an_ended_token_is_refused_and_the_end_audited(world, login, ending):
    act, reason = ENDINGS[ending]
    issued, other = _issue("staff_a"), _issue("staff_b")
    response = act(world, login, issued["token"], issued["id"])
    assert getattr(response, "status_code", 204) in (204, 302)
    assert _parks(issued["token"]).status_code == 401
    assert not AuthToken.objects.filter(user=world.staff_a).exists()
    event = AuditEvent.objects.get(action="api_token_revoked")
    assert event.target_id == str(world.staff_a.pk) and event.comment == f"{reason}: {issued['id']}"
    assert _parks(other["token"]).status_code == 200  # nobody else's token ends with it


def test_an_expired_token_is_refused_with_its_own_message_and_a_new_one_works(world):
    issued = _issue("staff_a")
    later = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS, minutes=1)
    with time_machine.travel(later):
        response = _parks(issued["token"])
        assert response.status_code == 401
        assert response.json()["detail"] == "令牌已过期，请重新申请。"
        fresh = _issue("staff_a")
        assert _parks(fresh["token"]).status_code == 200
    # Asking again cleared the expired row; the expiry date the client was told was the real one.
    assert list(AuthToken.objects.filter(user=world.staff_a).values_list("token_key", flat=True)) == [
        fresh["token"][:15]
    ]


def test_a_token_still_works_just_before_its_expiry(world):
    issued = _issue("staff_a")
    with time_machine.travel(timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS, minutes=-1)):
        assert _parks(issued["token"]).status_code == 200


def test_a_made_up_or_malformed_token_is_refused(world):
    issued = _issue("staff_a")
    assert _parks(issued["token"][:-1] + ("0" if issued["token"][-1] != "0" else "1")).status_code == 401
    assert _parks("not-a-token").status_code == 401
    response = Client(HTTP_AUTHORIZATION="Token").get(reverse("api-park-list"))
    assert response.status_code == 401


def test_the_database_never_holds_the_key(world):
    keys = [_issue("staff_a")["token"] for _ in range(3)]
    rows = list(AuthToken.objects.values())
    assert len(rows) == 3
    for key in keys:
        assert all(key not in str(value) for row in rows for value in row.values())
    assert not AuditEvent.objects.filter(comment__contains=keys[0][15:]).exists()


def test_an_account_holds_a_few_tokens_at_most(world, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 2}
    first, second = _issue("staff_a"), _issue("staff_a")
    response = Client().post(reverse("api-token"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 400 and "token" not in response.json()
    assert "2" in response.json()["detail"]
    assert _parks(first["token"]).status_code == 200 and _parks(second["token"]).status_code == 200
    _call(first["token"]).delete(reverse("api-token"))
    assert _parks(_issue("staff_a")["token"]).status_code == 200


def test_the_default_cap_is_five(world):
    for _ in range(5):
        _issue("staff_a")
    response = Client().post(reverse("api-token"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 400 and AuthToken.objects.filter(user=world.staff_a).count() == 5


def test_revoking_one_token_keeps_the_owners_others(world):
    first, second = _issue("staff_a"), _issue("staff_a")
    assert _call(first["token"]).delete(reverse("api-token")).status_code == 204
    assert _parks(first["token"]).status_code == 401 and _parks(second["token"]).status_code == 200
    assert Client().delete(reverse("api-token")).status_code in (401, 403)


def test_the_token_request_answers_as_before(world):
    """Scripts written for the plain tokens keep working: same address, same fields, same header."""
    response = Client().post(
        reverse("api-token"),
        {"username": "staff_a", "password": PASSWORD},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200 and len(body["token"]) == 64
    expires = datetime.fromisoformat(body["expires"])
    assert abs(expires - timezone.now() - timedelta(days=settings.API_TOKEN_TTL_DAYS)) < timedelta(minutes=1)


def test_tokens_are_not_minted_in_the_django_admin():
    """Only the audited services issue tokens: knox's own admin (unaudited) is taken down."""
    from django.contrib import admin

    assert not admin.site.is_registered(AuthToken)
