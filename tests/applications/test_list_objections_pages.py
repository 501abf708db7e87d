"""公示 objection pages: the province's list page, recording, answering and dropping, the scope matrix of
the objection pages, the application page, the home to-do and the public notice period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import ApplicationStatus, ListDrop, ListObjection, ObjectionStatus
from tests.applications.calls_lists_helpers import messages_of
from tests.applications.factories import pdf_file
from tests.applications.objection_helpers import notice_list, objection_to

pytestmark = pytest.mark.django_db


def test_the_province_list_page_shows_objections_the_open_count_and_drop_forms(world, login):
    clist = notice_list(world)
    objection_to(world, clist, world.park_a, raised_by="某村委会")
    response = login(world.province).get(reverse("applications:list-detail", args=[clist.pk]))
    assert response.context["objections_open"] == 1
    html = response.content.decode()
    assert 'id="objections-open"' in html and "某村委会" in html
    assert html.count('class="d-flex gap-1 align-items-start drop-form"') == 2
    assert "data-confirm-dialog" in html
    assert reverse("applications:objection-record", args=[clist.pk]) in html


def test_an_observer_reads_the_list_page_without_the_province_forms(world, login):
    clist = notice_list(world)
    objection_to(world, clist, world.park_a)
    html = login(world.observer).get(reverse("applications:list-detail", args=[clist.pk])).content.decode()
    assert 'id="objection-table"' in html
    assert "drop-form" not in html and 'id="objection-new"' not in html


def test_recording_from_the_page_keeps_the_evidence_and_shows_the_objection(world, login):
    clist = notice_list(world)
    client = login(world.province)
    response = client.post(
        reverse("applications:objection-record", args=[clist.pk]),
        {
            "park": world.park_b.pk,
            "raised_by": "赣州某企业",
            "contact": "13800000000",
            "received_on": timezone.localdate().isoformat(),
            "text": "该园区未如实填报能耗数据。",
            "evidence": pdf_file("证据.pdf"),
        },
    )
    objection = ListObjection.objects.get()
    assert response.url == reverse("applications:objection-detail", args=[objection.pk])
    assert (objection.park, objection.evidence_name) == (world.park_b, "证据.pdf")
    download = client.get(reverse("applications:objection-evidence", args=[objection.pk]))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"


def test_recording_from_the_page_shows_the_field_error_and_saves_nothing(world, login):
    clist = notice_list(world)
    response = login(world.province).post(
        reverse("applications:objection-record", args=[clist.pk]),
        {
            "park": world.park_a.pk,
            "raised_by": "甲",
            "received_on": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "text": "异议",
        },
    )
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert not ListObjection.objects.exists()


def test_answering_and_dropping_from_the_pages(world, login):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    client = login(world.province)
    detail = client.get(reverse("applications:objection-detail", args=[objection.pk]))
    assert 'id="answer-form"' in detail.content.decode()
    client.post(reverse("applications:objection-answer", args=[objection.pk]), {"answer": "异议属实。"})
    objection.refresh_from_db()
    assert (objection.status, objection.answer) == (ObjectionStatus.ANSWERED, "异议属实。")
    again = client.post(
        reverse("applications:objection-answer", args=[objection.pk]), {"answer": "再改"}, follow=True
    )
    assert messages_of(again)[-1][0] == message_levels.ERROR
    objection.refresh_from_db()
    assert objection.answer == "异议属实。"
    response = client.post(
        reverse("applications:list-park-drop", args=[clist.pk]),
        {"park": world.park_a.pk, "reason": "异议属实"},
    )
    assert response.url == reverse("applications:list-detail", args=[clist.pk])
    assert ListDrop.objects.get().reason == "异议属实"
    page = client.get(response.url).content.decode()
    assert 'id="list-drops"' in page and "异议属实" in page


# ---- scope matrix --------------------------------------------------------------------------------

# who: (objection page, evidence download, the province's actions)
MATRIX = {
    "province": (200, 200, "allowed"),
    "observer": (200, 200, 403),
    "reviewer_a": (200, 403, 403),
    "reviewer_b": (404, 404, 403),
    "staff_a": (200, 403, 403),
    "staff_b": (404, 404, 403),
    "expert": (404, 404, 403),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_objection_pages_follow_the_role_and_scope_matrix(world, login, who):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a, evidence=pdf_file(), evidence_name="e.pdf")
    page, evidence, act = MATRIX[who]
    client = login(getattr(world, who))
    assert client.get(reverse("applications:objection-detail", args=[objection.pk])).status_code == page
    assert client.get(reverse("applications:objection-evidence", args=[objection.pk])).status_code == evidence
    if act == "allowed":
        return
    posts = [
        (reverse("applications:objection-record", args=[clist.pk]), {"park": world.park_a.pk}),
        (reverse("applications:objection-answer", args=[objection.pk]), {"answer": "答复"}),
        (reverse("applications:list-park-drop", args=[clist.pk]), {"park": world.park_a.pk, "reason": "x"}),
    ]
    for url, data in posts:
        status = client.post(url, data).status_code
        # the answer page is 404 outside the reader's scope before it is 403
        assert status in ((act, 404) if "answer" in url and page == 404 else (act,)), (url, status)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN and clist.entries.count() == 2


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    objection = objection_to(world, notice_list(world), world.park_a)
    response = Client().get(reverse("applications:objection-detail", args=[objection.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_park_reads_the_objection_without_the_objectors_details(world, login):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a, raised_by="张三", contact="13900000000")
    html = (
        login(world.staff_a)
        .get(reverse("applications:objection-detail", args=[objection.pk]))
        .content.decode()
    )
    assert "园区四至范围与实际不符。" in html
    assert "张三" not in html and "13900000000" not in html
    assert 'id="answer-form"' not in html


def test_the_application_page_shows_the_objection_and_the_drop_to_the_park_and_its_city(world, login):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    application = clist.entries.get(park=world.park_a).application
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="暂缓列入"
    )
    for user in (world.staff_a, world.reviewer_a, world.province):
        html = (
            login(user)
            .get(reverse("applications:application-detail", args=[application.pk]))
            .content.decode()
        )
        assert 'id="notice-objections"' in html and "暂缓列入" in html
        assert reverse("applications:objection-detail", args=[objection.pk]) in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


# ---- home to-do and the public page -------------------------------------------------------------


def test_the_province_home_lists_unanswered_objections(world, login):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    html = login(world.province).get(reverse("portal:home")).content.decode()
    assert 'id="todo-objections"' in html and f'data-objection="{objection.pk}"' in html
    services.objection_answer(by=world.province, objection=objection, answer="已核实")
    html = login(world.province).get(reverse("portal:home")).content.decode()
    assert 'id="todo-objections"' not in html


def test_the_public_page_shows_the_notice_period_and_leaves_out_dropped_parks(world):
    clist = notice_list(world)
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="异议属实"
    )
    start, end = timezone.localdate(clist.noticed_at), clist.objection_deadline
    for url in (
        reverse("applications:public-lists"),
        reverse("applications:public-list-detail", args=[clist.pk]),
    ):
        html = Client().get(url).content.decode()
        assert f"{start:%Y-%m-%d}" in html and f"{end:%Y-%m-%d}" in html
        assert world.park_b.name in html and world.park_a.name not in html
        assert "异议属实" not in html


def test_the_publish_button_waits_for_the_answers_to_parks_still_on_the_list(world, login):
    clist = notice_list(world, days=0)
    objection_to(world, clist, world.park_a)
    client = login(world.province)
    page = client.get(reverse("applications:list-detail", args=[clist.pk]))
    assert page.context["objections_blocking"] and 'disabled id="list-publish"' in page.content.decode()
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_a.pk, reason="撤出"
    )
    page = client.get(reverse("applications:list-detail", args=[clist.pk]))
    assert (
        not page.context["objections_blocking"] and 'disabled id="list-publish"' not in page.content.decode()
    )
