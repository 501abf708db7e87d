"""The energy workbook through the import framework: a park-year's upload previews its rows and indicators,
commits, discards, refuses a stale preview, and undoes (a first import's undo removes the year, audited);
a push through the API is recorded and can be undone too."""

from __future__ import annotations

import pytest
from django.utils import translation

from indicators.models import ParkDataset, ParkYear
from indicators.services.dataset_imports import dataset_import_preview, park_dataset_push, park_year_get
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_discard, import_history, import_rollback
from zcpark.core.models import AuditEvent, ImportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(db):
    load_factor_data()


def _stored(world, year=2025):
    return ParkDataset.objects.filter(park=world.park_a, year=year).first()


def _preview(world, document, year=2025):
    return dataset_import_preview(
        by=world.staff_a, park=world.park_a, year=year, document=document, file_name="2025.xlsx"
    )


def _gas(quantity: str, enterprise: str | None = None) -> dict[str, str]:
    row = {"carrier": "natural_gas", "quantity": quantity, "unit": "10^4 Nm3", "use": "fuel"}
    return {**row, "enterprise": enterprise} if enterprise else row


def test_a_first_upload_previews_every_row_as_added_and_the_resulting_indicators(world):
    with translation.override("en"):
        batch = _preview(world, dataset_document())
    assert _stored(world) is None
    assert batch.before is None and batch.status == ImportStatus.PREVIEWED
    assert {row["change"] for row in batch.diff} == {"added"}
    labels = [row["label"] for row in batch.diff]
    assert any("Energy consumption" in label for label in labels)
    assert "Electricity" in labels
    core = next(row for row in batch.indicators if row["label"].startswith("Carbon emissions per unit"))
    assert core["current"] == "" and core["resulting"].startswith("0.4372")


def test_a_changed_upload_diffs_by_row_and_compares_indicators(world):
    import_commit(batch=_preview(world, dataset_document()), by=world.staff_a)
    changed = dataset_document()
    changed["energy"] = [_gas("600"), _gas("10", enterprise="甲企业")]  # diesel removed
    changed["electricity_mwh"] = {**changed["electricity_mwh"], "grid": "60000"}
    with translation.override("en"):
        batch = _preview(world, changed)
    changes = {(row["key"], row["change"]) for row in batch.diff}
    assert ("energy[natural_gas · fuel]", "changed") in changes
    assert ("energy[natural_gas · fuel · 甲企业]", "added") in changes
    assert ("energy[diesel · fuel]", "removed") in changes
    assert ("electricity_mwh", "changed") in changes
    gas = next(row for row in batch.diff if row["key"] == "energy[natural_gas · fuel]")
    assert gas["fields"] == [{"field": "Quantity", "old": "500 10,000 Nm³", "new": "600 10,000 Nm³"}]
    energy = next(row for row in batch.indicators if row["label"].startswith("Totals · Annual"))
    assert energy["current"] != energy["resulting"]


def test_commit_stores_and_undo_of_the_first_import_removes_the_year_audited(world):
    batch = import_commit(batch=_preview(world, dataset_document()), by=world.staff_a)
    dataset = _stored(world)
    assert dataset is not None and dataset.document["year"] == 2025
    import_rollback(batch=batch, by=world.staff_a)
    assert _stored(world) is None
    assert AuditEvent.objects.filter(
        action="dataset_deleted", target_id=str(dataset.pk), actor=world.staff_a
    ).exists()


def test_undo_restores_exactly_the_previous_document(world):
    first = dataset_document()
    import_commit(batch=_preview(world, first), by=world.staff_a)
    before = _stored(world).document
    second = import_commit(batch=_preview(world, dataset_document(energy=[_gas("1")])), by=world.staff_a)
    assert _stored(world).document != before
    import_rollback(batch=second, by=world.staff_a)
    assert _stored(world).document == before


def test_discard_and_stale_preview(world):
    batch = import_discard(batch=_preview(world, dataset_document()), by=world.staff_a)
    assert batch.status == ImportStatus.DISCARDED and _stored(world) is None
    stale = _preview(world, dataset_document(energy=[_gas("2")]))
    import_commit(batch=_preview(world, dataset_document()), by=world.staff_a)
    with translation.override("en"), pytest.raises(ApplicationError, match="changed since this preview"):
        import_commit(batch=stale, by=world.staff_a)
    assert _stored(world).document["energy"][0]["quantity"] == "500"


def test_a_push_is_recorded_committed_and_can_be_undone(world):
    dataset = park_dataset_push(by=world.staff_a, park=world.park_a, year=2025, document=dataset_document())
    assert dataset.pk == _stored(world).pk
    [batch] = import_history(ParkYear.objects.get(park=world.park_a, year=2025))
    assert batch.status == ImportStatus.COMMITTED
    # The same push again changes nothing and adds no batch.
    park_dataset_push(by=world.staff_a, park=world.park_a, year=2025, document=dataset_document())
    assert import_history(park_year_get(park=world.park_a, year=2025)).count() == 1
    import_rollback(batch=batch, by=world.staff_a)
    assert _stored(world) is None
