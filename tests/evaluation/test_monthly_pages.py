"""Monthly pages and API by role × scope (outside → 404, not allowed → 403), the upload with cell-level
errors previewed, committed and undone in the months' history, and the year assembled from its months
previewed as the year's energy import: one history of the year's data, shown on the monthly page."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from evaluation.models import MonthlyFigure, MonthlyOutlook
from evaluation.monthly.importer import KIND_UPLOAD
from indicators.models import ENERGY_USE_LABELS, ParkDataset, ParkYear
from indicators.services.dataset_imports import ENERGY_KIND, park_dataset_push
from tests.evaluation.monthly_helpers import month_rows, push
from tests.indicators.factories import dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import IMPORTERS, import_commit, import_rollback
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

# park_a (南昌): who sees it and who may write its months.
SEES = {
    "province": True,
    "observer": True,
    "expert": False,
    "reviewer_a": True,
    "reviewer_b": False,
    "staff_a": True,
    "staff_b": False,
}
WRITES = {"province", "staff_a"}


@pytest.fixture
def factors(db):
    load_factor_data()


@pytest.mark.parametrize("who", list(SEES))
def test_role_scope_matrix(world, login, factors, who):
    push(world.staff_a, world.park_a, 2026, [1])
    client = login(getattr(world, who))
    park = world.park_a.pk
    expected_read = 200 if SEES[who] else 404
    assert client.get(f"/api/v1/parks/{park}/monthly/2026/").status_code == expected_read
    assert client.get(f"/parks/{park}/monthly/2026/").status_code == expected_read
    write = 201 if who in WRITES else (403 if SEES[who] else 404)
    body = {"year": 2026, "month": 2, "rows": month_rows()}
    assert (
        client.post(f"/api/v1/parks/{park}/monthly/", body, content_type="application/json").status_code
        == write
    )
    page_write = 302 if who in WRITES else (403 if SEES[who] else 404)
    assert client.post(f"/parks/{park}/monthly/2026/assemble/").status_code == page_write
    assert client.get(f"/parks/{park}/monthly/2026/template.xlsx").status_code == (
        200 if who in WRITES else page_write
    )
    listing = client.get("/monthly/?year=2026")
    if who == "expert":
        assert listing.status_code == 403
    elif who.startswith("staff"):
        assert listing.status_code == 302
    else:
        assert listing.status_code == 200
        shown = {row["park"].pk for row in listing.context["rows"]}
        assert (world.park_a.pk in shown) == SEES[who]
        assert (world.park_b.pk in shown) == (who in ("province", "observer", "reviewer_b"))


def test_the_park_page_shows_months_projection_and_bases(world, login, factors):
    push(world.staff_a, world.park_a, 2026, [1, 2])
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    page = client.get(f"/parks/{world.park_a.pk}/monthly/2026/").content.decode()
    assert "This year&#x27;s months scaled to twelve" in page
    assert "The scheme&#x27;s threshold for the park type" in page
    assert "On track to meet the target" in page
    assert "Received from the public grid" in page
    assert "scaled" not in page.replace("scaled to twelve", "")


def _workbook(rows: list[list[object]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "月度数据"
    sheet.append(["月份", "品种", "用途", "企业", "数量", "单位"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "months.xlsx"
    return out


def test_an_upload_names_the_sheet_and_cell_of_each_error(world, login, factors):
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    upload = _workbook(
        [
            [1, "天然气", "", "", "12", "10^4 Nm3"],
            [1, "natural_gas", "fuel", "乙", "-3", "t"],
            [13, "diesel", "", "", "1", "t"],
        ]
    )
    response = client.post(f"/parks/{world.park_a.pk}/monthly/2026/upload/", {"file": upload})
    assert response.status_code == 400
    errors = {(e["sheet"], e["cell"]) for e in response.context["upload_errors"]}
    assert errors == {("月度数据", "A4"), ("月度数据", "E3"), ("月度数据", "F3")}
    assert not MonthlyFigure.objects.exists()


def test_an_upload_previews_commits_and_undoes(world, login, factors):
    push(world.staff_a, world.park_a, 2026, [1])
    client = login(world.staff_a)
    upload = _workbook(
        [[2, "天然气", "终端消费", "", "12.5", "10^4 Nm3"], [2, "电力", "grid", "", "800", "MWh"]]
    )
    response = client.post(f"/parks/{world.park_a.pk}/monthly/2026/upload/", {"file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind=KIND_UPLOAD)
    assert {row["change"] for row in batch.diff} == {"added"} and len(batch.diff) == 2
    assert any(row["label"].endswith("天然气 · " + str(ENERGY_USE_LABELS["fuel"])) for row in batch.diff)
    assert not MonthlyFigure.objects.filter(month=2).exists()  # a preview saves nothing
    import_commit(batch=batch, by=world.staff_a)
    gas = MonthlyFigure.objects.get(park=world.park_a, year=2026, month=2, carrier="natural_gas")
    assert (gas.quantity, gas.use) == (Decimal("12.5"), "fuel")
    assert MonthlyFigure.objects.filter(month=1).count() == 5  # the month not in the file stays
    batch.refresh_from_db()
    import_rollback(batch=batch, by=world.staff_a)
    assert not MonthlyFigure.objects.filter(month=2).exists()
    assert MonthlyFigure.objects.filter(month=1).count() == 5


def _assemble(client, park, year=2026):
    return client.post(f"/parks/{park.pk}/monthly/{year}/assemble/")


def test_assembling_the_year_is_a_preview_of_the_years_energy_import(world, login, factors):
    push(world.staff_a, world.park_a, 2026, range(1, 13))
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    response = _assemble(client, world.park_a)
    batch = ImportBatch.objects.get()
    assert response.url == reverse("core:import-preview", args=[batch.pk])
    park_year = ParkYear.objects.get(park=world.park_a, year=2026)
    assert (batch.kind, batch.target) == (ENERGY_KIND, park_year)  # the energy importer's, on the park-year
    assert batch.file_name == "Monthly data summed 2026-01–2026-12"
    assert batch.back_url == f"/parks/{world.park_a.pk}/monthly/2026/"
    assert batch.status == ImportStatus.PREVIEWED and not ParkDataset.objects.exists()  # nothing stored
    assert {row["change"] for row in batch.diff} == {"added"}
    assert any(row["label"] == "Electricity" for row in batch.diff)
    assert batch.indicators and all(row["resulting"] for row in batch.indicators)  # the engine's totals
    assert all(row["current"] == "" for row in batch.indicators)  # no stored year yet
    assert isinstance(batch.warnings, list)
    # The preview page leads back to the monthly page.
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["target_url"] == f"/parks/{world.park_a.pk}/monthly/2026/"
    import_commit(batch=batch, by=world.staff_a)
    dataset = ParkDataset.objects.get(park=world.park_a, year=2026)
    assert dataset.document["electricity_mwh"]["grid"] == "12000"
    gas = next(r for r in dataset.document["energy"] if r["carrier"] == "natural_gas")
    assert gas["quantity"] == "480"
    batch.refresh_from_db()
    import_rollback(batch=batch, by=world.staff_a)
    assert not ParkDataset.objects.filter(park=world.park_a, year=2026).exists()
    assert MonthlyOutlook.objects.filter(park=world.park_a, year=2026).exists()
    assert MonthlyFigure.objects.filter(park=world.park_a, year=2026).count() == 12 * 5  # months kept


def test_a_part_of_the_year_is_not_assembled_and_the_page_says_why(world, login, factors):
    """Eleven months are no year: the button is disabled with the months missing named, and a POST anyway
    is refused with the same words; with the twelfth month the year is assembled and named."""
    push(world.staff_a, world.park_a, 2026, [*range(1, 6), *range(7, 12)])
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    page = client.get(f"/parks/{world.park_a.pk}/monthly/2026/").content.decode()
    reason = "The data of month(s) 6, 12 is missing: the months are summed into the year&#x27;s data"
    assert reason in page and 'disabled aria-describedby="monthly-assemble-blocked"' in page
    response = client.post(f"/parks/{world.park_a.pk}/monthly/2026/assemble/", follow=True)
    assert reason in response.content.decode()
    assert not ImportBatch.objects.exists() and not ParkDataset.objects.exists()
    client.cookies["django_language"] = "zh-hans"
    page = client.get(f"/parks/{world.park_a.pk}/monthly/2026/").content.decode()
    assert "6、12" in page
    push(world.staff_a, world.park_a, 2026, [6, 12])
    client.cookies["django_language"] = "en"
    page = client.get(f"/parks/{world.park_a.pk}/monthly/2026/").content.decode()
    assert "monthly-assemble-blocked" not in page
    _assemble(client, world.park_a)
    assert ImportBatch.objects.get().file_name == "Monthly data summed 2026-01–2026-12"


def test_the_monthly_page_shows_the_years_one_history_and_why_an_undo_is_refused(world, login, factors):
    """An assembly saved, then the year pushed as a workbook: both are in the year's history on the monthly
    page; the assembly cannot be undone before the later push (the page says which one can)."""
    push(world.staff_a, world.park_a, 2026, range(1, 13))
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    _assemble(client, world.park_a)
    assembly = ImportBatch.objects.get()
    import_commit(batch=assembly, by=world.staff_a)
    park_dataset_push(
        by=world.staff_a,
        park=world.park_a,
        year=2026,
        document=dataset_document(year=2026),
        comment="2026.xlsx",
    )
    workbook = ImportBatch.objects.exclude(pk=assembly.pk).get()
    assert (workbook.kind, workbook.target_id) == (ENERGY_KIND, assembly.target_id)
    page = client.get(f"/parks/{world.park_a.pk}/monthly/2026/")
    history = page.context["year_batches"]
    assert [b.pk for b in history] == [workbook.pk, assembly.pk]
    assert [b.can_undo for b in history] == [True, False]
    html = page.content.decode()
    assert "Monthly data summed 2026-01–2026-12" in html and "2026.xlsx" in html
    assembly.refresh_from_db()
    with translation.override("en"), pytest.raises(ApplicationError, match="latest saved import"):
        import_rollback(batch=assembly, by=world.staff_a)
    # A reviewer of the city sees the history, and may undo nothing.
    reviewer = login(world.reviewer_a).get(f"/parks/{world.park_a.pk}/monthly/2026/")
    assert [b.can_undo for b in reviewer.context["year_batches"]] == [False, False]


def test_assembling_without_a_month_says_so_and_previews_nothing(world, login, factors):
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    response = client.post(f"/parks/{world.park_a.pk}/monthly/2026/assemble/", follow=True)
    assert response.redirect_chain[-1][0] == f"/parks/{world.park_a.pk}/monthly/2026/"
    assert "No month has been received for this year yet." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_monthly_assembly_is_no_importer_of_its_own():
    assert "monthly" not in IMPORTERS and KIND_UPLOAD in IMPORTERS and ENERGY_KIND in IMPORTERS
