"""An import made from a dossier is saved or undone only while the dossier may change: its energy year
previewed while it was a draft cannot be saved once it is submitted, nor an import made from it undone.
The refusal is the dossier's own message and nothing changes (annual reports:
tests/evaluation/test_report_import_origins.py)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from applications import services as app_services
from applications.models import ApplicationStatus
from indicators.engine import dumps
from indicators.models import ParkDataset
from tests.applications.factories import ready_application
from tests.indicators.factories import dataset_document
from zcpark.core.exceptions import ApplicationError
from zcpark.core.import_origins import origin_fields
from zcpark.core.imports import import_commit, import_rollback
from zcpark.core.models import AuditEvent, ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

SUBMITTED_DOSSIER = "The dossier is Submitted and cannot be changed now."


def _energy_preview(client, application, year, document):
    upload = SimpleUploadedFile("data.json", dumps(document).encode(), content_type="application/json")
    response = client.post(reverse("applications:energy-year", args=[application.pk, year]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def _stored(park, year):
    return ParkDataset.objects.get(park=park, year=year).document


def _changed(document):
    """``document`` with its first energy row's quantity doubled (a preview with something to save)."""
    first = document["energy"][0]
    first["quantity"] = str(float(first["quantity"]) * 2)
    return document


@pytest.fixture
def dossier(world):
    return ready_application(staff=world.staff_a)


def test_a_dossier_preview_saved_after_the_dossier_was_submitted_is_refused(world, login, dossier):
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    before = _stored(world.park_a, 2024)
    batch = _energy_preview(client, dossier, 2024, _changed(dataset_document(year=2024)))
    assert batch.origin == dossier and batch.diff
    app_services.application_transition(by=world.staff_a, application=dossier, action="submit")
    events = AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(SUBMITTED_DOSSIER)):
        import_commit(batch=batch, by=world.staff_a)
    # Through the page: the preview says why and offers no Save; a post is refused with the same message.
    page = client.get(reverse("core:import-preview", args=[batch.pk])).content.decode()
    assert SUBMITTED_DOSSIER in page and 'id="import-commit"' not in page
    response = client.post(reverse("core:import-commit", args=[batch.pk]), follow=True)
    assert SUBMITTED_DOSSIER in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and _stored(world.park_a, 2024) == before
    assert AuditEvent.objects.count() == events


def test_an_import_made_from_a_submitted_dossier_cannot_be_undone(world, login, dossier):
    client = login(world.staff_a)
    client.cookies["django_language"] = "en"
    batch = import_commit(
        batch=_energy_preview(client, dossier, 2024, _changed(dataset_document(year=2024))), by=world.staff_a
    )
    saved = _stored(world.park_a, 2024)
    year_url = reverse("applications:energy-year", args=[dossier.pk, 2024])
    assert "import-undo" in client.get(year_url).content.decode()
    app_services.application_transition(by=world.staff_a, application=dossier, action="submit")
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(SUBMITTED_DOSSIER)):
        import_rollback(batch=batch, by=world.staff_a)
    # The history offers no Undo any more; a post is refused.
    assert "import-undo" not in client.get(year_url).content.decode()
    response = client.post(reverse("core:import-rollback", args=[batch.pk]), follow=True)
    assert SUBMITTED_DOSSIER in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED and _stored(world.park_a, 2024) == saved


def test_a_returned_dossier_accepts_its_previews_again(world, login, dossier):
    client = login(world.staff_a)
    batch = _energy_preview(client, dossier, 2024, _changed(dataset_document(year=2024)))
    for action, who in (("submit", world.staff_a), ("return", world.reviewer_a)):
        dossier = app_services.application_transition(
            by=who, application=dossier, action=action, comment="请补充"
        )
    assert dossier.status == ApplicationStatus.RETURNED
    assert import_commit(batch=batch, by=world.staff_a).status == ImportStatus.COMMITTED


def test_an_origin_without_a_registered_check_is_refused_at_preview(world):
    with pytest.raises(ValueError):
        origin_fields(world.park_a)
