"""The construction project pages: who sees and does what, and each write through its page."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services
from evaluation.models import (
    AnnualReport,
    ConstructionProject,
    OrderStatus,
    ProjectStatus,
    ReportStatus,
    SelfAssessment,
)
from evaluation.samples import construction_dataset
from indicators.models import ParkDataset
from tests.evaluation.factories import (
    PDF_BYTES,
    listed_project,
    progress_for,
    project_in_self_assessment,
    report_year,
)
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.models import ImportBatch, ImportStatus

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
VISIBLE = {"province": 200, "observer": 200, "reviewer_a": 200, "staff_a": 200}
HIDDEN = {"reviewer_b": 404, "staff_b": 404, "expert": 404}
# Pages only the province acts on: those who see the project but may not act get 403.
SUPERVISE = {"province": 200, "observer": 403, "reviewer_a": 403, "staff_a": 403, **HIDDEN}


def at(day: date) -> time_machine.travel:
    """Pin the clock to noon (Shanghai) of ``day``."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def project(actors_a) -> ConstructionProject:
    return listed_project(actors_a)


def _dataset_upload(project: ConstructionProject, year: int, **kwargs) -> SimpleUploadedFile:
    document = construction_dataset(
        park_name=project.park.name, park_type=project.park.park_type, year=year, **kwargs
    )
    return SimpleUploadedFile("data.json", json.dumps(document).encode(), content_type="application/json")


def _report_post(project: ConstructionProject, **extra) -> dict:
    data = {"action": "save", "narrative": "2026 年度建设进展。"}
    for kp_pk, item in progress_for(project, "62.5").items():
        data[f"progress_{kp_pk}"], data[f"note_{kp_pk}"] = item["progress_pct"], item["note"]
    return {**data, **extra}


# ---- the role × scope matrix -------------------------------------------------------------------


@pytest.mark.parametrize(("who", "code"), [*VISIBLE.items(), ("expert", 403), ("reviewer_b", 200)])
def test_project_list_answers_by_role(world, login, project, who, code):
    assert login(world.users()[who]).get(reverse("evaluation:project-list")).status_code == code


def test_project_list_shows_only_projects_in_scope(world, login, project):
    assert (
        project.park.name
        not in login(world.reviewer_b).get(reverse("evaluation:project-list")).content.decode()
    )
    assert (
        project.park.name in login(world.reviewer_a).get(reverse("evaluation:project-list")).content.decode()
    )


