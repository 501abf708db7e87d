"""Two-factor sign-in in the browser: held at the set-up or code page until done, the set-up with its QR
code, the code step, recovery codes, and everyone else (and the demo's empty setting) unaffected."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from parks.two_factor import has_two_factor
from tests.parks.two_factor_helpers import code_for, enrol, sign_in
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _enrol_page(client: Client):
    return client.get(reverse("two_factor_enrol"))


@pytest.mark.parametrize(
    "url",
    [
        reverse("portal:home"),
        reverse("parks:park-list"),
        reverse("parks:user-list"),
        reverse("password_change"),
        reverse("two_factor"),
        reverse("admin:index"),
    ],
)
def test_a_required_role_without_an_authenticator_is_sent_to_set_up_from_every_page(world, required, url):
    client = Client()
    client.force_login(world.province)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_enrol"))
    assert "next=" in response.url


def test_the_api_answers_403_to_a_session_without_its_second_factor(world, required):
    client = Client()
    client.force_login(world.reviewer_a)
    response = client.get(reverse("api-park-list"))
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "errors"}


def test_a_token_request_is_left_to_the_api_even_from_a_held_browser(world, required):
    client = Client()
    client.force_login(world.reviewer_a)
    response = client.get(reverse("api-park-list"), HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401


def test_sign_out_language_and_health_stay_open_to_a_held_session(world, required):
    client = Client()
    client.force_login(world.province)
    health = client.get(reverse("healthz"))  # 503 with a broker and no worker: answered, not redirected
    assert health.status_code in (200, 503) and "database" in health.json()["checks"]
    language = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert language.status_code == 302 and not language.url.startswith(reverse("two_factor_enrol"))
    assert client.post(reverse("logout")).url == reverse(django_settings.LOGOUT_REDIRECT_URL)


def test_an_htmx_request_of_a_held_session_is_redirected_whole(world, required):
    client = Client()
    client.force_login(world.province)
    response = client.get(
        reverse("parks:park-list") + "?page=2",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/parks/?q=x",
    )
    assert response.status_code == 204
    assert (
        response["HX-Redirect"]
        == f"{reverse('two_factor_enrol')}?next=http%3A%2F%2Ftestserver%2Fparks%2F%3Fq%3Dx"
    )


def test_signing_in_with_a_required_role_goes_to_the_set_up_keeping_the_next_page(world, required):
    _client, response = sign_in(world.reviewer_a, next_url=reverse("parks:park-list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_enrol')}?next=%2Fparks%2F"


def test_the_set_up_page_shows_an_inline_svg_qr_code_and_the_key_in_groups(world, required, clock):
    client = Client()
    client.force_login(world.province)
    html = _enrol_page(client).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert svg is not None
    assert "style=" not in svg.group(0)
    device = TOTPDevice.objects.get(user=world.province)
    assert not device.confirmed
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None and len(secret.group(1).split()) == 8
    # Reloading keeps the same secret (the app may already have it).
    _enrol_page(client)
    assert TOTPDevice.objects.filter(user=world.province).count() == 1


def test_the_set_up_refuses_a_wrong_code_and_accepts_the_right_one(world, required, clock):
    client = Client()
    client.force_login(world.reviewer_a)
    _enrol_page(client)
    device = TOTPDevice.objects.get(user=world.reviewer_a)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two_factor_enrol"), {"code": wrong, "next": "/parks/"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not has_two_factor(world.reviewer_a)
    clock.shift(2)  # past the wait a wrong code imposes
    response = client.post(reverse("two_factor_enrol"), {"code": code_for(device), "next": "/parks/"})
    assert response.status_code == 302
    assert response.url == f"{reverse('two_factor_codes')}?next=%2Fparks%2F"
    assert has_two_factor(world.reviewer_a)
    assert AuditEvent.objects.filter(
        action="two_factor_enrolled", target_id=str(world.reviewer_a.pk)
    ).exists()
    # The recovery codes are shown once, then the session is through to every page.
    codes = re.findall(
        r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", client.get(response.url).content.decode()
    )
    assert len(codes) == 10
    again = client.get(reverse("two_factor_codes")).content.decode()
    assert "recovery-codes-gone" in again and codes[0] not in again
    assert client.get(reverse("parks:park-list")).status_code == 200


def test_signing_in_with_an_authenticator_asks_for_the_code(world, required, clock):
    enrol(world.province, clock)
    client, response = sign_in(world.province)
    assert response.url.startswith(reverse("two_factor_verify"))
    # Held at the code page until the code is right.
    assert client.get(reverse("portal:home")).url.startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert AuditEvent.objects.filter(action="two_factor_failed", comment="1").exists()
    assert client.get(reverse("portal:home")).status_code == 302
    clock.shift(2)
    device = TOTPDevice.objects.get(user=world.province, confirmed=True)
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_wrong_codes_in_a_row_make_the_next_try_wait(world, required, clock):
    enrol(world.province, clock)
    client, _response = sign_in(world.province)
    for wait in (1.1, 2.1, 0):  # each failure doubles the wait before the next try: 1 s, 2 s, 4 s
        client.post(reverse("two_factor_verify"), {"code": "000000"})
        clock.shift(wait)
    assert AuditEvent.objects.filter(action="two_factor_failed", comment="3").exists()
    device = TOTPDevice.objects.get(user=world.province, confirmed=True)
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 200  # even the right code waits: 3 failures ask for 4 s
    clock.shift(5)
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 302


def test_a_recovery_code_signs_in_once(world, required, clock):
    codes = enrol(world.reviewer_a, clock).recovery_codes
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"  # as people type what they printed
    client, _response = sign_in(world.reviewer_a)
    response = client.post(reverse("two_factor_verify"), {"code": typed})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="two_factor_recovery_used", comment="9").exists()
    client.post(reverse("logout"))
    clock.shift(60)
    client, _response = sign_in(world.reviewer_a)
    response = client.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert client.get(reverse("portal:home")).status_code == 302


def test_roles_not_required_sign_in_with_the_password_alone(world, required):
    for user in (world.observer, world.expert, world.staff_a):
        client, response = sign_in(user)
        assert response.url == reverse("portal:home")
        assert client.get(reverse("portal:home")).status_code == 200


def test_anyone_may_turn_it_on_and_is_then_asked_for_the_code(world, clock):
    # TWO_FACTOR_ROLES is empty (the demo's and the tests' default).
    client, _response = sign_in(world.staff_a)
    assert client.get(reverse("two_factor")).status_code == 200
    _enrol_page(client)
    device = TOTPDevice.objects.get(user=world.staff_a)
    assert client.post(reverse("two_factor_enrol"), {"code": code_for(device)}).status_code == 302
    client.post(reverse("logout"))
    clock.shift(31)
    client, response = sign_in(world.staff_a)
    assert response.url.startswith(reverse("two_factor_verify"))
    assert client.get(reverse("parks:park-list")).url.startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("parks:park-list")).status_code == 200


def test_a_session_from_before_the_set_up_cannot_change_it_without_the_code(world, clock):
    client = Client()
    client.force_login(world.observer)
    enrol(world.observer, clock)  # on another computer
    response = client.post(reverse("two_factor_disable"), {"disable-password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    assert has_two_factor(world.observer)


def test_moving_to_a_new_phone_takes_the_password_and_retires_the_old_app(world, clock):
    old = enrol(world.observer, clock).device
    client, _response = sign_in(world.observer)
    client.post(reverse("two_factor_verify"), {"code": code_for(old)})
    _enrol_page(client)
    new = TOTPDevice.objects.get(user=world.observer, confirmed=False)
    response = client.post(reverse("two_factor_enrol"), {"code": code_for(new), "password": "wrong"})
    assert response.status_code == 200
    clock.shift(31)
    response = client.post(
        reverse("two_factor_enrol"), {"code": code_for(new), "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=world.observer).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]


def test_the_user_menu_links_the_two_factor_page(world, login):
    html = login(world.observer).get(reverse("portal:home")).content.decode()
    assert reverse("two_factor") in html
