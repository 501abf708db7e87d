"""Two-factor sign-in for the account and the province: recovery codes renewed, turning it off, the
province's reset of a lost phone, the API's checks, the lockout, and the setting's spelling."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from parks.models import User
from parks.two_factor import (
    TwoFactorRequiredMiddleware,
    has_two_factor,
    otp_code_valid,
    otp_required,
    two_factor_disable,
    two_factor_reset,
)
from tests.conftest import PASSWORD
from tests.parks.two_factor_helpers import code_for, enrol, sign_in
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _verified(user: User, clock) -> Client:
    """A browser signed in with both factors."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client, _response = sign_in(user)
    assert client.post(reverse("two_factor_verify"), {"code": code_for(device)}).status_code == 302
    clock.shift(31)
    return client


def test_with_no_required_roles_signing_in_is_the_password_alone(world):
    for user in world.users().values():
        _client, response = sign_in(user)
        assert response.url == reverse("portal:home")
    assert not TOTPDevice.objects.exists()


def test_new_recovery_codes_take_the_password_and_retire_the_old_ones(world, required, clock):
    old_codes = enrol(world.province, clock).recovery_codes
    client = _verified(world.province, clock)
    refused = client.post(reverse("two_factor_regenerate"), {"regenerate-password": "wrong"})
    assert refused.status_code == 400
    response = client.post(reverse("two_factor_regenerate"), {"regenerate-password": PASSWORD})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    new_codes = re.findall(r"<li class=\"col\">([a-z2-7]{4})-([a-z2-7]{4})</li>", html)
    assert len(new_codes) == 10
    assert AuditEvent.objects.filter(action="two_factor_codes_regenerated").count() == 1
    assert not otp_code_valid(world.province, old_codes[0])
    clock.shift(2)  # past the wait the wrong code imposes
    assert otp_code_valid(world.province, "".join(new_codes[0]))


def test_a_role_not_required_may_turn_it_off_with_its_password(world, required, clock):
    enrol(world.observer, clock)
    client = _verified(world.observer, clock)
    assert client.post(reverse("two_factor_disable"), {"disable-password": "wrong"}).status_code == 400
    assert has_two_factor(world.observer)
    response = client.post(reverse("two_factor_disable"), {"disable-password": PASSWORD})
    assert response.url == reverse("two_factor")
    assert not has_two_factor(world.observer)
    event = AuditEvent.objects.get(action="two_factor_disabled")
    assert (event.actor, event.from_state, event.to_state) == (world.observer, "on", "off")
    client.post(reverse("logout"))
    assert sign_in(world.observer)[1].url == reverse("portal:home")


def test_a_required_role_cannot_turn_it_off(world, required, clock):
    enrol(world.reviewer_a, clock)
    client = _verified(world.reviewer_a, clock)
    assert "two-factor-disable" not in client.get(reverse("two_factor")).content.decode()
    client.post(reverse("two_factor_disable"), {"disable-password": PASSWORD})
    assert has_two_factor(world.reviewer_a)
    with pytest.raises(ValidationError):
        two_factor_disable(user=world.reviewer_a, by=world.reviewer_a)


def test_nobody_turns_off_someone_else_s_two_factor_sign_in(world, clock):
    enrol(world.observer, clock)
    with pytest.raises(PermissionDenied):
        two_factor_disable(user=world.observer, by=world.province)


def test_the_province_resets_a_lost_phone_from_the_account_page(world, required, clock):
    enrol(world.reviewer_a, clock)
    reviewer = _verified(world.reviewer_a, clock)
    enrol(world.province, clock)
    province = _verified(world.province, clock)
    page = province.get(reverse("parks:user-edit", args=[world.reviewer_a.pk])).content.decode()
    assert reverse("two_factor_reset", args=[world.reviewer_a.pk]) in page
    response = province.post(reverse("two_factor_reset", args=[world.reviewer_a.pk]))
    assert response.url == reverse("parks:user-edit", args=[world.reviewer_a.pk])
    assert not has_two_factor(world.reviewer_a)
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert (event.actor, event.target_id) == (world.province, str(world.reviewer_a.pk))
    # The reviewer's open session is held until the new phone is set up.
    assert reviewer.get(reverse("portal:home")).url.startswith(reverse("two_factor_enrol"))


def test_only_the_province_resets_two_factor_sign_in(world, clock):
    enrol(world.staff_a, clock)
    client = Client()
    client.force_login(world.observer)
    assert client.post(reverse("two_factor_reset", args=[world.staff_a.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        two_factor_reset(user=world.staff_a, by=world.reviewer_a)
    assert has_two_factor(world.staff_a)


def test_after_a_reset_an_optional_user_s_held_session_goes_on_with_the_password(world, clock):
    enrol(world.staff_a, clock)
    client, response = sign_in(world.staff_a)
    assert response.url.startswith(reverse("two_factor_verify"))
    two_factor_reset(user=world.staff_a, by=world.province)
    response = client.get(reverse("two_factor_verify"))
    assert response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_the_django_admin_action_resets_and_audits(world, clock):
    enrol(world.staff_a, clock)
    root = User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    response = client.post(
        reverse("admin:parks_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [world.staff_a.pk, world.observer.pk]},
    )
    assert response.status_code == 302
    assert not has_two_factor(world.staff_a)
    assert AuditEvent.objects.filter(action="two_factor_reset", actor=root).count() == 1


def test_the_api_token_checks_say_who_needs_a_code_and_whether_it_is_right(world, required, clock):
    assert otp_required(world.province)  # required, even before the set-up (no token until then)
    assert not otp_code_valid(world.province, "123456")
    assert not otp_required(world.observer)
    enrol(world.observer, clock)
    assert otp_required(world.observer)  # turned on by choice
    device = TOTPDevice.objects.get(user=world.observer)
    assert not otp_code_valid(world.observer, "000000")
    assert AuditEvent.objects.filter(action="two_factor_failed", actor=world.observer).count() == 1
    clock.shift(2)
    assert otp_code_valid(world.observer, code_for(device))
    assert not otp_code_valid(world.observer, code_for(device))  # a code is good once


def test_the_password_lockout_still_works_with_two_factor_on(world, required, clock):
    enrol(world.province, clock)
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "province", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "province", "password": PASSWORD})
    assert response.status_code == 429
    assert "locked-out" in response.content.decode()


def test_a_misspelt_role_in_the_setting_stops_the_start(settings):
    settings.TWO_FACTOR_ROLES = ["province"]
    with pytest.raises(ImproperlyConfigured, match="province"):
        TwoFactorRequiredMiddleware(lambda request: HttpResponse())
