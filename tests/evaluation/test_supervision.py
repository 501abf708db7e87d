"""督导 acting, not only recording: the list of parks to supervise (lagging core indicator, overdue report),
orders issued from it, the province's moves on an overdue order (remind, extend the deadline, escalate to
removal), and the period-end extension (the city requests, the province decides)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import ConstructionListEntry
from evaluation import services
from evaluation.models import (
    AnnualReport,
    ExtensionStatus,
    OrderStatus,
    ProjectStatus,
    ReportStatus,
)
from evaluation.selectors.activity import construction_todo
from evaluation.selectors.supervision import SupervisionFilters, supervision_rows
from parks.models import User
from tests.evaluation.factories import (
    extension_requested,
    listed_project,
    order_overdue,
    project_in_self_assessment,
    projects_listed,
    report_year,
)
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

APRIL_2027 = date(2027, 4, 5)  # the 2026 reports are due on 31 March 2027


def _rows(user, today=APRIL_2027, **filters):
    return supervision_rows(user=user, filters=SupervisionFilters(**filters), today=today)


# ---------------------------------------------------------------- the list


def test_a_park_lagging_on_the_core_indicator_is_listed_with_the_figures(world, actors_a, actors_b):
    lagging = listed_project(actors_a)
    report_year(lagging, world.staff_a, 2026, lagging=True)
    on_track = listed_project(actors_b)
    report_year(on_track, world.staff_b, 2026)
    rows = _rows(world.province)
    assert [row.project.pk for row in rows] == [lagging.pk]
    row = rows[0]
    assert (row.core_lagging, row.core_year, row.overdue, row.open_orders) == (True, 2026, [], 0)
    assert row.core_value > row.core_target
    with translation.override("en"):
        assert row.reasons == [
            f"Core indicator 2026: {row.core_value} tCO2/tce against the target {row.core_target} "
            f"({row.core_value - row.core_target} worse)"
        ]


def test_a_park_late_with_its_report_is_listed_and_the_base_year_alone_is_no_lag(world, actors_a):
    project = listed_project(actors_a)
    assert _rows(world.province, today=date(2027, 3, 31)) == []  # due today: not late yet
    rows = _rows(world.province)
    assert [(r.year, r.due_on, r.days) for r in rows[0].overdue] == [(2026, date(2027, 3, 31), 5)]
    assert rows[0].core_lagging is False  # only the base year is measured: no target to lag
    with translation.override("en"):
        assert rows[0].reasons == ["Annual report 2026 overdue since 2027-03-31 (5 days)"]
    report_year(project, world.staff_a, 2026)
    assert _rows(world.province) == []


def test_the_filters_and_whether_an_order_is_open(world, actors_a, actors_b):
    lagging = listed_project(actors_a)
    report_year(lagging, world.staff_a, 2026, lagging=True)
    late = listed_project(actors_b)
    services.order_issue(
        by=world.province, project=late, title="补报", requirements="补报年报", deadline=date(2099, 1, 1)
    )
    assert {r.project.pk for r in _rows(world.province)} == {lagging.pk, late.pk}
    assert [r.project.pk for r in _rows(world.province, reason="lagging")] == [lagging.pk]
    assert [r.project.pk for r in _rows(world.province, reason="overdue")] == [late.pk]
    assert [r.project.pk for r in _rows(world.province, order="open")] == [late.pk]
    assert [r.project.pk for r in _rows(world.province, order="none")] == [lagging.pk]
    assert [r.project.pk for r in _rows(world.province, city=world.ganzhou.code)] == [late.pk]
    assert [r.project.pk for r in _rows(world.province, q="南昌测试")] == [lagging.pk]
    # a city sees its own parks' rows only
    assert [r.project.pk for r in _rows(world.reviewer_a)] == [lagging.pk]
    assert SupervisionFilters.from_query({"reason": "x", "order": "y"}) == SupervisionFilters()


@pytest.mark.parametrize("extra", [0, 3])
def test_the_list_reads_a_fixed_number_of_queries(world, django_assert_num_queries, extra):
    projects = projects_listed(world, 1 + extra)
    report_year(projects[0], User.objects.get(park=projects[0].park), 2026, lagging=True)
    # projects with their counts, late reports, submitted years, results, the scheme's directions
    with django_assert_num_queries(5):
        rows = _rows(world.province)
    assert len(rows) == 1 + extra


def test_the_page_lists_filters_and_exports_by_role_and_scope(world, actors_a, actors_b, login):
    lagging = listed_project(actors_a)
    report_year(lagging, world.staff_a, 2026, lagging=True)
    other = listed_project(actors_b)
    report_year(other, world.staff_b, 2026, lagging=True)
    url = reverse("evaluation:supervision-list")
    expected = {
        "province": {lagging.pk, other.pk},
        "observer": {lagging.pk, other.pk},
        "reviewer_a": {lagging.pk},
        "reviewer_b": {other.pk},
    }
    for who, user in world.users().items():
        response = login(user).get(url)
        if who not in expected:
            assert response.status_code == 403, who
            continue
        assert response.status_code == 200, who
        shown = {row.project.pk for row in response.context["rows"]}
        assert shown == expected[who], who
        assert (b"order-from-here" in response.content) == (who == "province"), who
    assert login(None).get(url).status_code == 302
    province = login(world.province)
    filtered = province.get(url, {"city": world.nanchang.code, "reason": "lagging"})
    assert [row.project.pk for row in filtered.context["rows"]] == [lagging.pk]
    assert b'value="lagging" selected' in filtered.content
    export = province.get(url, {"format": "xlsx", "city": world.nanchang.code})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("extra", [0, 3])
def test_the_page_reads_a_fixed_number_of_queries(world, login, django_assert_num_queries, extra):
    projects = projects_listed(world, 1 + extra)
    AnnualReport.objects.filter(project__in=projects, year=2026).update(
        due_on=timezone.localdate() - timedelta(1)
    )
    client = login(world.province)
    client.get(reverse("evaluation:supervision-list"))  # warm the session and the scheme's cache
    # the session and user, the list's five queries, the city filter's cities, the unread notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("evaluation:supervision-list"))
    assert len(response.context["rows"]) == 1 + extra


def test_the_order_form_opened_from_the_list_is_prefilled_with_the_reason(world, actors_a, login):
    project = listed_project(actors_a)
    report_year(project, world.staff_a, 2026, lagging=True)
    client = login(world.province)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("evaluation:order-create", args=[project.pk]), {"from": "supervision"})
    form = response.context["form"]
    assert "Core indicator 2026" in form.initial["requirements"]
    assert form.initial["title"]
    assert (
        login(world.reviewer_a).get(reverse("evaluation:order-create", args=[project.pk])).status_code == 403
    )


# ---------------------------------------------------------------- an overdue order


@pytest.fixture
def overdue(world, actors_a):
    return order_overdue(listed_project(actors_a), world.province)


def test_the_province_reminds_an_overdue_order_at_most_once_a_day(world, overdue):
    before = Notification.objects.filter(recipient=world.staff_a).count()
    services.order_remind(by=world.province, order=overdue, today=date(2027, 7, 3))
    overdue.refresh_from_db()
    assert overdue.status == OrderStatus.OVERDUE
    assert AuditEvent.objects.for_object(overdue).filter(action="order_reminded").count() == 1
    assert Notification.objects.filter(recipient=world.staff_a).count() == before + 1
    assert Notification.objects.filter(recipient=world.reviewer_a).exists()
    with pytest.raises(ApplicationError):
        services.order_remind(by=world.province, order=overdue)
    with pytest.raises(PermissionDenied):
        services.order_remind(by=world.reviewer_a, order=overdue)


def test_extending_the_deadline_needs_a_reason_and_a_future_date_and_keeps_the_old_one(world, overdue):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as missing:
        services.order_extend_deadline(
            by=world.province, order=overdue, comment="", deadline=today + timedelta(9)
        )
    assert "comment" in missing.value.message_dict
    with pytest.raises(ValidationError) as past:
        services.order_extend_deadline(by=world.province, order=overdue, comment="受疫情影响", deadline=today)
    assert "deadline" in past.value.message_dict
    new = today + timedelta(30)
    extended = services.order_extend_deadline(
        by=world.province, order=overdue, comment="受汛期影响", deadline=new
    )
    assert (extended.status, extended.deadline, extended.overdue_at) == (OrderStatus.ISSUED, new, None)
    event = AuditEvent.objects.for_object(extended).get(action="order_extend_deadline")
    assert event.changes["deadline"] == ["2027-05-10", str(new)]
    assert "受汛期影响" in event.comment
    assert Notification.objects.filter(
        recipient=world.staff_a, url__contains=f"/orders/{overdue.pk}/"
    ).exists()
    # the park answers on the new deadline
    answered = services.order_answer(by=world.staff_a, order=extended, answer="已补报。")
    assert answered.status == OrderStatus.ANSWERED


def test_escalating_removes_the_park_with_the_order_as_the_reason(world, overdue):
    with pytest.raises(ValidationError):
        services.order_escalate(by=world.province, order=overdue, comment="整改不到位", document_no="")
    overdue.refresh_from_db()
    assert overdue.status == OrderStatus.OVERDUE  # nothing half-saved
    escalated = services.order_escalate(
        by=world.province, order=overdue, comment="逾期未整改", document_no="赣发改〔2027〕9号"
    )
    assert escalated.status == OrderStatus.ESCALATED
    project = escalated.project
    project.refresh_from_db()
    assert project.status == ProjectStatus.REMOVED
    entry = ConstructionListEntry.objects.get(pk=project.list_entry_id)
    assert "整改通知" in entry.removal_reason and "逾期未整改" in entry.removal_reason
    assert entry.removal_document_no == "赣发改〔2027〕9号"


def test_the_order_page_offers_the_overdue_actions_to_the_province_only(world, overdue, login):
    url = reverse("evaluation:order-detail", args=[overdue.pk])
    page = login(world.province).get(url)
    assert set(page.context["forms"]) == {"extend_deadline", "escalate"}
    assert page.context["can_remind"] and b'id="remind-form"' in page.content
    assert set(login(world.staff_a).get(url).context["forms"]) == {"answer"}
    assert login(world.reviewer_a).post(url, {"action": "remind"}).status_code == 403
    assert login(world.reviewer_a).post(url, {"action": "escalate"}).status_code == 403
    assert login(world.reviewer_b).get(url).status_code == 404
    province = login(world.province)
    assert province.post(url, {"action": "remind"}).status_code == 302
    assert login(world.province).get(url).context["reminded_today"]
    refused = province.post(
        url, {"action": "extend_deadline", "extend_deadline-comment": "", "extend_deadline-deadline": ""}
    )
    assert refused.status_code == 400
    new = (timezone.localdate() + timedelta(20)).isoformat()
    done = province.post(
        url,
        {
            "action": "extend_deadline",
            "extend_deadline-comment": "再给一次机会",
            "extend_deadline-deadline": new,
        },
    )
    assert done.status_code == 302
    overdue.refresh_from_db()
    assert (overdue.status, overdue.deadline.isoformat()) == (OrderStatus.ISSUED, new)


def test_the_province_to_do_lists_overdue_orders_and_extension_requests(world, overdue, actors_b):
    todo = construction_todo(user=world.province, today=date(2027, 7, 2))
    assert [o.pk for o in todo.orders_overdue] == [overdue.pk]
    request = extension_requested(actors_b)
    todo = construction_todo(user=world.province, today=date(2029, 1, 21))
    assert [r.pk for r in todo.extension_requests] == [request.pk]
    city = construction_todo(user=world.reviewer_b, today=date(2029, 1, 21))
    assert [p.extension_requested for p in city.self_assessments] == [True]


# ---------------------------------------------------------------- the extension at the period's end


def test_the_city_requests_and_the_province_approves_an_extension(world, actors_a):
    request = extension_requested(actors_a)
    project = request.project
    assert (request.status, request.years, request.final_year) == (ExtensionStatus.REQUESTED, 1, 2028)
    assert Notification.objects.filter(recipient=world.province).exists()
    with pytest.raises(ApplicationError):  # one request at a time
        services.extension_request_file(by=world.reviewer_a, project=project, years=1, reason="再申请")
    with pytest.raises(ValidationError):  # the opinion is required
        services.extension_decide(by=world.province, request=request, decision="approve", comment="")
    approved = services.extension_decide(
        by=world.province,
        request=request,
        decision="approve",
        comment="同意延期一年",
        document_no="赣发改〔2029〕5号",
    )
    assert (approved.status, approved.decided_by, approved.decision_document_no) == (
        ExtensionStatus.APPROVED,
        world.province,
        "赣发改〔2029〕5号",
    )
    project.refresh_from_db()
    assert (project.status, project.extension_years, project.final_year) == (
        ProjectStatus.IN_CONSTRUCTION,
        1,
        2029,
    )
    assert project.annual_reports.get(year=2029).status == ReportStatus.DUE
    assert AuditEvent.objects.for_object(project).filter(action="extension_granted").exists()
    assert Notification.objects.filter(recipient=world.staff_a, title__contains="1").exists()


def test_a_rejected_extension_leaves_the_project_where_it_was(world, actors_a):
    request = extension_requested(actors_a)
    with pytest.raises(PermissionDenied):
        services.extension_decide(by=world.reviewer_a, request=request, decision="reject", comment="x")
    rejected = services.extension_decide(
        by=world.province, request=request, decision="reject", comment="不具备条件"
    )
    assert rejected.status == ExtensionStatus.REJECTED
    rejected.project.refresh_from_db()
    assert rejected.project.status == ProjectStatus.SELF_ASSESSMENT
    # removal remains possible; a new request too
    services.extension_request_file(by=world.reviewer_a, project=rejected.project, years=2, reason="补充理由")


def test_an_extension_request_is_checked(world, actors_a, actors_b):
    failing = project_in_self_assessment(actors_a, lagging=True)
    with pytest.raises(PermissionDenied):
        services.extension_request_file(by=world.province, project=failing, years=1, reason="x")
    with pytest.raises(PermissionDenied):
        services.extension_request_file(by=world.reviewer_b, project=failing, years=1, reason="x")
    with pytest.raises(ValidationError) as bad:
        services.extension_request_file(by=world.reviewer_a, project=failing, years=3, reason="")
    assert set(bad.value.message_dict) == {"years", "reason"}
    passing = project_in_self_assessment(actors_b)
    with pytest.raises(ApplicationError):  # the core indicator passes: request acceptance instead
        services.extension_request_file(by=world.reviewer_b, project=passing, years=1, reason="x")


def test_a_five_year_period_cannot_be_extended(world, actors_a):
    project = listed_project(actors_a, period_years=5)
    for year in project.report_years:
        report_year(project, world.staff_a, year, lagging=True)
    services.projects_advance_ended(today=date(2031, 1, 20), project_ids=[project.pk])
    project.refresh_from_db()
    with pytest.raises(ValidationError) as full:
        services.extension_request_file(by=world.reviewer_a, project=project, years=1, reason="申请延期")
    assert "years" in full.value.message_dict


def test_the_extension_page_by_role(world, actors_a, login):
    project = project_in_self_assessment(actors_a, lagging=True)
    url = reverse("evaluation:project-extension", args=[project.pk])
    assert login(world.reviewer_a).get(url).context["request_form"] is not None
    assert login(world.province).get(url).context["request_form"] is None
    assert login(world.reviewer_b).get(url).status_code == 404
    assert (
        login(world.staff_a).post(url, {"action": "request", "years": "1", "reason": "x"}).status_code == 403
    )
    city = login(world.reviewer_a)
    assert city.post(url, {"action": "request", "years": "1", "reason": ""}).status_code == 400
    assert city.post(url, {"action": "request", "years": "1", "reason": "核心指标未达标"}).status_code == 302
    assert city.post(url, {"action": "approve", "comment": "x"}).status_code == 403
    province = login(world.province)
    assert province.get(url).context["decision_form"] is not None
    assert province.post(url, {"action": "approve", "comment": "同意"}).status_code == 302
    project.refresh_from_db()
    assert (project.status, project.final_year) == (ProjectStatus.IN_CONSTRUCTION, 2029)
    # the page shows the new end year
    assert b"2026\xe2\x80\x932029" in login(world.reviewer_a).get(url).content


def test_a_request_not_offered_now_is_refused_with_the_reason(world, actors_a, login):
    request = extension_requested(actors_a)
    url = reverse("evaluation:project-extension", args=[request.project_id])
    city = login(world.reviewer_a)
    assert city.get(url).context["request_form"] is None  # one waits already
    response = city.post(url, {"action": "request", "years": "1", "reason": "再申请"}, follow=True)
    assert response.redirect_chain and request.project.extension_requests.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_project_list_links_the_supervision_list_for_those_who_see_it(world, login):
    url = reverse("evaluation:project-list")
    assert b'id="supervision-link"' in login(world.province).get(url).content
    assert b'id="supervision-link"' in login(world.reviewer_a).get(url).content
    assert b'id="supervision-link"' not in login(world.staff_a).get(url).content


def test_escalating_from_the_order_page_removes_the_park(world, overdue, login):
    url = reverse("evaluation:order-detail", args=[overdue.pk])
    province = login(world.province)
    refused = province.post(url, {"action": "escalate", "escalate-comment": "整改不到位"})
    assert refused.status_code == 400  # the document number is required
    done = province.post(
        url,
        {"action": "escalate", "escalate-comment": "整改不到位", "escalate-document_no": "赣发改〔2027〕9号"},
    )
    assert done.status_code == 302
    overdue.refresh_from_db()
    assert overdue.status == OrderStatus.ESCALATED
    assert overdue.project.status == ProjectStatus.REMOVED
    page = province.get(url)
    assert page.context["forms"] == {} and not page.context["can_remind"]
