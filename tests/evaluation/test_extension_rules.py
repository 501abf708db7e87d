"""One extension rule for the city's request and the acceptance decision (the plan's 3–5 years in all), a
refused request shown with its reason, and what a removal leaves on the province's to-do (issue 14 review)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from evaluation import services
from evaluation.models import ConstructionProject, ExtensionStatus, ProjectStatus
from evaluation.selectors.activity import construction_todo
from evaluation.workflow.common import extension_room
from tests.evaluation.factories import (
    evaluation_requested,
    extension_requested,
    listed_project,
    order_overdue,
    project_in_self_assessment,
)
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _period(project: ConstructionProject, years: int) -> ConstructionProject:
    """The project as if listed for ``years`` (the fixtures list three-year projects)."""
    ConstructionProject.objects.filter(pk=project.pk).update(period_years=years)
    project.refresh_from_db()
    return project


# ---- one rule ----------------------------------------------------------------------------------------


def test_the_rule_keeps_the_plans_five_years_and_two_extra_years_at_most(world, actors_a):
    project = listed_project(actors_a)
    assert extension_room(project) == 2
    assert extension_room(_period(project, 4)) == 1
    assert extension_room(_period(project, 5)) == 0
    ConstructionProject.objects.filter(pk=project.pk).update(period_years=3, extension_years=1)
    project.refresh_from_db()
    assert extension_room(project) == 1


def test_the_acceptance_decision_extends_by_the_same_rule(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    _period(evaluation.project, 4)
    with translation.override("en"), pytest.raises(ValidationError) as too_many:
        services.evaluation_decide(
            by=world.province, evaluation=evaluation, decision="extended", comment="延期", extension_years=2
        )
    assert too_many.value.message_dict["extension_years"] == ["Extend by 1 to 1 year(s)."]
    _period(evaluation.project, 5)
    with translation.override("en"), pytest.raises(ValidationError) as full:
        services.evaluation_decide(
            by=world.province, evaluation=evaluation, decision="extended", comment="延期", extension_years=1
        )
    assert full.value.message_dict["extension_years"] == ["The period cannot be extended further."]


def test_the_decision_form_offers_the_years_the_rule_leaves(world, actors_a, login):
    evaluation = evaluation_requested(actors_a)
    _period(evaluation.project, 4)
    client = login(world.province)
    url = reverse("evaluation:evaluation-detail", args=[evaluation.pk])
    page = client.get(url)
    assert page.context["extension_room"] == 1
    assert [value for value, _label in page.context["decide_form"].fields["extension_years"].choices] == [
        "",
        "1",
    ]
    _period(evaluation.project, 5)
    client.cookies["django_language"] = "en"
    refused = client.post(
        reverse("evaluation:evaluation-decide", args=[evaluation.pk]),
        {"decision": "extended", "extension_years": "", "comment": "延期"},
    )
    assert refused.status_code == 400
    assert refused.context["decide_form"].errors["extension_years"] == [
        "The period cannot be extended further."
    ]


# ---- a request not offered -----------------------------------------------------------------------------


def test_a_request_refused_for_its_years_says_why_on_the_page(world, actors_a, login):
    project = _period(project_in_self_assessment(actors_a, lagging=True), 5)
    url = reverse("evaluation:project-extension", args=[project.pk])
    city = login(world.reviewer_a)
    city.cookies["django_language"] = "en"
    assert city.get(url).context["request_form"] is None  # no year left
    response = city.post(url, {"action": "request", "years": "1", "reason": "申请延期"}, follow=True)
    assert response.redirect_chain
    assert [str(m) for m in response.context["messages"]] == ["The period cannot be extended further."]
    assert not project.extension_requests.exists()


# ---- what a removal leaves -------------------------------------------------------------------------------


def test_a_waiting_request_lapses_when_the_park_is_removed(world, actors_a):
    request = extension_requested(actors_a)
    services.project_remove(
        by=world.province, project=request.project, reason="不再具备建设条件", document_no="赣发改〔2029〕8号"
    )
    request.refresh_from_db()
    assert (request.status, request.decision_comment, request.decision_document_no) == (
        ExtensionStatus.REJECTED,
        "不再具备建设条件",
        "赣发改〔2029〕8号",
    )
    assert request.decided_at is not None
    assert AuditEvent.objects.for_object(request).filter(action="extension_lapsed").exists()
    assert construction_todo(user=world.province, today=date(2029, 2, 1)).extension_requests == []


def test_the_province_decides_requests_of_projects_still_at_their_period_end(world, actors_a, actors_b):
    waiting = extension_requested(actors_a)
    moved = extension_requested(actors_b)
    ConstructionProject.objects.filter(pk=moved.project_id).update(status=ProjectStatus.ACCEPTANCE_REVIEW)
    todo = construction_todo(user=world.province, today=date(2029, 2, 1))
    assert todo.extension_requests == [waiting]


def test_an_escalation_leaves_no_answered_order_of_the_removed_park_to_close(world, actors_a):
    project = listed_project(actors_a)
    answered = services.order_issue(
        by=world.province, project=project, title="补报", requirements="补报数据", deadline=date(2099, 1, 1)
    )
    services.order_answer(by=world.staff_a, order=answered, answer="已补报")
    assert construction_todo(user=world.province, today=date(2027, 7, 2)).orders_to_close == [answered]
    overdue = order_overdue(project, world.province)
    services.order_escalate(
        by=world.province, order=overdue, comment="逾期未整改", document_no="赣发改〔2027〕9号"
    )
    todo = construction_todo(user=world.province, today=date(2027, 7, 2))
    assert (todo.orders_to_close, todo.orders_overdue) == ([], [])
