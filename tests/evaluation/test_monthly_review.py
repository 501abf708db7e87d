"""The monthly review's fixes: a year assembled only from twelve months (from last year only the park and
the method settings), crossings told across a lapse to "not yet projected", the Park record's type, rows
with non-text fields named, the upload guarded (size, type, zip, strict months, float cells), the template
written without live formulas, and no writes for a GET nor for a year outside the portal's range."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook, load_workbook

from evaluation.models import MonthlyFigure, MonthlyOutlook, OutlookStatus
from evaluation.monthly.assembly import base_document
from evaluation.monthly.machine import verb_for
from evaluation.monthly.outlook import outlook_compute
from evaluation.monthly.services import assembled_document, months_set
from tests.evaluation.monthly_helpers import month_rows, push
from tests.indicators.factories import ParkDatasetFactory, dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, ImportBatch, Notification

pytestmark = pytest.mark.django_db

# Last year's non-monthly parts: none of them is this year's.
LAST_YEAR_PARTS = {
    "method": {"grid_ef_basis": "fixed", "grid_ef_tco2_per_mwh": "0.6"},
    "process": [{"code": "cement_clinker", "quantity_t": "1000"}],
    "direct_emissions": [{"gas": "co2", "tco2": "500", "source": "measured"}],
    "offsets_tco2": {"ccer": "800"},
    "exemptions": {"approved_tco2": "100"},
}


@pytest.fixture
def factors(db):
    load_factor_data()


# ---- 1. the year from its twelve months ---------------------------------------------------------------


def test_a_part_of_the_year_is_refused_naming_the_missing_months(world, factors):
    push(world.staff_a, world.park_a, 2026, range(1, 11))
    with translation.override("en"), pytest.raises(ApplicationError) as caught:
        assembled_document(world.park_a, 2026)
    assert "month(s) 11, 12 is missing" in str(caught.value)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        assembled_document(world.park_a, 2026)
    assert "11、12" in str(caught.value)


def test_from_last_years_dataset_only_the_park_and_the_method_are_carried(world, factors):
    ParkDatasetFactory(park=world.park_a, year=2025, document=dataset_document(year=2025, **LAST_YEAR_PARTS))
    push(world.staff_a, world.park_a, 2026, range(1, 13))
    document, months = assembled_document(world.park_a, 2026)
    assert months == list(range(1, 13))
    assert document["method"] == LAST_YEAR_PARTS["method"]
    assert document["park"] == {"name": "赣江新区绿色智造产业园", "park_type": world.park_a.park_type}
    for part in ("process", "direct_emissions", "offsets_tco2", "resources", "exemptions"):
        assert part not in document, part
    assert document["year"] == 2026 and document["electricity_mwh"]["grid"] == "12000"
    # The outlook's estimates still use last year's parts (its year to date takes months/12 of them).
    _base, base_year = base_document(world.park_a, 2026)
    assert base_year == 2025 and "process" in _base


def test_from_the_years_own_dataset_the_non_monthly_parts_are_kept(world, factors):
    ParkDatasetFactory(park=world.park_a, year=2026, document=dataset_document(year=2026, **LAST_YEAR_PARTS))
    push(world.staff_a, world.park_a, 2026, range(1, 13))
    document, _months = assembled_document(world.park_a, 2026)
    for part, value in LAST_YEAR_PARTS.items():
        assert document[part] == value
    assert document["resources"]["green_buildings"] == 2
    gas = next(r for r in document["energy"] if r["carrier"] == "natural_gas")
    assert gas["quantity"] == "480"  # the months' energy, not the stored 500


# ---- 3. the park's type is the Park record's ------------------------------------------------------------


def test_the_park_type_is_the_park_records_everywhere(world, factors):
    other = "chemical" if world.park_a.park_type == "non_chemical" else "non_chemical"
    stored = dataset_document(year=2026, park={"name": "旧名", "park_type": other})
    ParkDatasetFactory(park=world.park_a, year=2026, document=stored)
    base, _year = base_document(world.park_a, 2026)
    assert base["park"] == {"name": "旧名", "park_type": world.park_a.park_type}
    push(world.staff_a, world.park_a, 2026, range(1, 13))
    document, _months = assembled_document(world.park_a, 2026)
    assert document["park"]["park_type"] == world.park_a.park_type
    # The target is the scheme's threshold for the park's registered type (0.4 for park_a).
    outlook = outlook_compute(world.park_a, 2026)
    assert (outlook.target, outlook.target_basis) == (Decimal("0.4"), "scheme")


# ---- 2. a crossing through "not yet projected" ---------------------------------------------------------


def _outlook(world):
    return MonthlyOutlook.objects.get(park=world.park_a, year=2026)


def test_missing_then_unknown_then_missing_is_not_told_again(world, factors):
    push(world.staff_a, world.park_a, 2026, [1, 2], grid="4000")  # a first projection that misses
    assert Notification.objects.count() == 2
    months_set(by=world.staff_a, outlook_row=_outlook(world), months={})  # every month undone
    assert (_outlook(world).status, _outlook(world).last_side) == (
        OutlookStatus.UNKNOWN,
        OutlookStatus.MISSING,
    )
    push(world.staff_a, world.park_a, 2026, [1, 2], grid="4000")  # missing again: no crossing
    assert Notification.objects.count() == 2
    assert _outlook(world).status == OutlookStatus.MISSING
    months_set(by=world.staff_a, outlook_row=_outlook(world), months={})
    push(world.staff_a, world.park_a, 2026, [1, 2], grid="100")  # meeting after missing: told
    told = Notification.objects.order_by("pk")[2:]
    assert len(told) == 2 and all("meets the target again" in n.title_message["msgid"] for n in told)
    assert {n.recipient for n in told} == {world.staff_a, world.reviewer_a}
    outlook = _outlook(world)
    assert (outlook.status, outlook.last_side) == (OutlookStatus.MEETING, OutlookStatus.MEETING)
    changes = AuditEvent.objects.filter(target_id=str(outlook.pk), action__startswith="outlook_")
    assert [e.action for e in changes.order_by("pk")] == [
        "outlook_miss",
        "outlook_reset",
        "outlook_miss_again",
        "outlook_reset",
        "outlook_recover",
    ]


def test_meeting_then_unknown_then_missing_is_told(world, factors):
    push(world.staff_a, world.park_a, 2026, [1, 2])
    months_set(by=world.staff_a, outlook_row=_outlook(world), months={})
    assert Notification.objects.count() == 0
    push(world.staff_a, world.park_a, 2026, [1, 2], grid="4000")
    assert Notification.objects.count() == 2
    months_set(by=world.staff_a, outlook_row=_outlook(world), months={})
    push(world.staff_a, world.park_a, 2026, [1])  # meeting after missing
    assert Notification.objects.count() == 4


@pytest.mark.parametrize(
    ("before", "after", "last", "verb"),
    [
        ("unknown", "missing", "", "miss"),
        ("unknown", "meeting", "", "meet"),
        ("unknown", "missing", "missing", "miss_again"),
        ("unknown", "meeting", "missing", "recover"),
        ("unknown", "missing", "meeting", "miss"),
        ("unknown", "meeting", "meeting", "meet"),
        ("meeting", "missing", "meeting", "miss"),
        ("missing", "meeting", "missing", "recover"),
        ("missing", "unknown", "missing", "reset"),
    ],
)
def test_the_verb_follows_the_last_side(before, after, last, verb):
    assert verb_for(before, after, last) == verb


# ---- 4. rows with fields of the wrong type --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (field, value)
        for field in ("use", "enterprise", "unit", "carrier", "quantity")
        for value in (5, [], {}, True)
        if (field, value) != ("quantity", 5)  # a JSON number is a quantity
    ],
)
def test_a_field_of_the_wrong_type_is_named(world, login, factors, field, value):
    client = login(world.staff_a)
    row = {"carrier": "diesel", "use": "fuel", "quantity": "1", "unit": "t", "enterprise": "乙", field: value}
    body = {"year": 2026, "month": 1, "rows": [*month_rows(), row]}
    response = client.post(f"/api/v1/parks/{world.park_a.pk}/monthly/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [f"rows[5].{field}"]
    assert not MonthlyFigure.objects.exists()


# ---- 5. the upload's guards -----------------------------------------------------------------------------


def _workbook(rows: list[list[object]], name: str = "months.xlsx") -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["月份", "品种", "用途", "企业", "数量", "单位"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = name
    return out


def _upload(client, world, file, year=2026):
    client.cookies["django_language"] = "en"
    return client.post(f"/parks/{world.park_a.pk}/monthly/{year}/upload/", {"file": file})


def _errors(response) -> list[tuple[str, str]]:
    return [(e["cell"], e["message"]) for e in response.context["upload_errors"]]


def test_a_file_that_is_no_workbook_is_refused_on_the_page(world, login, factors):
    client = login(world.staff_a)
    not_zip = io.BytesIO(b"this is no workbook at all")
    not_zip.name = "months.xlsx"
    response = _upload(client, world, not_zip)
    assert response.status_code == 400
    assert _errors(response) == [("", "The file is not an Excel workbook (.xlsx).")]
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:  # a zip, not an .xlsx package
        archive.writestr("readme.txt", "x" * 1000)
    packed.seek(0)
    packed.name = "months.xlsx"
    assert _upload(client, world, packed).status_code == 400
    text_file = _workbook([[1, "diesel", "", "", "1", "t"]], name="months.csv")
    response = _upload(client, world, text_file)
    assert response.status_code == 400 and "(.xlsx)" in _errors(response)[0][1]
    assert not ImportBatch.objects.exists() and not MonthlyOutlook.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_opened(world, login, factors):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml", '<workbook><sheets><sheet name="s" r:id="rId1"/></sheets></workbook>'
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (30 * 1024 * 1024))
    packed.seek(0)
    packed.name = "months.xlsx"
    response = _upload(login(world.staff_a), world, packed)
    assert response.status_code == 400
    assert "(.xlsx)" not in _errors(response)[0][1]  # told why: too large, or far more than its size


@override_settings(TABLE_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(world, login, factors):
    response = _upload(login(world.staff_a), world, _workbook([[1, "diesel", "", "", "1", "t"]]))
    assert response.status_code == 400
    assert "larger than" in _errors(response)[0][1]


def test_months_are_ascii_whole_numbers_from_1_to_12(world, login, factors):
    rows = [
        ["²", "diesel", "", "", "1", "t"],
        ["١", "diesel", "", "", "1", "t"],
        [2.5, "diesel", "", "", "1", "t"],
    ]
    response = _upload(login(world.staff_a), world, _workbook(rows))
    assert response.status_code == 400
    assert [cell for cell, _m in _errors(response)] == ["A2", "A3", "A4"]


def test_a_float_cell_is_read_as_its_shortest_decimal(world, login, factors):
    client = login(world.staff_a)
    response = _upload(client, world, _workbook([[3.0, "diesel", "", "", 0.1 + 0.2, "t"]]))
    assert response.status_code == 302, response.context and response.context["upload_errors"]
    batch = ImportBatch.objects.get()
    assert batch.content == {
        "03": [{"carrier": "diesel", "use": "fuel", "enterprise": "", "quantity": "0.3", "unit": "t"}]
    }


# ---- 6. the template writes text as text --------------------------------------------------------------


def test_the_template_holds_an_enterprise_formula_as_text(world, login, factors):
    formula = '=HYPERLINK("http://example.com","点此")'
    rows = [{"carrier": "diesel", "quantity": "15", "unit": "t", "enterprise": formula}]
    from evaluation.monthly.services import monthly_push

    monthly_push(by=world.staff_a, park=world.park_a, year=2026, month=1, rows=rows)
    response = login(world.staff_a).get(f"/parks/{world.park_a.pk}/monthly/2026/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet["D2"]
    assert (cell.value, cell.data_type) == (formula, "s")


# ---- 7. no write for a GET, no year outside the range ------------------------------------------------


def test_the_template_writes_nothing_and_years_outside_the_range_are_404(world, login, factors):
    client = login(world.staff_a)
    park = world.park_a.pk
    assert client.get(f"/parks/{park}/monthly/2026/template.xlsx").status_code == 200
    assert not MonthlyOutlook.objects.exists()
    assert client.get(f"/parks/{park}/monthly/9999/template.xlsx").status_code == 404
    upload = _workbook([[1, "diesel", "", "", "1", "t"]])
    assert client.post(f"/parks/{park}/monthly/9999/upload/", {"file": upload}).status_code == 404
    assert client.post(f"/parks/{park}/monthly/9999/assemble/").status_code == 404
    assert not MonthlyOutlook.objects.exists() and not ImportBatch.objects.exists()
