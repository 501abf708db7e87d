"""A park-year a decided record holds cannot change by any path (``indicators.dataset_holders``): a
submitted annual report holds its year, a submitted dossier its 2023–2025 years. The park's API push, an
undo of an earlier import of the year and a monthly assembly of it are refused with the record's message,
and the stored data stays; a draft dossier's or a draft report's year still saves."""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import services as app_services
from evaluation import services as eval_services
from evaluation.dataset_holders import self_assessment_holding
from evaluation.monthly.services import year_assemble_preview
from evaluation.samples import construction_dataset
from indicators.dataset_holders import dataset_held_by
from indicators.models import ParkDataset
from indicators.services.dataset_imports import park_dataset_push
from parks.integration import MachineScope
from parks.integration_services import integration_account_create
from tests.applications.factories import ready_application
from tests.evaluation.factories import (
    listed_project,
    progress_for,
    project_in_self_assessment,
    report_year,
    self_assessment_submitted,
)
from tests.evaluation.monthly_helpers import push as monthly_push_months
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_rollback
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

REPORT_HELD = "The 2026 annual report has been submitted: its data can no longer be changed."
DOSSIER_HELD = re.compile(r"The 2024 data is part of the dossier in “.+”, which is Submitted")


def _stored(park, year):
    return ParkDataset.objects.get(park=park, year=year).document


def _changed(document):
    """``document`` with its first energy row's quantity doubled."""
    document = copy.deepcopy(document)
    first = document["energy"][0]
    first["quantity"] = str(float(first["quantity"]) * 2)
    return document


def _put(client, park, year, document):
    return client.put(
        reverse("api-park-dataset", args=[park.pk, year]),
        json.dumps(document),
        content_type="application/json",
    )


def _machine(world):
    _account, key = integration_account_create(
        by=world.staff_a, name="能碳平台", park=world.park_a, scopes=[MachineScope.DATASETS_WRITE]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.cookies["django_language"] = "en"
    return client


def _report_document(park, year=2026, **kwargs):
    return construction_dataset(park_name=park.name, park_type=park.park_type, year=year, **kwargs)


@pytest.fixture
def project(actors_a):
    return listed_project(actors_a)


def test_a_push_to_a_submitted_reports_year_is_refused_and_changes_nothing(world, actors_a, project):
    report_year(project, world.staff_a, 2026)
    stored = _stored(world.park_a, 2026)
    batches = ImportBatch.objects.count()
    response = _put(_machine(world), world.park_a, 2026, _changed(stored))
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == REPORT_HELD
    assert _stored(world.park_a, 2026) == stored
    assert ImportBatch.objects.count() == batches  # nothing recorded in the year's history


def test_a_push_to_a_submitted_dossiers_year_is_refused_like_the_dossiers_own(world, login):
    application = ready_application(staff=world.staff_a)
    app_services.application_transition(by=world.staff_a, application=application, action="submit")
    stored = _stored(world.park_a, 2024)
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    own = _put_dossier(client, application, 2024, _changed(stored))
    assert own.status_code == 400
    response = _put(client, world.park_a, 2024, _changed(stored))
    assert response.status_code == 400, response.content
    assert DOSSIER_HELD.search(response.json()["detail"])
    assert _stored(world.park_a, 2024) == stored
    # The province is refused the same way: no one changes what the dossier was submitted with.
    province = login(world.province)
    province.cookies["django_language"] = "en"
    assert _put(province, world.park_a, 2024, _changed(stored)).status_code == 400
    assert _stored(world.park_a, 2024) == stored


def _put_dossier(client, application, year, document):
    return client.put(
        reverse("api-application-dataset", args=[application.pk, year]),
        json.dumps(document),
        content_type="application/json",
    )


def test_undoing_an_earlier_import_of_a_held_year_is_refused(world, project):
    """The year's first import (a push through the API, no record behind it) undone would remove the
    year; once the report that was submitted with the data holds it, the undo is refused."""
    document = _report_document(world.park_a)
    first = park_dataset_push(
        by=world.staff_a, park=world.park_a, year=2026, document=document, comment="API"
    )
    batch = ImportBatch.objects.get(file_name="API")
    assert first.document == _stored(world.park_a, 2026)
    report_year(project, world.staff_a, 2026)  # the same data: the report links the stored year
    stored = _stored(world.park_a, 2026)
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(REPORT_HELD)):
        import_rollback(batch=batch, by=world.staff_a)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and _stored(world.park_a, 2026) == stored


