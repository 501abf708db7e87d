"""The province's call pages: create, edit, open and close, application counts, detail, query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationStatus, Call, CallStatus
from tests.applications.calls_lists_helpers import messages_of
from tests.applications.factories import ApplicationFactory, CallFactory
from tests.parks.factories import ParkFactory, ZoneFactory

pytestmark = pytest.mark.django_db


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
