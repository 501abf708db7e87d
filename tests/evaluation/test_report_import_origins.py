"""An import made from an annual report is saved or undone only while the report may change: a preview of
the year's data uploaded with the report cannot be saved once the report is submitted, nor an import made
from it undone. The refusal is the report's own message and nothing changes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation import services as eval_services
from evaluation.models import ReportStatus
from evaluation.samples import construction_dataset
from indicators.models import ParkDataset
from tests.evaluation.factories import listed_project, progress_for
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import import_commit, import_rollback
from zcpark.core.models import ImportStatus

pytestmark = pytest.mark.django_db


def _stored(park, year):
    return ParkDataset.objects.get(park=park, year=year).document


@pytest.fixture
def report(actors_a):
    return listed_project(actors_a).annual_reports.get(year=2026)


def _report_preview(report, staff, **kwargs):
    project = report.project
    document = construction_dataset(
        park_name=project.park.name, park_type=project.park.park_type, year=report.year, **kwargs
    )
    return eval_services.annual_report_save_and_preview(
        by=staff,
        report=report,
        narrative="2026 年度建设进展。",
        progress=progress_for(project, "60"),
        document=document,
        file_name="data.json",
    )


def test_a_report_preview_or_undo_after_the_report_was_submitted_is_refused(world, login, report):
    staff = world.staff_a
    first = import_commit(batch=_report_preview(report, staff), by=staff)
    assert first.origin == report
    pending = _report_preview(report, staff, lagging=True)
    assert pending.diff and pending.origin == report
    eval_services.annual_report_submit(by=staff, report=report, today=date(2027, 1, 15))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    stored = _stored(report.project.park, 2026)
    message = "The 2026 report has been submitted."
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(message)):
        import_commit(batch=pending, by=staff)
    with translation.override("en"), pytest.raises(ApplicationError, match=re.escape(message)):
        import_rollback(batch=first, by=staff)
    assert _stored(report.project.park, 2026) == stored
    first.refresh_from_db()
    pending.refresh_from_db()
    assert (first.status, pending.status) == (ImportStatus.COMMITTED, ImportStatus.PREVIEWED)
    client = login(staff)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("core:import-preview", args=[first.pk])).content.decode()
    assert message in page and "import-undo" not in page