def test_undoing_a_dossier_years_push_after_the_dossier_was_submitted_is_refused(world):
    application = ready_application(staff=world.staff_a)
    park_dataset_push(
        by=world.staff_a,
        park=world.park_a,
        year=2024,
        document=_changed(_stored(world.park_a, 2024)),
        comment="API",
    )
    batch = ImportBatch.objects.filter(file_name="API").get()
    app_services.application_transition(by=world.staff_a, application=application, action="submit")
    stored = _stored(world.park_a, 2024)
    with translation.override("en"), pytest.raises(ApplicationError, match=DOSSIER_HELD):
        import_rollback(batch=batch, by=world.staff_a)
    assert _stored(world.park_a, 2024) == stored


def test_a_draft_dossiers_year_and_a_draft_reports_year_still_save(world, login, project):
    # A draft dossier of park_b: its years save through the dossier and through the park's API.
    application = ready_application(staff=world.staff_b)
    document = _changed(_stored(world.park_b, 2024))
    app_services.application_dataset_save(
        by=world.staff_b, application=application, year=2024, document=document
    )
    assert _stored(world.park_b, 2024)["energy"][0]["quantity"] == document["energy"][0]["quantity"]
    client = login(world.staff_b)
    assert _put(client, world.park_b, 2024, _changed(document)).status_code == 200
    assert dataset_held_by(world.park_b, 2024) is None
    # park_a's 2026 report is a draft: the report saves its year, and so does the park's API.
    report = project.annual_reports.get(year=2026)
    saved = eval_services.annual_report_save(
        by=world.staff_a, report=report, document=_report_document(world.park_a)
    )
    assert saved.dataset is not None
    pushed = _put(_machine(world), world.park_a, 2026, _report_document(world.park_a, lagging=True))
    assert pushed.status_code == 200, pushed.content
    assert dataset_held_by(world.park_a, 2026) is None


def test_a_monthly_assembly_of_a_held_year_is_refused_at_save(world, login, project):
    """The year assembled from its months while the report was a draft: once the report is submitted,
    saving that preview is refused, and so is saving an assembly made after."""
    staff = world.staff_a
    monthly_push_months(staff, world.park_a, 2026, range(1, 13))
    report = project.annual_reports.get(year=2026)
    eval_services.annual_report_save(
        by=staff,
        report=report,
        narrative="2026 年度建设进展。",
        progress=progress_for(project),
        document=_report_document(world.park_a),
    )
    assembly = year_assemble_preview(by=staff, park=world.park_a, year=2026)
    assert assembly.diff
    eval_services.annual_report_submit(by=staff, report=report, today=date(2027, 1, 15))
    stored = _stored(world.park_a, 2026)
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(REPORT_HELD)):
        import_commit(batch=assembly, by=staff)
    assembly.refresh_from_db()
    assert assembly.status == ImportStatus.PREVIEWED and _stored(world.park_a, 2026) == stored
    # Assembled again now: the preview shows what it would change, and saving it is refused the same way.
    again = year_assemble_preview(by=staff, park=world.park_a, year=2026)
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(REPORT_HELD)):
        import_commit(batch=again, by=staff)
    assert _stored(world.park_a, 2026) == stored
    # Through the page: the refusal is shown on the preview's save.
    client = login(staff)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("core:import-commit", args=[again.pk]), follow=True)
    assert REPORT_HELD in response.content.decode()
    again.refresh_from_db()
    assert again.status == ImportStatus.PREVIEWED and _stored(world.park_a, 2026) == stored


def test_a_submitted_self_assessment_holds_its_assessment_year(world, actors_a):
    project = project_in_self_assessment(actors_a)
    year = project.final_year
    with translation.override("en"):
        assert self_assessment_holding(world.park_a, year) is None
        self_assessment_submitted(actors_a, project)
        assert "self-assessment has been submitted" in self_assessment_holding(world.park_a, year)
        assert self_assessment_holding(world.park_a, year - 1) is None
