"""Dossier writes: sections (drafts kept, malformed values refused by cell), energy years, attachments."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications import selectors, services
from applications.models import Application, ApplicationStatus, DossierSection
from applications.samples import sample_dataset, sample_sections
from tests.applications.factories import CallFactory, pdf_file
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent


@pytest.fixture
def draft(world, factor_data):
    return services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory())


def test_application_create_prefills_the_overview_from_the_park(world, draft):
    overview = draft.sections.get(code="overview")
    assert overview.data["managing_body"] == world.park_a.managing_body
    assert AuditEvent.objects.for_object(draft).get().action == "application_created"


def test_application_create_refuses_a_second_live_application_in_the_same_call(world, draft):
    with pytest.raises(ApplicationError):
        services.application_create(by=world.staff_a, park=world.park_a, call=draft.call)


def test_application_create_refuses_a_closed_call(world):
    with pytest.raises(ApplicationError) as raised:
        services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory(closed=True))
    assert "call" in raised.value.errors


def test_application_create_is_forbidden_for_another_park(world):
    with pytest.raises(PermissionDenied):
        services.application_create(by=world.staff_b, park=world.park_a, call=CallFactory())


def test_section_save_keeps_a_half_filled_section_as_incomplete(world, draft):
    section = services.dossier_section_save(
        by=world.staff_a, application=draft, code="organisation", data={"leadership": "领导小组"}
    )
    assert (section.data["leadership"], section.is_complete) == ("领导小组", False)


def test_section_save_refuses_a_negative_cell_naming_row_and_column_and_keeps_the_old_data(world, draft):
    good = sample_sections(managing_body="x")["projects"]
    services.dossier_section_save(by=world.staff_a, application=draft, code="projects", data=good)
    bad = {"projects": [dict(good["projects"][0]), {**good["projects"][1], "investment_wan": "-5"}]}
    with pytest.raises(ValidationError) as raised:
        services.dossier_section_save(by=world.staff_a, application=draft, code="projects", data=bad)
    assert list(raised.value.message_dict) == ["projects.2.investment_wan"]
    assert DossierSection.objects.get(application=draft, code="projects").data == services_cleaned(good)


def services_cleaned(data):
    from applications.dossier.schema import clean_section
    from applications.dossier.sections import FORM_SECTIONS

    return clean_section(FORM_SECTIONS["projects"], data)[0]


def test_section_save_refuses_unknown_fields_and_text_in_number_cells(world, draft):
    with pytest.raises(ValidationError) as raised:
        services.dossier_section_save(
            by=world.staff_a, application=draft, code="overview", data={"area_km2": "十二", "aera": "1"}
        )
    assert set(raised.value.message_dict) == {"area_km2", "aera"}


def test_section_save_keeps_total_investment_and_period_in_step(world, draft):
    sections = sample_sections(managing_body="x")
    services.dossier_section_save(
        by=world.staff_a, application=draft, code="projects", data=sections["projects"]
    )
    services.dossier_section_save(
        by=world.staff_a, application=draft, code="targets", data=sections["targets"]
    )
    draft.refresh_from_db()
    assert draft.total_investment_wan == Decimal("128500")
    assert draft.period_years == 5


def test_section_save_records_the_changed_values_on_the_timeline(world, draft):
    services.dossier_section_save(
        by=world.staff_a, application=draft, code="organisation", data={"policy": "甲"}
    )
    services.dossier_section_save(
        by=world.staff_a, application=draft, code="organisation", data={"policy": "乙"}
    )
    event = AuditEvent.objects.for_object(draft).filter(action="section_saved").first()
    assert list(event.changes.values()) == [["甲", "乙"]]


def test_section_save_is_forbidden_to_the_city_reviewer(world, draft):
    with pytest.raises(PermissionDenied):
        services.dossier_section_save(by=world.reviewer_a, application=draft, code="organisation", data={})


def test_dataset_save_refuses_a_year_outside_the_three_history_years(world, draft):
    document = sample_dataset(park_name="x", park_type="non_chemical", year=2022)
    with pytest.raises(ValidationError) as raised:
        services.application_dataset_save(by=world.staff_a, application=draft, year=2022, document=document)
    assert "year" in raised.value.message_dict


def test_dataset_save_stores_the_park_year_and_marks_the_timeline(world, draft):
    document = sample_dataset(park_name="x", park_type="non_chemical", year=2024)
    dataset = services.application_dataset_save(
        by=world.staff_a, application=draft, year=2024, document=document
    )
    assert (dataset.park, dataset.year) == (world.park_a, 2024)
    assert selectors.history_datasets(draft)[2024] == dataset
    assert AuditEvent.objects.for_object(draft).filter(action="dataset_attached", comment="2024").exists()


def test_attachment_add_stores_size_and_digest(world, draft):
    attachment = services.attachment_add(
        by=world.staff_a, application=draft, kind="zone_approval", file=pdf_file(), name="批复.pdf"
    )
    assert attachment.size_bytes > 0 and len(attachment.sha256) == 64
    assert attachment.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "content", "field_message"),
    [
        ("tool.exe", b"MZ....", "允许的文件类型"),
        ("fake.pdf", b"<html>not a pdf</html>", "不是有效的"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_attachment_add_refuses_bad_files_by_name(world, draft, name, content, field_message):
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(
            by=world.staff_a, application=draft, kind="other", file=io.BytesIO(content), name=name
        )
    assert field_message in raised.value.message_dict["file"][0]
    assert not draft.attachments.exists()


def test_attachment_add_refuses_a_file_over_the_limit(world, draft, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = io.BytesIO(b"%PDF" + b"0" * 2048)
    with pytest.raises(ValidationError) as raised:
        services.attachment_add(
            by=world.staff_a, application=draft, kind="other", file=big, name="大文件.pdf"
        )
    assert "大文件.pdf" in raised.value.message_dict["file"][0]


def test_attachment_remove_deletes_the_file_after_commit(world, draft, django_capture_on_commit_callbacks):
    attachment = services.attachment_add(
        by=world.staff_a, application=draft, kind="other", file=pdf_file(), name="x.pdf"
    )
    storage, path = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(by=world.staff_a, attachment=attachment)
    assert not storage.exists(path)
    assert AuditEvent.objects.for_object(draft).filter(action="attachment_removed").exists()


def test_withdrawn_application_frees_the_call_for_a_new_one(world, draft):
    services.application_transition(by=world.staff_a, application=draft, action="withdraw")
    again = services.application_create(by=world.staff_a, park=world.park_a, call=draft.call)
    assert again.pk != draft.pk
    assert Application.objects.get(pk=draft.pk).status == ApplicationStatus.WITHDRAWN
