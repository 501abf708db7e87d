"""The province's construction list pages and the public list pages: forms, actions, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import ApplicationStatus, ConstructionList, ListStatus
from tests.applications.calls_lists_helpers import approved, make_list, messages_of
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


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
