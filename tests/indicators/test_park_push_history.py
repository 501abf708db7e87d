"""A machine's push through the API (PUT a park's year) is recorded in the park-year's import history, as an
import saved at once in the platform's name, and the park's staff can undo it from there (issue 15, points 1
and 4): the year is back as the previous push left it."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from indicators.models import ParkDataset, ParkYear
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.imports import import_history, import_history_for
from zcpark.core.models import ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(db):
    load_factor_data()


def _push(key: str, park, document) -> int:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.put(
        reverse("api-park-dataset", args=[park.pk, 2025]),
        json.dumps(document),
        content_type="application/json",
    )
    return response.status_code


def _document(world, **overrides):
    return dataset_document(park={"name": "p", "park_type": world.park_a.park_type}, **overrides)


def _stored(world):
    return ParkDataset.objects.get(park=world.park_a, year=2025).document


def test_two_pushes_are_two_imports_saved_at_once_and_the_latest_is_undone_by_the_park(world, login):
    account, key = integration_account_create(
        by=world.staff_a, name="园区能碳平台", park=world.park_a, scopes=[MachineScope.DATASETS_WRITE]
    )
    assert _push(key, world.park_a, _document(world)) == 201
    first = _stored(world)
    assert _push(key, world.park_a, _document(world, resources={"green_buildings": 3})) == 200
    assert _stored(world) != first

    park_year = ParkYear.objects.get(park=world.park_a, year=2025)
    latest, earliest = import_history(park_year)
    for batch in (latest, earliest):
        assert batch.status == ImportStatus.COMMITTED  # saved at once: no preview waits
        assert batch.created_by == account.user and batch.committed_by == account.user
        assert batch.committed_at is not None
    # The park's staff see both, and may undo the latest only.
    shown = import_history_for(world.staff_a, park_year)
    assert [(b.pk, b.can_undo) for b in shown] == [(latest.pk, True), (earliest.pk, False)]

    response = login(world.staff_a).post(reverse("core:import-rollback", args=[latest.pk]))
    assert response.status_code == 302
    latest.refresh_from_db()
    assert (latest.status, latest.rolled_back_by) == (ImportStatus.ROLLED_BACK, world.staff_a)
    assert _stored(world) == first


def test_the_same_push_again_adds_no_import(world):
    _account, key = integration_account_create(
        by=world.staff_a, name="园区能碳平台", park=world.park_a, scopes=[MachineScope.DATASETS_WRITE]
    )
    assert _push(key, world.park_a, _document(world)) == 201
    assert _push(key, world.park_a, _document(world)) == 200
    assert import_history(ParkYear.objects.get(park=world.park_a, year=2025)).count() == 1
