"""Importing the development-zone catalog (开发区审核公告目录) from CSV and Excel: service, command, admin."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from parks.models import DevelopmentZone, User, ZoneKind, ZoneLevel
from parks.services import cities_load
from parks.zone_import import ZoneImportError, ZoneImportResult, zone_catalog_import
from tests.parks.factories import CityFactory, UserFactory, ZoneFactory
from zcpark.core.models import AuditEvent, ImportBatch

HEADER = "name,city_code,level,kind,catalog_code\n"
GOOD_CSV = HEADER + (
    "南昌经济技术开发区,360100,national,etdz,\n"  # row 2
    "赣州高新技术产业开发区,360700,national,hitech,G-01\n"  # row 3
)
IMPORT_URL = "admin:parks_developmentzone_import"
CHANGELIST_URL = "admin:parks_developmentzone_changelist"


@pytest.fixture
def cities(db) -> int:
    return cities_load()


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@example.com", "correct-horse-battery")


def _import(text: str, *, filename: str = "zones.csv", encoding: str = "utf-8", **kwargs) -> ZoneImportResult:
    return zone_catalog_import(file=io.BytesIO(text.encode(encoding)), filename=filename, by=None, **kwargs)


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _errors(exc_info: pytest.ExceptionInfo[ZoneImportError]) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in exc_info.value.row_errors}


# --- the service -------------------------------------------------------------------------------------


def test_zone_import_creates_zones_when_csv_is_good(cities):
    result = _import(GOOD_CSV)

    assert result == ZoneImportResult(created=2, updated=0, unchanged=0)
    zone = DevelopmentZone.objects.get(name="赣州高新技术产业开发区")
    assert (zone.city.code, zone.level, zone.kind, zone.catalog_code) == (
        "360700",
        "national",
        "hitech",
        "G-01",
    )


def test_zone_import_reports_unchanged_when_file_is_imported_again(cities):
    _import(GOOD_CSV)

    assert _import(GOOD_CSV) == ZoneImportResult(created=0, updated=0, unchanged=2)


def test_zone_import_counts_update_when_a_row_changes_a_zone(cities):
    _import(GOOD_CSV)

    result = _import(HEADER + "南昌经济技术开发区,360100,provincial,other,NC-9\n")

    assert result == ZoneImportResult(created=0, updated=1, unchanged=0)
    zone = DevelopmentZone.objects.get(name="南昌经济技术开发区")
    assert (zone.level, zone.kind, zone.catalog_code) == (ZoneLevel.PROVINCIAL, ZoneKind.OTHER, "NC-9")


def test_zone_import_records_audit_events_when_zones_are_created_and_updated(cities):
    _import(GOOD_CSV)
    _import(HEADER + "南昌经济技术开发区,360100,provincial,etdz,\n")

    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["zone_imported_created", "zone_imported_created", "zone_imported_updated"]
    assert AuditEvent.objects.get(action="zone_imported_updated").changes == {
        "level": ["national", "provincial"]
    }


def test_zone_import_accepts_chinese_headers_and_values_when_file_uses_them(cities):
    text = (
        "名称,设区市代码,级别,类型,目录代码\n"
        "鹰潭综合保税区,360600,国家级,综保区,\n"
        "樟树工业园区,360900,省级,其他,\n"
    )

    assert _import(text).created == 2
    assert DevelopmentZone.objects.get(name="鹰潭综合保税区").kind == ZoneKind.BONDED
    assert DevelopmentZone.objects.get(name="樟树工业园区").level == ZoneLevel.PROVINCIAL


def test_zone_import_reads_first_sheet_when_file_is_excel(cities):
    # A city code typed into Excel is stored as a number; it must still match "360100".
    file = _xlsx(
        [
            ["名称", "设区市代码", "级别", "类型", "目录代码"],
            ["南昌高新技术产业开发区", 360100, "国家级", "高新区", None],
        ]
    )

    result = zone_catalog_import(file=file, filename="目录.xlsx", by=None)

    assert result.created == 1
    assert DevelopmentZone.objects.get(name="南昌高新技术产业开发区").city.code == "360100"


def test_zone_import_decodes_gb18030_when_csv_is_not_utf8(cities):
    text = "名称,设区市代码,级别,类型,目录代码\n萍乡经济技术开发区,360300,国家级,经开区,\n"

    assert _import(text, encoding="gb18030").created == 1
    assert DevelopmentZone.objects.filter(name="萍乡经济技术开发区").exists()


def test_zone_import_skips_blank_rows_when_file_has_them(cities):
    result = _import(HEADER + ",,,,\n\n南昌经济技术开发区,360100,national,etdz,\n")

    assert result.created == 1


def test_zone_import_reports_every_bad_row_when_rows_are_invalid(cities):
    text = HEADER + (
        "好区,360100,national,etdz,A1\n"  # row 2: fine
        "坏城市区,369900,national,etdz,\n"  # row 3: no such city
        "坏级别区,360100,county,etdz,\n"  # row 4: bad level
        ",360100,national,etdz,\n"  # row 5: no name
        "好区,360100,national,hitech,\n"  # row 6: name repeats row 2
        "重复代码区,360100,national,etdz,A1\n"  # row 7: catalog code repeats row 2
    )

    with pytest.raises(ZoneImportError) as exc_info:
        _import(text)

    assert _errors(exc_info) == {
        (3, "city_code"),
        (4, "level"),
        (5, "name"),
        (6, "name"),
        (7, "catalog_code"),
    }
    assert "369900" in exc_info.value.row_errors[0].message


def test_zone_import_names_columns_as_in_header_when_headers_are_chinese(cities):
    with pytest.raises(ZoneImportError) as exc_info:
        _import("名称,设区市代码,级别,类型\n某区,360100,国家级,未知类型\n")

    assert _errors(exc_info) == {(2, "类型")}


def test_zone_import_writes_nothing_when_any_row_is_invalid(cities):
    zone = ZoneFactory(name="南昌经济技术开发区", city__code="360100", kind=ZoneKind.HITECH)
    text = HEADER + (
        "南昌经济技术开发区,360100,national,etdz,\n"  # would update the stored zone
        "新区,360100,national,etdz,\n"  # would create a zone
        "坏区,999999,national,etdz,\n"  # but this row is invalid
    )

    with pytest.raises(ZoneImportError):
        _import(text)

    assert DevelopmentZone.objects.count() == 1
    zone.refresh_from_db()
    assert zone.kind == ZoneKind.HITECH
    assert not AuditEvent.objects.exists()


def test_zone_import_rejects_catalog_code_when_another_stored_zone_has_it(cities):
    ZoneFactory(name="已有区", city=CityFactory(code="360100"), catalog_code="JX-01")

    with pytest.raises(ZoneImportError) as exc_info:
        _import(HEADER + "新区,360100,national,etdz,JX-01\n")

    assert _errors(exc_info) == {(2, "catalog_code")}
    assert "已有区" in exc_info.value.row_errors[0].message


def test_zone_import_rejects_file_when_it_is_too_large(cities, settings):
    settings.ZONE_IMPORT_MAX_BYTES = 50

    with pytest.raises(ZoneImportError) as exc_info:
        _import(GOOD_CSV)

    assert _errors(exc_info) == {(0, "")}
    assert not DevelopmentZone.objects.exists()


def test_zone_import_rejects_file_when_extension_is_unsupported(cities):
    with pytest.raises(ZoneImportError) as exc_info:
        _import(GOOD_CSV, filename="zones.xls")

    assert _errors(exc_info) == {(0, "")}
    assert "zones.xls" in exc_info.value.message


def test_zone_import_rejects_file_when_excel_is_damaged(cities):
    with pytest.raises(ZoneImportError) as exc_info:
        _import(GOOD_CSV, filename="zones.xlsx")

    assert _errors(exc_info) == {(0, "")}


def test_zone_import_names_missing_columns_when_header_lacks_them(cities):
    with pytest.raises(ZoneImportError) as exc_info:
        _import("name,city_code,catalog_code\n某区,360100,\n")

    assert _errors(exc_info) == {(1, "")}
    assert "level" in exc_info.value.row_errors[0].message
    assert "kind" in exc_info.value.row_errors[0].message


def test_zone_import_keeps_stored_catalog_code_when_column_is_absent(cities):
    _import(GOOD_CSV)

    result = _import("name,city_code,level,kind\n赣州高新技术产业开发区,360700,national,hitech\n")

    assert result.unchanged == 1
    assert DevelopmentZone.objects.get(name="赣州高新技术产业开发区").catalog_code == "G-01"


def test_zone_import_writes_nothing_when_dry_run(cities):
    result = _import(GOOD_CSV, dry_run=True)

    assert result.created == 2
    assert not DevelopmentZone.objects.exists()
    assert not AuditEvent.objects.exists()


def test_zone_import_leaves_other_zones_alone_when_file_omits_them(cities):
    ZoneFactory(name="不在文件中的区", city=CityFactory(code="360100"))

    _import(GOOD_CSV)

    assert DevelopmentZone.objects.filter(name="不在文件中的区").exists()


def test_zone_import_loads_nineteen_zones_when_file_is_the_shipped_fixture(cities):
    path = Path(settings.PROVINCE_DIR) / "zones.csv"

    with path.open("rb") as fh:
        result = zone_catalog_import(file=fh, filename=path.name, by=None)

    assert result.created == 19
    assert DevelopmentZone.objects.count() == 19


# --- the management command --------------------------------------------------------------------------


def test_import_zones_command_prints_summary_when_file_is_good(cities, tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    out = io.StringIO()

    call_command("import_zones", str(path), stdout=out)

    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert DevelopmentZone.objects.count() == 2


def test_import_zones_command_writes_nothing_when_dry_run(cities, tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    out = io.StringIO()

    call_command("import_zones", str(path), "--dry-run", stdout=out)

    assert "2 created" in out.getvalue()
    assert not DevelopmentZone.objects.exists()


def test_import_zones_command_fails_with_row_errors_when_rows_are_bad(cities, tmp_path):
    path = tmp_path / "zones.csv"
    path.write_text(HEADER + "坏城市区,369900,national,etdz,\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_zones", str(path), stdout=io.StringIO(), stderr=err)

    assert "369900" in err.getvalue()
    assert not DevelopmentZone.objects.exists()


# --- the admin ----------------------------------------------------------------------------------------


def test_zone_admin_import_creates_zones_when_superuser_uploads_good_file(cities, superuser, client):
    client.force_login(superuser)
    upload = SimpleUploadedFile("zones.csv", GOOD_CSV.encode())

    response = client.post(reverse(IMPORT_URL), {"file": upload})

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("core:import-preview", args=[batch.pk])
    assert not DevelopmentZone.objects.exists()  # the preview writes nothing
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.url == reverse(CHANGELIST_URL)
    assert DevelopmentZone.objects.count() == 2
    assert AuditEvent.objects.filter(actor=superuser, action="zone_imported_created").count() == 2
    # The import page lists the catalog's imports, the saved one open to undo.
    page = client.get(reverse(IMPORT_URL)).content.decode()
    assert 'id="zone-imports"' in page and reverse("core:import-preview", args=[batch.pk]) in page


def test_zone_admin_import_lists_row_errors_when_file_is_bad(cities, superuser, client):
    client.force_login(superuser)
    upload = SimpleUploadedFile(
        "zones.csv", (HEADER + "好区,360100,national,etdz,\n坏区,369900,county,etdz,\n").encode()
    )

    response = client.post(reverse(IMPORT_URL), {"file": upload})

    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(3, "city_code"), (3, "level")]
    assert b'id="zone-import-errors"' in response.content
    assert "369900" in response.content.decode()
    assert not DevelopmentZone.objects.exists()


def test_zone_admin_changelist_links_to_import_when_user_may_add(cities, superuser, client):
    client.force_login(superuser)

    response = client.get(reverse(CHANGELIST_URL))

    assert reverse(IMPORT_URL) in response.content.decode()


def test_zone_admin_import_redirects_to_login_when_user_is_not_staff(cities, client):
    client.force_login(UserFactory(username="outsider"))

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_zone_admin_import_forbids_staff_when_they_lack_add_permission(cities, client):
    client.force_login(UserFactory(username="clerk", is_staff=True))

    response = client.get(reverse(IMPORT_URL))

    assert response.status_code == 403
