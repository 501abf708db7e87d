"""The construction demo: 新余 from call to accepted park with its report, 九江 with an overdue order."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from applications.models import ApplicationStatus, ConstructionList
from evaluation.demo import (
    ACCEPTED_PARK,
    IN_REVIEW_PARK,
    OVERDUE_PARK,
    PILOT_LIST_TITLE,
    demo_construction_seed,
)
from evaluation.models import (
    AcceptanceEvaluation,
    CityProgressReport,
    ConstructionProject,
    Decision,
    OrderStatus,
    ProjectStatus,
    ReportStatus,
    ReviewStatus,
)
from evaluation.selectors.city_reports import practice_library
from evaluation.selectors.supervision import SupervisionFilters, supervision_rows
from parks.demo import demo_seed
from parks.models import User
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    call_command("load_reference_data", verbosity=0)
    demo_seed(password="pw-demo-1")
    # As after the seed's commit: indicator results and the acceptance report are built (eagerly).
    with django_capture_on_commit_callbacks(execute=True):
        return demo_construction_seed()


def test_the_accepted_demo_park_has_gone_all_the_way(seeded):
    project = ConstructionProject.objects.get(park__name=ACCEPTED_PARK)
    assert project.park.zone.name == "新余高新技术产业开发区"
    assert project.status == ProjectStatus.ACCEPTED and project.national_recommended
    assert project.application.status == ApplicationStatus.LISTED
    assert project.list_entry.construction_list.title == PILOT_LIST_TITLE
    reports = list(project.annual_reports.values_list("year", "status"))
    assert reports == [
        (2026, ReportStatus.SUBMITTED),
        (2027, ReportStatus.SUBMITTED),
        (2028, ReportStatus.SUBMITTED),
    ]
    assert list(project.orders.values_list("status", flat=True)) == [OrderStatus.CLOSED]
    evaluation = AcceptanceEvaluation.objects.get(project=project)
    assert evaluation.self_assessment.is_submitted and evaluation.self_assessment.evidence.count() == 1
    assert evaluation.decision == Decision.ACCEPTED
    assert [r.status for r in evaluation.reviews.all()] == [ReviewStatus.SUBMITTED] * 2
    report = evaluation.reports.order_by("-id").first()
    assert report.status == FileStatus.READY and report.file.read(4) == b"%PDF"
    assert project.incentives.count() == 1


def test_the_other_demo_park_has_an_overdue_order(seeded):
    project = ConstructionProject.objects.get(park__name=OVERDUE_PARK)
    assert project.status == ProjectStatus.UNDER_RECTIFICATION
    assert list(project.orders.values_list("status", flat=True)) == [OrderStatus.OVERDUE]
    # its 2026 report lags on the core indicator: the province's 督导 list shows it, with its open order
    province = User.objects.get(username="province_demo")
    rows = supervision_rows(user=province, filters=SupervisionFilters(), today=date(2027, 3, 1))
    assert [(r.project.pk, r.core_year, r.core_lagging, r.open_orders) for r in rows] == [
        (project.pk, 2026, True, 1)
    ]


def test_the_demo_is_idempotent(seeded):
    again = demo_construction_seed()
    assert sorted(p.park for p in again) == sorted([ACCEPTED_PARK, OVERDUE_PARK, IN_REVIEW_PARK])
    assert ConstructionProject.objects.count() == 3 and ConstructionList.objects.count() == 1


def test_the_demo_has_city_reports_and_a_public_practice(seeded):
    submitted = CityProgressReport.objects.get(status="submitted")
    assert submitted.city.name.startswith("新余") and submitted.practices.count() == 2
    assert submitted.figures and submitted.submissions.count() == 1
    assert practice_library().count() == 2
    assert CityProgressReport.objects.filter(status="draft").exists()
