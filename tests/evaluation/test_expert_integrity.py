"""Expert integrity: the declaration of conflicts of interest before an assignment opens, the province's
view of declarations when assigning, and opinions read without the experts' names by all but the province
(pages, API, the acceptance report's text)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from evaluation import reports, services
from evaluation.models import ReviewStatus
from evaluation.selectors import expert_label
from evaluation.selectors.activity import construction_todo
from tests.evaluation.factories import (
    assigned_declared,
    bare_evaluation,
    evaluation_requested,
    full_scores,
)
from tests.parks.factories import UserFactory
from tests.pdf import document_text
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

NAMES = ("张评审", "李评审")


@pytest.fixture
def undeclared(world):
    """An evaluation of park_a with world.expert assigned and not yet declared."""
    return bare_evaluation(world.park_a, experts=[world.expert], declared=False)


def _detail(evaluation):
    return reverse("evaluation:evaluation-detail", args=[evaluation.pk])


def _declare(login, world, evaluation, **data):
    return login(world.expert).post(reverse("evaluation:expert-declare", args=[evaluation.pk]), data)


# ---- the declaration comes first ----------------------------------------------------------------------


def test_an_undeclared_expert_sees_only_the_declaration_form(world, login, undeclared):
    client = login(world.expert)
    html = client.get(_detail(undeclared)).content.decode()
    assert 'id="declaration-form"' in html and world.park_a.name in html
    assert "自评估。" not in html  # the self-assessment's summary: nothing of the dossier
    assert 'id="expert-reviews"' not in html and "evidence" not in html
    review_page = client.get(reverse("evaluation:expert-review", args=[undeclared.pk]))
    assert review_page.status_code == 302 and review_page.url == _detail(undeclared)
    api = client.get(reverse("api-evaluation-detail", args=[undeclared.pk]))
    assert api.status_code == 403 and "自评估" not in api.content.decode()


def test_declaring_no_conflict_opens_the_evaluation(world, login, undeclared):
    response = _declare(login, world, undeclared, conflict="none")
    assert response.status_code == 302
    assert "自评估。" in login(world.expert).get(_detail(undeclared)).content.decode()
    review = undeclared.reviews.get()
    assert (review.status, review.conflict) == (ReviewStatus.ASSIGNED, "none")
    assert AuditEvent.objects.for_object(review).filter(action="expert_declared").exists()


def test_a_second_declaration_is_refused(world, undeclared):
    review = undeclared.reviews.get()
    services.expert_conflict_declare(by=world.expert, review=review, conflict="none")
    with translation.override("en"), pytest.raises(Exception, match="declared already"):
        services.expert_conflict_declare(by=world.expert, review=review, conflict="none")


def _declared_state(review):
    review.refresh_from_db()
    return (review.status, review.conflict, review.conflict_note, review.declared_at)


def test_a_conflict_after_declaring_none_is_refused_on_the_page(world, login, undeclared):
    review = undeclared.reviews.get()
    services.expert_conflict_declare(by=world.expert, review=review, conflict="none")
    before = _declared_state(review)
    client = login(world.expert)
    client.cookies["django_language"] = "en"
    url = reverse("evaluation:expert-declare", args=[undeclared.pk])
    response = client.post(url, {"conflict": "same_city", "note": "后来想起"}, follow=True)
    assert "You have declared already." in [str(m) for m in response.context["messages"]]
    assert _declared_state(review) == before and before[:2] == (ReviewStatus.ASSIGNED, "none")
    assert not AuditEvent.objects.for_object(review).filter(action="expert_review_declined").exists()


def test_a_conflict_after_declaring_none_is_refused_by_the_api(world, login, undeclared):
    review = undeclared.reviews.get()
    services.expert_conflict_declare(by=world.expert, review=review, conflict="none")
    before = _declared_state(review)
    client = login(world.expert)
    client.cookies["django_language"] = "en"
    url = reverse("api-evaluation-declaration", args=[undeclared.pk])
    response = client.post(url, {"conflict": "other", "note": "后来想起"}, content_type="application/json")
    assert response.status_code == 400 and "You have declared already." in response.content.decode()
    assert _declared_state(review) == before
    assert not Notification.objects.filter(recipient=world.province).exists()


def test_a_conflict_declines_the_review_and_asks_the_province_for_another_expert(world, login, undeclared):
    response = _declare(login, world, undeclared, conflict="same_city", note="我在南昌市工作")
    assert response.status_code == 302
    review = undeclared.reviews.get()
    assert (review.status, review.conflict, review.conflict_note) == (
        "declined",
        "same_city",
        "我在南昌市工作",
    )
    assert Notification.objects.filter(recipient=world.province).count() == 1
    assert not Notification.objects.filter(recipient=world.staff_a).exists()
    assert AuditEvent.objects.for_object(review).get(action="expert_review_declined").to_state == "declined"
    assert login(world.expert).get(_detail(undeclared)).status_code == 404
    (item,) = construction_todo(user=world.province, today=date.today()).evaluations
    assert (item.pk, item.needs) == (undeclared.pk, "experts")


def test_a_conflict_needs_its_description_and_saves_nothing_without(world, login, undeclared):
    response = _declare(login, world, undeclared, conflict="other", note="")
    assert response.status_code == 400
    review = undeclared.reviews.get()
    assert (review.status, review.declared_at) == ("assigned", None)


def test_only_the_assigned_expert_declares(world, login, undeclared):
    other = UserFactory(expert=True)
    url = reverse("evaluation:expert-declare", args=[undeclared.pk])
    assert login(other).post(url, {"conflict": "none"}).status_code == 404
    assert login(world.province).post(url, {"conflict": "none"}).status_code == 403
    assert login(world.staff_b).post(url, {"conflict": "none"}).status_code == 404


def test_the_api_declaration_declines_for_a_conflict(world, login, undeclared):
    url = reverse("api-evaluation-declaration", args=[undeclared.pk])
    client = login(world.expert)
    refused = client.post(url, {"conflict": "involvement"}, content_type="application/json")
    assert refused.status_code == 400 and "comment" in refused.json()["errors"]
    answer = client.post(
        url, {"conflict": "involvement", "note": "曾参与规划编制"}, content_type="application/json"
    )
    assert (answer.status_code, answer.json()["status"]) == (200, "declined")


def test_a_declined_expert_does_not_hold_the_decision(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts = [UserFactory(expert=True), UserFactory(expert=True)]
    for review in assigned_declared(evaluation, world.province, experts):
        services.expert_review_submit(
            by=review.expert, review=review, scores=full_scores(), opinion="同意", recommends_acceptance=True
        )
    services.experts_assign(by=world.province, evaluation=evaluation, experts=[world.expert])
    review = evaluation.reviews.get(expert=world.expert)
    services.expert_conflict_declare(by=world.expert, review=review, conflict="other", note="亲属任职")
    decided = services.evaluation_decide(
        by=world.province, evaluation=evaluation, decision="accepted", comment="通过", document_no="文号"
    )
    assert decided.decision == "accepted"


def test_a_declined_expert_is_not_counted_as_assigned(world, login, undeclared):
    other = UserFactory(expert=True)
    services.experts_assign(by=world.province, evaluation=undeclared, experts=[other])
    review = undeclared.reviews.get(expert=world.expert)
    services.expert_conflict_declare(by=world.expert, review=review, conflict="other", note="亲属任职")
    client = login(world.province)
    (row,) = client.get(reverse("evaluation:evaluation-list")).context["rows"]
    assert (row["assigned"], row["submitted"]) == (1, 0)
    assert client.get(_detail(undeclared)).context["assigned_count"] == 1
    (item,) = client.get(reverse("api-evaluation-list")).json()["results"]
    assert (item["experts_assigned"], item["reviews_submitted"]) == (1, 0)


# ---- the province sees declarations when assigning -----------------------------------------------------


def test_the_assignment_page_flags_an_expert_of_the_parks_city(world, login, undeclared):
    local = UserFactory(expert=True, first_name="南昌专家", affiliation_city=world.nanchang)
    remote = UserFactory(expert=True, first_name="赣州专家", affiliation_city=world.ganzhou)
    html = login(world.province).get(_detail(undeclared)).content.decode()
    assert f'expert-candidate expert-flagged" data-expert="{local.pk}"' in html
    assert f'expert-candidate" data-expert="{remote.pk}"' in html
    bulk = login(world.province).post(
        reverse("evaluation:experts-assign-bulk"), {"evaluations": [undeclared.pk]}
    )
    assert f'expert-candidate expert-flagged" data-expert="{local.pk}"' in bulk.content.decode()


def test_the_province_reads_each_declaration_and_earlier_conflicts_with_the_park(world, login, undeclared):
    review = undeclared.reviews.get()
    services.expert_conflict_declare(
        by=world.expert, review=review, conflict="involvement", note="规划编制单位"
    )
    html = login(world.province).get(_detail(undeclared)).content.decode()
    assert "规划编制单位" in html  # on the declined review's row
    # The bulk page lists every expert (one already on an evaluation stays as is there), its conflicts too.
    bulk = login(world.province).post(
        reverse("evaluation:experts-assign-bulk"), {"evaluations": [undeclared.pk]}
    )
    html = bulk.content.decode()
    assert f'expert-candidate expert-flagged" data-expert="{world.expert.pk}"' in html
    assert "conflict-declared" in html and "规划编制单位" in html


# ---- opinions without names ---------------------------------------------------------------------------


@pytest.fixture
def decided(world, actors_a):
    evaluation = evaluation_requested(actors_a)
    experts = [UserFactory(expert=True, first_name=name) for name in NAMES]
    for review in assigned_declared(evaluation, world.province, experts):
        services.expert_review_submit(
            by=review.expert, review=review, scores=full_scores(), opinion="同意", recommends_acceptance=True
        )
    services.evaluation_decide(
        by=world.province, evaluation=evaluation, decision="accepted", comment="通过", document_no="文号"
    )
    evaluation.experts = experts
    return evaluation


@pytest.mark.parametrize(
    ("who", "names"), [("province", True), ("staff_a", False), ("reviewer_a", False), ("observer", False)]
)
def test_the_evaluation_page_names_the_experts_to_the_province_only(world, login, decided, who, names):
    html = login(getattr(world, who)).get(_detail(decided)).content.decode()
    assert all((name in html) is names for name in NAMES)
    assert (expert_label(1) in html) is not names


def test_an_expert_reads_the_others_by_number(login, decided):
    html = login(decided.experts[0]).get(_detail(decided)).content.decode()
    assert NAMES[1] not in html and expert_label(2) in html


@pytest.mark.parametrize(("who", "names"), [("province", True), ("staff_a", False), ("observer", False)])
def test_the_api_names_the_experts_to_the_province_only(world, login, decided, who, names):
    client = login(getattr(world, who))
    reviews = client.get(reverse("api-evaluation-detail", args=[decided.pk])).json()["reviews"]
    assert ({r["expert_name"] for r in reviews} == set(NAMES)) is names
    assert all((r["expert"] is not None) is names for r in reviews)
    timeline = client.get(reverse("api-project-timeline", args=[decided.project_id])).content.decode()
    assert all((name in timeline) is names for name in NAMES)


def test_the_project_page_timeline_hides_the_experts_from_the_park(world, login, decided):
    url = reverse("evaluation:project-detail", args=[decided.project_id])
    html = login(world.staff_a).get(url).content.decode()
    assert not any(name in html for name in NAMES)
    assert any(name in login(world.province).get(url).content.decode() for name in NAMES)


def test_the_acceptance_report_numbers_the_experts(decided):
    text = document_text(reports.acceptance_report_document(reports.acceptance_report_context(decided)))
    assert not any(name in text for name in NAMES)
    assert expert_label(1) in text and expert_label(2) in text
