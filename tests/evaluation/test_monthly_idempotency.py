"""The monthly push honours Idempotency-Key (issue 15, point 1): a platform that retries a month with the same
key and body gets the first answer again and changes nothing; the same key with another body is refused."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from evaluation.models import MonthlyFigure, MonthlyOutlook
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.evaluation.monthly_helpers import month_rows
from tests.indicators.factories import load_factor_data
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _factors(db):
    load_factor_data()


@pytest.fixture
def platform(world):
    account, key = integration_account_create(
        by=world.staff_a, name="园区能碳平台", park=world.park_a, scopes=[MachineScope.MONTHLY_WRITE]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.cookies["django_language"] = "en"
    return account, client


def _post(client: Client, park, body, key: str):
    return client.post(
        f"/api/v1/parks/{park.pk}/monthly/",
        json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def _pushes(world) -> int:
    outlook = MonthlyOutlook.objects.get(park=world.park_a, year=2026)
    return AuditEvent.objects.filter(target_id=str(outlook.pk), action="monthly_pushed").count()


def test_a_retry_with_the_same_key_and_body_is_replayed_and_changes_nothing(world, platform):
    account, client = platform
    body = {"year": 2026, "month": 3, "rows": month_rows()}
    first = _post(client, world.park_a, body, "push-2026-03")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first.headers
    again = _post(client, world.park_a, body, "push-2026-03")
    assert again.status_code == 201  # the first answer, not the 200 a replaced month answers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert MonthlyFigure.objects.filter(park=world.park_a, year=2026, month=3).count() == 5
    assert _pushes(world) == 1
    event = AuditEvent.objects.get(action="monthly_pushed")
    assert event.actor == account.user  # audited as the platform


def test_the_same_key_with_another_body_answers_422_and_changes_nothing(world, platform):
    _account, client = platform
    assert (
        _post(client, world.park_a, {"year": 2026, "month": 3, "rows": month_rows()}, "k1").status_code == 201
    )
    other = {"year": 2026, "month": 3, "rows": month_rows(gas="99")}
    response = _post(client, world.park_a, other, "k1")
    assert response.status_code == 422
    assert "use a new key for a new write" in response.json()["detail"]
    gas = MonthlyFigure.objects.get(park=world.park_a, year=2026, month=3, carrier="natural_gas")
    assert gas.quantity == Decimal("40")
    assert _pushes(world) == 1
    # A new key is a new write: the month is replaced, once.
    assert _post(client, world.park_a, other, "k2").status_code == 200
    assert _pushes(world) == 2
