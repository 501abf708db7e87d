"""The construction API: projects, annual reports and rectification orders, with exact decimals."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from evaluation import services
from evaluation.models import AnnualReport, ReportProgress
from tests.evaluation.api_helpers import JSON, at, dataset, url
from tests.evaluation.factories import listed_project, project_in_self_assessment, report_year

pytestmark = pytest.mark.django_db


# ---- projects ------------------------------------------------------------------------------------


def test_project_list_shows_the_callers_projects_with_contract_fields(world, actors_a, login):
    project = listed_project(actors_a)
    response = login(world.staff_a).get(url("api-project-list"))
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert (item["id"], item["park"], item["city"], item["status"]) == (
        project.pk,
        world.park_a.pk,
        "360100",
        "in_construction",
    )
    assert (item["end_year"], item["final_year"], item["open_orders"]) == (2028, 2028, 0)
    assert item["url"].endswith(url("api-project-detail", project.pk))


@pytest.mark.parametrize(
    ("name", "value", "expected"), [("status", "in_construction", "a"), ("city", "360700", "b")]
)
def test_project_list_filters_when_query_is_given(world, actors_a, actors_b, login, name, value, expected):
    projects = {"a": listed_project(actors_a), "b": listed_project(actors_b)}
    services.order_issue(
        by=world.province,
        project=projects["b"],
        title="整改",
        requirements="补报数据",
        deadline=date(2099, 1, 1),
    )
    response = login(world.province).get(url("api-project-list"), {name: value})
    assert [item["id"] for item in response.json()["results"]] == [projects[expected].pk]


def test_project_detail_gives_the_trajectory_as_exact_decimal_strings(world, actors_a, login):
    project = listed_project(actors_a)
    report_year(project, world.staff_a, 2026)
    body = login(world.reviewer_a).get(url("api-project-detail", project.pk)).json()
    core = next(row for row in body["trajectory"] if row["code"] == "carbon_per_energy")
    assert (core["unit"], core["op"]) == ("tCO2/tce", "<=")
    assert [(p["year"], p["value"], p["target"]) for p in core["points"]] == [
        (2025, "0.4372", None),
        (2026, "0.3628", "0.41"),
        (2027, None, "0.4"),
        (2028, None, "0.33"),
    ]
    assert body["targets"]["carbon_per_energy"]["2028"] == "0.33"
    assert [r["status"] for r in body["annual_reports"]] == ["submitted", "due", "due"]
    assert body["key_projects"][0]["investment_wan"] == "48000.00"
    assert body["acceptance_gate"] is None
    assert body["links"]["orders"].endswith(url("api-project-orders", project.pk))


def test_project_detail_counts_open_orders_and_shows_the_gate_in_self_assessment(world, actors_a, login):
    project = project_in_self_assessment(actors_a)
    services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    body = login(world.province).get(url("api-project-detail", project.pk)).json()
    assert body["open_orders"] == 1
    assert {item["code"]: item["ok"] for item in body["acceptance_gate"]} == {
        "core": True,
        "orders": False,
        "self_assessment": False,
    }


def test_removal_ends_the_project_when_the_province_gives_reason_and_document(world, actors_a, login):
    project = listed_project(actors_a)
    response = login(world.province).post(
        url("api-project-removal", project.pk),
        {"reason": "连续两年未报送年度报告", "document_no": "赣发改环资〔2027〕9号"},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "removed"
    assert response.json()["removed_at"] is not None


def test_removal_answers_400_naming_each_missing_field(world, actors_a, login):
    project = listed_project(actors_a)
    response = login(world.province).post(url("api-project-removal", project.pk), {}, content_type=JSON)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"reason", "document_no"}
    project.refresh_from_db()
    assert project.status == "in_construction"


def test_incentive_is_noted_with_its_exact_amount(world, actors_a, login):
    project = listed_project(actors_a)
    client = login(world.province)
    body = '{"granted_on": "2026-06-01", "description": "省级专项资金", "amount_wan": 120.50, "document_no": "X1"}'
    created = client.post(url("api-project-incentives", project.pk), body, content_type=JSON)
    assert created.status_code == 201, created.json()
    assert created.json()["amount_wan"] == "120.50"
    listed = client.get(url("api-project-incentives", project.pk)).json()
    assert [(i["description"], i["amount_wan"]) for i in listed] == [("省级专项资金", "120.50")]


def test_timeline_lists_the_projects_events_newest_first(world, actors_a, login):
    project = listed_project(actors_a)
    services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    body = login(world.staff_a).get(url("api-project-timeline", project.pk)).json()
    actions = [event["action"] for event in body["results"]]
    assert actions[-1] == "project_opened"
    assert {"order_issued"} <= set(actions)
    assert body["results"][0]["action_label"]


# ---- annual reports ------------------------------------------------------------------------------


def test_report_list_gives_one_report_per_year_of_the_period(world, actors_a, login):
    project = listed_project(actors_a)
    body = login(world.staff_a).get(url("api-project-reports", project.pk)).json()
    assert [(r["year"], r["due_on"], r["status"]) for r in body] == [
        (2026, "2027-03-31", "due"),
        (2027, "2028-03-31", "due"),
        (2028, "2029-03-31", "due"),
    ]


def test_report_patch_keeps_a_progress_value_exact_when_given_as_text(world, actors_a, login):
    project = listed_project(actors_a)
    key_project = project.key_projects.first()
    response = login(world.staff_a).patch(
        url("api-project-report-detail", project.pk, 2026),
        {"progress": {str(key_project.pk): {"progress_pct": "33.3", "note": "按计划"}}},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    row = next(r for r in response.json()["progress"] if r["key_project"] == key_project.pk)
    assert (row["progress_pct"], row["note"]) == ("33.3", "按计划")
    assert ReportProgress.objects.get(key_project=key_project).progress_pct == Decimal("33.3")


def test_report_patch_reads_a_json_number_exactly(world, actors_a, login):
    project = listed_project(actors_a)
    key_project = project.key_projects.first()
    body = '{"progress": {"KP": {"progress_pct": 33.3}}}'.replace("KP", str(key_project.pk))
    response = login(world.staff_a).patch(
        url("api-project-report-detail", project.pk, 2026), body, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    rows = {r["key_project"]: r["progress_pct"] for r in response.json()["progress"]}
    assert rows[key_project.pk] == "33.3"


def test_report_patch_stores_dataset_numbers_beyond_float_precision_exactly(world, actors_a, login):
    project = listed_project(actors_a)
    document = dataset(project, 2026)
    document["electricity_mwh"]["grid"] = "GRID"
    body = json.dumps({"dataset": document}, ensure_ascii=False).replace('"GRID"', "40000.123456789012345678")
    response = login(world.staff_a).patch(
        url("api-project-report-detail", project.pk, 2026), body, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    assert response.json()["dataset"]["document"]["electricity_mwh"]["grid"] == "40000.123456789012345678"


def test_report_patch_refuses_a_dataset_the_engine_refuses_and_keeps_the_draft(world, actors_a, login):
    project = listed_project(actors_a)
    client, target = login(world.staff_a), url("api-project-report-detail", project.pk, 2026)
    assert client.patch(target, {"dataset": dataset(project, 2026)}, content_type=JSON).status_code == 200
    bad = dataset(project, 2026)
    bad["energy"][0]["use"] = "conversion"  # a v1 use, not allowed in a /2 document
    response = client.patch(target, {"narrative": "新的进展", "dataset": bad}, content_type=JSON)
    assert response.status_code == 400
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [("energy[0].use", "invalid")]
    report = project.annual_reports.get(year=2026)
    assert report.dataset.document["energy"][0]["use"] == "fuel"
    assert report.narrative != "新的进展"


def test_report_patch_saves_nothing_and_names_the_project_when_progress_is_bad(world, actors_a, login):
    project = listed_project(actors_a)
    first, second = project.key_projects.all()[:2]
    response = login(world.staff_a).patch(
        url("api-project-report-detail", project.pk, 2026),
        {
            "narrative": "进展",
            "progress": {str(first.pk): {"progress_pct": "40"}, str(second.pk): {"progress_pct": "33.33"}},
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [f"progress.{second.pk}"]
    assert not ReportProgress.objects.exists()
    assert AnnualReport.objects.get(project=project, year=2026).narrative == ""


def test_report_submit_answers_400_listing_every_unmet_condition(world, actors_a, login):
    project = listed_project(actors_a)
    with at(date(2026, 12, 1)):
        response = login(world.staff_a).post(url("api-project-report-submit", project.pk, 2026))
    assert response.status_code == 400
    problems = response.json()["errors"]["__all__"]
    assert len(problems) == 4  # the year, the narrative, the data, the progress
    assert AnnualReport.objects.get(project=project, year=2026).status == "due"


def test_report_detail_shows_problems_only_to_the_parks_staff(world, actors_a, login):
    project = listed_project(actors_a)
    target = url("api-project-report-detail", project.pk, 2026)
    assert login(world.staff_a).get(target).json()["problems"]
    assert login(world.reviewer_a).get(target).json()["problems"] is None


# ---- rectification orders ---------------------------------------------------------------------------


def test_order_issue_answers_201_and_puts_the_project_under_rectification(world, actors_a, login):
    project = listed_project(actors_a)
    response = login(world.province).post(
        url("api-project-orders", project.pk),
        {
            "title": "补报能源数据",
            "requirements": "补报 2026 年电力数据",
            "deadline": "2099-01-01",
            "document_no": "Z1",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["number"], body["status"], body["deadline"]) == (1, "issued", "2099-01-01")
    project.refresh_from_db()
    assert project.status == "under_rectification"


def test_order_issue_answers_400_when_the_deadline_is_past(world, actors_a, login):
    project = listed_project(actors_a)
    response = login(world.province).post(
        url("api-project-orders", project.pk),
        {"title": "补报", "requirements": "补报", "deadline": "2020-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "deadline" in response.json()["errors"]


def test_order_is_answered_then_closed_and_the_project_builds_again(world, actors_a, login):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    transitions = url("api-order-transitions", order.pk)
    staff, province = login(world.staff_a), login(world.province)
    assert [a["action"] for a in staff.get(url("api-order-detail", order.pk)).json()["actions"]] == ["answer"]
    answered = staff.post(transitions, {"action": "answer", "answer": "已补报"}, content_type=JSON)
    assert (answered.status_code, answered.json()["status"]) == (200, "answered")
    assert {a["action"] for a in answered.json()["actions"]} == set()
    closed = province.post(transitions, {"action": "close", "comment": "同意"}, content_type=JSON)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    project.refresh_from_db()
    assert project.status == "in_construction"
    listed = staff.get(url("api-project-orders", project.pk)).json()
    assert [(o["id"], o["is_open"]) for o in listed] == [(order.pk, False)]


def test_order_return_sends_it_back_with_a_new_deadline(world, actors_a, login):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    services.order_answer(by=world.staff_a, order=order, answer="已补报")
    response = login(world.province).post(
        url("api-order-transitions", order.pk),
        {"action": "return", "comment": "数据仍不完整", "deadline": "2099-06-30"},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["deadline"]) == ("issued", "2099-06-30")


def test_order_close_answers_400_when_the_order_is_not_answered(world, actors_a, login):
    project = listed_project(actors_a)
    order = services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    response = login(world.province).post(
        url("api-order-transitions", order.pk), {"action": "close"}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"]["action"]
