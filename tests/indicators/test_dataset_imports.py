"""The energy workbook through the import framework: a park-year's upload previews its rows and indicators,
commits, discards, refuses a stale preview, and undoes (a first import's undo removes the year, audited);
a push through the API is recorded and can be undone too."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from indicators.models import ParkDataset, ParkYear
from indicators.services import DatasetInputErrors
from indicators.services.dataset_imports import dataset_import_preview, park_dataset_push, park_year_get
from parks.models import Park, ParkType
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_discard, import_history, import_rollback
from zcpark.core.models import AuditEvent, ImportBatch, ImportStatus

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


def test_a_commit_the_save_refuses_stores_nothing(world):
    batch = _preview(world, dataset_document())
    # The province registers the park as another type after the preview: the file's type no longer fits.
    Park.objects.filter(pk=world.park_a.pk).update(park_type=ParkType.CHEMICAL)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        import_commit(batch=batch, by=world.staff_a)
    assert _stored(world) is None
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEWED
    assert AuditEvent.objects.count() == events


def test_an_upload_the_engine_refuses_is_not_previewed(world):
    with pytest.raises(DatasetInputErrors):
        _preview(world, dataset_document(energy=[_gas("-5")]))
    assert not ImportBatch.objects.exists()


# Who sees park_a's year (else 404) and who may import into it (else 403).
SEES = {"staff_a", "reviewer_a", "province", "observer"}
MAY = {"staff_a", "province"}


@pytest.mark.parametrize(
    "who", ["staff_a", "staff_b", "reviewer_a", "reviewer_b", "province", "observer", "expert"]
)
def test_the_energy_import_pages_by_role_and_scope(world, login, who):
    batch = _preview(world, dataset_document())
    client = login(getattr(world, who))
    assert client.get(reverse("core:import-preview", args=[batch.pk])).status_code == (
        200 if who in SEES else 404
    )
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.status_code == (302 if who in MAY else 403 if who in SEES else 404)
    assert (_stored(world) is not None) == (who in MAY)


def test_the_preview_page_shows_the_rows_and_indicators(world, login):
    import_commit(batch=_preview(world, dataset_document()), by=world.staff_a)
    with translation.override("en"):  # the rows are labelled in the language of whoever previewed
        batch = _preview(world, dataset_document(energy=[_gas("600")]))
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert "Changes: 0 added, 1 changed, 1 deleted" in page
    assert "600 10,000 Nm³" in page and 'id="import-indicators"' in page
    assert "Energy and emissions data of a year" in page


def _indicator(batch, name):
    return next(row for row in batch.indicators if row["label"] == name)


def test_the_preview_counts_only_the_exemptions_the_province_accepted(world, monkeypatch):
    """A reason typed in the file does not exempt an indicator: the preview shows its real status, as the
    stored result will; once the province accepted the exemption, the preview shows it exempt."""
    from indicators import exemptions

    document = dataset_document(exemptions={"water_reuse": "园区无工业用水"})
    with translation.override("en"):
        water = _indicator(_preview(world, document), "Industrial water reuse rate")
    assert "Exempt" not in water["resulting"] and water["resulting"].startswith("82.35 %")
    monkeypatch.setattr(exemptions, "_SOURCES", [lambda ids: {world.park_a.pk: {"water_reuse": "省已同意"}}])
    with translation.override("en"):
        water = _indicator(_preview(world, document), "Industrial water reuse rate")
    assert water["resulting"] == "— (Exempt)"


def test_the_diff_compares_numbers_by_value(world):
    """ "1200" and "1200.0" are the same number: no change listed; a real change still is."""
    first = dataset_document(energy=[_gas("1200")])
    first["electricity_mwh"] = {**first["electricity_mwh"], "grid": "60000"}
    import_commit(batch=_preview(world, first), by=world.staff_a)
    same = dataset_document(energy=[_gas("1200.0")])
    same["electricity_mwh"] = {**same["electricity_mwh"], "grid": 60000.00}
    assert _preview(world, same).diff == []
    other = dataset_document(energy=[{**_gas("1200"), "unit": "Nm3"}])  # the unit changes
    other["electricity_mwh"] = {**other["electricity_mwh"], "grid": "60000.5"}
    with translation.override("en"):
        changes = {(row["key"], row["change"]) for row in _preview(world, other).diff}
    assert changes == {("energy[natural_gas · fuel]", "changed"), ("electricity_mwh", "changed")}
