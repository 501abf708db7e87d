"""The push API of a park's 能碳平台 (issue 15, points 1 and 7): the credential matrix — scope × endpoint,
expiry, revocation, wrong park, the audit actor — on PUT datasets and GET results."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from indicators.models import ParkDataset
from indicators.services import indicator_results_compute
from parks.integration import MachineScope
from parks.integration_services import integration_account_create, integration_account_revoke
from tests.indicators.factories import dataset_document, invalid_dataset_document, load_factor_data
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ALL = list(MachineScope.values)


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


def machine(key: str) -> Client:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.cookies["django_language"] = "en"
    return client


def put(client: Client, park, year: int = 2025, document=None, **headers):
    return client.put(
        reverse("api-park-dataset", args=[park.pk, year]),
        json.dumps(document if document is not None else dataset_document(year=year)),
        content_type="application/json",
        headers=headers,
    )


def results(client: Client, park, year: int = 2025):
    return client.get(reverse("api-park-results", args=[park.pk, year]))


def doc_type(world):
    return {"park": {"name": "p", "park_type": world.park_a.park_type}}


@pytest.mark.parametrize(
    ("scopes", "put_status", "get_status"),
    [
        ([MachineScope.DATASETS_WRITE], 201, 403),
        ([MachineScope.RESULTS_READ], 403, 404),
        ([MachineScope.MONTHLY_WRITE], 403, 403),
        (ALL, 201, 404),
    ],
)
def test_each_endpoint_needs_its_scope(world, factor_data, scopes, put_status, get_status):
    _account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=scopes)
    document = dataset_document(**doc_type(world))
    response = put(machine(key), world.park_a, document=document)
    assert response.status_code == put_status, response.content
    if put_status == 403:
        assert "lacks the scope “Write yearly datasets”" in response.json()["detail"]
    response = results(machine(key), world.park_a, year=2024)  # no data: 404 once the scope lets it in
    assert response.status_code == get_status
    if get_status == 403:
        assert "“Read results”" in response.json()["detail"]


def test_a_push_is_stored_audited_as_the_machine_and_its_results_read_back(world, factor_data):
    account, key = integration_account_create(by=world.staff_a, name="平台", park=world.park_a, scopes=ALL)
    document = dataset_document(**doc_type(world))
    response = put(machine(key), world.park_a, document=document)
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True and body["results"] == reverse(
        "api-park-results", args=[world.park_a.pk, 2025]
    )
    dataset = ParkDataset.objects.get(pk=body["dataset"])
    event = AuditEvent.objects.for_object(dataset).get()
    assert (event.action, event.actor) == ("dataset_created", account.user)
    assert results(machine(key), world.park_a).status_code == 404  # not computed yet
    indicator_results_compute(dataset=dataset)
    response = results(machine(key), world.park_a)
    assert response.status_code == 200
    assert response.json()["year"] == 2025
    # Replacing the year answers 200.
    changed = dataset_document(**doc_type(world), resources={"green_buildings": 3})
    response = put(machine(key), world.park_a, document=changed)
    assert (response.status_code, response.json()["created"]) == (200, False)
    assert AuditEvent.objects.for_object(dataset).first().actor == account.user


def test_engine_errors_answer_400_with_the_errors_list_and_store_nothing(world, factor_data):
    _account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    document = {**invalid_dataset_document(), **doc_type(world)}
    response = put(machine(key), world.park_a, document=document)
    assert response.status_code == 400
    assert {error["path"] for error in response.json()["errors"]} >= {"energy[0].quantity"}
    assert not ParkDataset.objects.exists()


def test_a_machine_of_park_a_gets_404_on_park_b(world, factor_data):
    _account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    assert put(machine(key), world.park_b).status_code == 404
    assert results(machine(key), world.park_b).status_code == 404
    assert not ParkDataset.objects.exists()


def test_a_province_platform_reaches_every_park(world, factor_data):
    account, key = integration_account_create(by=world.province, name="省平台", park=None, scopes=ALL)
    document = dataset_document(park={"name": "p", "park_type": world.park_b.park_type})
    assert put(machine(key), world.park_b, document=document).status_code == 201
    assert AuditEvent.objects.get(action="dataset_created").actor == account.user


def test_expired_and_revoked_keys_push_nothing(world, factor_data):
    account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    with time_machine.travel(account.expires_at + timedelta(minutes=1)):
        response = put(machine(key), world.park_a)
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "The integration key has expired: ask for a new one.",
    )
    integration_account_revoke(account=account, by=world.province)
    response = results(machine(key), world.park_a)
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "The integration key has been revoked: ask for a new one.",
    )
    assert not ParkDataset.objects.exists()


@pytest.mark.parametrize(
    ("user", "park", "expected"),
    [
        ("staff_a", "park_a", 201),
        ("staff_b", "park_a", 404),
        ("reviewer_a", "park_a", 403),
        ("province", "park_a", 201),
    ],
)
def test_people_use_the_same_endpoint_within_their_scope(world, factor_data, login, user, park, expected):
    client = login(getattr(world, user))
    assert (
        put(client, getattr(world, park), document=dataset_document(**doc_type(world))).status_code
        == expected
    )


def test_a_machine_read_costs_four_queries_and_no_write(world, factor_data, django_assert_num_queries):
    """The key's row (with its user and park), the park, the dataset, the result: last_used_at is written
    at most once a minute, so a read within it writes nothing."""
    _account, key = integration_account_create(by=world.staff_a, name="p", park=world.park_a, scopes=ALL)
    client = machine(key)
    assert put(client, world.park_a, document=dataset_document(**doc_type(world))).status_code == 201
    indicator_results_compute(dataset=ParkDataset.objects.get())
    assert results(client, world.park_a).status_code == 200
    with django_assert_num_queries(4):
        assert results(client, world.park_a).status_code == 200
