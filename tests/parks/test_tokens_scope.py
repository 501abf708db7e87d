"""Who sees and ends whose API tokens: everyone their own; the province any account it manages; anybody
else's answers 404 (nobody learns whether another account holds tokens). The API and the pages agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from parks import services
from parks.authentication import token_ref
from parks.models import User

pytestmark = pytest.mark.django_db


def _issue(user: User) -> tuple[str, str]:
    """A token of ``user``: (its id, its key)."""
    token, key = services.api_token_issue(user=user, reason="test")
    return token_ref(token), key


def _works(key: str) -> bool:
    return Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-park-list")).status_code == 200


def test_the_owner_lists_only_its_own_tokens_and_never_a_key(world, login):
    mine = {_issue(world.staff_a)[0] for _ in range(2)}
    _issue(world.staff_b)
    rows = login(world.staff_a).get(reverse("api-token-list")).json()["results"]
    assert {row["id"] for row in rows} == mine
    assert {row["user"] for row in rows} == {"staff_a"}
    assert set(rows[0]) == {"id", "hint", "user", "created", "expires"}


def test_the_owner_lists_with_its_token_too(world):
    ref, key = _issue(world.staff_a)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api-token-list"))
    assert [row["id"] for row in response.json()["results"]] == [ref]
    assert response.json()["results"][0]["hint"] == key[:8] + "…"


def test_another_parks_staff_gets_404_on_someones_token(world, login):
    ref, key = _issue(world.staff_a)
    other = login(world.staff_b)
    assert other.get(reverse("api-token-detail", args=[ref])).status_code == 404
    assert other.delete(reverse("api-token-detail", args=[ref])).status_code == 404
    assert other.post(reverse("parks:token-revoke", args=[ref])).status_code == 404
    assert _works(key)


@pytest.mark.parametrize("name", ["reviewer_a", "staff_b", "observer", "expert"])
def test_nobody_but_the_province_lists_or_ends_anothers_tokens(world, login, name):
    ref, key = _issue(world.staff_a)
    client = login(getattr(world, name))
    assert client.get(reverse("api-token-list"), {"user": world.staff_a.pk}).status_code == 404
    assert client.delete(reverse("api-token-list") + f"?user={world.staff_a.pk}").status_code == 404
    assert client.get(reverse("parks:user-tokens", args=[world.staff_a.pk])).status_code == 404
    assert client.post(reverse("parks:user-tokens-revoke", args=[world.staff_a.pk])).status_code == 404
    assert client.delete(reverse("api-token-detail", args=[ref])).status_code == 404
    assert _works(key)


def test_the_province_lists_and_ends_any_accounts_tokens(world, login):
    refs = {_issue(world.staff_a)[0] for _ in range(2)}
    _ref, other_key = _issue(world.reviewer_b)
    client = login(world.province)
    rows = client.get(reverse("api-token-list"), {"user": world.staff_a.pk}).json()["results"]
    assert {row["id"] for row in rows} == refs
    assert client.get(reverse("api-token-list")).json()["results"] == []  # its own: none
    assert client.delete(reverse("api-token-list") + f"?user={world.staff_a.pk}").status_code == 204
    assert not AuthToken.objects.filter(user=world.staff_a).exists() and _works(other_key)


def test_a_superusers_tokens_are_out_of_the_provinces_reach(world, login):
    root = User.objects.create_superuser("root", "root@example.cn", "root-pass-123456")
    ref, key = _issue(root)
    client = login(world.province)
    assert client.get(reverse("api-token-list"), {"user": root.pk}).status_code == 404
    assert client.delete(reverse("api-token-detail", args=[ref])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=AuthToken.objects.get(user=root), by=world.province)
    assert _works(key)


def test_services_refuse_to_end_someone_elses_token(world):
    _issue(world.staff_a)
    token = AuthToken.objects.get(user=world.staff_a)
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, by=world.staff_b)
    with pytest.raises(PermissionDenied):
        services.api_tokens_revoke(user=world.staff_a, by=world.reviewer_a)
    assert AuthToken.objects.filter(user=world.staff_a).exists()


@pytest.mark.parametrize("ref", ["0" * 15, "g" * 16, "0" * 17])
def test_a_malformed_reference_or_owner_answers_404(world, login, ref):
    client = login(world.province)
    assert client.get(reverse("api-token-detail", args=[ref])).status_code == 404
    assert client.get(reverse("api-token-list"), {"user": "abc"}).status_code == 404


def test_expired_tokens_are_not_listed(world, login):
    _issue(world.staff_a)
    with time_machine.travel(timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS + 1)):
        assert login(world.staff_a).get(reverse("api-token-list")).json()["results"] == []


def test_the_tokens_page_shows_a_new_key_once(world, login):
    client = login(world.staff_a)
    response = client.post(reverse("parks:tokens"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key and key in response.content.decode() and _works(key)
    page = client.get(reverse("parks:tokens")).content.decode()
    assert key not in page and key[:8] in page


def test_the_tokens_page_tells_when_the_cap_is_reached(world, login, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 1}
    client = login(world.staff_a)
    client.post(reverse("parks:tokens"))
    response = client.post(reverse("parks:tokens"), follow=True)
    assert not response.context["new_key"] and AuthToken.objects.filter(user=world.staff_a).count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_owner_revokes_all_from_the_page(world, login):
    keys = [_issue(world.staff_a)[1] for _ in range(3)]
    response = login(world.staff_a).post(reverse("parks:tokens-revoke"))
    assert response.status_code == 302 and response.url == reverse("parks:tokens")
    assert not any(_works(key) for key in keys)


def test_the_province_sees_an_accounts_tokens_from_its_page(world, login):
    ref, key = _issue(world.staff_a)
    client = login(world.province)
    edit = client.get(reverse("parks:user-edit", args=[world.staff_a.pk])).content.decode()
    assert reverse("parks:user-tokens", args=[world.staff_a.pk]) in edit
    page = client.get(reverse("parks:user-tokens", args=[world.staff_a.pk]))
    assert page.status_code == 200 and key[:8] in page.content.decode()
    assert reverse("parks:token-revoke", args=[ref]) in page.content.decode()
    response = client.post(reverse("parks:token-revoke", args=[ref]))
    assert response.url == reverse("parks:user-tokens", args=[world.staff_a.pk]) and not _works(key)


def test_the_password_page_leads_to_the_tokens_page(world, login):
    client = login(world.staff_a)
    assert reverse("parks:tokens") in client.get(reverse("password_change")).content.decode()
    assert client.get(reverse("parks:tokens")).status_code == 200
