"""Acceptance evaluation pages: who sees what (404 vs 403), blind review, experts, the decision, downloads."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from evaluation import services
from evaluation.models import (
    AcceptanceReport,
    Decision,
    EvaluationStatus,
    ExpertReview,
    ProjectStatus,
    ReviewStatus,
)
from tests.evaluation.factories import bare_evaluation, declared, evaluation_requested, full_scores
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory
from zcpark.core.models import FileStatus

pytestmark = pytest.mark.django_db

OPINION_1 = "专家一：碳排放强度下降明显，建议通过。"
OPINION_2 = "专家二：余热利用仍需加强，同意通过。"


def _submit(evaluation, expert, *, points=None, opinion=OPINION_1, recommends=True) -> ExpertReview:
    review = evaluation.reviews.get(expert=expert)
    return services.expert_review_submit(
        by=expert,
        review=declared(review) if review.needs_declaration else review,
        scores=full_scores(points),
        opinion=opinion,
        recommends_acceptance=recommends,
    )


def _ready_report(evaluation, content=b"%PDF-1.7 report") -> AcceptanceReport:
    report = AcceptanceReport.objects.create(
        evaluation=evaluation, inputs_digest="x", status=FileStatus.READY, page_count=3
    )
    report.file.save("acceptance-test.pdf", ContentFile(content))
    return report


def _url(name, evaluation, *args):
    return reverse(f"evaluation:{name}", args=[evaluation.pk, *args])


@pytest.fixture
def bare(world):
    """An evaluation of park_a (南昌) with world.expert assigned."""
    return bare_evaluation(world.park_a, experts=[world.expert])


# ---- who sees what ---------------------------------------------------------------------------------


def test_evaluation_detail_is_404_outside_the_scope_and_200_within(world, login, bare):
    outsider_expert = UserFactory(expert=True)
    expected = {
        "province": 200,
        "observer": 200,
        "reviewer_a": 200,
        "staff_a": 200,
        "expert": 200,
        "reviewer_b": 404,
        "staff_b": 404,
    }
    got = {
        who: login(user).get(_url("evaluation-detail", bare)).status_code
        for who, user in world.users().items()
    }
    assert got == expected
    assert login(outsider_expert).get(_url("evaluation-detail", bare)).status_code == 404


def test_evaluation_pages_send_the_anonymous_to_sign_in(bare, client):
    for name in ("evaluation-detail", "expert-review", "report-download", "report-status"):
        response = client.get(_url(name, bare))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_expert_review_page_is_403_when_visible_but_not_the_assigned_expert(world, login, bare):
    got = {
        who: login(user).get(_url("expert-review", bare)).status_code for who, user in world.users().items()
    }
    assert got == {
        "province": 403,
        "observer": 403,
        "reviewer_a": 403,
        "staff_a": 403,
        "expert": 200,
        "reviewer_b": 404,
        "staff_b": 404,
    }


@pytest.mark.parametrize("name", ["experts-assign", "evaluation-decide", "report-regenerate"])
def test_province_actions_are_403_for_others_who_see_it_and_404_outside(world, login, bare, name):
    assert login(world.reviewer_a).post(_url(name, bare)).status_code == 403
    assert login(world.expert).post(_url(name, bare)).status_code == 403
    assert login(world.reviewer_b).post(_url(name, bare)).status_code == 404


def test_evaluation_list_shows_an_expert_only_its_assignments(world, login, bare):
    other = bare_evaluation(world.park_b)
    rows = login(world.expert).get(reverse("evaluation:evaluation-list")).context["rows"]
    assert [r["evaluation"] for r in rows] == [bare]
    province_rows = login(world.province).get(reverse("evaluation:evaluation-list")).context["rows"]
    assert {r["evaluation"] for r in province_rows} == {bare, other}
    assert (
        login(world.reviewer_b).get(reverse("evaluation:evaluation-list")).context["rows"][0]["evaluation"]
        == other
    )


def test_evaluation_list_counts_submitted_opinions_and_shows_the_experts_own_status(world, login, bare):
    second = UserFactory(expert=True)
    services.experts_assign(by=world.province, evaluation=bare, experts=[second])
    _submit(bare, second)
    response = login(world.expert).get(reverse("evaluation:evaluation-list"))
    (row,) = response.context["rows"]
    assert (row["submitted"], row["assigned"], row["own"].status) == (1, 2, ReviewStatus.ASSIGNED)
    assert "1 / 2" in response.content.decode()
    assert _url("expert-review", bare) in response.content.decode()


@pytest.mark.parametrize("extra", [0, 4])
def test_evaluation_list_query_count_is_constant(world, login, django_assert_num_queries, extra):
    experts = [UserFactory(expert=True), UserFactory(expert=True)]
    for index in range(1 + extra):
        park = world.park_a if index == 0 else ParkFactory(zone=ZoneFactory(city=world.nanchang))
        bare_evaluation(park, experts=experts)
    client = login(world.province)
    # session, user, count, page (project, park, zone, city joined), reviews of the page with their
    # experts (prefetch), cities for the filter, unread notifications (header)
    with django_assert_num_queries(7):
        response = client.get(reverse("evaluation:evaluation-list"))
    assert len(response.context["rows"]) == 1 + extra


# ---- blind review -----------------------------------------------------------------------------------


@pytest.fixture
def two_experts(world, bare):
    """world.expert has submitted (OPINION_1, 37.5 in the core area); a second expert is assigned."""
    second = UserFactory(expert=True)
    services.experts_assign(by=world.province, evaluation=bare, experts=[second])
    declared(bare.reviews.get(expert=second))
    _submit(bare, world.expert, points="3.5")
    return second


def test_blind_review_hides_the_first_opinion_from_an_expert_yet_to_submit(login, bare, two_experts):
    html = login(two_experts).get(_url("evaluation-detail", bare)).content.decode()
    assert OPINION_1 not in html
    assert "24.5" not in html  # expert 1's total (7 areas × 3.5)
    assert "review-total" not in html and "review-opinion" not in html
    assert 'data-review-status="submitted"' in html


def test_blind_review_shows_the_first_opinion_once_the_second_expert_submitted(login, bare, two_experts):
    _submit(bare, two_experts, opinion=OPINION_2)
    html = login(two_experts).get(_url("evaluation-detail", bare)).content.decode()
    assert OPINION_1 in html and OPINION_2 in html
    assert "24.5 / 100" in html


def test_blind_review_shows_the_submitting_expert_its_own_scores(world, login, bare, two_experts):
    html = login(world.expert).get(_url("evaluation-detail", bare)).content.decode()
    assert OPINION_1 in html and "24.5 / 100" in html


def test_blind_review_shows_the_province_opinions_as_they_come_in(world, login, bare, two_experts):
    assert OPINION_1 in login(world.province).get(_url("evaluation-detail", bare)).content.decode()


@pytest.mark.parametrize("who", ["reviewer_a", "staff_a", "observer"])
def test_blind_review_hides_scores_from_city_park_and_observer_until_decided(
    world, login, bare, two_experts, who
):
    _submit(bare, two_experts, opinion=OPINION_2)
    client = login(world.users()[who])
    before = client.get(_url("evaluation-detail", bare)).content.decode()
    assert OPINION_1 not in before and OPINION_2 not in before and "24.5" not in before
    services.evaluation_decide(
        by=world.province, evaluation=bare, decision=Decision.EXTENDED, comment="延期一年", extension_years=1
    )
    after = client.get(_url("evaluation-detail", bare)).content.decode()
    assert OPINION_1 in after and OPINION_2 in after and "24.5 / 100" in after


# ---- experts -------------------------------------------------------------------------------------


def test_assigning_experts_through_the_page_creates_their_reviews(world, login, bare):
    new = UserFactory(expert=True)
    response = login(world.province).post(_url("experts-assign", bare), {"experts": [new.pk]})
    assert response.status_code == 302
    assert set(bare.reviews.values_list("expert_id", flat=True)) == {world.expert.pk, new.pk}


def test_assigning_no_expert_says_what_is_missing(world, login, bare):
    UserFactory(expert=True)
    response = login(world.province).post(_url("experts-assign", bare), {})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["experts"]


def test_the_assign_form_offers_only_active_experts_not_yet_assigned(world, login, bare):
    free = UserFactory(expert=True)
    UserFactory(expert=True, is_active=False)
    form = login(world.province).get(_url("evaluation-detail", bare)).context["assign_form"]
    assert list(form.fields["experts"].queryset) == [free]


def test_withdrawing_an_expert_who_has_not_submitted_removes_the_review(world, login, bare):
    review = bare.reviews.get()
    response = login(world.province).post(_url("expert-unassign", bare, review.pk))
    assert response.status_code == 302
    assert not bare.reviews.exists()


def test_withdrawing_an_expert_who_submitted_is_refused(world, login, bare):
    review = _submit(bare, world.expert)
    response = login(world.province).post(_url("expert-unassign", bare, review.pk), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert bare.reviews.filter(pk=review.pk).exists()


# ---- the expert's review --------------------------------------------------------------------------


def _review_post(points="4", opinion=OPINION_1, recommends="yes"):
    data = {f"score_{code}": value for code, value in full_scores(points).items()}
    return {**data, "opinion": opinion, "recommends_acceptance": recommends}


def test_the_expert_submits_points_and_opinion_through_the_page(world, login, bare):
    response = login(world.expert).post(_url("expert-review", bare), _review_post())
    assert response.status_code == 302
    review = bare.reviews.get()
    assert (review.status, str(review.total_score), review.recommends_acceptance) == (
        "submitted",
        "28.0",
        True,
    )
    assert review.scores["core"] == "4.0"


def test_the_review_form_refuses_points_above_the_area_maximum(world, login, bare):
    data = {**_review_post(), "score_offsets": "6"}
    response = login(world.expert).post(_url("expert-review", bare), data)
    assert response.status_code == 200
    assert response.context["form"].errors["score_offsets"]
    assert bare.reviews.get().status == ReviewStatus.ASSIGNED


def test_the_review_page_is_read_only_after_submission(world, login, bare):
    _submit(bare, world.expert)
    client = login(world.expert)
    response = client.get(_url("expert-review", bare))
    assert response.context["form"] is None
    assert OPINION_1 in response.content.decode()
    client.post(_url("expert-review", bare), _review_post(opinion="改写"))
    assert bare.reviews.get().opinion == OPINION_1


# ---- the decision ----------------------------------------------------------------------------------


@pytest.fixture
def reviewed(world, actors_a):
    """A real evaluation (results computed, core passes) with two submitted opinions."""
    evaluation = evaluation_requested(actors_a)
    experts = [UserFactory(expert=True), UserFactory(expert=True)]
    services.experts_assign(by=world.province, evaluation=evaluation, experts=experts)
    for expert in experts:
        _submit(evaluation, expert)
    return evaluation


def test_the_evaluation_page_shows_the_assessment_year_indicators_and_the_self_assessment(
    world, login, reviewed
):
    response = login(world.reviewer_a).get(_url("evaluation-detail", reviewed))
    local = response.context["local"]
    core = next(row for row in local["indicators"] if row["code"] == "carbon_per_energy")
    html = response.content.decode()
    assert core["value"] in html and "自评估：各项指标达到建设目标。" in html
    evidence = reviewed.self_assessment.evidence.get()
    assert reverse("evaluation:evidence-download", args=[evidence.pk]) in html


def test_accepting_through_the_page_decides_and_accepts_the_project(world, login, reviewed):
    data = {"decision": "accepted", "comment": "同意通过验收", "document_no": "赣发改环资〔2029〕3号"}
    response = login(world.province).post(_url("evaluation-decide", reviewed), data)
    assert response.status_code == 302
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.decision) == (EvaluationStatus.DECIDED, Decision.ACCEPTED)
    assert reviewed.project.status == ProjectStatus.ACCEPTED


def test_removal_asks_for_confirmation_before_it_is_recorded(world, login, reviewed):
    data = {"decision": "removed", "comment": "未达到验收要求", "document_no": "赣发改环资〔2029〕4号"}
    client = login(world.province)
    response = client.post(_url("evaluation-decide", reviewed), data)
    assert response.status_code == 200 and "confirm-remove" in response.content.decode()
    reviewed.refresh_from_db()
    assert reviewed.status == EvaluationStatus.IN_REVIEW
    client.post(_url("evaluation-decide", reviewed), {**data, "confirm": "on"})
    reviewed.refresh_from_db()
    assert (reviewed.decision, reviewed.project.status) == (Decision.REMOVED, ProjectStatus.REMOVED)


def test_extension_needs_the_number_of_years(world, login, bare):
    response = login(world.province).post(
        _url("evaluation-decide", bare), {"decision": "extended", "comment": "延期"}
    )
    assert response.status_code == 400
    assert response.context["decide_form"].errors["extension_years"]


def test_a_decision_without_enough_opinions_lists_what_is_missing(world, login, bare):
    response = login(world.province).post(
        _url("evaluation-decide", bare), {"decision": "extended", "comment": "延期", "extension_years": "1"}
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):  # the page's language
        expected = _("At least %(n)s expert opinions are needed; %(have)s submitted.") % {"n": 2, "have": 0}
    assert expected in response.context["problems"]
    bare.refresh_from_db()
    assert bare.status == EvaluationStatus.IN_REVIEW


# ---- the report ------------------------------------------------------------------------------------


def test_report_download_is_the_provinces_alone_while_in_review(world, login, bare):
    _ready_report(bare)
    assert login(world.province).get(_url("report-download", bare)).status_code == 200
    for who in ("reviewer_a", "staff_a", "observer", "expert"):
        assert login(world.users()[who]).get(_url("report-download", bare)).status_code == 403
    assert login(world.reviewer_b).get(_url("report-download", bare)).status_code == 404


def test_report_download_is_open_to_all_who_see_it_once_decided(world, login, bare, two_experts):
    _submit(bare, two_experts, opinion=OPINION_2)
    services.evaluation_decide(
        by=world.province, evaluation=bare, decision=Decision.EXTENDED, comment="延期一年", extension_years=1
    )
    _ready_report(bare)
    for who in ("reviewer_a", "staff_a", "observer", "expert"):
        response = login(world.users()[who]).get(_url("report-download", bare))
        assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 report"
    assert "filename*=utf-8''%E9%AA%8C%E6%94%B6" in response["Content-Disposition"]  # 验收评估报告-…


def test_report_download_is_404_without_a_ready_report(world, login, bare):
    AcceptanceReport.objects.create(evaluation=bare, inputs_digest="x")
    assert login(world.province).get(_url("report-download", bare)).status_code == 404


def test_report_status_polls_while_pending_and_links_the_file_when_ready(world, login, bare):
    AcceptanceReport.objects.create(evaluation=bare, inputs_digest="x")
    client = login(world.province)
    link = f'href="{_url("report-download", bare)}"'
    pending = client.get(_url("report-status", bare)).content.decode()
    assert "hx-get" in pending and link not in pending
    AcceptanceReport.objects.all().delete()
    _ready_report(bare)
    ready = client.get(_url("report-status", bare)).content.decode()
    assert "hx-get" not in ready and link in ready


def test_report_status_tells_others_the_report_opens_after_the_decision(world, login, bare):
    _ready_report(bare)
    html = login(world.reviewer_a).get(_url("report-status", bare)).content.decode()
    assert f'href="{_url("report-download", bare)}"' not in html and "bi-lock" in html


def test_regenerating_queues_a_new_report_even_when_nothing_changed(world, login, bare):
    _ready_report(bare)
    client = login(world.province)
    response = client.post(_url("report-regenerate", bare), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="acceptance-report"' in response.content.decode()
    assert sorted(bare.reports.values_list("status", flat=True)) == [FileStatus.PENDING, FileStatus.READY]


def test_regenerating_again_while_a_rendering_is_queued_adds_none(world, login, bare):
    """Ten clicks (or ten parallel requests) on "regenerate" make one rendering (issue 12, finding 10)."""
    client = login(world.province)
    for _click in range(10):
        client.post(_url("report-regenerate", bare))
    assert list(bare.reports.values_list("status", flat=True)) == [FileStatus.PENDING]
