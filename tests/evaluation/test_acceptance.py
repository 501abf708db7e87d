"""Self-assessment, the acceptance gate (every condition), expert review (blind) and the decision."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation import selectors, services
from evaluation.models import (
    AnnualReport,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    ExpertReview,
    ProjectStatus,
    ReviewStatus,
    SelfAssessment,
)
from evaluation.permissions import can_see_scores
from evaluation.scoring import MAX_TOTAL, SCORE_AREAS, scores_clean
from tests.evaluation.factories import (
    assigned_declared,
    evaluation_requested,
    experts_reviewed,
    full_scores,
    project_in_self_assessment,
    self_assessment_submitted,
)
from tests.parks.factories import UserFactory
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


def _gate(project) -> dict[str, bool]:
    return {item.code: item.ok for item in selectors.acceptance_gate(project)}


# ---------------------------------------------------------------- self-assessment


def test_the_self_assessment_lists_what_is_missing(world, actors_a):
    project = project_in_self_assessment(actors_a)
    AnnualReport.objects.filter(project=project, year=2028).update(status="due", submitted_at=None)
    self_assessment = SelfAssessment.objects.get(project=project)
    with pytest.raises(ApplicationError) as caught:
        services.self_assessment_submit(by=world.reviewer_a, self_assessment=self_assessment)
    assert len(caught.value.errors["__all__"]) == 4  # conclusion, text, evidence, the 2028 report


@pytest.mark.parametrize("who", ["reviewer_b", "staff_a", "province", "observer"])
def test_only_the_parks_city_writes_the_self_assessment(world, actors_a, who):
    project = project_in_self_assessment(actors_a)
    self_assessment = SelfAssessment.objects.get(project=project)
    with pytest.raises(PermissionDenied):
        services.self_assessment_save(by=getattr(world, who), self_assessment=self_assessment, summary="x")


def test_evidence_is_checked_by_content(world, actors_a):
    project = project_in_self_assessment(actors_a)
    self_assessment = SelfAssessment.objects.get(project=project)
    with pytest.raises(ValidationError) as caught:
        services.evidence_add(
            by=world.reviewer_a, self_assessment=self_assessment, file=io.BytesIO(b"<html>"), name="报告.pdf"
        )
    assert "报告.pdf" in caught.value.message_dict["file"][0]
    assert not self_assessment.evidence.exists()


# ---------------------------------------------------------------- the gate


def test_the_gate_holds_and_acceptance_is_requested(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    project = ConstructionProject.objects.get(pk=evaluation.project_id)
    assert project.status == ProjectStatus.ACCEPTANCE_REVIEW
    assert (evaluation.status, evaluation.assessment_year) == (EvaluationStatus.IN_REVIEW, 2028)
    event = AuditEvent.objects.for_object(project).get(action="acceptance_requested")
    assert (event.from_state, event.to_state, event.actor) == (
        ProjectStatus.SELF_ASSESSMENT,
        ProjectStatus.ACCEPTANCE_REVIEW,
        world.reviewer_a,
    )


def test_the_gate_lists_every_unmet_condition_at_once(world, actors_a):
    project = project_in_self_assessment(actors_a, lagging=True)
    services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="整改",
        deadline=D(2029, 3, 1),
        today=D(2029, 2, 1),
    )
    assert _gate(project) == {"core": False, "orders": False, "self_assessment": False}
    with pytest.raises(ApplicationError) as caught:
        services.acceptance_request(by=world.reviewer_a, project=project)
    assert len(caught.value.errors["gate"]) == 3
    assert "一票否决" in caught.value.errors["gate"][0]
    project.refresh_from_db()
    assert project.status == ProjectStatus.SELF_ASSESSMENT


def test_the_core_indicator_alone_blocks_acceptance(world, actors_a):
    project = project_in_self_assessment(actors_a, lagging=True)
    self_assessment_submitted(actors_a, project)
    assert _gate(project) == {"core": False, "orders": True, "self_assessment": True, "conclusion": True}
    with pytest.raises(ApplicationError):
        services.acceptance_request(by=world.reviewer_a, project=project)


def test_an_open_order_alone_blocks_acceptance(world, actors_a):
    project = project_in_self_assessment(actors_a)
    self_assessment_submitted(actors_a, project)
    order = services.order_issue(
        by=world.province,
        project=project,
        title="整改",
        requirements="整改",
        deadline=D(2029, 3, 1),
        today=D(2029, 2, 1),
    )
    services.order_answer(by=world.staff_a, order=order, answer="已整改")  # answered is still open
    assert _gate(project) == {"core": True, "orders": False, "self_assessment": True, "conclusion": True}
    services.order_close(by=world.province, order=order, today=D(2029, 2, 10))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SELF_ASSESSMENT
    assert all(_gate(project).values())


def test_a_self_assessment_concluding_the_park_falls_short_blocks_acceptance(world, actors_a):
    project = project_in_self_assessment(actors_a)
    self_assessment_submitted(actors_a, project, conclusion="falls_short")
    assert _gate(project)["conclusion"] is False


@pytest.mark.parametrize("who", ["reviewer_b", "staff_a", "province"])
def test_only_the_parks_city_requests_acceptance(world, actors_a, who):
    project = project_in_self_assessment(actors_a)
    self_assessment_submitted(actors_a, project)
    with pytest.raises(PermissionDenied):
        services.acceptance_request(by=getattr(world, who), project=project)


def test_acceptance_cannot_be_requested_during_construction(world, actors_a):
    from tests.evaluation.factories import listed_project

    project = listed_project(actors_a)
    with pytest.raises(ApplicationError):
        services.acceptance_request(by=world.reviewer_a, project=project)


# ---------------------------------------------------------------- experts and blind review


def test_scores_are_checked_per_area():
    _cleaned, total, errors = scores_clean(full_scores())
    assert not errors and total == MAX_TOTAL * 9 / 10
    bad = {**full_scores(), "core": "41", "offsets": "2.3", "unknown": "1"}
    del bad["buildings"]
    _cleaned, _total, errors = scores_clean(bad)
    assert set(errors) == {"scores.core", "scores.offsets", "scores.unknown", "scores.buildings"}
    assert sum(area.max_points for area in SCORE_AREAS) == 100


def test_only_review_experts_are_assigned(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    with pytest.raises(ValidationError):
        services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.observer])
    with pytest.raises(PermissionDenied):
        services.experts_assign(by=world.reviewer_a, evaluation=evaluation, experts=[world.expert])
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert, world.expert])
    assert evaluation.reviews.count() == 1


def test_blind_review_an_expert_sees_others_scores_only_after_submitting(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    first, second = world.expert, UserFactory(expert=True)
    assigned_declared(evaluation, world.province, [first, second])
    review_1 = evaluation.reviews.get(expert=first)
    services.expert_review_submit(
        by=first, review=review_1, scores=full_scores(), opinion="同意", recommends_acceptance=True
    )
    evaluation.refresh_from_db()
    reviews = list(evaluation.reviews.all())
    review_1, review_2 = (next(r for r in reviews if r.expert_id == u.pk) for u in (first, second))
    assert can_see_scores(first, evaluation, review_1, reviews)
    assert not can_see_scores(second, evaluation, review_1, reviews)
    assert not can_see_scores(first, evaluation, review_2, reviews)  # not submitted: only its author
    assert can_see_scores(world.province, evaluation, review_1, reviews)
    for who in ("observer", "reviewer_a", "staff_a"):
        assert not can_see_scores(getattr(world, who), evaluation, review_1, reviews)
    services.expert_review_submit(
        by=second, review=review_2, scores=full_scores("1"), opinion="同意", recommends_acceptance=True
    )
    reviews = list(evaluation.reviews.all())
    assert can_see_scores(second, evaluation, reviews[0], reviews)
    services.evaluation_decide(
        by=world.province, evaluation=evaluation, decision="accepted", comment="通过", document_no="文号"
    )
    evaluation.refresh_from_db()
    for who in ("observer", "reviewer_a", "staff_a"):
        assert can_see_scores(getattr(world, who), evaluation, reviews[0], reviews)


def test_an_expert_submits_once_and_only_its_own_review(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    other = UserFactory(expert=True)
    assigned_declared(evaluation, world.province, [world.expert])
    review = evaluation.reviews.get()
    with pytest.raises(PermissionDenied):
        services.expert_review_submit(
            by=other, review=review, scores=full_scores(), opinion="x", recommends_acceptance=True
        )
    with pytest.raises(ValidationError) as caught:
        services.expert_review_submit(
            by=world.expert, review=review, scores={"core": "50"}, opinion="", recommends_acceptance=None
        )
    assert {"scores.core", "opinion", "recommends_acceptance"} <= set(caught.value.message_dict)
    services.expert_review_submit(
        by=world.expert, review=review, scores=full_scores(), opinion="同意", recommends_acceptance=True
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.total_score == 90
    with pytest.raises(ApplicationError):
        services.expert_review_submit(
            by=world.expert, review=review, scores=full_scores(), opinion="改", recommends_acceptance=False
        )
    with pytest.raises(ApplicationError):
        services.expert_unassign(by=world.province, review=review)
    # The timeline names who submitted, never the scores.
    event = AuditEvent.objects.for_object(evaluation).get(action="expert_review_submitted")
    assert "90" not in event.comment and not event.changes


# ---------------------------------------------------------------- the decision


def test_a_decision_needs_two_submitted_opinions_and_none_outstanding(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    assigned_declared(evaluation, world.province, [world.expert, UserFactory(expert=True)])
    review = evaluation.reviews.get(expert=world.expert)
    services.expert_review_submit(
        by=world.expert, review=review, scores=full_scores(), opinion="同意", recommends_acceptance=True
    )
    with pytest.raises(ApplicationError) as caught:
        services.evaluation_decide(
            by=world.province, evaluation=evaluation, decision="accepted", comment="通过", document_no="文号"
        )
    assert len(caught.value.errors["__all__"]) == 2


def test_the_decision_form_is_checked(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_decide(by=world.province, evaluation=evaluation, decision="maybe", comment="")
    assert {"decision", "comment"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.evaluation_decide(
            by=world.province, evaluation=evaluation, decision="extended", comment="延期", extension_years=3
        )
    assert "extension_years" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.evaluation_decide(
            by=world.reviewer_a, evaluation=evaluation, decision="accepted", comment="x", document_no="y"
        )


@pytest.mark.parametrize("large", [False, True])
def test_accepting_makes_a_provincial_park_and_flags_national_when_the_national_scheme_passes(
    world, actors_a, large
):
    evaluation = evaluation_requested(actors_a, large=large)
    experts_reviewed(evaluation, world.province)
    services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision=Decision.ACCEPTED,
        comment="通过",
        document_no="文号",
    )
    project = ConstructionProject.objects.get(pk=evaluation.project_id)
    evaluation.refresh_from_db()
    assert project.status == ProjectStatus.ACCEPTED and project.accepted_at is not None
    assert project.national_recommended is large and evaluation.national_passed is large
    assert AuditEvent.objects.for_object(project).filter(action="national_flagged").exists() is large
    with pytest.raises(ApplicationError):
        services.evaluation_decide(
            by=world.province,
            evaluation=evaluation,
            decision=Decision.ACCEPTED,
            comment="再次",
            document_no="文号",
        )


def test_not_accepted_with_an_extension_returns_to_construction_with_more_reports(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision=Decision.EXTENDED,
        comment="延期一年",
        extension_years=1,
    )
    project = ConstructionProject.objects.get(pk=evaluation.project_id)
    assert (project.status, project.extension_years, project.final_year) == (
        ProjectStatus.IN_CONSTRUCTION,
        1,
        2029,
    )
    assert project.annual_reports.filter(year=2029, status="due").exists()
    # The next period end opens a self-assessment for the new assessment year.
    services.projects_advance_ended(today=D(2030, 1, 2), project_ids=[project.pk])
    assert SelfAssessment.objects.filter(project=project, assessment_year=2029).exists()


def test_not_accepted_and_removed_ends_the_project_and_records_the_list_entry(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts_reviewed(evaluation, world.province)
    services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision=Decision.REMOVED,
        comment="未达到验收要求",
        document_no="赣发改〔2029〕3号",
        today=D(2029, 5, 1),
    )
    project = ConstructionProject.objects.select_related("list_entry").get(pk=evaluation.project_id)
    assert project.status == ProjectStatus.REMOVED
    assert (project.list_entry.removed_on, project.list_entry.removal_document_no) == (
        D(2029, 5, 1),
        "赣发改〔2029〕3号",
    )


def test_removal_during_review_closes_the_evaluation(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    services.project_remove(by=world.province, project=evaluation.project, reason="违规", document_no="文号")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.decision) == (EvaluationStatus.DECIDED, Decision.REMOVED)


def test_the_trajectory_flags_lagging_indicators(world, actors_a):
    project = project_in_self_assessment(actors_a, lagging=True)
    core = next(row for row in selectors.trajectory(project) if row.code == "carbon_per_energy")
    assert [p.year for p in core.points] == [2025, 2026, 2027, 2028]
    assert [str(p.value) for p in core.points] == ["0.4372", "0.5444", "0.5329", "0.5218"]
    assert [str(p.target) for p in core.points] == ["None", "0.41", "0.4", "0.33"]
    assert [p.lagging for p in core.points] == [False, True, True, True]
    assert core.lagging


def test_an_expert_review_left_assigned_can_be_withdrawn(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    services.expert_unassign(by=world.province, review=evaluation.reviews.get())
    assert not ExpertReview.objects.exists()
    assert AuditEvent.objects.for_object(evaluation).filter(action="expert_unassigned").exists()
