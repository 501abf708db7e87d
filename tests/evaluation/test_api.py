"""The construction and acceptance API: each endpoint's happy path and main refusals, exact decimals, and
a whole journey from the published list to the acceptance decision through the API alone."""

from __future__ import annotations

import datetime as dt
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from evaluation import services
from evaluation.models import AcceptanceReport, AnnualReport, Evidence, ReportProgress
from evaluation.samples import construction_dataset
from evaluation.scoring import SCORE_AREAS
from tests.applications.factories import pdf_file
from tests.evaluation.factories import (
    evaluation_requested,
    experts_reviewed,
    full_scores,
    listed_project,
    progress_for,
    project_in_self_assessment,
    report_year,
)
from tests.parks.factories import UserFactory
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db

JSON = "application/json"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def at(day: date):
    """Travel to 10:00 on ``day`` (sign in inside: a session from before would have expired)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone()))


def dataset(project, year: int) -> dict:
    return construction_dataset(park_name=project.park.name, park_type=project.park.park_type, year=year)


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


# ---- self-assessment and the request for acceptance --------------------------------------------------


def test_self_assessment_answers_404_before_the_period_ends(world, actors_a, login):
    project = listed_project(actors_a)
    assert login(world.reviewer_a).get(url("api-project-self-assessment", project.pk)).status_code == 404


def test_acceptance_request_answers_400_listing_every_unmet_condition(world, actors_a, login):
    project = project_in_self_assessment(actors_a)
    services.order_issue(
        by=world.province, project=project, title="整改", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    response = login(world.reviewer_a).post(
        url("api-project-acceptance-request", project.pk), {}, content_type=JSON
    )
    assert response.status_code == 400
    gate = response.json()["errors"]["gate"]
    assert len(gate) == 2  # an open order, no submitted self-assessment
    project.refresh_from_db()
    assert project.status == "self_assessment"


def test_evidence_is_uploaded_and_removed_by_the_city(world, actors_a, login):
    project = project_in_self_assessment(actors_a)
    client = login(world.reviewer_a)
    uploaded = client.post(
        url("api-project-evidence", project.pk), {"title": "现场核查记录", "file": pdf_file()}
    )
    assert uploaded.status_code == 201, uploaded.json()
    assert uploaded.json()["download_url"].startswith("http://testserver/")
    removed = client.delete(url("api-project-evidence-detail", project.pk, uploaded.json()["id"]))
    assert removed.status_code == 204
    assert not Evidence.objects.exists()


# ---- evaluations ---------------------------------------------------------------------------------


def test_evaluation_list_shows_an_expert_only_its_assignments(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    assert login(world.expert).get(url("api-evaluation-list")).json()["count"] == 0
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    (item,) = login(world.expert).get(url("api-evaluation-list")).json()["results"]
    assert (item["id"], item["my_review_status"], item["experts_assigned"]) == (evaluation.pk, "assigned", 1)


def test_decision_answers_400_when_fewer_than_two_experts_have_submitted(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    response = login(world.province).post(
        url("api-evaluation-decision", evaluation.pk),
        {"decision": "accepted", "comment": "同意", "document_no": "D1"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"]


def test_decision_extended_sends_the_project_back_to_construction(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    response = login(world.province).post(
        url("api-evaluation-decision", evaluation.pk),
        {"decision": "extended", "comment": "延期一年", "extension_years": 1},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["decision"]) == ("decided", "extended")
    evaluation.project.refresh_from_db()
    assert (evaluation.project.status, evaluation.project.final_year) == ("in_construction", 2029)


def test_evaluation_detail_shows_scores_to_the_city_only_once_decided(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    target = url("api-evaluation-detail", evaluation.pk)
    city, province = login(world.reviewer_a), login(world.province)
    assert [("scores" in r, r["scores_visible"]) for r in city.get(target).json()["reviews"]] == [
        (False, False)
    ] * 2
    assert [r["total_score"] for r in province.get(target).json()["reviews"]] == ["90.0", "90.0"]
    services.evaluation_decide(
        by=world.province, evaluation=evaluation, decision="accepted", comment="同意", document_no="D1"
    )
    assert [r["opinion"] for r in city.get(target).json()["reviews"]] == ["同意通过验收。"] * 2


def test_review_answers_400_naming_each_bad_area(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    scores = {**full_scores(), "core": "41", "offsets": "2.3"}
    response = login(world.expert).post(
        url("api-evaluation-review", evaluation.pk),
        {"scores": scores, "opinion": "意见", "recommends_acceptance": True},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"scores.core", "scores.offsets"}


def test_report_metadata_answers_404_before_any_report_is_prepared(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    assert login(world.province).get(url("api-evaluation-report", evaluation.pk)).status_code == 404


def test_report_download_stays_hidden_from_an_expert_who_has_not_submitted(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    AcceptanceReport.objects.filter(evaluation=evaluation).update(status=FileStatus.READY, page_count=9)
    target = url("api-evaluation-report", evaluation.pk)
    assert login(world.expert).get(target).json()["download_url"] is None
    assert login(world.province).get(target).json()["download_url"] is not None


# ---- the whole journey, through the API ------------------------------------------------------------


def _report_filed(login, world, project, year: int, pct: str) -> dict:
    with at(date(year + 1, 1, 15)):
        staff = login(world.staff_a)
        detail = url("api-project-report-detail", project.pk, year)
        patched = staff.patch(
            detail,
            {
                "narrative": f"{year} 年度建设进展",
                "progress": {str(k): v for k, v in progress_for(project, pct).items()},
                "dataset": dataset(project, year),
            },
            content_type=JSON,
        )
        assert patched.status_code == 200, patched.json()
        assert patched.json()["problems"] == []
        submitted = staff.post(url("api-project-report-submit", project.pk, year))
        assert submitted.status_code == 200, submitted.json()
        return submitted.json()


def test_journey_from_the_list_to_acceptance_through_the_api(world, actors_a, login):
    project = listed_project(actors_a)
    assert [p["id"] for p in login(world.staff_a).get(url("api-project-list")).json()["results"]] == [
        project.pk
    ]

    # Annual reports; in 2027 the province orders a rectification, the park answers, the province closes.
    first = _report_filed(login, world, project, 2026, "33.3")
    assert (first["status"], first["progress"][0]["progress_pct"]) == ("submitted", "33.3")
    with at(date(2027, 2, 1)):
        province, staff = login(world.province), login(world.staff_a)
        issued = province.post(
            url("api-project-orders", project.pk),
            {
                "title": "绿电直连滞后",
                "requirements": "说明进度",
                "deadline": "2027-03-01",
                "document_no": "Z2",
            },
            content_type=JSON,
        )
        transitions = url("api-order-transitions", issued.json()["id"])
        staff.post(transitions, {"action": "answer", "answer": "已签约"}, content_type=JSON)
        closed = province.post(transitions, {"action": "close"}, content_type=JSON)
        assert closed.json()["status"] == "closed"
    _report_filed(login, world, project, 2027, "70")
    _report_filed(login, world, project, 2028, "100")
    services.projects_advance_ended(today=date(2029, 1, 20))

    with at(date(2029, 2, 1)):
        city = login(world.reviewer_a)
        sa_url = url("api-project-self-assessment", project.pk)
        draft = city.patch(
            sa_url, {"conclusion": "meets", "summary": "各项指标达到建设目标"}, content_type=JSON
        )
        assert draft.status_code == 200, draft.json()
        assert draft.json()["problems"] == [gettext("Attach at least one piece of evidence.")]
        refused = city.post(url("api-project-acceptance-request", project.pk), {}, content_type=JSON)
        assert refused.status_code == 400
        assert len(refused.json()["errors"]["gate"]) == 1  # the self-assessment is not submitted
        city.post(url("api-project-evidence", project.pk), {"file": pdf_file()})
        submitted = city.post(url("api-project-self-assessment-submit", project.pk))
        assert (submitted.status_code, submitted.json()["is_submitted"]) == (200, True)
        requested = city.post(
            url("api-project-acceptance-request", project.pk), {"comment": "申请验收"}, content_type=JSON
        )
        assert requested.status_code == 201, requested.json()
        pk = requested.json()["id"]

        # Two experts, blind: the second sees the first's scores only once it has submitted its own.
        first_expert, second_expert = world.expert, UserFactory(expert=True)
        assigned = login(world.province).post(
            url("api-evaluation-experts", pk),
            {"experts": [first_expert.pk, second_expert.pk]},
            content_type=JSON,
        )
        assert [r["status"] for r in assigned.json()["reviews"]] == ["assigned", "assigned"]
        review = {"scores": full_scores(), "opinion": "同意通过验收。", "recommends_acceptance": True}
        reviewed = login(first_expert).post(url("api-evaluation-review", pk), review, content_type=JSON)
        assert reviewed.status_code == 200, reviewed.json()
        second = login(second_expert)
        before = second.get(url("api-evaluation-detail", pk)).json()["reviews"][0]
        assert (before["status"], before["scores_visible"], "scores" in before) == ("submitted", False, False)
        after = second.post(url("api-evaluation-review", pk), review, content_type=JSON).json()["reviews"][0]
        assert after["scores_visible"] is True
        assert (after["scores"]["core"], after["total_score"]) == ("36.0", "90.0")

        decided = login(world.province).post(
            url("api-evaluation-decision", pk),
            {"decision": "accepted", "comment": "同意通过验收", "document_no": "赣发改环资〔2029〕3号"},
            content_type=JSON,
        )
        assert decided.status_code == 200, decided.json()
        assert (decided.json()["status"], decided.json()["decision"]) == ("decided", "accepted")
        assert login(world.staff_a).get(url("api-project-detail", project.pk)).json()["status"] == "accepted"

        # The report: pending, then (rendered) ready with its absolute download address; regenerating.
        province = login(world.province)
        assert province.get(url("api-evaluation-report", pk)).json()["status"] == "pending"
        AcceptanceReport.objects.filter(evaluation_id=pk).update(
            status=FileStatus.READY, page_count=12, rendered_at=timezone.now()
        )
        meta = province.get(url("api-evaluation-report", pk)).json()
        assert (meta["status"], meta["pages"], meta["is_current"]) == ("ready", 12, True)
        assert meta["download_url"] == "http://testserver" + reverse("evaluation:report-download", args=[pk])
        again = province.post(url("api-evaluation-report", pk))
        assert (again.status_code, again.json()["status"]) == (202, "pending")
        assert len(SCORE_AREAS) == len(province.get(url("api-evaluation-detail", pk)).json()["score_areas"])
