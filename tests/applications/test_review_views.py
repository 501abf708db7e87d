"""The review screens: the panel and its transitions, the timeline, revision changes, the queues, home to-dos."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.models import (
    ApplicationStatus,
    ConstructionList,
    DossierSection,
    ListStatus,
    ReviewOpinion,
)
from applications.samples import sample_dataset
from applications.workflow import TRANSITIONS
from indicators.models import IndicatorResult, ParkDataset
from indicators.services.results import result_summary
from tests.applications.factories import ApplicationFactory, CallFactory, application_in, ready_application
from tests.parks.factories import ParkFactory, ZoneFactory

S = ApplicationStatus


def _panel_actions(html: str) -> set[str]:
    return set(re.findall(r'class="[^"]*review-action[^"]*" id="action-\w+" data-action="(\w+)"', html))


def _post(client, application, **data):
    return client.post(reverse("applications:application-transition", args=[application.pk]), data)


def _bare(world, status, park=None, **kwargs):
    """An application in ``status`` without a dossier (the panel and queues only read its state)."""
    submitted = timezone.now() if status != S.DRAFT else None
    return ApplicationFactory(park=park or world.park_a, status=status, submitted_at=submitted, **kwargs)


# ---- the review panel ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (S.DRAFT, "staff_a", {"submit", "withdraw"}),
        (S.RETURNED, "staff_a", {"resubmit", "withdraw"}),
        (S.SUBMITTED, "staff_a", {"withdraw"}),
        (S.SUBMITTED, "reviewer_a", {"return", "recommend", "decline"}),
        (S.RECOMMENDED, "reviewer_a", set()),
        (S.RECOMMENDED, "province", {"approve", "reject"}),
        (S.RECOMMENDED, "observer", set()),
        (S.APPROVED, "province", set()),
    ],
)
def test_review_panel_offers_exactly_the_allowed_actions_when_role_and_state_vary(
    world, login, status, who, expected
):
    application = _bare(world, status)
    client = login(world.users()[who])
    html = client.get(
        reverse("applications:application-review-panel", args=[application.pk])
    ).content.decode()
    assert _panel_actions(html) == expected


def test_review_panel_prefills_the_checklist_when_the_dossier_declares_it(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    response = login(world.reviewer_a).get(reverse("applications:application-review", args=[application.pk]))
    recommend = next(f for f in response.context["review"]["forms"] if f.action == "recommend")
    assert {item.key: item.checked for item in recommend.checklist} == {
        "zone_in_catalog": True,
        "statistics_capability": True,
        "no_major_accident": True,
        "energy_years": True,
    }
    assert 'name="check_energy_years" value="1" id="check-recommend-energy_years" checked' in (
        response.content.decode()
    )


def test_review_panel_leaves_checks_unticked_when_the_dossier_is_empty(world, login):
    application = _bare(world, S.SUBMITTED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    response = login(world.reviewer_a).get(reverse("applications:application-review", args=[application.pk]))
    recommend = next(f for f in response.context["review"]["forms"] if f.action == "recommend")
    assert {item.key: item.checked for item in recommend.checklist} == {
        "zone_in_catalog": True,
        "boundary_stated": True,
        "statistics_capability": False,
        "no_major_accident": False,
        "energy_years": False,
    }


def test_review_panel_shows_the_city_quota_when_recommending(world, login):
    call = CallFactory(quota_per_city=2)
    _bare(world, S.RECOMMENDED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True), call=call)
    _bare(world, S.RECOMMENDED, park=world.park_b, call=call)  # another city's recommendation
    application = _bare(world, S.SUBMITTED, call=call)
    html = (
        login(world.reviewer_a)
        .get(reverse("applications:application-review-panel", args=[application.pk]))
        .content.decode()
    )
    assert 'id="quota-usage" data-used="1" data-quota="2"' in html


def test_review_panel_is_404_when_the_application_is_out_of_scope(world, login):
    application = _bare(world, S.SUBMITTED)
    response = login(world.reviewer_b).get(
        reverse("applications:application-review-panel", args=[application.pk])
    )
    assert response.status_code == 404


def test_review_panel_loads_itself_when_included_without_the_review_context(world, rf):
    application = _bare(world, S.SUBMITTED)
    request = rf.get("/")
    request.user = world.reviewer_a
    html = render_to_string(
        "applications/partials/_review_panel.html",
        {"application": application, "actions": services.actions_for(world.reviewer_a, application)},
        request=request,
    )
    assert reverse("applications:application-review-panel", args=[application.pk]) in html
    assert set(re.findall(r'data-action="(\w+)" href', html)) == {"return", "recommend", "decline"}


def test_timeline_loads_itself_when_included_without_entries(world, rf):
    application = _bare(world, S.SUBMITTED)
    html = render_to_string("applications/partials/_timeline.html", {"application": application})
    assert reverse("applications:application-timeline", args=[application.pk]) in html


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


# ---- timeline and changes -------------------------------------------------------------------------


def test_timeline_shows_opinions_with_checklist_and_conditions(world, actors_a, login):
    application = application_in(S.APPROVED, actors=actors_a, conditions=["按期建成能碳平台"])
    html = (
        login(world.staff_a)
        .get(reverse("applications:application-timeline", args=[application.pk]))
        .content.decode()
    )
    assert "recommend 意见" in html and "approve 意见" in html
    assert "按期建成能碳平台" in html
    assert html.count('class="border-start border-3 ps-2 my-1 opinion"') == 2


def test_changes_page_shows_a_changed_number_when_resubmitted(world, actors_a, login):
    application = application_in(S.RETURNED, actors=actors_a)
    projects = application.sections.get(code="projects").data
    projects["projects"][0]["investment_wan"] = "52000"
    services.dossier_section_save(by=world.staff_a, application=application, code="projects", data=projects)
    document = sample_dataset(park_name=world.park_a.name, park_type=world.park_a.park_type, year=2025)
    document["electricity_mwh"]["grid"] = "40000"
    services.application_dataset_save(by=world.staff_a, application=application, year=2025, document=document)
    services.application_transition(by=world.staff_a, application=application, action="resubmit")
    response = login(world.reviewer_a).get(reverse("applications:application-changes", args=[application.pk]))
    lines = [line for _group, group_lines in response.context["groups"] for line in group_lines]
    assert any(("48000" in ln.old, "52000" in ln.new, ln.delta) == (True, True, "+4000 万元") for ln in lines)
    assert any(
        (ln.label, ln.old, ln.new, ln.delta) == ("electricity_mwh.grid", "50000", "40000", "-10000")
        for ln in lines
    )
    assert '<mark class="diff-new">40000</mark>' in response.content.decode()


def test_changes_page_compares_the_revisions_chosen_in_the_query(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    url = reverse("applications:application-changes", args=[application.pk])
    response = login(world.reviewer_a).get(url, {"old": "1", "new": "1"})
    assert (response.context["old"].number, response.context["new"].number) == (1, 1)
    assert response.context["groups"] == []


# ---- queues -------------------------------------------------------------------------------------


def _result(park, *, core="0.3800", status="pass", clean="85.00", energy="1000.00", emissions="380.00"):
    """A park's current 2025 Jiangxi result with just the numbers the queues read."""
    dataset = ParkDataset.objects.create(park=park, year=2025, document={})
    document = {
        "totals": {"energy_tce": energy, "emissions_net_tco2": emissions},
        "indicators": [
            {"code": "carbon_per_energy", "value": core, "unit": "tCO2/tce", "status": status},
            {"code": "clean_energy_share", "value": clean, "unit": "%", "status": "pass"},
            {"code": "green_power_direct_share", "value": "40.00", "unit": "%", "status": "pass"},
        ],
    }
    return IndicatorResult.objects.create(
        dataset=dataset,
        scheme_code="jiangxi-2025",
        scheme_version=1,
        factor_set_name="cn-2026.1",
        engine_version="test",
        ok=True,
        core_passed=status == "pass",
        computed_at=timezone.now(),
        document=document,
        summary=result_summary(document),
    )


