"""The review panel and the pages beside it: the actions offered, the checklist, the timeline, revision changes."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from applications import services
from indicators.models import ELECTRICITY_LABELS
from tests.applications.factories import CallFactory, application_in, resubmitted_with_changes
from tests.applications.review_helpers import S, _bare
from tests.parks.factories import ParkFactory


def _panel_actions(html: str) -> set[str]:
    return set(re.findall(r'class="[^"]*review-action[^"]*" id="action-\w+" data-action="(\w+)"', html))


# ---- the review panel ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (S.DRAFT, "staff_a", {"submit"}),  # nothing submitted: nothing to withdraw
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


def test_review_panel_shows_what_the_dossier_declares_and_leaves_the_checks_to_the_reviewer(
    world, actors_a, login
):
    application = application_in(S.SUBMITTED, actors=actors_a)
    response = login(world.reviewer_a).get(reverse("applications:application-review", args=[application.pk]))
    checklist = response.context["review"]["panel"].checklist
    assert {item.key: item.declared for item in checklist} == {
        "zone_in_catalog": True,
        "statistics_capability": True,
        "no_major_accident": True,
        "energy_years": True,
    }
    assert not any(item.checked for item in checklist)
    html = response.content.decode()
    assert html.count('name="check_energy_years"') == 1
    box = re.search(r'<input[^>]*id="check-energy_years"[^>]*>', html)
    assert box is not None and " checked" not in box.group(0)  # the reviewer ticks it, not the page


def test_review_panel_shows_an_empty_dossier_declares_nothing(world, login):
    application = _bare(world, S.SUBMITTED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    response = login(world.reviewer_a).get(reverse("applications:application-review", args=[application.pk]))
    checklist = response.context["review"]["panel"].checklist
    assert {item.key: item.declared for item in checklist} == {
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
    application = resubmitted_with_changes(actors_a)
    response = login(world.reviewer_a).get(reverse("applications:application-changes", args=[application.pk]))
    lines = [line for _group, group_lines in response.context["groups"] for line in group_lines]
    assert any(
        ("48,000" in ln.old, "52,000" in ln.new, ln.delta) == (True, True, "+4,000 万元") for ln in lines
    )
    grid = f"{gettext('Electricity')} · {ELECTRICITY_LABELS['grid']} (MWh)"
    assert any((ln.label, ln.old, ln.new, ln.delta) == (grid, "50,000", "40,000", "-10,000") for ln in lines)
    assert '<mark class="diff-new">40,000</mark>' in response.content.decode()


def test_changes_page_compares_the_revisions_chosen_in_the_query(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    url = reverse("applications:application-changes", args=[application.pk])
    response = login(world.reviewer_a).get(url, {"old": "1", "new": "1"})
    assert (response.context["old"].number, response.context["new"].number) == (1, 1)
    assert response.context["groups"] == []
