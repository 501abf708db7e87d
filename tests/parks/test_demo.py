from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from parks.demo import demo_seed
from parks.models import Park, Role, User
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

REQUIRED = {
    "province_demo": (Role.PROVINCE_ADMIN, None, None),
    "city_nanchang": (Role.CITY_REVIEWER, "南昌市", None),
    "city_ganzhou": (Role.CITY_REVIEWER, "赣州市", None),
    "park_nanchang": (Role.PARK_STAFF, None, "南昌经济技术开发区"),
    "park_ganzhou": (Role.PARK_STAFF, None, "赣州经济技术开发区"),
    "expert_demo": (Role.EXPERT, None, None),
    "observer_demo": (Role.OBSERVER, None, None),
}


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)


def test_demo_seed_creates_one_account_per_role_with_its_scope(reference):
    demo_seed(password="pw-demo-1")
    for username, (role, city, zone) in REQUIRED.items():
        user = User.objects.select_related("city", "park__zone").get(username=username)
        assert user.role == role
        assert (user.city.name if user.city else None) == city
        assert (user.park.zone.name if user.park else None) == zone


def test_demo_seed_is_idempotent(reference):
    demo_seed(password="pw-demo-1")
    counts = (User.objects.count(), Park.objects.count(), AuditEvent.objects.count())
    demo_seed(password="pw-demo-1")
    assert (User.objects.count(), Park.objects.count(), AuditEvent.objects.count()) == counts


def test_demo_seed_sets_the_given_password(reference):
    demo_seed(password="pw-demo-1")
    demo_seed(password="pw-demo-2")
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="park_ganzhou", password="pw-demo-2") is not None


def test_seed_demo_command_prints_accounts_and_password(reference, capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--password", "pw-demo-3")
    out = capsys.readouterr().out
    assert "pw-demo-3" in out
    for username in REQUIRED:
        assert username in out


def test_seed_demo_command_refuses_when_debug_is_off(reference, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_seed_demo_command_asks_for_reference_data_first(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("seed_demo")
