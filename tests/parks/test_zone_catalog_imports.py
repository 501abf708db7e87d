"""The zone catalog through the import framework: a file previews the zones it adds and changes, saved or
discarded; undo removes the zones the import added and sets back those it changed; a stale preview and
an undo that is not the latest are refused; only the province imports, who sees the program sees."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation

from parks.models import DevelopmentZone, Province, ZoneLevel
from parks.zone_catalog_imports import zone_catalog_preview
from parks.zone_import import ZoneImportError
from tests.parks.factories import ParkFactory
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_discard, import_rollback
from zcpark.core.models import AuditEvent, ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

HEADER = "name,city_code,level,kind,catalog_code\n"


def _preview(world, text: str):
    return zone_catalog_preview(
        file=io.BytesIO((HEADER + text).encode()), filename="目录.csv", by=world.province
    )


def _zones() -> dict[str, tuple[str, str]]:
    rows = DevelopmentZone.objects.values_list("name", "level", "catalog_code")
    return {name: (level, code) for name, level, code in rows}


def test_a_file_previews_added_and_changed_zones_and_writes_nothing(world):
    before = _zones()
    with translation.override("en"):
        batch = _preview(world, "新区,360100,national,etdz,X-1\n南昌经济技术开发区,360100,provincial,etdz,\n")
    assert _zones() == before
    changes = {row["key"]: row["change"] for row in batch.diff}
    assert changes == {"新区": "added", "南昌经济技术开发区": "changed"}
    changed = next(row for row in batch.diff if row["key"] == "南昌经济技术开发区")
    assert [f["field"] for f in changed["fields"]] == ["Level"]


def test_commit_writes_and_undo_sets_everything_back(world):
    before = _zones()
    batch = import_commit(
        batch=_preview(world, "新区,360100,national,etdz,X-1\n南昌经济技术开发区,360100,provincial,etdz,\n"),
        by=world.province,
    )
    assert _zones()["新区"] == (ZoneLevel.NATIONAL, "X-1")
    assert _zones()["南昌经济技术开发区"][0] == ZoneLevel.PROVINCIAL
    import_rollback(batch=batch, by=world.province)
    assert _zones() == before
    assert AuditEvent.objects.filter(action="zone_import_removed", actor=world.province).count() == 1


def test_discard_stale_and_only_the_latest_undo(world):
    discarded = import_discard(batch=_preview(world, "甲区,360100,national,etdz,\n"), by=world.province)
    assert discarded.status == ImportStatus.DISCARDED and "甲区" not in _zones()
    stale = _preview(world, "乙区,360100,national,etdz,\n")
    first = import_commit(batch=_preview(world, "丙区,360100,national,etdz,\n"), by=world.province)
    with translation.override("en"), pytest.raises(ApplicationError, match="changed since this preview"):
        import_commit(batch=stale, by=world.province)
    second = import_commit(batch=_preview(world, "丁区,360700,national,hitech,\n"), by=world.province)
    with translation.override("en"), pytest.raises(ApplicationError, match="Only the latest"):
        import_rollback(batch=first, by=world.province)
    import_rollback(batch=second, by=world.province)
    import_rollback(batch=first, by=world.province)
    assert not {"乙区", "丙区", "丁区"} & set(_zones())


def test_undo_refuses_to_remove_a_zone_a_park_was_registered_in(world):
    batch = import_commit(batch=_preview(world, "新区,360100,national,etdz,\n"), by=world.province)
    ParkFactory(zone=DevelopmentZone.objects.get(name="新区"))
    with translation.override("en"), pytest.raises(ApplicationError, match="has parks registered"):
        import_rollback(batch=batch, by=world.province)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED
    assert "新区" in _zones()


def test_a_bad_file_names_its_rows_and_previews_nothing(world):
    with pytest.raises(ZoneImportError) as caught:
        _preview(world, "坏区,369900,national,etdz,\n")
    assert caught.value.row_errors[0].row == 2
    assert not ImportBatch.objects.exists()


SEES = {"province", "observer"}
MAY = {"province"}


@pytest.mark.parametrize(
    "who", ["staff_a", "staff_b", "reviewer_a", "reviewer_b", "province", "observer", "expert"]
)
def test_the_catalog_import_pages_by_role(world, login, who):
    batch = _preview(world, "新区,360100,national,etdz,\n")
    client = login(getattr(world, who))
    page = client.get(reverse("core:import-preview", args=[batch.pk]))
    assert page.status_code == (200 if who in SEES else 404)
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.status_code == (302 if who in MAY else 403 if who in SEES else 404)
    assert ("新区" in _zones()) == (who in MAY)
    assert Province.objects.exists()
