"""Idempotency keys on API writes (issue 15, point 7): a retried push is harmless — replayed, never applied
twice; a key reused for another body is refused; callers never share keys; records are forgotten."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from indicators.models import ParkDataset
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.indicators.factories import dataset_document, invalid_dataset_document, load_factor_data
from zcpark.celery import app
from zcpark.core.idempotency import idempotency_records_expire
from zcpark.core.models import AuditEvent, IdempotencyRecord
from zcpark.core.tasks import idempotency_records_expire_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


def _key_of(world, park) -> str:
    _account, key = integration_account_create(
        by=world.province, name="p", park=park, scopes=[MachineScope.DATASETS_WRITE]
    )
    return key


def _put(key: str, park, document: dict, idempotency_key: str | None = "push-2025-1"):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.cookies["django_language"] = "en"
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return client.put(
        reverse("api-park-dataset", args=[park.pk, document["year"]]),
        json.dumps(document),
        content_type="application/json",
        headers=headers,
    )


def _document(park, **overrides):
    return dataset_document(park={"name": "p", "park_type": park.park_type}, **overrides)


def test_a_retry_with_the_same_key_replays_the_first_answer_and_writes_nothing(world, factor_data):
    key = _key_of(world, world.park_a)
    first = _put(key, world.park_a, _document(world.park_a))
    assert first.status_code == 201 and "Idempotent-Replayed" not in first
    retry = _put(key, world.park_a, _document(world.park_a))
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert ParkDataset.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="dataset_").count() == 1


def test_without_a_key_a_repeat_is_a_new_request(world, factor_data):
    key = _key_of(world, world.park_a)
    assert _put(key, world.park_a, _document(world.park_a), idempotency_key=None).status_code == 201
    assert _put(key, world.park_a, _document(world.park_a), idempotency_key=None).status_code == 200


def test_the_same_key_with_another_body_answers_422(world, factor_data):
    key = _key_of(world, world.park_a)
    assert _put(key, world.park_a, _document(world.park_a)).status_code == 201
    other = _document(world.park_a, resources={"green_buildings": 5})
    response = _put(key, world.park_a, other)
    assert response.status_code == 422
    assert response.json()["detail"].startswith("This Idempotency-Key was used for another request")
    assert ParkDataset.objects.get().document["resources"]["green_buildings"] == 2


def test_a_refused_push_is_replayed_as_refused(world, factor_data):
    key = _key_of(world, world.park_a)
    document = {**invalid_dataset_document(), "park": {"name": "p", "park_type": world.park_a.park_type}}
    first = _put(key, world.park_a, document)
    assert first.status_code == 400
    retry = _put(key, world.park_a, document)
    assert (retry.status_code, retry["Idempotent-Replayed"], retry.json()) == (400, "true", first.json())


def test_different_callers_never_share_a_key(world, factor_data):
    key_a, key_b = _key_of(world, world.park_a), _key_of(world, world.park_b)
    assert _put(key_a, world.park_a, _document(world.park_a), "same").status_code == 201
    response = _put(key_b, world.park_b, _document(world.park_b), "same")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert ParkDataset.objects.count() == 2


def test_a_running_request_with_the_same_body_answers_409(world, factor_data):
    key = _key_of(world, world.park_a)
    document = _document(world.park_a)
    _put(key, world.park_a, document, "probe")
    probe = IdempotencyRecord.objects.get(key="probe")
    ParkDataset.objects.all().delete()
    IdempotencyRecord.objects.filter(pk=probe.pk).update(key="running", status_code=None, response_body=None)
    response = _put(key, world.park_a, document, "running")
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == "A request with this Idempotency-Key is still running: retry in a moment."
    )
    assert not ParkDataset.objects.exists()


def _abandoned_claim(key: str, park, document: dict, age: timedelta) -> None:
    """A claim whose worker died before answering, made ``age`` ago (its write rolled back)."""
    _put(key, park, document, "probe")
    ParkDataset.objects.all().delete()
    IdempotencyRecord.objects.filter(key="probe").update(
        key="abandoned", status_code=None, response_body=None, created_at=timezone.now() - age
    )


def test_a_claim_abandoned_past_the_lease_lets_the_retry_run(world, factor_data):
    key = _key_of(world, world.park_a)
    document = _document(world.park_a)
    _abandoned_claim(key, world.park_a, document, timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS + 1))
    response = _put(key, world.park_a, document, "abandoned")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert ParkDataset.objects.count() == 1
    record = IdempotencyRecord.objects.get(key="abandoned")
    assert record.status_code == 201  # the new claim, answered
    retry = _put(key, world.park_a, document, "abandoned")
    assert (retry.status_code, retry["Idempotent-Replayed"]) == (201, "true")
    assert ParkDataset.objects.count() == 1


def test_a_claim_within_the_lease_still_answers_409(world, factor_data):
    key = _key_of(world, world.park_a)
    document = _document(world.park_a)
    _abandoned_claim(key, world.park_a, document, timedelta(seconds=settings.IDEMPOTENCY_LEASE_SECONDS - 10))
    response = _put(key, world.park_a, document, "abandoned")
    assert response.status_code == 409
    assert not ParkDataset.objects.exists()
    assert IdempotencyRecord.objects.get(key="abandoned").status_code is None


def test_the_lease_is_a_setting(world, factor_data, settings):
    settings.IDEMPOTENCY_LEASE_SECONDS = 5
    key = _key_of(world, world.park_a)
    document = _document(world.park_a)
    _abandoned_claim(key, world.park_a, document, timedelta(seconds=6))
    assert _put(key, world.park_a, document, "abandoned").status_code == 201


def test_records_are_forgotten_after_the_ttl(world, factor_data):
    key = _key_of(world, world.park_a)
    assert _put(key, world.park_a, _document(world.park_a)).status_code == 201
    later = timezone.now() + timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS, minutes=1)
    with time_machine.travel(later):
        # Past the TTL the key is free again: another body is a new write, not a conflict.
        other = _document(world.park_a, resources={"green_buildings": 5})
        assert _put(key, world.park_a, other).status_code == 200
        _put(key, world.park_a, _document(world.park_a, year=2024), "old")
    with time_machine.travel(later + timedelta(hours=settings.IDEMPOTENCY_TTL_HOURS, minutes=1)):
        assert idempotency_records_expire_task.delay().get() == 2
    assert not IdempotencyRecord.objects.exists()
    assert idempotency_records_expire() == 0


def test_the_cleanup_runs_on_the_beat_schedule():
    entry = app.conf.beat_schedule["idempotency-records-expire"]
    assert entry["task"] == "core.idempotency_records_expire"


def test_a_malformed_key_is_refused(world, factor_data):
    key = _key_of(world, world.park_a)
    response = _put(key, world.park_a, _document(world.park_a), "x" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not ParkDataset.objects.exists()


def test_a_form_upload_is_told_apart_by_its_file_bytes():
    """A multipart push (a workbook) is the same request only with the same file contents."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.parsers import FormParser, MultiPartParser
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from zcpark.core.idempotency import _digest

    def digest(content: bytes, note: str = "a") -> str:
        upload = SimpleUploadedFile("月报.xlsx", content)
        django_request = APIRequestFactory().post("/x/", {"file": upload, "note": note}, format="multipart")
        request = Request(django_request, parsers=[MultiPartParser(), FormParser()])
        value = _digest(request)
        assert request.data["file"].read() == content  # the view still reads the whole file
        return value

    assert digest(b"one") == digest(b"one")
    assert digest(b"one") != digest(b"two")
    assert digest(b"one", "a") != digest(b"one", "b")
