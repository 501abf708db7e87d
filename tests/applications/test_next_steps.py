"""Clear next steps (issue 13, point 5): the return opinion on top of a returned dossier and on the park's
to-do, one eligibility checklist the reviewer ticks, a confirmation that says what each decision does,
no withdrawal of a draft never submitted, and the energy section's way on."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from applications import services
from applications.models import ApplicationStatus as S
from applications.models import ReviewOpinion
from applications.review_forms import EFFECTS, UNDO, review_panel
from applications.selectors.activity import home_todo, opinion_excerpt
from tests.applications.factories import application_in, ready_application
from tests.applications.review_helpers import _bare
from tests.parks.factories import ParkFactory

pytestmark = pytest.mark.django_db

RETURN_OPINION = (
    "请补充光伏二期的投资测算。\n核实2024年电网购电量。\n补充能碳管理平台建设方案。\n其余部分符合要求。"
)


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def _returned(world, actors_a):
    application = application_in(S.SUBMITTED, actors=actors_a)
    return services.application_transition(
        by=world.reviewer_a, application=application, action="return", comment=RETURN_OPINION
    )


def _buttons(html: str) -> dict[str, str]:
    """Each decision button of the panel (by action) with its opening tag."""
    return {
        m.group(2): m.group(0)
        for m in re.finditer(
            r'<button type="submit" name="action" value="(\w+)"[^>]*data-action="(\w+)"[^>]*>', html
        )
    }


# ---- the returned dossier ------------------------------------------------------------------------


def test_returned_dossier_shows_the_return_opinion_on_top_for_the_park(world, actors_a, login):
    application = _returned(world, actors_a)
    client = english(login(world.staff_a))
    html = client.get(reverse("applications:application-detail", args=[application.pk])).content.decode()
    assert html.index('id="return-opinion"') < html.index('id="application-header"')
    opinion = re.search(r'id="return-opinion-text">(.*?)</blockquote>', html, re.S).group(1)
    assert opinion == RETURN_OPINION
    meta = re.search(r'id="return-opinion-meta">(.*?)</p>', html, re.S).group(1)
    written = ReviewOpinion.objects.get(application=application, action="return")
    assert (world.reviewer_a.get_full_name() or world.reviewer_a.username) in meta
    assert timezone.localtime(written.created_at).strftime("%Y-%m-%d %H:%M") in meta
    assert "resubmit the dossier" in html  # the park is told what to do next


def test_the_return_opinion_banner_leaves_when_the_dossier_is_resubmitted(world, actors_a, login):
    application = _returned(world, actors_a)
    services.application_transition(by=world.staff_a, application=application, action="resubmit")
    html = login(world.staff_a).get(reverse("applications:application-detail", args=[application.pk]))
    assert 'id="return-opinion"' not in html.content.decode()


def test_returned_dossier_sections_point_to_the_opinion(world, actors_a, login):
    application = _returned(world, actors_a)
    url = reverse("applications:section-edit", args=[application.pk, "projects"])
    html = login(world.staff_a).get(url).content.decode()
    detail = reverse("applications:application-detail", args=[application.pk])
    assert 'id="returned-notice"' in html and f'href="{detail}#return-opinion"' in html


def test_home_todo_says_what_to_fix_on_a_returned_dossier(world, actors_a, login):
    application = _returned(world, actors_a)
    response = english(login(world.staff_a)).get(reverse("portal:home"))
    (row,) = response.context["todo"].drafts
    assert row.pk == application.pk and row.return_opinion == RETURN_OPINION
    assert (
        row.return_excerpt
        == "请补充光伏二期的投资测算。\n核实2024年电网购电量。\n补充能碳管理平台建设方案。…"
    )
    html = response.content.decode()
    assert (
        '<blockquote class="small border-start border-3 border-warning ps-2 mb-1 zc-pre-wrap return-excerpt">'
        in html
    )
    assert "请补充光伏二期的投资测算。" in html and "其余部分符合要求" not in html
    assert (
        f'href="{reverse("applications:application-detail", args=[application.pk])}#return-opinion"' in html
    )
    assert "check and submit" not in html and "Every part is filled in" not in html


def test_home_todo_of_a_complete_draft_leads_to_the_submission(world, login):
    application = ready_application(staff=world.staff_a)
    response = english(login(world.staff_a)).get(reverse("portal:home"))
    (row,) = response.context["todo"].drafts
    assert (row.missing_parts, row.return_opinion, row.return_excerpt) == (0, None, "")
    html = response.content.decode()
    assert f"{reverse('applications:application-detail', args=[application.pk])}#review-panel" in html


@pytest.mark.parametrize("extra", [0, 2])
def test_park_todo_reads_the_return_opinions_in_one_query(world, actors_a, django_assert_num_queries, extra):
    _returned(world, actors_a)
    for _ in range(extra):
        _bare(world, S.RETURNED)
    with django_assert_num_queries(1):
        todo = home_todo(user=world.staff_a, today=timezone.localdate())
    assert len(todo.drafts) == 1 + extra


def test_opinion_excerpt_keeps_the_first_lines():
    assert opinion_excerpt(None) == ""
    assert opinion_excerpt("一行。\n\n  二行。  ") == "一行。\n二行。"
    assert opinion_excerpt("甲" * 200) == "甲" * 160 + "…"


# ---- the review panel ---------------------------------------------------------------------------


def test_the_city_ticks_one_checklist_that_starts_unticked(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    response = login(world.reviewer_a).get(reverse("applications:application-detail", args=[application.pk]))
    html = response.content.decode()
    panel = response.context["review"]["panel"]
    assert [f.action for f in panel.forms] == ["recommend", "return", "decline"]
    assert {item.key: (item.declared, item.checked) for item in panel.checklist} == {
        "zone_in_catalog": (True, False),
        "statistics_capability": (True, False),
        "no_major_accident": (True, False),
        "energy_years": (True, False),
    }
    assert html.count('id="eligibility-checklist"') == 1
    transition = reverse("applications:application-transition", args=[application.pk])
    assert html.count('name="check_energy_years"') == 1 and html.count(f'action="{transition}"') == 1
    assert re.search(r'name="check_\w+"[^>]* checked>', html) is None
    assert html.count('data-declared="1"') == 4
    assert set(_buttons(html)) == {"recommend", "return", "decline"}


def test_an_undeclared_item_is_flagged_beside_the_checkbox(world, login):
    application = _bare(world, S.SUBMITTED, park=ParkFactory(zone=world.park_a.zone, park_in_park=True))
    html = login(world.reviewer_a).get(reverse("applications:application-review", args=[application.pk]))
    html = html.content.decode()
    declared = dict(re.findall(r'data-item="(\w+)".*?data-declared="([01])"', html, re.S))
    assert declared == {
        "zone_in_catalog": "1",
        "boundary_stated": "1",
        "statistics_capability": "0",
        "no_major_accident": "0",
        "energy_years": "0",
    }


def test_the_one_checklist_goes_with_the_chosen_decision(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    data = {"action": "recommend", "comment": "同意推荐", "check_zone_in_catalog": "1"}
    data |= {f"shown_{key}": "1" for key in ("zone_in_catalog", "statistics_capability", "energy_years")}
    login(world.reviewer_a).post(reverse("applications:application-transition", args=[application.pk]), data)
    opinion = ReviewOpinion.objects.get(application=application, stage="city")
    assert opinion.checklist == {
        "zone_in_catalog": True,
        "statistics_capability": False,
        "energy_years": False,
    }


def test_a_refused_decision_keeps_the_ticks_and_the_opinion_is_still_required(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    data = {"action": "recommend", "comment": " ", "shown_energy_years": "1", "check_energy_years": "1"}
    response = login(world.reviewer_a).post(
        reverse("applications:application-transition", args=[application.pk]), data
    )
    assert response.status_code == 400
    checks = {item.key: item.checked for item in response.context["review"]["panel"].checklist}
    assert checks["energy_years"] is True and checks["statistics_capability"] is False
    assert re.search(r'id="check-energy_years"[^>]* checked>', response.content.decode())
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


@pytest.mark.parametrize(
    ("status", "who", "actions"),
    [
        (S.DRAFT, "staff_a", {"submit"}),
        (S.SUBMITTED, "staff_a", {"withdraw"}),
        (S.RETURNED, "staff_a", {"resubmit", "withdraw"}),
        (S.SUBMITTED, "reviewer_a", {"recommend", "return", "decline"}),
        (S.RECOMMENDED, "province", {"approve", "reject"}),
    ],
)
def test_every_decision_asks_first_and_says_what_happens(world, login, status, who, actions):
    application = _bare(world, status)
    client = english(login(world.users()[who]))
    html = client.get(
        reverse("applications:application-review-panel", args=[application.pk])
    ).content.decode()
    buttons = _buttons(html)
    assert set(buttons) == actions  # withdrawing a draft never submitted is not offered
    with translation.override("en"):
        for action, tag in buttons.items():
            assert "data-confirm-dialog" in tag
            body = re.search(r'data-confirm-body="([^"]*)"', tag).group(1)
            note = re.search(r'data-confirm-note="([^"]*)"', tag).group(1)
            assert body and note and note.replace("&#x27;", "'") == str(UNDO[action])
            if "%(city)s" in str(EFFECTS[action]):
                assert "南昌市" in body
            assert ("data-confirm-danger" in tag) == (action in ("withdraw", "decline", "reject"))
    assert 'src="/static/js/confirm.js"' not in html  # the partial; its pages load the script


def test_the_pages_with_the_panel_load_the_confirmation_script(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    client = login(world.reviewer_a)
    for name in ("applications:application-detail", "applications:application-review"):
        html = client.get(reverse(name, args=[application.pk])).content.decode()
        assert re.search(r'<script src="[^"]*js/confirm\.[\w.]*js" defer>', html), name


def test_a_draft_can_still_be_withdrawn_through_the_api_service(world):
    """Only the panel leaves it out: the workflow (and the API contract) keep withdrawing a draft."""
    application = _bare(world, S.DRAFT)
    withdrawn = services.application_transition(by=world.staff_a, application=application, action="withdraw")
    assert withdrawn.status == S.WITHDRAWN


def test_declining_without_script_is_confirmed_on_a_page_that_says_what_happens(world, actors_a, login):
    application = application_in(S.SUBMITTED, actors=actors_a)
    client = english(login(world.reviewer_a))
    url = reverse("applications:application-transition", args=[application.pk])
    response = client.post(url, {"action": "decline", "comment": "不符合条件"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="confirm-effect"' in html
    assert "it is not recommended" in html and "This cannot be undone." in html
    client.post(url, {"action": "decline", "comment": "不符合条件", "confirm": "on"})
    application.refresh_from_db()
    assert application.status == S.DECLINED


def test_review_panel_builds_the_park_form_without_an_opinion_requirement():
    panel = review_panel([("submit", "Submit")], facts=None, city="南昌市")
    assert (panel.stage, panel.opinion_required, panel.checklist, panel.conditions) == (
        None,
        False,
        [],
        False,
    )
    with translation.override("en"):
        panel = review_panel([("submit", "Submit")], facts=None, city="南昌市")
        assert panel.forms[0].effect.startswith("The dossier goes to the 南昌市 Development and Reform")


# ---- the energy section ---------------------------------------------------------------------------


def test_energy_section_leads_to_the_next_section(world, login):
    application = ready_application(staff=world.staff_a)
    html = login(world.staff_a).get(reverse("applications:section-energy", args=[application.pk]))
    html = html.content.decode()
    emissions = reverse("applications:section-emissions", args=[application.pk])
    assert re.search(rf'id="next-section">.*?href="{emissions}"', html, re.S)
