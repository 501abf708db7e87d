"""The review transitions: moving an application, confirmation, refusals and what a decision records."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.models import ReviewOpinion
from applications.workflow import TRANSITIONS
from tests.applications.factories import CallFactory, application_in
from tests.applications.review_helpers import S, _bare
from tests.parks.factories import ParkFactory


def _post(client, application, **data):
    return client.post(reverse("applications:application-transition", args=[application.pk]), data)


# ---- transitions ----------------------------------------------------------------------------------

HAPPY = [
    ("submit", S.DRAFT, "staff", {}),
    ("resubmit", S.RETURNED, "staff", {}),
    ("withdraw", S.SUBMITTED, "staff", {"confirm": "on"}),
    ("return", S.SUBMITTED, "reviewer", {"comment": "请补充能源数据说明"}),
    ("recommend", S.SUBMITTED, "reviewer", {"comment": "同意推荐"}),
    ("decline", S.SUBMITTED, "reviewer", {"comment": "不符合条件", "confirm": "on"}),
    ("approve", S.RECOMMENDED, "province", {"comment": "同意", "conditions": "按期建成能碳平台\n\n  "}),
    ("reject", S.RECOMMENDED, "province", {"comment": "不同意", "confirm": "on"}),
]


@pytest.mark.parametrize(("action", "source", "who", "data"), HAPPY)
def test_transition_moves_and_redirects_when_the_action_is_allowed(
    world, actors_a, login, action, source, who, data
):
    application = application_in(source, actors=actors_a)
    response = _post(login(actors_a[who]), application, action=action, **data)
    assert response.status_code == 302
    assert response.url == reverse("applications:application-detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == TRANSITIONS[action].target


def test_transition_asks_for_confirmation_when_the_action_is_destructive(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    response = _post(login(world.reviewer_a), application, action="decline", comment="不符合条件")
    assert response.status_code == 200
    assert 'name="confirm" value="on"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_transition_lists_every_unmet_condition_when_submitting_an_empty_dossier(world, factor_data, login):
    application = services.application_create(by=world.staff_a, park=world.park_a, call=CallFactory())
    response = _post(login(world.staff_a), application, action="submit")
    assert response.status_code == 400
    problems = selectors.submission_problems(application, today=timezone.localdate())
    html = response.content.decode()
    assert html.count('<li class="problem">') == sum(len(items) for items in problems.values())
    titles = [title for title, _items in response.context["error_groups"]]
    assert len(titles) == len(problems) == 10
    assert not {"energy", "declarations", "attachments"} & set(titles)  # section titles, never codes
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_transition_requires_an_opinion_when_the_city_decides(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    response = _post(login(world.reviewer_a), application, action="recommend", comment="  ")
    assert response.status_code == 400
    assert len(response.context["error_groups"]) == 1  # the opinion, nothing else
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_transition_records_the_checklist_and_conditions_when_deciding(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    _post(
        login(world.reviewer_a),
        application,
        action="recommend",
        comment="同意推荐",
        shown_zone_in_catalog="1",
        check_zone_in_catalog="1",
        shown_energy_years="1",
    )
    _post(login(world.province), application, action="approve", comment="同意", conditions="甲\n乙\n")
    city = ReviewOpinion.objects.get(application=application, stage="city")
    assert city.checklist == {"zone_in_catalog": True, "energy_years": False}
    application.refresh_from_db()
    assert application.conditions == ["甲", "乙"]


def test_transition_is_403_when_the_role_may_not_take_the_action(world, actors_a, login):
    application = _bare(world, S.RECOMMENDED)
    for user in (world.observer, world.reviewer_a, world.staff_a):
        response = _post(login(user), application, action="approve", comment="同意")
        assert response.status_code == 403


def test_transition_is_404_when_the_application_is_out_of_scope(world, login):
    application = _bare(world, S.SUBMITTED)
    response = _post(login(world.reviewer_b), application, action="recommend", comment="同意")
    assert response.status_code == 404


def test_transition_is_400_when_the_state_does_not_allow_the_action(world, actors_a, login):
    application = _bare(world, S.RECOMMENDED)
    response = _post(login(world.reviewer_a), application, action="recommend", comment="同意")
    assert response.status_code == 400
    assert response.context["error_groups"]


def test_transition_explains_the_quota_when_the_city_has_used_it(world, actors_a, login):
    call = CallFactory(quota_per_city=1)
    _bare(world, S.RECOMMENDED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True), call=call)
    application = application_in(S.SUBMITTED, actors=actors_a, call=call)
    response = _post(login(world.reviewer_a), application, action="recommend", comment="同意推荐")
    assert response.status_code == 400
    assert len(response.context["error_groups"]) == 1
    assert "1" in response.context["error_groups"][0][1][0]
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
