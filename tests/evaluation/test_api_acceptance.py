"""The acceptance API: self-assessment, evidence, the acceptance request, expert reviews and the decision."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation import services
from evaluation.models import AcceptanceReport, Evidence
from tests.applications.factories import pdf_file
from tests.evaluation.api_helpers import JSON, url
from tests.evaluation.factories import (
    assigned_declared,
    evaluation_requested,
    experts_reviewed,
    full_scores,
    listed_project,
    project_in_self_assessment,
)
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db


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
    assigned_declared(evaluation, world.province, [world.expert])
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
