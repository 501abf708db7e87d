"""The recommendation to the national programme: the province's act on an accepted park meeting the
national scheme, recorded once, audited and notified; the public page and API name only recommended parks;
the province's to-do list; the role × scope matrix on the page and the API."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from evaluation import services
from evaluation.models import NationalRecommendation
from evaluation.selectors.activity import construction_todo
from tests.evaluation.factories import accepted_project, recommended_project
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

DOC = "赣发改环资〔2029〕20号"
TODAY = date.today().isoformat()


@pytest.fixture
def accepted(world, actors_a):
    return accepted_project(world, actors_a)


def _recommend(world, project, **changes):
    params = {"recommended_on": timezone.localdate(), "document_no": DOC, "note": "首批推荐"}
    return services.national_recommend(by=world.province, project=project, **{**params, **changes})


def test_recommendation_is_recorded_audited_and_notified(world, accepted):
    assert accepted.national_recommended  # meets the national scheme: automatic, set by the decision
    recommendation = _recommend(world, accepted)
    assert (recommendation.document_no, recommendation.decided_by) == (DOC, world.province)
    event = AuditEvent.objects.for_object(accepted).get(action="national_recommended")
    assert DOC in event.comment and event.actor == world.province
    told = set(
        Notification.objects.filter(created_at__gte=recommendation.created_at).values_list(
            "recipient", flat=True
        )
    )
    assert {world.staff_a.pk, world.reviewer_a.pk} <= told and world.reviewer_b.pk not in told


def test_recommendation_is_decided_once(world, accepted):
    _recommend(world, accepted)
    with pytest.raises(ApplicationError):
        _recommend(world, accepted, document_no="另一个文号")
    assert NationalRecommendation.objects.get().document_no == DOC


def test_a_park_below_the_national_scheme_cannot_be_recommended(world, actors_a):
    project = accepted_project(world, actors_a, large=False)
    assert not project.national_recommended
    with pytest.raises(ApplicationError):
        _recommend(world, project)
    assert not NationalRecommendation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"document_no": "  "}, "document_no"), ({"recommended_on": None}, "recommended_on")],
)
def test_recommendation_names_the_missing_field(world, accepted, changes, field):
    with pytest.raises(ValidationError) as error:
        _recommend(world, accepted, **changes)
    assert field in error.value.message_dict and not NationalRecommendation.objects.exists()


@pytest.mark.parametrize("days", [1, -1])
def test_recommendation_date_is_between_the_acceptance_and_today(world, accepted, days):
    with pytest.raises(ValidationError) as error:
        _recommend(world, accepted, recommended_on=timezone.localdate() + timedelta(days=days))
    assert "recommended_on" in error.value.message_dict


@pytest.mark.parametrize("who", ["reviewer_a", "staff_a", "observer"])
def test_only_the_province_recommends(world, accepted, who):
    with pytest.raises(PermissionDenied):
        services.national_recommend(
            by=getattr(world, who), project=accepted, recommended_on=timezone.localdate(), document_no=DOC
        )


def test_province_todo_lists_accepted_parks_to_recommend_until_recommended(world, accepted):
    today = timezone.localdate()
    assert [p.pk for p in construction_todo(user=world.province, today=today).national] == [accepted.pk]
    assert construction_todo(user=world.reviewer_a, today=today).national == []
    _recommend(world, accepted)
    assert construction_todo(user=world.province, today=today).national == []


def test_public_page_and_api_say_recommended_only_after_the_act(world, accepted, login):
    client = login(None)
    with translation.override("en"):
        before = client.get(reverse("evaluation:public-progress"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-national="0"' in before and "national-recommended" not in before
    api = reverse("api-public-accepted-parks")
    assert [p["national_recommended_on"] for p in client.get(api).json()] == [None]
    _recommend(world, accepted)
    after = client.get(reverse("evaluation:public-progress")).content.decode()
    assert 'data-national="1"' in after and "national-recommended" in after and TODAY in after
    assert [p["national_recommended_on"] for p in client.get(api).json()] == [TODAY]


def test_project_page_shows_the_flag_then_the_recommendation(world, accepted, login):
    client = login(world.province)
    url = reverse("evaluation:project-detail", args=[accepted.pk])
    before = client.get(url).content.decode()
    assert 'id="national-flag"' in before and 'id="action-national"' in before
    _recommend(world, accepted)
    after = client.get(url).content.decode()
    assert 'id="national-recommended"' in after and DOC in after and 'id="action-national"' not in after


# ---- the role × scope matrix -----------------------------------------------------------------------

MATRIX = [
    # who, page GET, page POST, API POST
    ("reviewer_b", 404, 404, 404),
    ("staff_b", 404, 404, 404),
    ("observer", 403, 403, 403),
    ("reviewer_a", 403, 403, 403),
    ("staff_a", 403, 403, 403),
    ("province", 200, 302, 201),
]


def test_recommendation_role_scope_matrix(world, accepted, login):
    page = reverse("evaluation:national-recommend", args=[accepted.pk])
    api = reverse("api-project-national-recommendation", args=[accepted.pk])
    form = {"recommended_on": TODAY, "document_no": DOC}
    for who, get, post, api_post in MATRIX:
        client = login(getattr(world, who))
        assert client.get(page).status_code == get, who
        if who != "province":
            assert client.post(page, form).status_code == post, who
            response = client.post(api, json.dumps(form), content_type="application/json")
            assert response.status_code == api_post, who
    assert not NationalRecommendation.objects.exists()  # every refusal changed nothing
    province = login(world.province)
    response = province.post(api, json.dumps(form), content_type="application/json")
    assert response.status_code == 201 and response.json()["document_no"] == DOC
    assert province.post(api, json.dumps(form), content_type="application/json").status_code == 400
    assert province.get(api).json()["recommended_on"] == TODAY
    detail = login(world.staff_a).get(reverse("api-project-detail", args=[accepted.pk])).json()
    assert detail["meets_national_scheme"] is True and detail["national_recommendation"]["document_no"] == DOC


def test_recommendation_page_form_records_it(world, accepted, login):
    page = reverse("evaluation:national-recommend", args=[accepted.pk])
    response = login(world.province).post(page, {"recommended_on": TODAY, "document_no": DOC, "note": ""})
    assert response.status_code == 302 and NationalRecommendation.objects.get().project_id == accepted.pk


def test_recommended_project_helper_gives_a_recommended_park(world, actors_a):
    project = recommended_project(world, actors_a)
    assert project.national_recommendation.document_no
