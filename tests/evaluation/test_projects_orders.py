"""Construction projects: opening on publication, annual reports, rectification orders with overdue marking,
the end of the period, removal and incentives."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from applications.models import ConstructionList
from evaluation import services
from evaluation.models import (
    AnnualReport,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
    ReportStatus,
    SelfAssessment,
)
from evaluation.samples import construction_dataset
from evaluation.services.common import project_move
from evaluation.workflow import ORDER, PROJECT
from tests.evaluation.factories import listed_project, report_year
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def project(world, actors_a) -> ConstructionProject:
    return listed_project(actors_a)


DEADLINE, ISSUED_ON = datetime.date(2027, 6, 30), datetime.date(2027, 5, 10)


def _order(project, by, *, deadline=DEADLINE, today=ISSUED_ON, title="整改通知"):
    return services.order_issue(
        by=by, project=project, title=title, requirements="请整改。", deadline=deadline, today=today
    )


# ---------------------------------------------------------------- opening


def test_publishing_a_list_opens_a_project_with_the_dossier_period_targets_and_key_projects(project, world):
    assert project.status == ProjectStatus.IN_CONSTRUCTION
    assert (project.period_years, project.end_year, project.final_year) == (3, 2028, 2028)
    assert project.targets["carbon_per_energy"] == {"2026": "0.41", "2027": "0.4", "2028": "0.33"}
    dossier_projects = project.application.sections.get(code="projects").data["projects"]
    assert list(project.key_projects.values_list("name", flat=True)) == [p["name"] for p in dossier_projects]
    assert list(project.annual_reports.values_list("year", "due_on", "status")) == [
        (2026, D(2027, 3, 31), ReportStatus.DUE),
        (2027, D(2028, 3, 31), ReportStatus.DUE),
        (2028, D(2029, 3, 31), ReportStatus.DUE),
    ]
    event = AuditEvent.objects.for_object(project).get(action="project_opened")
    assert event.to_state == ProjectStatus.IN_CONSTRUCTION
    url = f"/projects/{project.pk}/"
    assert Notification.objects.filter(recipient=world.reviewer_a, url=url).exists()
    assert not Notification.objects.filter(recipient=world.reviewer_b, url=url).exists()


# ---------------------------------------------------------------- annual reports


def test_annual_report_submission_updates_key_project_progress_and_is_final(project, world):
    report_year(project, world.staff_a, 2026, pct="45.5")
    report = project.annual_reports.get(year=2026)
    assert report.status == ReportStatus.SUBMITTED and report.dataset.year == 2026
    assert set(project.key_projects.values_list("progress_pct", flat=True)) == {Decimal("45.5")}
    with pytest.raises(ApplicationError):
        services.annual_report_save(by=world.staff_a, report=report, narrative="改写")


def test_annual_report_cannot_be_submitted_before_the_year_is_over_and_lists_what_is_missing(project, world):
    report = project.annual_reports.get(year=2026)
    with pytest.raises(ApplicationError) as caught:
        services.annual_report_submit(by=world.staff_a, report=report, today=D(2026, 12, 31))
    problems = caught.value.errors["__all__"]
    assert len(problems) == 4  # the year, the narrative, the data, the progress
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.DUE


def test_a_bad_progress_value_names_the_project_and_leaves_the_saved_draft(project, world):
    report = project.annual_reports.get(year=2026)
    services.annual_report_save(by=world.staff_a, report=report, narrative="第一稿")
    key_project = project.key_projects.first()
    with pytest.raises(ValidationError) as caught:
        services.annual_report_save(
            by=world.staff_a,
            report=report,
            narrative="第二稿",
            progress={key_project.pk: {"progress_pct": "120"}},
        )
    assert key_project.name in caught.value.message_dict[f"progress.{key_project.pk}"][0]
    assert AnnualReport.objects.get(pk=report.pk).narrative == "第一稿"


def test_a_dataset_with_errors_is_refused_and_the_draft_is_kept(project, world):
    report = project.annual_reports.get(year=2026)
    services.annual_report_save(by=world.staff_a, report=report, narrative="第一稿")
    document = construction_dataset(park_name="x", park_type=project.park.park_type, year=2027)
    with pytest.raises(ValidationError):
        services.annual_report_save(by=world.staff_a, report=report, narrative="第二稿", document=document)
    report.refresh_from_db()
    assert (report.narrative, report.dataset) == ("第一稿", None)


@pytest.mark.parametrize("who", ["staff_b", "reviewer_a", "province", "observer", "expert"])
def test_only_the_parks_own_staff_write_its_reports(project, world, who):
    report = project.annual_reports.get(year=2026)
    with pytest.raises(PermissionDenied):
        services.annual_report_save(by=getattr(world, who), report=report, narrative="x")


def test_progress_of_a_key_project_of_another_park_is_refused(world, actors_a, actors_b, project):
    other = listed_project(actors_b)
    report = project.annual_reports.get(year=2026)
    foreign = other.key_projects.first()
    with pytest.raises(ValidationError) as caught:
        services.annual_report_save(by=world.staff_a, report=report, progress={foreign.pk: "10"})
    assert f"progress.{foreign.pk}" in caught.value.message_dict


def test_report_reminder_and_overdue_notice_are_sent_once(project, world):
    assert services.annual_reports_remind(today=D(2027, 3, 1)) == (1, 0)
    assert services.annual_reports_remind(today=D(2027, 3, 2)) == (0, 0)
    assert services.annual_reports_remind(today=D(2027, 4, 1)) == (0, 1)
    assert services.annual_reports_remind(today=D(2027, 4, 2)) == (0, 0)
    overdue = Notification.objects.filter(
        title__contains="2026", recipient__in=[world.province, world.reviewer_a]
    )
    assert overdue.count() == 2
    assert not Notification.objects.filter(recipient=world.reviewer_b).exists()


# ---------------------------------------------------------------- rectification orders


def test_an_order_puts_the_project_under_rectification_and_closing_the_last_one_ends_it(project, world):
    first, second = _order(project, world.province), _order(project, world.province, title="第二项")
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_RECTIFICATION
    assert (first.number, second.number) == (1, 2)
    for order in (first, second):
        services.order_answer(by=world.staff_a, order=order, answer="已整改。")
    services.order_close(by=world.province, order=first, today=D(2027, 6, 1))
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_RECTIFICATION
    services.order_close(by=world.province, order=second, today=D(2027, 6, 1))
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_CONSTRUCTION
    events = AuditEvent.objects.for_object(project).values_list("action", "from_state", "to_state")
    assert ("rectified", ProjectStatus.UNDER_RECTIFICATION, ProjectStatus.IN_CONSTRUCTION) in events


def test_an_order_needs_a_deadline_not_in_the_past_a_title_and_requirements(project, world):
    with pytest.raises(ValidationError) as caught:
        services.order_issue(
            by=world.province, project=project, title="", requirements="", deadline=None, today=D(2027, 1, 1)
        )
    assert {"title", "requirements"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        _order(project, world.province, deadline=D(2026, 12, 31), today=D(2027, 1, 1))
    assert "deadline" in caught.value.message_dict
    assert not RectificationOrder.objects.exists()


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "observer", "expert"])
def test_only_the_province_issues_orders(project, world, who):
    with pytest.raises(PermissionDenied):
        _order(project, getattr(world, who))


def test_only_the_parks_staff_answer_and_only_the_province_closes(project, world):
    order = _order(project, world.province)
    for who in ("staff_b", "reviewer_a", "province"):
        with pytest.raises(PermissionDenied):
            services.order_answer(by=getattr(world, who), order=order, answer="x")
    services.order_answer(by=world.staff_a, order=order, answer="已整改。")
    for who in ("staff_a", "reviewer_a", "observer"):
        with pytest.raises(PermissionDenied):
            services.order_close(by=getattr(world, who), order=order)


def test_an_answer_sent_back_reissues_the_order_with_a_new_deadline(project, world):
    order = _order(project, world.province)
    services.order_answer(by=world.staff_a, order=order, answer="部分整改。")
    with pytest.raises(ValidationError):
        services.order_return(
            by=world.province, order=order, comment="", deadline=D(2027, 8, 1), today=D(2027, 6, 1)
        )
    services.order_return(
        by=world.province, order=order, comment="尚未完成。", deadline=D(2027, 8, 1), today=D(2027, 6, 1)
    )
    order.refresh_from_db()
    assert (order.status, order.deadline) == (OrderStatus.ISSUED, D(2027, 8, 1))


def test_overdue_marking_with_a_pinned_clock(project, world, actors_b):
    order = _order(project, world.province, deadline=D(2027, 6, 30))
    answered = _order(project, world.province, deadline=D(2027, 6, 30), title="已答复")
    services.order_answer(by=world.staff_a, order=answered, answer="已整改。")
    assert services.orders_mark_overdue(today=D(2027, 6, 30)) == 0  # the deadline day itself is in time
    assert services.orders_mark_overdue(today=D(2027, 7, 1)) == 1
    assert services.orders_mark_overdue(today=D(2027, 7, 2)) == 0  # marked once
    order.refresh_from_db()
    answered.refresh_from_db()
    assert (order.status, answered.status) == (OrderStatus.OVERDUE, OrderStatus.ANSWERED)
    event = AuditEvent.objects.for_object(order).get(action="order_overdue")
    assert (event.actor, event.from_state, event.to_state) == (None, OrderStatus.ISSUED, OrderStatus.OVERDUE)
    overdue_event = gettext("Rectification order overdue: %(title)s (deadline %(deadline)s)") % {
        "title": order.title,
        "deadline": order.deadline,
    }
    told = set(
        Notification.objects.filter(title__endswith=overdue_event).values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"staff_a", "reviewer_a", "province"}
    # A late answer is still taken; the order's history keeps the overdue step.
    services.order_answer(by=world.staff_a, order=order, answer="逾期完成整改。")
    order.refresh_from_db()
    assert order.status == OrderStatus.ANSWERED and order.overdue_at is not None


def test_orders_of_a_removed_project_are_not_marked(project, world):
    order = _order(project, world.province, deadline=D(2027, 6, 30))
    services.project_remove(
        by=world.province, project=project, reason="整改不到位", document_no="赣发改〔2027〕1号"
    )
    assert services.orders_mark_overdue(today=D(2027, 7, 1)) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.ISSUED


# ---------------------------------------------------------------- the transition tables


PROJECT_FORBIDDEN = [
    (t.verb, status)
    for t in PROJECT.transitions
    for status in ProjectStatus.values
    if status not in t.sources
]


@pytest.mark.parametrize(("action", "status"), PROJECT_FORBIDDEN)
def test_a_project_refuses_every_move_the_table_does_not_allow(project, action, status):
    ConstructionProject.objects.filter(pk=project.pk).update(status=status)
    project.refresh_from_db()
    with pytest.raises(ApplicationError):
        project_move(project, action=action, by=None)
    project.refresh_from_db()
    assert project.status == status


@pytest.mark.parametrize("status", [s for s in OrderStatus.values if s not in ("issued", "overdue")])
def test_an_order_is_answered_only_when_issued_or_overdue(project, world, status):
    order = _order(project, world.province)
    RectificationOrder.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(ApplicationError):
        services.order_answer(by=world.staff_a, order=order, answer="x")


@pytest.mark.parametrize("status", [s for s in OrderStatus.values if s != "answered"])
@pytest.mark.parametrize("action", ["close", "return"])
def test_an_order_is_closed_or_sent_back_only_when_answered(project, world, status, action):
    order = _order(project, world.province)
    RectificationOrder.objects.filter(pk=order.pk).update(status=status)
    with pytest.raises(ApplicationError):
        if action == "close":
            services.order_close(by=world.province, order=order)
        else:
            services.order_return(by=world.province, order=order, comment="x", deadline=datetime.date.today())
    assert RectificationOrder.objects.get(pk=order.pk).status == status


def test_every_order_edge_is_in_the_table():
    edges = {ORDER.audit_action(t): (t.sources, t.target) for t in ORDER.transitions}
    assert edges["order_answer"] == ((OrderStatus.ISSUED, OrderStatus.OVERDUE), OrderStatus.ANSWERED)
    assert edges["order_overdue"] == ((OrderStatus.ISSUED,), OrderStatus.OVERDUE)


# ---------------------------------------------------------------- the end of the period


def test_the_period_ends_after_the_final_year_and_opens_the_self_assessment(project, world):
    assert services.projects_advance_ended(today=D(2028, 12, 31)) == 0
    assert services.projects_advance_ended(today=D(2029, 1, 1)) == 1
    project.refresh_from_db()
    assert project.status == ProjectStatus.SELF_ASSESSMENT
    assert SelfAssessment.objects.filter(project=project, assessment_year=2028, submitted_at=None).exists()


def test_a_project_under_rectification_waits_for_the_order_and_then_moves_on(project, world):
    order = _order(project, world.province, deadline=D(2029, 2, 1), today=D(2028, 12, 1))
    assert services.projects_advance_ended(today=D(2029, 1, 10)) == 0
    services.order_answer(by=world.staff_a, order=order, answer="已整改。")
    services.order_close(by=world.province, order=order, today=D(2029, 1, 20))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SELF_ASSESSMENT


# ---------------------------------------------------------------- removal and incentives


def test_removal_records_the_entry_bumps_the_list_version_and_ends_the_project(project, world):
    the_list = ConstructionList.objects.get(entries__park=project.park)
    version = the_list.version
    services.project_remove(
        by=world.province,
        project=project,
        reason="整改不到位",
        document_no="赣发改〔2027〕9号",
        today=D(2027, 9, 1),
    )
    project.refresh_from_db()
    entry = project.list_entry
    entry.refresh_from_db()
    the_list.refresh_from_db()
    assert project.status == ProjectStatus.REMOVED and project.removed_at is not None
    assert (entry.removed_on, entry.removal_reason, entry.removal_document_no) == (
        D(2027, 9, 1),
        "整改不到位",
        "赣发改〔2027〕9号",
    )
    assert the_list.version == version + 1 == entry.removed_in_version
    with pytest.raises(ApplicationError):
        services.project_remove(by=world.province, project=project, reason="x", document_no="y")


def test_removal_needs_a_reason_and_a_document_number_and_the_province(project, world):
    with pytest.raises(ValidationError) as caught:
        services.project_remove(by=world.province, project=project, reason=" ", document_no="")
    assert set(caught.value.message_dict) == {"reason", "document_no"}
    with pytest.raises(PermissionDenied):
        services.project_remove(by=world.reviewer_a, project=project, reason="x", document_no="y")
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_CONSTRUCTION


@pytest.mark.parametrize("status", ["under_rectification", "self_assessment", "acceptance_review"])
def test_a_park_can_be_removed_from_any_active_state(project, world, status):
    ConstructionProject.objects.filter(pk=project.pk).update(status=status)
    services.project_remove(by=world.province, project=project, reason="退出", document_no="文号")
    assert ConstructionProject.objects.get(pk=project.pk).status == ProjectStatus.REMOVED


def test_an_incentive_is_noted_on_the_timeline(project, world):
    services.incentive_add(
        by=world.province,
        project=project,
        granted_on=D(2027, 9, 1),
        description="专项资金",
        amount_wan=Decimal("300"),
    )
    event = AuditEvent.objects.for_object(project).get(action="incentive_noted")
    assert event.comment == "专项资金 · 300 万元" and event.actor == world.province
    with pytest.raises(PermissionDenied):
        services.incentive_add(by=world.staff_a, project=project, granted_on=D(2027, 9, 1), description="x")
