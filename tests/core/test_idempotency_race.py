"""Idempotency keys under real concurrency (PostgreSQL): the same push sent at once by several workers of
a platform with one Idempotency-Key is applied exactly once; the others are told to retry (409) or get
the first answer replayed."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from indicators.models import ParkDataset
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.models import AuditEvent, IdempotencyRecord

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers itself"),
]

RACERS = 4


def test_the_same_key_sent_at_once_writes_once(world):
    load_factor_data()
    _account, key = integration_account_create(
        by=world.province, name="p", park=world.park_a, scopes=[MachineScope.DATASETS_WRITE]
    )
    body = json.dumps(dataset_document(park={"name": "p", "park_type": world.park_a.park_type}))
    url = reverse("api-park-dataset", args=[world.park_a.pk, 2025])
    barrier = threading.Barrier(RACERS)
    answers: list[tuple[int, str | None]] = []

    def push() -> None:
        try:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
            barrier.wait()
            response = client.put(
                url, body, content_type="application/json", headers={"Idempotency-Key": "k1"}
            )
            answers.append((response.status_code, response.get("Idempotent-Replayed")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fresh = [answer for answer in answers if answer == (201, None)]
    assert len(fresh) == 1, answers
    assert all(answer in ((201, "true"), (409, None)) for answer in answers if answer != (201, None)), answers
    assert ParkDataset.objects.count() == 1
    assert AuditEvent.objects.filter(action="dataset_created").count() == 1
    assert IdempotencyRecord.objects.get().status_code == 201
