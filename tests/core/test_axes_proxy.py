"""Sign-in lockout behind the reverse proxy: it hits the client who failed, whatever that client
writes into X-Forwarded-For (issue 12). The proxy appends the address it saw to the header, so each
client below is given the header the proxy would pass on: what the client sent, then its address."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.throttling import BaseThrottle

from tests.conftest import PASSWORD
from tests.parks.factories import UserFactory

PROXY = "172.18.0.2"  # the reverse proxy, as the app sees it (REMOTE_ADDR)
ALICE_AT = "203.0.113.10"
ATTACKER_AT = "198.51.100.66"


def _behind_proxy(address: str, *, sent: str = "") -> Client:
    """A client at ``address`` whose requests the proxy passes on, after the header it ``sent``."""
    forwarded = f"{sent}, {address}" if sent else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _fail(client: Client, username: str = "alice") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": username, "password": "wrong-password"})


def _sign_in(client: Client, username: str = "alice") -> int:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", province=True)


@pytest.fixture
def one_proxy(settings):
    settings.REVERSE_PROXY_COUNT = 1


@pytest.mark.usefixtures("one_proxy")
def test_behind_one_proxy_only_the_failing_client_is_locked(alice):
    _fail(_behind_proxy(ATTACKER_AT))
    assert _sign_in(_behind_proxy(ATTACKER_AT)) == 429
    assert _sign_in(_behind_proxy(ALICE_AT)) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER_AT}


@pytest.mark.usefixtures("one_proxy")
@pytest.mark.parametrize(
    "sent",
    [
        ALICE_AT,  # the victim's address, as if a proxy had written it
        f"{ALICE_AT}, {ALICE_AT}",
        f'{ALICE_AT}, "',  # an unclosed quote, to swallow the entry the proxy appends
        f"{ALICE_AT}, not-an-address",
        "unknown",
    ],
)
def test_a_spoofed_header_cannot_choose_whom_lockout_hits(alice, sent):
    _fail(_behind_proxy(ATTACKER_AT, sent=sent))
    assert _sign_in(_behind_proxy(ALICE_AT)) == 302
    assert _sign_in(_behind_proxy(ATTACKER_AT, sent=sent)) == 429
    assert _sign_in(_behind_proxy(ATTACKER_AT)) == 429  # nor dodge its own lockout by dropping it


def test_without_a_proxy_the_header_is_ignored(alice):
    assert settings.REVERSE_PROXY_COUNT == 0  # the default
    _fail(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=ALICE_AT))
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9")) == 429
    assert _sign_in(Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ALICE_AT)) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.10", PROXY),
        (1, "203.0.113.10", "203.0.113.10"),
        (1, " 198.51.100.1 ,203.0.113.10 ", "203.0.113.10"),
        (2, "198.51.100.1, 203.0.113.10, 10.1.0.5", "203.0.113.10"),
        (2, "203.0.113.10", PROXY),  # fewer entries than proxies: not through all of them
        (1, "", PROXY),
        (1, "198.51.100.1, 203.0.113.10:443", PROXY),  # not an address a proxy writes
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_lockout_and_throttling_name_the_same_client(settings, proxies, forwarded, expected):
    settings.REVERSE_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert get_client_ip_address(request) == expected
    if expected != PROXY or not proxies:  # DRF trusts a short or malformed header; lockout does not
        assert BaseThrottle().get_ident(request) == expected
