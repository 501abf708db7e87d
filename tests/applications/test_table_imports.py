"""Dossier tables from Excel through the import framework: download the prefilled template, upload it
(errors listed by cell on the section's page, nothing stored), preview the rows added/changed/removed,
commit (only that table changes), undo; a submitted dossier refuses; who may download and upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import ApplicationStatus, DossierSection
from applications.tables.importers import table_rows
from applications.tables.specs import TABLE_KINDS
from tests.applications.factories import ApplicationFactory
from tests.applications.table_excel_helpers import ROWS, edited, template
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_rollback
from zcpark.core.models import AuditEvent, ImportBatch, ImportStatus

FEASIBILITY = {
    "discount_rate_pct": "6",
    "trend_analysis": "趋势分析",
    "supply_mix": [{"source": "光伏", "quantity_mwh": "1000", "is_clean": True, "is_direct_green": False}],
    "cash_flows": ROWS["cash_flows"],
}


@pytest.fixture
def dossier(world):
    """A draft of park_a with every imported table filled (and the feasibility section's other fields)."""
    application = ApplicationFactory(park=world.park_a)
    for code, data in (
        ("projects", {"projects": ROWS["key_projects"]}),
        ("targets", {"period_years": 3, "targets": ROWS["targets"]}),
        ("feasibility", FEASIBILITY),
        ("industry", {"leading_industries": "新能源", "key_enterprises": ROWS["key_enterprises"]}),
    ):
        services.dossier_section_save(by=world.staff_a, application=application, code=code, data=data)
    return application


def _template_url(application, kind):
    return reverse("applications:table-template", args=[application.pk, kind])


def _import_url(application, kind):
    return reverse("applications:table-import", args=[application.pk, kind])


def _upload(client, application, kind, data, name="table.xlsx"):
    client.cookies["django_language"] = "en"
    return client.post(_import_url(application, kind), {"file": SimpleUploadedFile(name, data)})


def _batch(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


@pytest.mark.parametrize("kind", list(ROWS))
def test_the_downloaded_template_uploaded_unchanged_changes_nothing(world, login, dossier, kind):
    client = login(world.staff_a)
    response = client.get(_template_url(dossier, kind))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    batch = _batch(_upload(client, dossier, kind, response.content))
    assert batch.status == ImportStatus.PREVIEWED
    assert batch.diff == []
    assert batch.content == batch.before == ROWS[kind]


def test_an_upload_with_errors_lists_them_by_cell_and_stores_nothing(world, login, dossier):
    data = edited(template("key_projects"), {"D3": "八千", "F4": 2099, "I3": "造火箭"})
    response = _upload(login(world.staff_a), dossier, "key_projects", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="upload-errors"' in page
    for cell, text in (
        ("D3", "Investment: Enter a number."),
        ("F4", "Must be at most 2040."),
        ("I3", "造火箭"),
    ):
        assert f"重点项目 {cell}" in page and text in page
    assert not ImportBatch.objects.exists()
    assert table_rows(dossier, TABLE_KINDS["key_projects"]) == ROWS["key_projects"]


def test_the_preview_shows_rows_added_changed_and_removed_by_their_key(world, login, dossier):
    data = edited(
        template("key_projects"),
        {
            "A4": "储能电站",
            "D3": 9000,
            "H3": "清洁能源消费占比",
            "A5": "充电桩",
            "D5": 10,
            "E5": 2026,
            "F5": 2026,
        },
    )
    batch = _batch(_upload(login(world.staff_a), dossier, "key_projects", data))
    changes = {(row["change"], row["label"]): row["fields"] for row in batch.diff}
    assert set(changes) == {
        ("changed", "屋顶光伏一期"),
        ("added", "储能电站"),
        ("added", "充电桩"),
        ("removed", "余热回收"),
    }
    changed = {field["field"]: (field["old"], field["new"]) for field in changes[("changed", "屋顶光伏一期")]}
    assert changed == {
        "Investment": ("80,005,000.0 yuan", "90,000,000 yuan"),  # 万元 read in yuan in English
        "Indicators supported": (
            "Clean energy share of consumption、Ultra-low-energy, near-zero-energy and high-star green buildings",
            "Clean energy share of consumption",
        ),
    }
    added = {field["field"]: (field["old"], field["new"]) for field in changes[("added", "充电桩")]}
    assert added["Start year"] == ("", "2026")
    indicators = {row["label"]: (row["current"], row["resulting"]) for row in batch.indicators}
    assert indicators["Rows"] == ("2", "3")
    page = login(world.staff_a).get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert "储能电站" in page and "余热回收" in page


def test_values_still_missing_are_warnings_not_errors(world, login, dossier):
    data = edited(template("key_projects"), {"D4": None})
    batch = _batch(_upload(login(world.staff_a), dossier, "key_projects", data))
    assert batch.warnings == [{"severity": "info", "message": "Key projects, row 2: Investment is required."}]


def test_commit_writes_only_that_table_and_undo_restores_it(world, login, dossier):
    data = edited(template("cash_flows"), {"C3": 99, "A5": 2028, "B5": 5, "C5": 500})
    batch = _batch(_upload(login(world.staff_a), dossier, "cash_flows", data))
    assert {row["label"] for row in batch.indicators} >= {"Net present value", "Internal rate of return"}
    import_commit(batch=batch, by=world.staff_a)
    stored = DossierSection.objects.get(application=dossier, code="feasibility").data
    assert stored["cash_flows"][0]["revenue_wan"] == "99"
    assert stored["cash_flows"][2] == {"year": 2028, "cost_wan": "5", "revenue_wan": "500", "note": None}
    assert {k: v for k, v in stored.items() if k != "cash_flows" and v not in (None, "", [])} == {
        k: v for k, v in FEASIBILITY.items() if k != "cash_flows"
    }
    assert AuditEvent.objects.filter(action="section_saved", comment="feasibility").count() == 2
    batch.refresh_from_db()
    import_rollback(batch=batch, by=world.staff_a)
    stored = DossierSection.objects.get(application=dossier, code="feasibility").data
    assert stored["cash_flows"] == ROWS["cash_flows"]
    assert stored["supply_mix"] == FEASIBILITY["supply_mix"]
    assert AuditEvent.objects.filter(action="import_rollback").exists()


def test_commit_through_the_page_then_undo_from_the_section(world, login, dossier):
    client = login(world.staff_a)
    data = edited(template("key_enterprises"), {"A4": None, "B4": None, "C4": None, "D4": None})
    batch = _batch(_upload(client, dossier, "key_enterprises", data))
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/sections/industry/")
    assert [row["name"] for row in table_rows(dossier, TABLE_KINDS["key_enterprises"])] == ["001 号企业"]
    page = client.get(response["Location"]).content.decode()
    assert 'id="table-import-key_enterprises"' in page and "import-undo" in page
    client.post(reverse("core:import-rollback", args=[batch.pk]))
    assert table_rows(dossier, TABLE_KINDS["key_enterprises"]) == ROWS["key_enterprises"]


def test_a_submitted_dossier_refuses_upload_commit_and_undo_with_the_existing_message(world, login, dossier):
    client = login(world.staff_a)
    data = edited(template("targets"), {"C3": 1.4})
    batch = _batch(_upload(client, dossier, "targets", data))
    import_commit(batch=batch, by=world.staff_a)
    second = _batch(_upload(client, dossier, "targets", edited(template("targets"), {"C3": 1.3})))
    dossier.status = ApplicationStatus.SUBMITTED
    dossier.save()
    response = _upload(client, dossier, "targets", data)
    assert response.status_code == 400
    assert "The dossier is Submitted and cannot be changed now." in response.content.decode()
    with translation.override("en"), pytest.raises(ApplicationError, match="cannot be changed now"):
        import_commit(batch=second, by=world.staff_a)
    batch.refresh_from_db()
    with translation.override("en"), pytest.raises(ApplicationError, match="cannot be changed now"):
        import_rollback(batch=batch, by=world.staff_a)
    assert table_rows(dossier, TABLE_KINDS["targets"])[0]["y2026"] == "1.4"


def test_a_50_mb_file_and_a_file_that_is_not_xlsx_are_refused(world, login, dossier):
    client = login(world.staff_a)
    big = _upload(client, dossier, "cash_flows", b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))
    assert big.status_code == 400 and "The file is larger than 5.0" in big.content.decode()
    csv = _upload(client, dossier, "cash_flows", b"year,cost\n2026,1\n", name="table.csv")
    assert csv.status_code == 400 and "Upload an Excel workbook (.xlsx)" in csv.content.decode()
    assert not ImportBatch.objects.exists()


@override_settings(TABLE_IMPORT_MAX_BYTES=2000)
def test_the_upload_limit_is_the_setting(world, login, dossier):
    response = _upload(login(world.staff_a), dossier, "cash_flows", template("cash_flows"))
    assert response.status_code == 400 and "The file is larger than" in response.content.decode()


# role → (template download, upload) on park_a's draft: 404 outside the scope, 403 for readers.
MATRIX = {
    "province": (200, 403),
    "observer": (404, 404),  # observers see no drafts
    "expert": (404, 404),
    "reviewer_a": (200, 403),
    "reviewer_b": (404, 404),
    "staff_a": (200, 302),
    "staff_b": (404, 404),
}


@pytest.mark.parametrize(("role", "expected"), MATRIX.items())
def test_who_may_download_and_upload(world, login, dossier, role, expected):
    client = login(world.users()[role])
    download = client.get(_template_url(dossier, "key_projects")).status_code
    upload = _upload(client, dossier, "key_projects", template("key_projects")).status_code
    assert (download, upload) == expected


@pytest.mark.parametrize("role", ["province", "reviewer_a"])
def test_readers_download_but_see_no_upload(world, login, dossier, role):
    page = login(world.users()[role]).get(reverse("applications:section-edit", args=[dossier.pk, "projects"]))
    html = page.content.decode()
    assert 'id="table-template-key_projects"' in html and 'id="table-upload-key_projects"' not in html


def test_the_staff_see_both_controls_on_each_tables_section(world, login, dossier):
    client = login(world.staff_a)
    for code, kind in (
        ("projects", "key_projects"),
        ("targets", "targets"),
        ("feasibility", "cash_flows"),
        ("industry", "key_enterprises"),
    ):
        html = client.get(reverse("applications:section-edit", args=[dossier.pk, code])).content.decode()
        assert f'id="table-template-{kind}"' in html and f'id="table-upload-{kind}"' in html


def test_an_unknown_table_is_404(world, login, dossier):
    assert login(world.staff_a).get(_template_url(dossier, "stages")).status_code == 404


# role → (preview page, commit) of a batch park_a's staff previewed.
PREVIEW_MATRIX = {
    "province": (200, 403),
    "reviewer_a": (200, 403),
    "reviewer_b": (404, 404),
    "staff_b": (404, 404),
    "staff_a": (200, 302),
}


@pytest.mark.parametrize(("role", "expected"), PREVIEW_MATRIX.items())
def test_who_sees_the_preview_and_may_save_it(world, login, dossier, role, expected):
    batch = _batch(
        _upload(login(world.staff_a), dossier, "cash_flows", edited(template("cash_flows"), {"B3": 1}))
    )
    client = login(world.users()[role])
    page = client.get(reverse("core:import-preview", args=[batch.pk])).status_code
    commit = client.post(reverse("core:import-commit", args=[batch.pk])).status_code
    assert (page, commit) == expected
    batch.refresh_from_db()
    assert batch.status == (ImportStatus.COMMITTED if role == "staff_a" else ImportStatus.PREVIEWED)


def test_the_targets_template_of_an_empty_dossier_adds_a_row_per_indicator(world, login):
    application = ApplicationFactory(park=world.park_a)
    client = login(world.staff_a)
    data = edited(client.get(_template_url(application, "targets")).content, {"C3": 1.5})
    batch = _batch(_upload(client, application, "targets", data))
    assert [row["change"] for row in batch.diff] == ["added"] * 11
    assert batch.diff[0]["label"] == "Carbon emissions per unit of energy consumed"
    assert batch.diff[0]["fields"] == [{"field": "Target 2026", "old": "", "new": "1.5"}]
    import_commit(batch=batch, by=world.staff_a)
    assert (
        DossierSection.objects.get(application=application, code="targets").data["targets"][0]["y2026"]
        == "1.5"
    )
    batch.refresh_from_db()
    import_rollback(batch=batch, by=world.staff_a)
    assert DossierSection.objects.get(application=application, code="targets").data["targets"] == []


def test_each_table_is_undone_on_its_own_and_only_its_latest_import(world, login, dossier):
    """The four tables share their target (the dossier): undo is by table. Projects then cash flows:
    the projects import is undone and the cash flows stay; a second projects import blocks the first's."""
    client = login(world.staff_a)
    projects = _batch(
        _upload(client, dossier, "key_projects", edited(template("key_projects"), {"D3": 9000}))
    )
    projects = import_commit(batch=projects, by=world.staff_a)
    flows = _batch(_upload(client, dossier, "cash_flows", edited(template("cash_flows"), {"C3": 99})))
    import_commit(batch=flows, by=world.staff_a)
    assert projects.origin == dossier and flows.origin == dossier
    page = client.get(reverse("applications:section-edit", args=[dossier.pk, "projects"])).content.decode()
    assert "import-undo" in page  # still offered after the cash-flows import
    import_rollback(batch=projects, by=world.staff_a)
    assert table_rows(dossier, TABLE_KINDS["key_projects"]) == ROWS["key_projects"]
    assert table_rows(dossier, TABLE_KINDS["cash_flows"])[0]["revenue_wan"] == "99"
    first = import_commit(
        batch=_batch(_upload(client, dossier, "key_projects", edited(template("key_projects"), {"D3": 1}))),
        by=world.staff_a,
    )
    second = import_commit(
        batch=_batch(_upload(client, dossier, "key_projects", edited(template("key_projects"), {"D3": 2}))),
        by=world.staff_a,
    )
    with (
        translation.override("en"),
        pytest.raises(ApplicationError, match="latest saved import of this kind"),
    ):
        import_rollback(batch=first, by=world.staff_a)
    assert table_rows(dossier, TABLE_KINDS["key_projects"])[0]["investment_wan"] == "2"
    import_rollback(batch=second, by=world.staff_a)
    import_rollback(batch=first, by=world.staff_a)
    assert table_rows(dossier, TABLE_KINDS["key_projects"]) == ROWS["key_projects"]