def _city_parks(world, n):
    return [ParkFactory(zone=ZoneFactory(city=world.nanchang)) for _ in range(n)]


def test_city_queue_shows_only_the_reviewers_city_when_both_cities_have_submissions(world, login):
    mine, theirs = _bare(world, S.SUBMITTED), _bare(world, S.SUBMITTED, park=world.park_b)
    response = login(world.reviewer_a).get(reverse("applications:review-city"))
    shown = [row.application.pk for row in response.context["rows"]]
    assert shown == [mine.pk]
    assert theirs.pk not in shown
    assert (
        login(world.reviewer_b).get(reverse("applications:review-city")).context["rows"][0].application
        == theirs
    )


def test_city_queue_shows_2025_figures_and_quota_when_results_exist(world, login):
    call = CallFactory(quota_per_city=3)
    _bare(world, S.RECOMMENDED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True), call=call)
    application = _bare(world, S.SUBMITTED, call=call)
    _result(world.park_a, core="0.4085", status="fail", clean="90.32")
    response = login(world.reviewer_a).get(reverse("applications:review-city"))
    row = next(r for r in response.context["rows"] if r.application == application)
    assert (row.baseline.core.value, row.baseline.core.status) == (Decimal("0.4085"), "fail")
    assert row.baseline.clean_share.value == Decimal("90.32")
    assert (row.quota_used, row.quota_left) == (1, 2)


