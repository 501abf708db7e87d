"""City progress reports: the periods, planning, writing and submitting, returning, late cities and their
reminders, and the public library of typical practices."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation

from evaluation.models import (
    CityProgressReport,
    CityReportStatus,
    PracticeScene,
    ProjectStatus,
    TypicalPractice,
)
from evaluation.selectors.city_reports import city_report_overview, city_report_todo, practice_library
from evaluation.services import city_reports as services
from evaluation.tasks import city_reports_daily_task
from evaluation.workflow.city_reports import period_of, periods_between
from tests.applications.factories import pdf_file
from tests.evaluation.city_report_factories import city_report, practice_in
from tests.evaluation.factories import listed_project
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(actors_a):
    return listed_project(actors_a)


# ---- periods -------------------------------------------------------------------------------------


def test_a_half_year_period_is_due_15_days_after_it_ends():
    period = period_of(date(2027, 3, 5))
    assert (period.code, period.start, period.end, period.due_on) == (
        "2027-H1",
        date(2027, 1, 1),
        date(2027, 6, 30),
        date(2027, 7, 15),
    )
    assert period_of(date(2027, 12, 31)).code == "2027-H2"


@override_settings(CITY_REPORT_PERIOD_MONTHS=3, CITY_REPORT_DUE_DAYS=10)
def test_the_province_may_report_by_quarter():
    period = period_of(date(2027, 8, 1))
    assert (period.code, period.end, period.due_on) == ("2027-Q3", date(2027, 9, 30), date(2027, 10, 10))
    assert [p.code for p in periods_between(date(2027, 2, 1), date(2027, 8, 1))] == [
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
    ]


@override_settings(CITY_REPORT_PERIOD_MONTHS=12)
def test_a_yearly_period_is_named_by_its_year():
    assert period_of(date(2028, 5, 1)).code == "2028"


# ---- planning ------------------------------------------------------------------------------------


def test_planning_creates_each_city_with_a_park_its_reports_once(world, project):
    today = date.today()
    created = services.city_reports_plan(today=today)
    assert created >= 1
    reports = CityProgressReport.objects.all()
    assert {r.city_id for r in reports} == {world.nanchang.pk}  # 赣州 has no listed park
    current = reports.get(period_start=period_of(today).start)
    assert [row["park"] for row in current.figures] == [world.park_a.name]
    assert current.figures[0]["status"] == ProjectStatus.IN_CONSTRUCTION
    assert services.city_reports_plan(today=today) == 0
    assert Notification.objects.filter(
        recipient=world.reviewer_a, url__contains=f"/city-reports/{current.pk}/"
    )


def test_the_daily_task_plans_and_announces_a_late_report_once(world):
    city_report(world.nanchang, period="2025-H2")
    assert city_reports_daily_task() == {"planned": 0, "overdue": 1}
    assert city_reports_daily_task()["overdue"] == 0
    assert Notification.objects.filter(recipient=world.reviewer_a).count() == 1
    assert Notification.objects.filter(recipient=world.province).count() == 1


# ---- writing, submitting, returning ---------------------------------------------------------------


def test_saving_refreshes_the_figures_and_is_recorded(world, project):
    report = city_report(world.nanchang)
    assert report.figures == []
    saved = services.city_report_save(by=world.reviewer_a, report=report, narrative="  本期进展。 ")
    assert saved.narrative == "本期进展。"
    assert [row["project"] for row in saved.figures] == [project.pk]
    assert AuditEvent.objects.for_object(saved).filter(action="city_report_saved").exists()


def test_another_city_may_not_write_the_report(world):
    report = city_report(world.nanchang)
    with pytest.raises(PermissionDenied):
        services.city_report_save(by=world.reviewer_b, report=report, narrative="x")


def test_a_report_without_a_narrative_cannot_be_submitted(world):
    report = city_report(world.nanchang)
    with pytest.raises(ValidationError) as caught:
        services.city_report_submit(by=world.reviewer_a, report=report)
    assert "narrative" in caught.value.message_dict
    report.refresh_from_db()
    assert report.status == CityReportStatus.DRAFT


def test_submitting_freezes_the_figures_and_keeps_the_version(world, project):
    report = city_report(world.nanchang, narrative="进展顺利。")
    practice_in(report, project)
    submitted = services.city_report_submit(by=world.reviewer_a, report=report)
    assert submitted.status == CityReportStatus.SUBMITTED
    assert [row["project"] for row in submitted.figures] == [project.pk]
    first = submitted.submissions.get()
    assert first.content["practices"][0]["title"] == "绿电直连"
    assert Notification.objects.filter(recipient=world.province).exists()
    # decided: neither the city nor the daily step changes it, though the park's data changes
    with pytest.raises(ApplicationError):
        services.city_report_save(by=world.reviewer_a, report=submitted, narrative="改")
    figures, as_of = submitted.figures, submitted.figures_as_of
    assert figures[0]["status"] == ProjectStatus.IN_CONSTRUCTION
    draft = city_report(world.nanchang, period="2027-H1")
    type(project).objects.filter(pk=project.pk).update(status=ProjectStatus.UNDER_RECTIFICATION)
    services.city_reports_daily(today=date.today())
    submitted.refresh_from_db()
    assert (submitted.figures, submitted.figures_as_of) == (figures, as_of)
    # while a draft's figures do follow the park's data
    refreshed = services.city_report_save(by=world.reviewer_a, report=draft)
    assert [row["status"] for row in refreshed.figures] == [ProjectStatus.UNDER_RECTIFICATION]


def test_the_province_returns_with_a_comment_and_the_city_submits_again(world):
    report = services.city_report_submit(
        by=world.reviewer_a, report=city_report(world.nanchang, narrative="一")
    )
    with pytest.raises(ValidationError):
        services.city_report_return(by=world.province, report=report, comment=" ")
    returned = services.city_report_return(by=world.province, report=report, comment="请补充典型场景")
    assert (returned.status, returned.return_comment) == (CityReportStatus.RETURNED, "请补充典型场景")
    assert Notification.objects.filter(recipient=world.reviewer_a).exists()
    assert not Notification.objects.filter(recipient=world.reviewer_b).exists()
    services.city_report_save(by=world.reviewer_a, report=returned, narrative="二")
    again = services.city_report_submit(by=world.reviewer_a, report=returned)
    assert [s.content["narrative"] for s in again.submissions.all()] == ["一", "二"]


# ---- typical practices ---------------------------------------------------------------------------


def test_a_practice_names_each_wrong_field_and_saves_nothing(world, project):
    report = city_report(world.nanchang)
    with pytest.raises(ValidationError) as caught:
        services.practice_add(
            by=world.reviewer_a, report=report, project_id=None, title="", scene="moon", description=""
        )
    assert set(caught.value.message_dict) == {"project", "title", "scene", "description"}
    assert not TypicalPractice.objects.exists()


def test_a_practice_must_be_of_one_of_the_citys_parks(world, project, actors_b):
    other = listed_project(actors_b)
    report = city_report(world.nanchang)
    with pytest.raises(ValidationError) as caught:
        services.practice_add(
            by=world.reviewer_a,
            report=report,
            project_id=other.pk,
            title="t",
            scene=PracticeScene.OTHER,
            description="d",
        )
    assert "project" in caught.value.message_dict


def test_a_practice_file_is_checked_like_an_attachment(world, project):
    report = city_report(world.nanchang)
    fake = io.BytesIO(b"not really a pdf")
    with pytest.raises(ValidationError):
        services.practice_add(
            by=world.reviewer_a,
            report=report,
            project_id=project.pk,
            title="光伏",
            scene=PracticeScene.ENERGY,
            description="屋顶光伏",
            file=fake,
            name="photo.pdf",
        )
    assert not TypicalPractice.objects.exists()
    practice = services.practice_add(
        by=world.reviewer_a,
        report=report,
        project_id=project.pk,
        title="光伏",
        scene=PracticeScene.ENERGY,
        description="屋顶光伏",
        file=pdf_file("case.pdf"),
        name="case.pdf",
    )
    assert practice.original_name == "case.pdf" and practice.sha256
    services.practice_remove(by=world.reviewer_a, practice=practice)
    assert not TypicalPractice.objects.exists()


def test_the_library_holds_submitted_practices_of_accepted_parks_only(world, project):
    draft = city_report(world.nanchang, period="2026-H1", narrative="x")
    practice_in(draft, project)
    submitted = city_report(
        world.nanchang, narrative="y", status="submitted", submitted_at="2027-01-10T00:00Z"
    )
    shown = practice_in(submitted, project, scene=PracticeScene.STORAGE)
    assert not practice_library().exists()  # not accepted yet
    type(project).objects.filter(pk=project.pk).update(status=ProjectStatus.ACCEPTED)
    assert list(practice_library()) == [shown]
    assert list(practice_library(filters={"scene": "storage", "city": world.nanchang.code})) == [shown]
    assert not practice_library(filters={"scene": "energy"}).exists()
    assert not practice_library(filters={"city": world.ganzhou.code}).exists()


# ---- late cities ---------------------------------------------------------------------------------


def test_the_overview_marks_late_reports(world):
    late = city_report(world.nanchang, period="2026-H1")
    on_time = city_report(world.ganzhou, period="2026-H1", narrative="x")
    services.city_report_submit(by=world.reviewer_b, report=on_time)
    overview = city_report_overview(user=world.province, today=date(2026, 8, 1))
    assert overview.late == [late]
    assert overview.periods == ["2026-H1"]
    assert [(city.code, [c.late for c in cells]) for city, cells in overview.rows] == [
        (world.nanchang.code, [True]),
        (world.ganzhou.code, [False]),
    ]
    only_late = city_report_overview(user=world.province, today=date(2026, 8, 1), filters={"late": "1"})
    assert [city.code for city, _cells in only_late.rows] == [world.nanchang.code]
    mine = city_report_overview(user=world.reviewer_b, today=date(2026, 8, 1))
    assert [city.code for city, _cells in mine.rows] == [world.ganzhou.code]


def test_the_province_reminds_late_cities_once_a_day(world):
    city_report(world.nanchang, period="2025-H2")
    with translation.override("en"):
        first = services.city_reports_remind_late(by=world.province)
        second = services.city_reports_remind_late(by=world.province)
    assert first.sent == [f"{world.nanchang} 2025, second half"]  # the period's label, not its code
    assert (second.sent, second.already) == ([], [f"{world.nanchang} 2025, second half"])
    assert Notification.objects.filter(recipient=world.reviewer_a).count() == 1
    assert AuditEvent.objects.filter(action="city_reports_reminded").count() == 1
    with pytest.raises(PermissionDenied):
        services.city_reports_remind_late(by=world.reviewer_a)


def test_the_home_to_do_shows_the_city_its_report_and_the_province_late_cities(world):
    report = city_report(world.nanchang, period="2025-H2")
    assert city_report_todo(user=world.reviewer_a, today=date.today()).to_write == [report]
    assert city_report_todo(user=world.reviewer_b, today=date.today()).is_empty
    assert city_report_todo(user=world.province, today=date.today()).late == [report]
    assert city_report_todo(user=world.staff_a, today=date.today()).is_empty
