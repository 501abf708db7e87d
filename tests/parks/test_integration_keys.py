"""Integration accounts (issue 15, point 1): machine keys of a park's 能碳平台 — hashed at rest, shown once,
expiring, revocable, scoped; the service user never signs in to the web; last use is kept cheaply."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from parks.integration import IntegrationAccountStatus, MachineScope, key_digest
from parks.integration_services import integration_account_create, integration_account_revoke
from parks.models import IntegrationAccount, Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ALL = list(MachineScope.values)


def machine(key: str) -> Client:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.cookies["django_language"] = "en"
    return client


def test_the_key_is_hashed_at_rest_and_returned_once(world):
    account, key = integration_account_create(
        by=world.staff_a, name="园区能碳平台", park=world.park_a, scopes=ALL
    )
    assert key.startswith(f"zc_{account.prefix}_")
    assert account.key_digest == key_digest(key)
    row = IntegrationAccount.objects.filter(pk=account.pk).values().get()
    assert key not in str(row)
    assert key.rsplit("_", 1)[1] not in str(row)
    assert account.expires_at == pytest.approx(
        timezone.now() + timedelta(days=settings.INTEGRATION_KEY_TTL_DAYS), abs=timedelta(seconds=5)
    )
    assert AuditEvent.objects.for_object(account).get().action == "integration_account_created"


def test_the_service_user_is_the_park_staff_of_its_park_and_named_as_the_platform(world):
    account, _key = integration_account_create(
        by=world.province, name="赣州平台", park=world.park_b, scopes=ALL
    )
    user = account.user
    assert (user.role, user.park, user.is_machine, user.has_usable_password()) == (
        Role.PARK_STAFF,
        world.park_b,
        True,
        False,
    )
    with translation.override("en"):
        assert str(user) == "Energy-carbon platform 赣州平台"
    province_platform, _key = integration_account_create(
        by=world.province, name="省平台", park=None, scopes=ALL
    )
    assert (province_platform.user.role, province_platform.user.park) == (Role.PROVINCE_ADMIN, None)


def test_the_service_user_cannot_sign_in_to_the_web(world):
    account, _key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    user = account.user
    user.set_password("Qx7!mR2#vL9p-x")  # even were a password set on it by hand
    user.save()
    request = RequestFactory().post(reverse("login"))
    assert authenticate(request, username=user.username, password="Qx7!mR2#vL9p-x") is None
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "Qx7!mR2#vL9p-x"})
    assert response.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session
    forced = Client()
    forced.force_login(user)  # a session forged for it is not honoured
    response = forced.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_malformed_expired_and_revoked_keys_answer_401_with_their_reason(world):
    account, key = integration_account_create(
        by=world.staff_a, name="p", park=world.park_a, scopes=[MachineScope.RESULTS_READ]
    )
    url = reverse("api-park-list")
    assert machine(f"zc_{account.prefix}_wrong").get(url).json()["detail"] == "Unknown integration key."
    assert machine("zc_nothing").get(url).status_code == 401
    assert machine("something-else").get(url).status_code == 401
    with time_machine.travel(account.expires_at + timedelta(seconds=1)):
        response = machine(key).get(url)
    assert response.status_code == 401
    assert response.json()["detail"] == "The integration key has expired: ask for a new one."
    integration_account_revoke(account=account, by=world.staff_a)
    response = machine(key).get(url)
    assert response.status_code == 401
    assert response.json()["detail"] == "The integration key has been revoked: ask for a new one."
    assert AuditEvent.objects.for_object(account).first().action == "integration_account_revoke"


def test_a_machine_is_refused_on_views_without_its_scope(world):
    _account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    # The parks list declares no machine scope: 403 naming why, also on views with their own permissions.
    response = machine(key).get(reverse("api-park-list"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Integration keys cannot use this endpoint."
    assert machine(key).get(reverse("api-token-list")).status_code == 403
    assert machine(key).delete(reverse("api-token")).status_code == 403
    assert machine(key).options(reverse("api-park-list")).status_code == 403


def test_last_used_is_updated_at_most_once_a_minute(world):
    account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    assert account.last_used_at is None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        machine(key).get(reverse("api-park-list"))
    account.refresh_from_db()
    assert account.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        machine(key).get(reverse("api-park-list"))
    account.refresh_from_db()
    assert account.last_used_at == start
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        machine(key).get(reverse("api-park-list"))
    account.refresh_from_db()
    assert account.last_used_at == start + timedelta(seconds=61)


@pytest.mark.parametrize(
    ("user", "park", "allowed"),
    [
        ("staff_a", "park_a", True),
        ("staff_a", "park_b", False),
        ("staff_a", None, False),
        ("province", "park_b", True),
        ("province", None, True),
        ("reviewer_a", "park_a", False),
        ("observer", "park_a", False),
        ("expert", "park_a", False),
    ],
)
def test_who_may_create_an_account(world, user, park, allowed):
    by, target = getattr(world, user), getattr(world, park) if park else None
    if allowed:
        integration_account_create(by=by, name="p", park=target, scopes=ALL)
    else:
        with pytest.raises(PermissionDenied):
            integration_account_create(by=by, name="p", park=target, scopes=ALL)


def test_bad_input_names_the_field(world):
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            integration_account_create(by=world.staff_a, name=" ", park=world.park_a, scopes=ALL)
        assert "name" in raised.value.message_dict
        with pytest.raises(ValidationError) as raised:
            integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=["root"])
        assert raised.value.message_dict["scopes"] == ["Unknown scope: root."]
        with pytest.raises(ValidationError) as raised:
            integration_account_create(
                by=world.staff_a,
                name="p",
                park=world.park_a,
                scopes=ALL,
                expires_at=timezone.now() + timedelta(days=400),
            )
        assert raised.value.message_dict["expires_at"] == ["A key lives 365 days at most."]
    assert not User.objects.filter(is_machine=True).exists()


def test_a_machine_is_not_held_at_the_two_factor_step(world, settings):
    """Two-factor sign-in is for people: a province platform (role province_admin) under TWO_FACTOR_ROLES
    reaches the API with its key alone (a 404 for a year without data, not the two-factor 403)."""
    settings.TWO_FACTOR_ROLES = ["province_admin", "park_staff"]
    _account, key = integration_account_create(by=world.province, name="省平台", park=None, scopes=ALL)
    response = machine(key).get(reverse("api-park-results", args=[world.park_b.pk, 2025]))
    assert response.status_code == 404
    assert response.json()["detail"] == "No energy data is stored for 2025."


def test_a_key_opens_no_web_page(world):
    _account, key = integration_account_create(by=world.province, name="省平台", park=None, scopes=ALL)
    for url in (reverse("portal:home"), reverse("parks:integrations"), reverse("parks:park-list")):
        response = machine(key).get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_revocation_is_the_machines_move_stamped_audited_and_final(world):
    account, _key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    assert account.status == IntegrationAccountStatus.ACTIVE
    integration_account_revoke(account=account, by=world.staff_a, comment="密钥泄露")
    account.refresh_from_db()
    assert account.status == IntegrationAccountStatus.REVOKED
    assert account.revoked_at is not None and account.revoked_by == world.staff_a
    assert not User.objects.get(pk=account.user_id).is_active
    assert not IntegrationAccount.objects.live().filter(pk=account.pk).exists()
    event = AuditEvent.objects.for_object(account).first()
    assert (event.actor, event.from_state, event.to_state) == (world.staff_a, "active", "revoked")
    assert event.comment == f"{account.prefix}: 密钥泄露"
    # Once revoked, for good: a second revocation is refused and records nothing.
    with translation.override("en"), pytest.raises(ApplicationError, match="revoked already"):
        integration_account_revoke(account=account, by=world.province)
    assert AuditEvent.objects.for_object(account).count() == 2
    account.refresh_from_db()
    assert account.revoked_by == world.staff_a


@pytest.mark.parametrize(
    ("user", "park", "allowed"),
    [
        ("staff_a", "park_a", True),
        ("staff_b", "park_a", False),
        ("province", "park_a", True),
        ("province", None, True),
        ("staff_a", None, False),
        ("reviewer_a", "park_a", False),
        ("observer", "park_a", False),
        ("expert", "park_a", False),
    ],
)
def test_who_may_revoke_an_account(world, user, park, allowed):
    account, _key = integration_account_create(
        by=world.province, name="p", park=getattr(world, park) if park else None, scopes=ALL
    )
    if allowed:
        integration_account_revoke(account=account, by=getattr(world, user))
    else:
        with pytest.raises(PermissionDenied):
            integration_account_revoke(account=account, by=getattr(world, user))
    account.refresh_from_db()
    assert (account.status == IntegrationAccountStatus.REVOKED) == allowed


def test_a_machine_cannot_revoke_an_account(world):
    platform, _key = integration_account_create(by=world.province, name="省平台", park=None, scopes=ALL)
    account, _key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    with pytest.raises(PermissionDenied):
        integration_account_revoke(account=account, by=platform.user)
    account.refresh_from_db()
    assert account.revoked_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"park_id": "park_b"}, id="moved-to-another-park"),
        pytest.param({"park_id": None, "role": Role.PROVINCE_ADMIN}, id="made-province"),
        pytest.param({"park_id": None, "role": Role.OBSERVER}, id="made-observer"),
        pytest.param({"is_superuser": True}, id="made-superuser"),
        pytest.param({"is_staff": True}, id="made-staff"),
    ],
)
def test_a_key_whose_service_user_was_changed_is_refused(world, tamper):
    """A service user edited behind the integration services (the admin, the shell) would make the key
    reach something else: the key answers 401 saying why, until it is revoked and replaced."""
    account, key = integration_account_create(
        by=world.staff_a, name="p", park=world.park_a, scopes=[MachineScope.RESULTS_READ]
    )
    url = reverse("api-park-results", args=[world.park_a.pk, 2024])
    assert machine(key).get(url).status_code == 404  # in: no results for that year yet
    values = {name: world.park_b.pk if value == "park_b" else value for name, value in tamper.items()}
    User.objects.filter(pk=account.user_id).update(**values)
    response = machine(key).get(url)
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "The integration account's service user no longer matches the account (its park or role was "
        "changed): the key is refused; revoke it and create a new one."
    )
    assert machine(key).get(reverse("api-park-results", args=[world.park_b.pk, 2024])).status_code == 401


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"park_id": "park_a", "role": Role.PARK_STAFF}, id="bound-to-a-park"),
        pytest.param({"role": Role.OBSERVER}, id="role-changed"),
    ],
)
def test_a_province_platform_whose_user_was_changed_is_refused(world, tamper):
    account, key = integration_account_create(
        by=world.province, name="省平台", park=None, scopes=[MachineScope.RESULTS_READ]
    )
    url = reverse("api-park-results", args=[world.park_a.pk, 2024])
    assert machine(key).get(url).status_code == 404
    values = {name: world.park_a.pk if value == "park_a" else value for name, value in tamper.items()}
    User.objects.filter(pk=account.user_id).update(**values)
    assert machine(key).get(url).status_code == 401
