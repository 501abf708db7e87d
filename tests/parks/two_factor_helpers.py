"""Shared by the two-factor tests: codes from a device's secret, enrolled accounts, the password step.
(The fixtures ``clock`` and ``required`` are in tests/parks/conftest.py.)"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from parks.models import Role, User
from parks.two_factor import Enrolment, two_factor_enrolment_confirm, two_factor_enrolment_start
from tests.conftest import PASSWORD

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
REQUIRED = [Role.PROVINCE_ADMIN.value, Role.CITY_REVIEWER.value]


def code_for(device: TOTPDevice) -> str:
    """The code the authenticator app shows now for ``device``'s secret."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def enrol(user: User, clock: Any) -> Enrolment:
    """Turn two-factor sign-in on for ``user`` (as the set-up page does), then let the code change."""
    enrolment = two_factor_enrolment_confirm(user=user, code=code_for(two_factor_enrolment_start(user=user)))
    clock.shift(31)
    return enrolment


def sign_in(user: User, client: Client | None = None, next_url: str = ""):
    """The password step of the sign-in page; returns the client and the response."""
    client = client or Client()
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client, client.post(reverse("login"), data)