def test_city_queue_filters_by_status_when_asked(world, login):
    _bare(world, S.SUBMITTED)
    returned = _bare(world, S.RETURNED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    response = login(world.reviewer_a).get(reverse("applications:review-city"), {"status": "returned"})
    assert [row.application for row in response.context["rows"]] == [returned]


def test_city_queue_sorts_by_a_result_value_when_asked(world, login):
    parks = _city_parks(world, 3)
    for park, core in zip(parks, ("0.5", "0.2", "0.35"), strict=True):
        _bare(world, S.SUBMITTED, park=park)
        _result(park, core=core)
    client = login(world.reviewer_a)
    ascending = client.get(reverse("applications:review-city"), {"sort": "core"}).context["rows"]
    descending = client.get(reverse("applications:review-city"), {"sort": "-core"}).context["rows"]
    assert [r.baseline.core.value for r in ascending] == [Decimal("0.2"), Decimal("0.35"), Decimal("0.5")]
    assert [r.baseline.core.value for r in descending] == [Decimal("0.5"), Decimal("0.35"), Decimal("0.2")]


@pytest.mark.parametrize("extra", [0, 4])
def test_city_queue_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        _bare(world, S.SUBMITTED, park=park)
        _result(park)
    client = login(world.reviewer_a)
    # session, user, count, page (places and call joined), 2025 results of the page's parks, the city's
    # recommendations per call of the page, unread notifications (header)
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:review-city"))
    assert len(response.context["rows"]) == 1 + extra


@pytest.mark.parametrize("who", ["staff_a", "expert", "observer", "province"])
def test_city_queue_is_403_when_the_role_has_no_city_queue(world, login, who):
    assert login(world.users()[who]).get(reverse("applications:review-city")).status_code == 403


@pytest.mark.parametrize(
    ("who", "code"),
    [("province", 200), ("observer", 200), ("staff_a", 403), ("expert", 403), ("reviewer_a", 403)],
)
def test_province_queue_answers_by_role(world, login, who, code):
    assert login(world.users()[who]).get(reverse("applications:review-province")).status_code == code


def test_province_queue_compares_baseline_targets_and_projection_when_recommended(world, actors_a, login):
    application = application_in(S.RECOMMENDED, actors=actors_a)
    _bare(world, S.SUBMITTED, park=world.park_b)  # not yet recommended: not in the comparison
    response = login(world.province).get(reverse("applications:review-province"))
    (row,) = response.context["rows"]
    assert row.application == application
    assert row.baseline.core.value == Decimal("0.4372")
    assert row.baseline.energy_tce == Decimal("121380.67")
    assert row.plan.end_year == 2030
    targets = application.sections.get(code="targets").data["targets"]
    expected = next(t["y2030"] for t in targets if t["indicator"] == "carbon_per_energy")
    assert row.plan.targets["carbon_per_energy"] == Decimal(expected)
    assert row.plan.projected_carbon_per_energy is not None
    assert row.plan.projected_carbon_per_energy < row.baseline.core.value


def test_province_queue_sorts_and_filters_by_city_when_asked(world, login):
    a = _bare(world, S.RECOMMENDED, total_investment_wan=Decimal("100"))
    b = _bare(world, S.RECOMMENDED, park=world.park_b, total_investment_wan=Decimal("300"))
    client = login(world.province)
    rows = client.get(reverse("applications:review-province"), {"sort": "-investment"}).context["rows"]
    assert [r.application for r in rows] == [b, a]
    rows = client.get(reverse("applications:review-province"), {"city": world.ganzhou.code}).context["rows"]
    assert [r.application for r in rows] == [b]


@pytest.mark.parametrize("extra", [0, 4])
def test_province_queue_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        application = _bare(world, S.RECOMMENDED, park=park, period_years=3)
        DossierSection.objects.create(application=application, code="targets", data={"period_years": 3})
        _result(park)
    client = login(world.province)
    # session, user, count, page (places and call joined), 2025 results, targets/projects/feasibility
    # sections of the page, cities for the filter, unread notifications (header)
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:review-province"), {"sort": "core"})
    assert len(response.context["rows"]) == 1 + extra


# ---- home to-do ---------------------------------------------------------------------------------


def test_home_lists_the_parks_dossiers_with_what_is_missing_when_staff(world, login):
    draft = _bare(world, S.DRAFT)
    _bare(world, S.DRAFT, park=world.park_b)
    html = login(world.staff_a).get(reverse("portal:home")).content.decode()
    assert f'data-application="{draft.pk}" data-missing="10"' in html
    assert draft.call.deadline.strftime("%Y-%m-%d") in html
    assert html.count("data-missing=") == 1


def test_home_counts_no_missing_part_when_the_dossier_is_ready(world, login):
    application = ready_application(staff=world.staff_a)
    response = login(world.staff_a).get(reverse("portal:home"))
    assert [a.missing_parts for a in response.context["todo"].drafts] == [0]
    assert application.pk == response.context["todo"].drafts[0].pk


def test_home_lists_submitted_applications_of_the_city_when_reviewer(world, login):
    mine = _bare(world, S.SUBMITTED)
    _bare(world, S.SUBMITTED, park=world.park_b)
    todo = login(world.reviewer_a).get(reverse("portal:home")).context["todo"]
    assert (todo.submitted, todo.counts["submitted"]) == ([mine], 1)


def test_home_lists_the_provinces_work_when_province(world, login):
    recommended = _bare(world, S.RECOMMENDED)
    approved = _bare(world, S.APPROVED, park=world.park_b)
    ready = ConstructionList.objects.create(
        title="第一批",
        status=ListStatus.PUBLIC_NOTICE,
        objection_deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    ConstructionList.objects.create(
        title="第二批",
        status=ListStatus.PUBLIC_NOTICE,
        objection_deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    todo = login(world.province).get(reverse("portal:home")).context["todo"]
    assert todo.recommended == [recommended]
    assert todo.approved_unlisted == [approved]
    assert todo.lists_ready == [ready]
    assert todo.counts == {"recommended": 1, "approved_unlisted": 1}


@pytest.mark.parametrize("extra", [0, 4])
def test_province_home_todo_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        _bare(world, S.RECOMMENDED, park=park)
        _bare(world, S.APPROVED, park=park)
    client = login(world.province)
    # session, user, park count, zone count, active-user count, cities with counts; to-do: recommended,
    # approved unlisted, lists ready, both counts in one aggregate; construction: answered orders,
    # evaluations in review; unread notifications (header)
    with django_assert_num_queries(13):
        client.get(reverse("portal:home"))


@pytest.mark.parametrize("extra", [0, 4])
def test_staff_home_todo_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        _bare(world, S.DRAFT, call=CallFactory())
    client = login(world.staff_a)
    client.get(reverse("portal:home"))  # warm the content-type cache the park's events use
    # session, user, park, park events, drafts with missing parts annotated; construction: reports due,
    # orders to answer; unread notifications
    with django_assert_num_queries(8):
        response = client.get(reverse("portal:home"))
    assert len(response.context["todo"].drafts) == 1 + extra


def test_home_todo_is_absent_when_nothing_waits(world, login):
    for who in ("staff_a", "reviewer_a", "province", "observer", "expert"):
        assert 'id="home-todo"' not in login(world.users()[who]).get(reverse("portal:home")).content.decode()