@pytest.mark.parametrize(
    "name", ["project-list", "project-detail", "report-detail", "order-create", "self-assessment"]
)
def test_pages_redirect_to_login_when_anonymous(login, project, name):
    args = {"project-list": [], "report-detail": [project.pk, 2026]}.get(name, [project.pk])
    response = login(None).get(reverse(f"evaluation:{name}", args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("who", "code"), [*VISIBLE.items(), *HIDDEN.items()])
def test_project_detail_answers_by_role(world, login, project, who, code):
    url = reverse("evaluation:project-detail", args=[project.pk])
    assert login(world.users()[who]).get(url).status_code == code


@pytest.mark.parametrize(("who", "code"), [*VISIBLE.items(), *HIDDEN.items()])
def test_report_page_answers_by_role(world, login, project, who, code):
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    assert login(world.users()[who]).get(url).status_code == code


@pytest.mark.parametrize(("who", "code"), [*VISIBLE.items(), *HIDDEN.items()])
def test_self_assessment_page_answers_by_role(world, login, project, who, code):
    url = reverse("evaluation:self-assessment", args=[project.pk])
    assert login(world.users()[who]).get(url).status_code == code


@pytest.mark.parametrize("name", ["order-create", "project-remove", "incentive-create"])
@pytest.mark.parametrize(("who", "code"), SUPERVISE.items())
def test_province_pages_answer_by_role(world, login, project, name, who, code):
    url = reverse(f"evaluation:{name}", args=[project.pk])
    assert login(world.users()[who]).get(url).status_code == code


@pytest.mark.parametrize("name", ["order-create", "project-remove", "incentive-create"])
def test_province_pages_refuse_a_post_by_the_park(world, login, project, name):
    url = reverse(f"evaluation:{name}", args=[project.pk])
    assert login(world.staff_a).post(url, {"title": "x", "reason": "x"}).status_code == 403


def test_report_page_refuses_a_post_by_the_city(world, login, project):
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    assert login(world.reviewer_a).post(url, _report_post(project)).status_code == 403
    assert project.annual_reports.get(year=2026).narrative == ""


def test_report_page_is_404_for_a_year_outside_the_period(world, login, project):
    url = reverse("evaluation:report-detail", args=[project.pk, 2031])
    assert login(world.staff_a).get(url).status_code == 404


def test_self_assessment_refuses_a_post_by_the_park(world, login, project):
    url = reverse("evaluation:self-assessment", args=[project.pk])
    assert login(world.staff_a).post(url, {"action": "save", "summary": "x"}).status_code == 403


# ---- the list and the project page -------------------------------------------------------------


def test_project_list_shows_the_latest_core_value_and_lagging_count_when_a_report_lags(
    world, login, actors_a, project
):
    report_year(project, actors_a["staff"], 2026, lagging=True)
    response = login(world.province).get(reverse("evaluation:project-list"))
    (row,) = response.context["rows"]
    target = Decimal(project.targets["carbon_per_energy"]["2026"])
    assert (row.core_year, row.core_target, row.core_lagging) == (2026, target, True)
    assert row.lagging_count >= 1
    assert f'data-project="{project.pk}"' in response.content.decode()


def test_project_list_filters_by_status_and_city(world, login, actors_a, actors_b, project):
    other = listed_project(actors_b)
    services.order_issue(
        by=world.province, project=other, title="整改", requirements="补充材料", deadline=date.today()
    )
    client = login(world.province)
    by_status = client.get(reverse("evaluation:project-list"), {"status": ProjectStatus.UNDER_RECTIFICATION})
    assert [r.project for r in by_status.context["rows"]] == [other]
    by_city = client.get(reverse("evaluation:project-list"), {"city": world.nanchang.code})
    assert [r.project for r in by_city.context["rows"]] == [project]


def test_project_detail_shows_the_trajectory_charts_and_flags_lagging_indicators(
    world, login, actors_a, project
):
    report_year(project, actors_a["staff"], 2026, lagging=True)
    html = login(world.observer).get(reverse("evaluation:project-detail", args=[project.pk])).content.decode()
    assert html.count("<svg") == 33  # 11 charts, each drawn at the three widths a card can have
    assert 'id="indicator-carbon_per_energy" data-lagging="1"' in html
    assert 'id="lagging-summary"' in html


def test_project_detail_marks_a_report_overdue_after_its_due_date(world, login, project):
    with at(date(2027, 4, 2)):
        html = (
            login(world.staff_a).get(reverse("evaluation:project-detail", args=[project.pk])).content.decode()
        )
    assert html.count('class="badge text-bg-danger overdue"') == 1


@pytest.mark.parametrize(("who", "shown"), [("province", True), ("observer", False), ("staff_a", False)])
def test_project_detail_offers_the_province_its_actions_only(world, login, project, who, shown):
    html = (
        login(world.users()[who])
        .get(reverse("evaluation:project-detail", args=[project.pk]))
        .content.decode()
    )
    for action in ("action-order", "action-remove", "action-incentive"):
        assert (f'id="{action}"' in html) is shown


# ---- annual reports ----------------------------------------------------------------------------


def test_report_is_saved_and_submitted_through_the_page(world, login, project):
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    with at(date(2027, 1, 15)):
        client = login(world.staff_a)
        saved = client.post(url, _report_post(project, file=_dataset_upload(project, 2026)))
        batch = ImportBatch.objects.get(status=ImportStatus.PREVIEWED)
        assert saved.status_code == 302 and saved["Location"] == reverse(
            "core:import-preview", args=[batch.pk]
        )
        report = project.annual_reports.get(year=2026)
        assert report.narrative and not ParkDataset.objects.filter(park=project.park, year=2026).exists()
        committed = client.post(reverse("core:import-commit", args=[batch.pk]))
        assert committed["Location"] == url  # back to the report
        submitted = client.post(url, {"action": "submit"})
    assert submitted.status_code == 302
    report = project.annual_reports.get(year=2026)
    assert (report.status, report.dataset.year) == (ReportStatus.SUBMITTED, 2026)
    assert {str(p.progress_pct) for p in report.progress.all()} == {"62.5"}


def test_report_page_shows_the_years_computed_indicators(world, login, actors_a, project):
    report_year(project, actors_a["staff"], 2026)
    response = login(world.reviewer_a).get(reverse("evaluation:report-detail", args=[project.pk, 2026]))
    codes = [row["code"] for row in response.context["indicators"]]
    assert "carbon_per_energy" in codes
    assert 'id="indicator-table"' in response.content.decode()


def test_report_submit_lists_every_unmet_condition(world, login, project):
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    response = login(world.staff_a).post(url, {"action": "submit"})
    assert response.status_code == 400
    lines = response.context["refusal"]["lines"]
    assert len(lines) == 4  # the year is not over, no narrative, no data, no progress
    assert project.annual_reports.get(year=2026).status == ReportStatus.DUE


def test_bad_upload_keeps_the_saved_draft_and_names_the_problem(world, login, project):
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    client = login(world.staff_a)
    client.post(url, _report_post(project))
    bad = _report_post(project, narrative="改过的内容", file=_dataset_upload(project, 2027))
    response = client.post(url, bad)
    assert response.status_code == 400
    assert response.context["upload_errors"][0]["path"] == "year"
    report = project.annual_reports.get(year=2026)
    assert (report.narrative, report.dataset) == ("2026 年度建设进展。", None)
    assert "改过的内容" in response.content.decode()  # what was typed is still on the form


def test_bad_progress_is_shown_on_its_input_and_nothing_is_saved(world, login, project):
    key_project = project.key_projects.first()
    url = reverse("evaluation:report-detail", args=[project.pk, 2026])
    response = login(world.staff_a).post(url, _report_post(project, **{f"progress_{key_project.pk}": "101"}))
    assert response.status_code == 400
    assert key_project.name in response.context["form"].errors[f"progress_{key_project.pk}"][0]
    assert not project.annual_reports.get(year=2026).progress.exists()


def test_submitted_report_is_read_only(world, login, actors_a, project):
    report_year(project, actors_a["staff"], 2026)
    response = login(world.staff_a).get(reverse("evaluation:report-detail", args=[project.pk, 2026]))
    html = response.content.decode()
    assert 'id="report-form"' not in html
    assert 'id="report-view"' in html


# ---- rectification orders ----------------------------------------------------------------------


def _issue_through_page(client, project) -> object:
    return client.post(
        reverse("evaluation:order-create", args=[project.pk]),
        {
            "title": "能耗数据整改",
            "requirements": "补充重点企业能源计量数据。",
            "deadline": (date.today() + timedelta(days=30)).isoformat(),
            "document_no": "赣发改环资〔2026〕88号",
        },
    )


def test_order_is_issued_answered_and_closed_through_the_pages(world, login, project):
    response = _issue_through_page(login(world.province), project)
    order = project.orders.get()
    assert response.url == reverse("evaluation:order-detail", args=[order.pk])
    url = response.url
    login(world.staff_a).post(url, {"action": "answer", "answer-answer": "已补充计量数据。"})
    order.refresh_from_db()
    assert order.status == OrderStatus.ANSWERED
    login(world.province).post(url, {"action": "close", "close-comment": "同意"})
    order.refresh_from_db()
    project.refresh_from_db()
    assert (order.status, project.status) == (OrderStatus.CLOSED, ProjectStatus.IN_CONSTRUCTION)


def test_order_answer_is_sent_back_with_a_new_deadline(world, login, project):
    _issue_through_page(login(world.province), project)
    order = project.orders.get()
    url = reverse("evaluation:order-detail", args=[order.pk])
    login(world.staff_a).post(url, {"action": "answer", "answer-answer": "已整改"})
    new_deadline = date.today() + timedelta(days=60)
    login(world.province).post(
        url,
        {"action": "return", "return-comment": "仍缺计量数据", "return-deadline": new_deadline.isoformat()},
    )
    order.refresh_from_db()
    assert (order.status, order.deadline) == (OrderStatus.ISSUED, new_deadline)


def test_order_form_shows_the_service_errors(world, login, project):
    response = login(world.province).post(
        reverse("evaluation:order-create", args=[project.pk]),
        {"title": "x", "requirements": "y", "deadline": "2020-01-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"]
    assert not project.orders.exists()


@pytest.mark.parametrize(("who", "action", "code"), [("province", "answer", 403), ("staff_a", "close", 403)])
def test_order_actions_of_another_role_are_forbidden(world, login, project, who, action, code):
    _issue_through_page(login(world.province), project)
    url = reverse("evaluation:order-detail", args=[project.orders.get().pk])
    response = login(world.users()[who]).post(url, {"action": action, f"{action}-answer": "x"})
    assert response.status_code == code


@pytest.mark.parametrize(("who", "code"), [*VISIBLE.items(), *HIDDEN.items()])
def test_order_page_answers_by_role(world, login, project, who, code):
    _issue_through_page(login(world.province), project)
    url = reverse("evaluation:order-detail", args=[project.orders.get().pk])
    assert login(world.users()[who]).get(url).status_code == code


# ---- removal and incentives --------------------------------------------------------------------


def test_removal_page_asks_for_confirmation_before_removing(world, login, project):
    html = login(world.province).get(reverse("evaluation:project-remove", args=[project.pk])).content.decode()
    assert 'id="remove-explain"' in html
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_CONSTRUCTION


def test_removal_through_the_page_shows_on_the_public_list(world, login, project):
    response = login(world.province).post(
        reverse("evaluation:project-remove", args=[project.pk]),
        {"reason": "连续两年未报送年度报告", "document_no": "赣发改环资〔2027〕5号"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.REMOVED
    html = login(None).get(reverse("applications:public-lists")).content.decode()
    assert "赣发改环资〔2027〕5号" in html
    assert "连续两年未报送年度报告" in html


def test_removal_requires_a_document_number(world, login, project):
    response = login(world.province).post(
        reverse("evaluation:project-remove", args=[project.pk]), {"reason": "原因", "document_no": ""}
    )
    assert response.status_code == 200
    assert "document_no" in response.context["form"].errors


def test_incentive_is_noted_through_the_page(world, login, project):
    response = login(world.province).post(
        reverse("evaluation:incentive-create", args=[project.pk]),
        {"granted_on": "2026-10-01", "description": "省级预算内投资补助", "amount_wan": "500.00"},
    )
    assert response.status_code == 302
    incentive = project.incentives.get()
    assert (str(incentive.amount_wan), incentive.noted_by) == ("500.00", world.province)


# ---- self-assessment and acceptance ------------------------------------------------------------


@pytest.fixture
def ended(actors_a) -> ConstructionProject:
    return project_in_self_assessment(actors_a)


def _pdf(name: str = "自评估报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_self_assessment_is_written_submitted_and_acceptance_requested_through_the_page(world, login, ended):
    url = reverse("evaluation:self-assessment", args=[ended.pk])
    client = login(world.reviewer_a)
    client.post(url, {"action": "save", "conclusion": "meets", "summary": "各项指标达到建设目标。"})
    client.post(url, {"action": "evidence", "title": "自评估报告", "file": _pdf()})
    assert client.post(url, {"action": "submit"}).status_code == 302
    assert SelfAssessment.objects.get(project=ended).is_submitted
    response = client.post(url, {"action": "request"})
    evaluation = ended.evaluations.get()
    assert response.url == reverse("evaluation:evaluation-detail", args=[evaluation.pk])


def test_acceptance_request_lists_every_unmet_condition(world, login, actors_a):
    lagging = project_in_self_assessment(actors_a, lagging=True)
    response = login(world.reviewer_a).post(
        reverse("evaluation:self-assessment", args=[lagging.pk]), {"action": "request"}
    )
    assert response.status_code == 400
    lines = response.context["refusal"]["lines"]
    assert len(lines) == 2  # the core indicator fails, and no self-assessment is submitted
    assert "一票否决" in lines[0]
    assert not lagging.evaluations.exists()


def test_self_assessment_page_shows_the_gate_and_what_is_missing(world, login, ended):
    response = login(world.reviewer_a).get(reverse("evaluation:self-assessment", args=[ended.pk]))
    gate = {item.code: item.ok for item in response.context["gate"]}
    assert gate == {"core": True, "orders": True, "self_assessment": False}
    assert len(response.context["problems"]) == 3  # conclusion, assessment, evidence


def test_self_assessment_submit_lists_what_is_missing(world, login, ended):
    url = reverse("evaluation:self-assessment", args=[ended.pk])
    response = login(world.reviewer_a).post(url, {"action": "submit"})
    assert response.status_code == 400
    assert len(response.context["refusal"]["lines"]) == 3


def test_evidence_downloads_under_its_chinese_name_for_whoever_sees_the_project(world, login, ended):
    self_assessment = SelfAssessment.objects.get(project=ended)
    evidence = services.evidence_add(
        by=world.reviewer_a,
        self_assessment=self_assessment,
        file=io.BytesIO(PDF_BYTES),
        name="自评估报告.pdf",
    )
    url = reverse("evaluation:evidence-download", args=[evidence.pk])
    response = login(world.observer).get(url)
    assert response.status_code == 200
    assert (
        "filename*=utf-8''%E8%87%AA%E8%AF%84%E4%BC%B0%E6%8A%A5%E5%91%8A.pdf"
        in response["Content-Disposition"]
    )
    assert login(world.reviewer_b).get(url).status_code == 404


@pytest.mark.parametrize(("who", "code"), [("reviewer_a", 302), ("staff_a", 403), ("province", 403)])
def test_evidence_is_removed_only_by_the_city(world, login, ended, who, code):
    self_assessment = SelfAssessment.objects.get(project=ended)
    evidence = services.evidence_add(
        by=world.reviewer_a, self_assessment=self_assessment, file=io.BytesIO(PDF_BYTES), name="证明.pdf"
    )
    response = login(world.users()[who]).post(reverse("evaluation:evidence-delete", args=[evidence.pk]))
    assert response.status_code == code
    assert self_assessment.evidence.exists() is (code != 302)


# ---- query counts ------------------------------------------------------------------------------


def _more_projects(world, count: int) -> None:
    """``count`` more listed parks in 南昌, each with its own staff."""
    for n in range(count):
        park = ParkFactory(zone=ZoneFactory(city=world.nanchang), name=f"南昌园区{n}")
        staff = UserFactory(username=f"staff_extra{n}", staff=True, park=park)
        listed_project({"staff": staff, "reviewer": world.reviewer_a, "province": world.province})


@pytest.mark.parametrize("extra", [0, 4])
def test_project_list_query_count_is_constant(
    world, login, actors_a, project, django_assert_num_queries, extra
):
    report_year(project, actors_a["staff"], 2026)
    _more_projects(world, extra)
    client = login(world.province)
    # session, user, count, page with open orders and overdue reports counted, submitted report years,
    # the parks' provincial results, the scheme's directions, cities for the filter, unread notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("evaluation:project-list"))
    assert len(response.context["rows"]) == 1 + extra


@pytest.mark.parametrize("extra", [0, 3])
def test_project_detail_query_count_is_constant(
    world, login, actors_a, project, django_assert_num_queries, extra
):
    report_year(project, actors_a["staff"], 2026)
    for n in range(1 + extra):
        services.incentive_add(
            by=world.province, project=project, granted_on=date(2026, 9, 1), description=f"奖励{n}"
        )
        order = services.order_issue(
            by=world.province, project=project, title=f"整改{n}", requirements="补充", deadline=date.today()
        )
        services.order_answer(by=world.staff_a, order=order, answer="已整改")
    client = login(world.province)
    client.get(reverse("evaluation:project-detail", args=[project.pk]))  # warm the content-type cache
    # session, user, project, trajectory (submitted years, datasets, results, scheme), list entry, list,
    # timeline targets (orders, reports, self-assessments, evaluations, extension requests), unread
    # notifications, evaluations, key projects, reports, orders, incentives, timeline events, the scheme's title,
    # the park's archives
    with django_assert_num_queries(23):
        client.get(reverse("evaluation:project-detail", args=[project.pk]))
    assert AnnualReport.objects.filter(project=project).count() == 3
