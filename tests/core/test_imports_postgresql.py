"""Preview, commit and undo on PostgreSQL (row locks, JSON columns as PostgreSQL stores them): the energy
workbook and the zone catalog round-trip exactly, and two commits racing on one target leave one winner
(the other preview is stale)."""

from __future__ import annotations

import io
import threading

import pytest
from django.db import connection, connections

from indicators.models import ParkDataset
from indicators.services.dataset_imports import dataset_import_preview
from parks.models import DevelopmentZone
from parks.zone_catalog_imports import zone_catalog_preview
from tests.core.import_fixtures import KIND, _snapshot, register_test_importer, rows
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_preview, import_rollback
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (CI runs it)"
    ),
]


def test_energy_workbook_commit_and_undo_round_trip_on_postgresql(world):
    load_factor_data()
    preview = dataset_import_preview(
        by=world.staff_a, park=world.park_a, year=2025, document=dataset_document()
    )
    first = import_commit(batch=preview, by=world.staff_a)
    stored = ParkDataset.objects.get(park=world.park_a, year=2025).document
    changed = dataset_document()
    changed["energy"][0]["quantity"] = "650.5"
    second = import_commit(
        batch=dataset_import_preview(by=world.staff_a, park=world.park_a, year=2025, document=changed),
        by=world.staff_a,
    )
    assert ParkDataset.objects.get(park=world.park_a, year=2025).document["energy"][0]["quantity"] == "650.5"
    import_rollback(batch=second, by=world.staff_a)
    assert ParkDataset.objects.get(park=world.park_a, year=2025).document == stored
    import_rollback(batch=first, by=world.staff_a)
    assert not ParkDataset.objects.filter(park=world.park_a, year=2025).exists()


def test_zone_catalog_commit_and_undo_round_trip_on_postgresql(world):
    before = set(DevelopmentZone.objects.values_list("name", "level", "kind", "catalog_code"))
    text = "name,city_code,level,kind,catalog_code\n新区,360100,national,etdz,X-1\n南昌经济技术开发区,360100,provincial,hitech,\n"
    batch = import_commit(
        batch=zone_catalog_preview(file=io.BytesIO(text.encode()), filename="目录.csv", by=world.province),
        by=world.province,
    )
    assert DevelopmentZone.objects.filter(name="新区").exists()
    import_rollback(batch=batch, by=world.province)
    assert set(DevelopmentZone.objects.values_list("name", "level", "kind", "catalog_code")) == before


def test_two_commits_racing_on_one_target_leave_one_winner(world):
    register_test_importer()
    previews = [
        import_preview(kind=KIND, target=world.park_a, content=rows(a=value), by=world.staff_a)
        for value in ("1", "2")
    ]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(batch):
        try:
            barrier.wait()
            results.append(import_commit(batch=batch, by=world.staff_a))
        except ApplicationError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(batch,)) for batch in previews]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 1 and len(errors) == 1
    winner = results[0]
    assert _snapshot(world.park_a) == winner.content
    statuses = sorted(ImportBatch.objects.values_list("status", flat=True))
    assert statuses == sorted([ImportStatus.COMMITTED, ImportStatus.PREVIEWED])
