"""The dossier's uploads: energy-year datasets (JSON or workbook), their downloads, and attachments."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from applications import services
from applications.models import Attachment
from indicators.engine import dumps
from indicators.models import ParkDataset
from indicators.selectors import factor_set_current_record
from indicators.workbook import export_workbook
from tests.applications.dossier_helpers import _computed, _draft, _submitted, _url
from tests.applications.factories import PDF_BYTES, ApplicationFactory, ready_application
from tests.indicators.factories import dataset_document, invalid_dataset_document
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db


def _json_upload(document, name="data.json"):
    return SimpleUploadedFile(name, dumps(document).encode(), content_type="application/json")


# --- Energy years -------------------------------------------------------------------------------


def test_energy_year_previews_a_valid_json_and_stores_it_when_saved(world, login, factor_data):
    application = _draft(world)
    url = _url("applications:energy-year", application, 2024)
    client = login(world.staff_a)
    response = client.post(url, {"file": _json_upload(dataset_document(year=2024))})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:import-preview", args=[batch.pk]
    )
    assert not ParkDataset.objects.exists()  # a preview stores nothing
    assert batch.file_name == "data.json" and batch.status == ImportStatus.PREVIEWED
    response = client.post(reverse("core:import-commit", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == url
    assert ParkDataset.objects.get(park=world.park_a, year=2024).document["energy"]
    # The year's page lists the import, with its undo.
    page = client.get(url).content.decode()
    assert 'id="energy-imports"' in page and "import-undo" in page
    response = client.post(reverse("core:import-rollback", args=[batch.pk]))
    assert response.status_code == 302 and not ParkDataset.objects.exists()


def test_energy_year_discarded_preview_stores_nothing(world, login, factor_data):
    application = _draft(world)
    client = login(world.staff_a)
    url = _url("applications:energy-year", application, 2024)
    client.post(url, {"file": _json_upload(dataset_document(year=2024))})
    response = client.post(reverse("core:import-discard", args=[ImportBatch.objects.get().pk]))
    assert response["Location"] == url and not ParkDataset.objects.exists()


def test_energy_year_names_the_sheet_and_cell_when_the_workbook_has_a_negative_quantity(
    world, login, factor_data
):
    document = dataset_document(year=2025)
    document["energy"][0]["quantity"] = "-5"
    workbook = export_workbook(dataset=document, result=None, factor_set=factor_set_current_record().document)
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025),
        {"file": SimpleUploadedFile("能源.xlsx", workbook)},
    )
    errors = response.context["upload_errors"]
    assert errors and errors[0]["sheet"] and errors[0]["cell"]
    assert f"{errors[0]['sheet']} {errors[0]['cell']}" in response.content.decode()
    assert not ParkDataset.objects.exists()


def test_energy_year_names_the_path_when_the_json_has_engine_errors(world, login, factor_data):
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025),
        {"file": _json_upload(invalid_dataset_document())},
    )
    paths = [error["path"] for error in response.context["upload_errors"]]
    assert "energy[0].quantity" in paths and "energy[1].carrier" in paths
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_the_document_when_its_year_differs(world, login, factor_data):
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2023),
        {"file": _json_upload(dataset_document(year=2024))},
    )
    assert [e["path"] for e in response.context["upload_errors"]] == ["year"]
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_a_file_that_is_not_json_or_excel(world, login, factor_data):
    upload = SimpleUploadedFile("data.csv", b"a,b\n1,2\n")
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025), {"file": upload}
    )
    assert response.context["form"].errors["file"]
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_broken_json_with_a_message(world, login, factor_data):
    upload = SimpleUploadedFile("data.json", b'{"year": 2025,')
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025), {"file": upload}
    )
    assert "JSON" in response.context["upload_errors"][0]["message"]


def test_energy_year_answers_404_when_the_year_is_not_a_dossier_year(world, login):
    assert login(world.staff_a).get(_url("applications:energy-year", _draft(world), 2022)).status_code == 404


def test_energy_year_shows_the_stored_summary_when_computed(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.reviewer_a).get(_url("applications:energy-year", application, 2025))
    summary = response.context["summary"]
    assert [(row["carrier"], row["use"]) for row in summary["energy"]] == [
        ("natural_gas", "fuel"),
        ("diesel", "fuel"),
    ]
    assert summary["purchased_total_mwh"] == 50000 + 63000 + 217000
    assert response.context["state"].state == "computed"
    assert 'id="energy-upload-form"' not in response.content.decode()


def test_energy_page_lists_each_year_with_its_state(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:section-energy", application))
    assert [(y.year, y.state) for y in response.context["years"]] == [
        (2023, "computed"),
        (2024, "computed"),
        (2025, "computed"),
    ]


def test_energy_year_download_sends_the_stored_json_under_the_park_name(world, login):
    application = ready_application(staff=world.staff_a)
    response = login(world.reviewer_a).get(_url("applications:energy-year-download", application, 2024))
    assert json.loads(response.content)["year"] == 2024
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_energy_year_template_is_prefilled_for_the_park(world, login, factor_data):
    response = login(world.staff_a).get(_url("applications:energy-year-template", _draft(world), 2025))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


# --- Attachments --------------------------------------------------------------------------------


def _pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_attachment_upload_stores_the_file_when_valid(world, login):
    application = _draft(world)
    url = _url("applications:section-attachments", application)
    response = login(world.staff_a).post(url, {"kind": "zone_approval", "title": "批复", "file": _pdf()})
    assert response.status_code == 302
    attachment = application.attachments.get()
    assert (attachment.kind, attachment.original_name, attachment.title) == (
        "zone_approval",
        "证明.pdf",
        "批复",
    )


@override_settings(ATTACHMENT_MAX_BYTES=20)
def test_attachment_upload_refuses_the_file_when_it_is_too_large(world, login):
    application = _draft(world)
    response = login(world.staff_a).post(
        _url("applications:section-attachments", application), {"kind": "other", "file": _pdf()}
    )
    assert response.status_code == 200
    assert "上限" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_attachment_upload_refuses_the_file_when_its_type_is_not_allowed(world, login):
    application = _draft(world)
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = login(world.staff_a).post(
        _url("applications:section-attachments", application), {"kind": "other", "file": upload}
    )
    assert "允许的文件类型" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_attachment_page_marks_the_required_types_when_missing(world, login):
    response = login(world.staff_a).get(_url("applications:section-attachments", _draft(world)))
    assert response.context["required"] == [
        {"kind": "zone_approval", "label": "开发区批复文件或目录证明", "present": False}
    ]


def test_attachment_download_sends_the_original_chinese_name_when_reader(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="园区批复.pdf"
    )
    _submitted(application, world)
    response = login(world.reviewer_a).get(
        reverse("applications:attachment-download", args=[application.pk, attachment.pk])
    )
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%9B%AD%E5%8C%BA%E6%89%B9%E5%A4%8D.pdf"
    )
    assert response["Content-Type"] == "application/pdf"


def test_attachment_download_answers_404_when_outside_scope(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-download", args=[application.pk, attachment.pk])
    assert login(world.staff_b).get(url).status_code == 404
    other = ApplicationFactory(park=world.park_a)
    assert (
        login(world.staff_a)
        .get(reverse("applications:attachment-download", args=[other.pk, attachment.pk]))
        .status_code
        == 404
    )


def test_attachment_delete_removes_the_file_when_staff(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    assert login(world.staff_a).get(url).status_code == 405
    assert login(world.staff_a).post(url).status_code == 302
    assert not application.attachments.exists()


def test_attachment_delete_answers_403_when_reader(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    assert login(world.province).post(url).status_code == 403
    assert application.attachments.exists()
