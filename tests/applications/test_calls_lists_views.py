"""The province's call and list pages, and the public list pages: who may open what, forms, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ConstructionList,
    ListStatus,
)
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.parks.factories import ParkFactory, ZoneFactory

pytestmark = pytest.mark.django_db

EVERYONE_ELSE = ["observer", "expert", "reviewer_a", "staff_a"]
NOT_READERS = ["expert", "reviewer_a", "staff_a"]


def approved(**kwargs) -> Application:
    return ApplicationFactory(status=ApplicationStatus.APPROVED, **kwargs)


def make_list(
    status: str, *, by, applications: list[Application] | None = None, **kwargs
) -> ConstructionList:
    """A list of approved applications walked to ``status`` (objection deadline: today)."""
    applications = applications or [approved()]
    clist = services.construction_list_create(
        by=by,
        title=kwargs.get("title", "2026年省级零碳园区建设名单"),
        document_no=kwargs.get("document_no", ""),
        application_ids=[a.pk for a in applications],
    )
    if status in (ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED):
        services.construction_list_transition(
            by=by, construction_list=clist, action="notice", objection_deadline=timezone.localdate()
        )
    if status == ListStatus.PUBLISHED:
        services.construction_list_transition(by=by, construction_list=clist, action="publish")
    clist.refresh_from_db()
    return clist


def messages_of(response) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in response.context["messages"]]


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


# ---- calls: forms and actions ------------------------------------------------------------------


def test_call_create_drafts_a_call_and_redirects_when_form_is_valid(world, login):
    deadline = timezone.localdate() + dt.timedelta(days=30)
    response = login(world.province).post(
        reverse("applications:call-create"),
        {
            "title": "2026年第一批",
            "description": "申报说明",
            "deadline": deadline.isoformat(),
            "quota_per_city": "2",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302 and response.url == reverse("applications:call-detail", args=[call.pk])
    assert (call.status, call.deadline, call.quota_per_city, call.created_by) == (
        CallStatus.DRAFT,
        deadline,
        2,
        world.province,
    )


def test_call_create_shows_errors_when_title_is_taken(world, login):
    existing = CallFactory()
    response = login(world.province).post(
        reverse("applications:call-create"), {"title": existing.title, "deadline": "2030-01-01"}
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert Call.objects.count() == 1


def test_call_edit_saves_changes_when_call_is_open(world, login):
    call = CallFactory(quota_per_city=2)
    response = login(world.province).post(
        reverse("applications:call-edit", args=[call.pk]),
        {
            "title": call.title,
            "description": "延期",
            "deadline": call.deadline.isoformat(),
            "quota_per_city": "3",
        },
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.description, call.quota_per_city) == ("延期", 3)


def test_call_edit_shows_the_service_error_when_call_is_closed(world, login):
    call = CallFactory(closed=True)
    response = login(world.province).post(
        reverse("applications:call-edit", args=[call.pk]),
        {"title": call.title, "deadline": call.deadline.isoformat(), "quota_per_city": "3"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    call.refresh_from_db()
    assert call.quota_per_city is None


def test_call_transition_asks_for_confirmation_and_changes_nothing_when_get(world, login):
    call = CallFactory(draft=True)
    response = login(world.province).get(
        reverse("applications:call-transition", args=[call.pk]), {"action": "open"}
    )
    assert response.status_code == 200
    assert 'id="call-confirm"' in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


@pytest.mark.parametrize(
    ("action", "source", "target"),
    [("open", CallStatus.DRAFT, CallStatus.OPEN), ("close", CallStatus.OPEN, CallStatus.CLOSED)],
)
def test_call_transition_moves_the_call_when_province_confirms(world, login, action, source, target):
    call = CallFactory(status=source)
    response = login(world.province).post(
        reverse("applications:call-transition", args=[call.pk]), {"action": action}, follow=True
    )
    call.refresh_from_db()
    assert call.status == target
    assert [level for level, _text in messages_of(response)] == [message_levels.SUCCESS]


def test_call_transition_shows_the_service_error_when_deadline_has_passed(world, login):
    call = CallFactory(draft=True, deadline=timezone.localdate() - dt.timedelta(days=1))
    response = login(world.province).post(
        reverse("applications:call-transition", args=[call.pk]), {"action": "open"}, follow=True
    )
    assert [level for level, _text in messages_of(response)] == [message_levels.ERROR]
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_call_list_counts_applications_by_status_for_the_province(world, login):
    call = CallFactory()
    ApplicationFactory(call=call, park=world.park_a)
    ApplicationFactory(call=call, park=world.park_b, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(call=call, status=ApplicationStatus.SUBMITTED)
    row = login(world.province).get(reverse("applications:call-list")).context["rows"][0]
    assert row.total == 3
    assert [(status, n) for status, _label, n in row.counts] == [("draft", 1), ("submitted", 2)]


def test_call_list_counts_only_visible_applications_when_user_is_a_city_reviewer(world, login):
    call = CallFactory()
    ApplicationFactory(call=call, park=world.park_a, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(call=call, park=world.park_b, status=ApplicationStatus.SUBMITTED)
    row = login(world.reviewer_a).get(reverse("applications:call-list")).context["rows"][0]
    assert row.total == 1


def test_call_detail_groups_applications_by_city_with_quota_use(world, login):
    call = CallFactory(quota_per_city=2, description="第一批申报说明")
    ApplicationFactory(call=call, park=world.park_a, status=ApplicationStatus.RECOMMENDED)
    ApplicationFactory(call=call, park=ParkFactory(zone=ZoneFactory(city=world.nanchang)), status="submitted")
    ApplicationFactory(call=call, park=world.park_b, status=ApplicationStatus.APPROVED)
    response = login(world.province).get(reverse("applications:call-detail", args=[call.pk]))
    groups = [(g.city.code, len(g.applications), g.recommended, g.quota) for g in response.context["groups"]]
    assert groups == [("360100", 2, 1, 2), ("360700", 1, 1, 2)]
    assert "第一批申报说明" in response.content.decode()
    assert response.context["events"] is not None


def test_call_detail_shows_only_the_own_park_when_user_is_park_staff(world, login):
    call = CallFactory()
    ApplicationFactory(call=call, park=world.park_a)
    ApplicationFactory(call=call, park=world.park_b)
    response = login(world.staff_a).get(reverse("applications:call-detail", args=[call.pk]))
    assert [a.park for g in response.context["groups"] for a in g.applications] == [world.park_a]
    assert response.context["events"] is None


# ---- lists: forms and actions ------------------------------------------------------------------


def test_list_create_offers_approved_unlisted_applications_with_their_details(world, login):
    candidate = approved(
        park=world.park_a, total_investment_wan="12345.60", conditions=["2027年底前建成能碳平台"]
    )
    ApplicationFactory(park=world.park_b, status=ApplicationStatus.SUBMITTED)
    make_list(ListStatus.DRAFT, by=world.province)
    response = login(world.province).get(reverse("applications:list-create"))
    assert list(response.context["form"].fields["applications"].queryset) == [candidate]
    html = response.content.decode()
    for text in (world.park_a.name, world.nanchang.name, "12345.60", "2027年底前建成能碳平台"):
        assert text in html
    assert world.park_b.name not in html


def test_list_create_drafts_the_list_and_redirects_when_form_is_valid(world, login):
    first, second = approved(park=world.park_a), approved(park=world.park_b)
    response = login(world.province).post(
        reverse("applications:list-create"),
        {
            "title": "第一批建设名单",
            "document_no": "赣发改〔2026〕1号",
            "applications": [first.pk, second.pk],
        },
    )
    clist = ConstructionList.objects.get()
    assert response.url == reverse("applications:list-detail", args=[clist.pk])
    assert (clist.title, clist.document_no, clist.status) == (
        "第一批建设名单",
        "赣发改〔2026〕1号",
        ListStatus.DRAFT,
    )
    assert sorted(clist.entries.values_list("application_id", flat=True)) == sorted([first.pk, second.pk])


def test_list_create_shows_errors_when_no_application_is_chosen(world, login):
    approved(park=world.park_a)
    response = login(world.province).post(reverse("applications:list-create"), {"title": "空名单"})
    assert response.status_code == 200
    assert "applications" in response.context["form"].errors
    assert not ConstructionList.objects.exists()


def test_list_edit_keeps_own_applications_and_saves_changes_when_draft(world, login):
    first, second = approved(park=world.park_a), approved(park=world.park_b)
    clist = make_list(ListStatus.DRAFT, by=world.province, applications=[first])
    client = login(world.province)
    form = client.get(reverse("applications:list-edit", args=[clist.pk])).context["form"]
    assert set(form.fields["applications"].queryset) == {first, second}
    client.post(
        reverse("applications:list-edit", args=[clist.pk]),
        {"title": "改名", "document_no": "", "applications": [second.pk]},
    )
    clist.refresh_from_db()
    assert (clist.title, list(clist.entries.values_list("application_id", flat=True))) == (
        "改名",
        [second.pk],
    )


def test_list_edit_shows_the_service_error_when_list_is_on_notice(world, login):
    clist = make_list(ListStatus.PUBLIC_NOTICE, by=world.province)
    application_id = clist.entries.get().application_id
    response = login(world.province).post(
        reverse("applications:list-edit", args=[clist.pk]),
        {"title": "改名", "applications": [application_id]},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_list_detail_offers_the_notice_with_a_week_by_default_when_draft(world, login):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    response = login(world.province).get(reverse("applications:list-detail", args=[clist.pk]))
    default = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    html = response.content.decode()
    assert 'id="notice-form"' in html and f'value="{default}"' in html
    assert 'id="timeline"' in html


def test_list_notice_puts_the_list_on_public_notice_when_deadline_is_posted(world, login):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    deadline = timezone.localdate() + dt.timedelta(days=7)
    login(world.province).post(
        reverse("applications:list-transition", args=[clist.pk]),
        {"action": "notice", "objection_deadline": deadline.isoformat()},
    )
    clist.refresh_from_db()
    assert (clist.status, clist.objection_deadline) == (ListStatus.PUBLIC_NOTICE, deadline)


def test_list_detail_disables_publish_with_its_date_when_objections_are_open(world, login):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    deadline = timezone.localdate() + dt.timedelta(days=3)
    services.construction_list_transition(
        by=world.province, construction_list=clist, action="notice", objection_deadline=deadline
    )
    html = login(world.province).get(reverse("applications:list-detail", args=[clist.pk])).content.decode()
    button = html[
        html.index('id="list-publish"') - 80 : html.index("</button>", html.index('id="list-publish"'))
    ]
    assert "disabled" in button and deadline.isoformat() in button


def test_list_publish_shows_the_service_error_when_objections_are_open(world, login):
    clist = make_list(ListStatus.DRAFT, by=world.province)
    deadline = timezone.localdate() + dt.timedelta(days=3)
    services.construction_list_transition(
        by=world.province, construction_list=clist, action="notice", objection_deadline=deadline
    )
    response = login(world.province).post(
        reverse("applications:list-transition", args=[clist.pk]), {"action": "publish"}, follow=True
    )
    [(level, text)] = messages_of(response)
    assert level == message_levels.ERROR and str(deadline) in text
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE


def test_list_publish_confirms_then_publishes_and_lists_the_applications(world, login):
    application = approved(park=world.park_a)
    clist = make_list(ListStatus.PUBLIC_NOTICE, by=world.province, applications=[application])
    client = login(world.province)
    url = reverse("applications:list-transition", args=[clist.pk])
    detail = client.get(reverse("applications:list-detail", args=[clist.pk])).content.decode()
    assert f"{url}?action=publish" in detail
    confirm = client.get(url, {"action": "publish"})
    assert 'id="list-confirm"' in confirm.content.decode() and world.park_a.name in confirm.content.decode()
    client.post(url, {"action": "publish"})
    clist.refresh_from_db()
    application.refresh_from_db()
    assert (clist.status, application.status) == (ListStatus.PUBLISHED, ApplicationStatus.LISTED)


# ---- public pages ------------------------------------------------------------------------------


def test_public_lists_show_published_parks_by_city_with_document_and_date(world, client):
    clist = make_list(
        ListStatus.PUBLISHED,
        by=world.province,
        document_no="赣发改环资〔2026〕8号",
        applications=[approved(park=world.park_b), approved(park=world.park_a)],
    )
    html = client.get(reverse("applications:public-lists")).content.decode()
    published = html[html.index('id="published"') :]
    assert (
        "赣发改环资〔2026〕8号" in published
        and timezone.localdate(clist.published_at).isoformat() in published
    )
    # 南昌 (360100) before 赣州 (360700), each park under its city with its zone.
    assert (
        published.index(world.nanchang.name)
        < published.index(world.park_a.name)
        < published.index(world.ganzhou.name)
        < published.index(world.park_b.name)
    )
    assert world.park_a.zone.name in published


def test_public_lists_strike_through_removed_parks_with_date_document_and_reason(world, client):
    clist = make_list(ListStatus.PUBLISHED, by=world.province, applications=[approved(park=world.park_a)])
    clist.entries.update(
        removed_on=dt.date(2027, 6, 30),
        removal_reason="整改不到位",
        removal_document_no="赣发改〔2027〕5号",
        removed_in_version=2,
    )
    ConstructionList.objects.filter(pk=clist.pk).update(version=2)
    html = client.get(reverse("applications:public-lists")).content.decode()
    assert f"<del>{world.park_a.name}</del>" in html
    for text in ("2027-06-30", "整改不到位", "赣发改〔2027〕5号"):
        assert text in html


def test_public_lists_show_notices_apart_and_never_drafts(world, client):
    make_list(ListStatus.DRAFT, by=world.province, applications=[approved(park=world.park_a)])
    notice = make_list(
        ListStatus.PUBLIC_NOTICE, by=world.province, applications=[approved(park=world.park_b)]
    )
    response = client.get(reverse("applications:public-lists"))
    html = response.content.decode()
    assert list(response.context["published"]) == []
    assert world.park_a.name not in html
    on_notice = html[html.index('id="on-notice"') : html.index('id="published"')]
    assert world.park_b.name in on_notice and notice.objection_deadline.isoformat() in on_notice


def test_public_list_detail_shows_the_objection_deadline_when_on_notice(world, client):
    clist = make_list(ListStatus.PUBLIC_NOTICE, by=world.province, applications=[approved(park=world.park_b)])
    html = client.get(reverse("applications:public-list-detail", args=[clist.pk])).content.decode()
    assert world.park_b.name in html and clist.objection_deadline.isoformat() in html


# ---- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 5])
def test_call_list_query_count_is_constant(world, login, django_assert_num_queries, n):
    for _ in range(n):
        call = CallFactory()
        ApplicationFactory(call=call, status=ApplicationStatus.SUBMITTED)
    client = login(world.province)
    # session, user, the header's unread-notification count, calls (application count annotated),
    # applications grouped by call and status
    with django_assert_num_queries(5):
        response = client.get(reverse("applications:call-list"))
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_list_manage_query_count_is_constant(world, login, django_assert_num_queries, n):
    for _ in range(n):
        make_list(ListStatus.DRAFT, by=world.province)
    client = login(world.observer)
    # session, user, the header's unread-notification count, lists (park count annotated)
    with django_assert_num_queries(4):
        response = client.get(reverse("applications:list-manage"))
    assert len(response.context["lists"]) == n


@pytest.mark.parametrize("n", [1, 5])
def test_public_lists_query_count_is_constant(world, client, django_assert_num_queries, n):
    for _ in range(n):
        make_list(ListStatus.PUBLISHED, by=world.province, applications=[approved(), approved()])
        make_list(ListStatus.PUBLIC_NOTICE, by=world.province)
    # published lists, their entries (park, zone, city joined), lists on notice, their entries
    with django_assert_num_queries(4):
        response = client.get(reverse("applications:public-lists"))
    assert len(response.context["published"]) == n
