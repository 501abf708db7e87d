"""Who may open the province's call and list pages, and the public list pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import ListStatus
from tests.applications.calls_lists_helpers import make_list
from tests.applications.factories import CallFactory

pytestmark = pytest.mark.django_db


EVERYONE_ELSE = ["observer", "expert", "reviewer_a", "staff_a"]
NOT_READERS = ["expert", "reviewer_a", "staff_a"]


# ---- who may open what -------------------------------------------------------------------------

PROVINCE_PAGES = [
    ("applications:call-create", False),
    ("applications:call-edit", True),
    ("applications:call-transition", True),
    ("applications:list-manage", False),
    ("applications:list-create", False),
    ("applications:list-detail", "list"),
    ("applications:list-edit", "list"),
    ("applications:list-transition", "list"),
]


def _url(world, name: str, arg) -> str:
    if arg is True:
        return reverse(name, args=[CallFactory().pk])
    if arg == "list":
        return reverse(name, args=[make_list(ListStatus.DRAFT, by=world.province).pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "arg"), [*PROVINCE_PAGES, ("applications:call-list", False)])
def test_province_pages_redirect_to_login_when_anonymous(world, client, name, arg):
    response = client.get(_url(world, name, arg))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", EVERYONE_ELSE)
@pytest.mark.parametrize(
    ("name", "arg"),
    [p for p in PROVINCE_PAGES if p[0] not in ("applications:list-manage", "applications:list-detail")],
)
def test_province_management_pages_answer_403_or_404_when_user_is_not_the_province(
    world, login, who, name, arg
):
    response = login(getattr(world, who)).get(_url(world, name, arg))
    # Out of scope answers 404: a draft list for all but observers, any call for an expert.
    out_of_scope = (arg == "list" and who != "observer") or (arg is True and who == "expert")
    assert response.status_code == (404 if out_of_scope else 403)


@pytest.mark.parametrize("who", NOT_READERS)
def test_list_manage_is_forbidden_when_user_is_not_province_or_observer(world, login, who):
    assert login(getattr(world, who)).get(reverse("applications:list-manage")).status_code == 403


@pytest.mark.parametrize("who", ["reviewer_a", "staff_a"])
def test_list_detail_is_forbidden_when_a_published_list_is_opened_by_park_or_city(world, login, who):
    clist = make_list(ListStatus.PUBLISHED, by=world.province)
    assert (
        login(getattr(world, who)).get(reverse("applications:list-detail", args=[clist.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("who", NOT_READERS)
def test_list_detail_is_not_found_when_a_draft_is_opened_outside_the_province(world, login, who):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    assert (
        login(getattr(world, who)).get(reverse("applications:list-detail", args=[clist.pk])).status_code
        == 404
    )


def test_call_list_is_forbidden_when_user_is_an_expert(world, login):
    assert login(world.expert).get(reverse("applications:call-list")).status_code == 403


@pytest.mark.parametrize("who", ["reviewer_a", "staff_a"])
def test_call_list_shows_open_and_closed_calls_read_only_when_user_is_park_or_city(world, login, who):
    open_call, draft, closed = CallFactory(), CallFactory(draft=True), CallFactory(closed=True)
    response = login(getattr(world, who)).get(reverse("applications:call-list"))
    assert {row.call.pk for row in response.context["rows"]} == {open_call.pk, closed.pk}
    html = response.content.decode()
    assert reverse("applications:call-transition", args=[open_call.pk]) not in html
    assert 'id="call-create"' not in html
    assert draft.title not in html


@pytest.mark.parametrize("who", ["reviewer_a", "staff_a"])
def test_call_detail_is_not_found_when_park_or_city_opens_a_draft(world, login, who):
    call = CallFactory(draft=True)
    assert (
        login(getattr(world, who)).get(reverse("applications:call-detail", args=[call.pk])).status_code == 404
    )


def test_call_list_shows_every_call_but_drafts_without_buttons_when_user_is_an_observer(world, login):
    open_call, closed = CallFactory(), CallFactory(closed=True)
    CallFactory(draft=True)
    response = login(world.observer).get(reverse("applications:call-list"))
    assert {row.call.pk for row in response.context["rows"]} == {open_call.pk, closed.pk}
    html = response.content.decode()
    assert 'id="call-create"' not in html
    assert reverse("applications:call-edit", args=[open_call.pk]) not in html


def test_call_list_offers_create_edit_open_and_close_when_user_is_the_province(world, login):
    open_call, draft = CallFactory(), CallFactory(draft=True)
    html = login(world.province).get(reverse("applications:call-list")).content.decode()
    assert 'id="call-create"' in html
    assert reverse("applications:call-transition", args=[draft.pk]) + "?action=open" in html
    assert reverse("applications:call-transition", args=[open_call.pk]) + "?action=close" in html
    assert reverse("applications:call-edit", args=[open_call.pk]) in html


def test_list_pages_show_no_actions_when_user_is_an_observer(world, login):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    client = login(world.observer)
    manage = client.get(reverse("applications:list-manage")).content.decode()
    response = client.get(reverse("applications:list-detail", args=[clist.pk]))
    detail = response.content.decode()
    assert response.status_code == 200
    assert 'id="list-create"' not in manage
    assert 'id="notice-form"' not in detail and 'id="list-edit"' not in detail


@pytest.mark.parametrize("status", [ListStatus.PUBLISHED, ListStatus.PUBLIC_NOTICE])
def test_public_pages_answer_200_when_anonymous(world, client, status):
    clist = make_list(status, by=world.province)
    assert client.get(reverse("applications:public-lists")).status_code == 200
    assert client.get(reverse("applications:public-list-detail", args=[clist.pk])).status_code == 200


def test_public_list_detail_is_not_found_when_list_is_a_draft(world, client):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    assert client.get(reverse("applications:public-list-detail", args=[clist.pk])).status_code == 404


def test_public_lists_renders_the_base_page_for_anonymous_visitors(world, client):
    html = client.get(reverse("applications:public-lists")).content.decode()
    assert reverse("login") in html
    assert 'id="user-menu"' not in html
