"""The review queues of the city and the province, and the home page to-dos."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import ConstructionList, DossierSection, ListStatus
from indicators.models import IndicatorResult, ParkDataset
from indicators.services.results import result_summary
from tests.applications.factories import CallFactory, application_in, ready_application
from tests.applications.review_helpers import S, _bare
from tests.parks.factories import ParkFactory, ZoneFactory

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
    # recommendations per call of the page, the page's exemption claims, unread notifications (header)
    with django_assert_num_queries(8):
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
    # sections of the page, the page's exemption claims, cities for the filter, unread notifications (header)
    with django_assert_num_queries(9):
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
    assert todo.counts == {"recommended": 1, "approved_unlisted": 1, "exemptions": 0}


@pytest.mark.parametrize("extra", [0, 4])
def test_province_home_todo_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for park in [world.park_a, *_city_parks(world, extra)]:
        _bare(world, S.RECOMMENDED, park=park)
        _bare(world, S.APPROVED, park=park)
    client = login(world.province)
    # session, user, park count, zone count, active-user count, cities with counts; to-do: recommended,
    # approved unlisted, lists ready, unanswered objections on notice, both counts in one aggregate,
    # exemptions to decide and their count; construction: answered orders, overdue orders, extension
    # requests, evaluations in review, accepted parks to recommend nationally, the 督导 list's projects with
    # no open order (one query while no project is under construction); city progress reports: the late
    # ones; questions waiting for an answer; unread notifications (header)
    with django_assert_num_queries(22):
        client.get(reverse("portal:home"))


@pytest.mark.parametrize("extra", [0, 4])
def test_staff_home_todo_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        _bare(world, S.DRAFT, call=CallFactory())
    client = login(world.staff_a)
    client.get(reverse("portal:home"))  # warm the content-type cache the park's events use
    # session, user, park, park events, drafts with missing parts annotated; construction: reports due,
    # orders to answer; questions waiting for an answer; unread notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:home"))
    assert len(response.context["todo"].drafts) == 1 + extra


def test_home_todo_is_absent_when_nothing_waits(world, login):
    for who in ("staff_a", "reviewer_a", "province", "observer", "expert"):
        assert 'id="home-todo"' not in login(world.users()[who]).get(reverse("portal:home")).content.decode()
