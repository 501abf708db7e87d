"""The applications API's calls, construction lists and public lists, with the public lists' query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    ConstructionList,
    ConstructionListEntry,
    ListStatus,
)
from tests.applications.api_helpers import JSON, url
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.parks.factories import ParkFactory, ZoneFactory

# ---- calls ---------------------------------------------------------------------------------------


def test_call_list_hides_drafts_when_caller_is_not_the_province(world, login):
    open_call, draft = CallFactory(), CallFactory(draft=True)
    staff_ids = {c["id"] for c in login(world.staff_a).get(url("api-call-list")).json()["results"]}
    province_ids = {c["id"] for c in login(world.province).get(url("api-call-list")).json()["results"]}
    assert staff_ids == {open_call.pk}
    assert province_ids == {open_call.pk, draft.pk}


def test_call_create_answers_201_with_a_draft_when_province_creates(world, login):
    deadline = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = login(world.province).post(
        url("api-call-list"),
        {"title": "2026年第一批", "deadline": deadline, "quota_per_city": 2},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["quota_per_city"], response.json()["deadline"]) == (
        "draft", 2, deadline
    )  # fmt: skip


def test_call_transitions_open_then_close_when_province_acts(world, login):
    call = CallFactory(draft=True)
    client = login(world.province)
    opened = client.post(url("api-call-transitions", call.pk), {"action": "open"}, content_type=JSON)
    closed = client.post(url("api-call-transitions", call.pk), {"action": "close"}, content_type=JSON)
    again = client.post(url("api-call-transitions", call.pk), {"action": "close"}, content_type=JSON)
    assert (opened.json()["status"], closed.json()["status"]) == ("open", "closed")
    assert again.status_code == 400


# ---- construction lists and the public lists -----------------------------------------------------


def approved(world, park=None) -> Application:
    return ApplicationFactory(park=park or world.park_a, status=ApplicationStatus.APPROVED)


def test_construction_list_create_answers_201_with_a_draft_of_approved_applications(world, login):
    application = approved(world)
    response = login(world.province).post(
        url("api-construction-list-list"),
        {"title": "第一批建设名单", "document_no": "赣发改环资〔2026〕1号", "applications": [application.pk]},
        content_type=JSON,
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    assert [(e["park"], e["application"], e["city"]) for e in body["entries"]] == [
        (world.park_a.pk, application.pk, "360100")
    ]


def test_construction_list_create_answers_400_when_an_application_is_not_approved(world, login):
    draft = ApplicationFactory(park=world.park_a)
    response = login(world.province).post(
        url("api-construction-list-list"), {"title": "名单", "applications": [draft.pk]}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"]["applications"]


def test_construction_list_publish_answers_400_before_the_objection_deadline(world, login):
    construction_list = services.construction_list_create(
        by=world.province, title="名单", application_ids=[approved(world).pk]
    )
    client, target = login(world.province), url("api-construction-list-transitions", construction_list.pk)
    deadline = timezone.localdate() + dt.timedelta(days=7)
    noticed = client.post(
        target, {"action": "notice", "objection_deadline": deadline.isoformat()}, content_type=JSON
    )
    early = client.post(target, {"action": "publish"}, content_type=JSON)
    assert (noticed.status_code, noticed.json()["status"]) == (200, "public_notice")
    assert early.status_code == 400
    assert "objection_deadline" in early.json()["errors"]


def test_construction_list_publish_lists_the_applications_from_the_deadline_on(world, login):
    application = approved(world)
    construction_list = services.construction_list_create(
        by=world.province, title="名单", application_ids=[application.pk]
    )
    deadline = timezone.localdate() + dt.timedelta(days=7)
    services.construction_list_transition(
        by=world.province, construction_list=construction_list, action="notice", objection_deadline=deadline
    )
    with time_machine.travel(
        dt.datetime.combine(deadline, dt.time(10), tzinfo=timezone.get_current_timezone())
    ):
        response = login(world.province).post(
            url("api-construction-list-transitions", construction_list.pk),
            {"action": "publish"},
            content_type=JSON,
        )
    assert (response.status_code, response.json()["status"]) == (200, "published")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.LISTED


def test_construction_list_list_shows_drafts_only_to_province_and_observer(world, login):
    draft = services.construction_list_create(
        by=world.province, title="草稿", application_ids=[approved(world).pk]
    )

    def ids(user):
        return {item["id"] for item in login(user).get(url("api-construction-list-list")).json()["results"]}

    assert ids(world.province) == ids(world.observer) == {draft.pk}
    assert ids(world.staff_a) == set()


def published_list(world, parks, *, title="第一批建设名单") -> ConstructionList:
    """A published list of ``parks`` written directly (its services are tested elsewhere)."""
    construction_list = ConstructionList.objects.create(
        title=title,
        status=ListStatus.PUBLISHED,
        objection_deadline=timezone.localdate(),
        published_at=timezone.now(),
    )
    for park in parks:
        application = ApplicationFactory(park=park, status=ApplicationStatus.LISTED)
        ConstructionListEntry.objects.create(
            construction_list=construction_list, application=application, park=park
        )
    return construction_list


def test_public_lists_show_parks_and_removals_to_anonymous_callers(world):
    construction_list = published_list(world, [world.park_a, world.park_b])
    construction_list.entries.filter(park=world.park_b).update(
        removed_on=dt.date(2027, 3, 1), removal_reason="连续两年未完成目标", removed_in_version=2
    )
    response = Client().get(url("api-public-lists"))
    assert response.status_code == 200
    (item,) = response.json()["results"]
    entries = {e["park_name"]: e for e in item["entries"]}
    assert entries["南昌测试园"]["removed_on"] is None
    assert (entries["赣州测试园"]["removed_on"], entries["赣州测试园"]["removal_reason"]) == (
        "2027-03-01", "连续两年未完成目标"
    )  # fmt: skip
    assert "application" not in entries["南昌测试园"]


def test_public_lists_leave_out_lists_not_yet_published(world):
    services.construction_list_create(by=world.province, title="草稿", application_ids=[approved(world).pk])
    assert Client().get(url("api-public-lists")).json()["results"] == []


# ---- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 4])
def test_public_lists_query_count_is_constant(world, django_assert_num_queries, extra):
    for index in range(1 + extra):
        published_list(
            world,
            [
                ParkFactory(zone=ZoneFactory(city=world.nanchang)),
                ParkFactory(zone=ZoneFactory(city=world.ganzhou)),
            ],
            title=f"第{index}批",
        )
    client = Client()
    # count, page of published lists, their entries (park, zone and city joined)
    with django_assert_num_queries(3):
        response = client.get(url("api-public-lists"))
    assert response.json()["count"] == 1 + extra
