"""Clarification threads on a dossier section: who reads and writes what (role × scope, pages and API),
what a message leaves (notices, timeline) and what it never does (move the dossier)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from applications import exports
from applications.models import ApplicationStatus, SectionCode
from tests.applications.factories import ApplicationFactory
from zcpark.core.events import events_for_reader
from zcpark.core.models import AuditEvent, Notification, ThreadMessage
from zcpark.core.threads import TEXT_MAX_CHARS, thread_message_post, threads_awaiting

pytestmark = pytest.mark.django_db

CODE = SectionCode.TARGETS


@pytest.fixture
def submitted(world):
    return ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)


def _post(world, application, who, visibility="shared", text="请说明目标依据。"):
    return thread_message_post(
        by=getattr(world, who), target=application, anchor=CODE, visibility=visibility, text=text
    )


def test_a_question_leaves_the_dossier_submitted_and_notifies_the_park(world, submitted):
    _post(world, submitted, "reviewer_a")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert Notification.objects.filter(recipient=world.staff_a).count() == 1
    assert not Notification.objects.filter(recipient=world.staff_b).exists()
    event = AuditEvent.objects.for_object(submitted).get(action="thread_shared_posted")
    with translation.override("en"):
        assert event.action_label == "Clarification message (shared with the park)"
        assert event.changes_list == [("About", "", "Construction targets")]


def test_the_parks_answer_notifies_its_city_and_the_province_not_the_other_city(world, submitted):
    _post(world, submitted, "staff_a", text="依据规划。")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"reviewer_a", "province"}


def test_an_internal_note_notifies_the_other_reviewers_only(world, submitted):
    _post(world, submitted, "reviewer_a", visibility="internal", text="目标偏低。")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"province"}


@pytest.mark.parametrize(
    ("who", "visibility", "allowed"),
    [
        ("staff_a", "shared", True),
        ("staff_a", "internal", False),
        ("reviewer_a", "internal", True),
        ("province", "shared", True),
        ("observer", "shared", False),
        ("staff_b", "shared", False),
        ("reviewer_b", "shared", False),
        ("expert", "shared", False),
    ],
)
def test_who_may_post(world, submitted, who, visibility, allowed):
    if allowed:
        assert _post(world, submitted, who, visibility=visibility).pk
    else:
        with pytest.raises(PermissionDenied):
            _post(world, submitted, who, visibility=visibility)


def test_an_empty_message_names_the_field_and_saves_nothing(world, submitted):
    with pytest.raises(ValidationError) as caught:
        _post(world, submitted, "reviewer_a", text="  ")
    assert "text" in caught.value.message_dict
    assert (
        not ThreadMessage.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="thread").exists()
    )


# ---- pages -----------------------------------------------------------------------------------------

# who: status of the section page, sees the shared message, sees the internal note, may post
PAGE_MATRIX = [
    ("staff_a", 200, True, False, True),
    ("reviewer_a", 200, True, True, True),
    ("province", 200, True, True, True),
    ("observer", 200, True, True, False),
    ("staff_b", 404, False, False, False),
    ("reviewer_b", 404, False, False, False),
    ("expert", 404, False, False, False),
]


@pytest.mark.parametrize(("who", "status", "shared", "internal", "form"), PAGE_MATRIX)
def test_the_section_page_shows_the_threads_by_role_and_scope(
    world, login, submitted, who, status, shared, internal, form
):
    _post(world, submitted, "reviewer_a", text="共享问题")
    _post(world, submitted, "province", visibility="internal", text="内部意见")
    response = login(getattr(world, who)).get(reverse("applications:section-edit", args=[submitted.pk, CODE]))
    assert response.status_code == status
    body = response.content.decode()
    assert ("共享问题" in body) is shared
    assert ("内部意见" in body) is internal
    assert ('id="thread-form"' in body) is form


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff_a", 302), ("reviewer_a", 302), ("observer", 403), ("staff_b", 404), ("expert", 404)],
)
def test_posting_from_the_page(world, login, submitted, who, status):
    url = reverse("applications:section-thread", args=[submitted.pk, CODE])
    response = login(getattr(world, who)).post(url, {"text": "问题", "visibility": "shared"})
    assert response.status_code == status
    assert ThreadMessage.objects.count() == (1 if status == 302 else 0)


def test_the_park_cannot_post_an_internal_note_from_the_page(world, login, submitted):
    url = reverse("applications:section-thread", args=[submitted.pk, CODE])
    login(world.staff_a).post(url, {"text": "问题", "visibility": "internal"})
    assert ThreadMessage.objects.get().visibility == "shared"


def test_an_over_long_message_from_the_page_names_the_field_and_saves_nothing(world, login, submitted):
    client = login(world.reviewer_a)
    client.cookies["django_language"] = "en"
    url = reverse("applications:section-thread", args=[submitted.pk, CODE])
    response = client.post(url, {"text": "问" * (TEXT_MAX_CHARS + 1), "visibility": "shared"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any(line.startswith("Message: ") and str(TEXT_MAX_CHARS) in line for line in shown), shown
    assert not ThreadMessage.objects.exists() and not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="thread").exists()


def test_an_unknown_visibility_from_the_page_names_the_field(world, login, submitted):
    client = login(world.reviewer_a)
    client.cookies["django_language"] = "en"
    url = reverse("applications:section-thread", args=[submitted.pk, CODE])
    response = client.post(url, {"text": "问题", "visibility": "everyone"}, follow=True)
    assert any(str(m).startswith("Who reads it: ") for m in response.context["messages"])
    assert not ThreadMessage.objects.exists()


def test_an_observer_posting_an_empty_message_is_refused_first(world, login, submitted):
    url = reverse("applications:section-thread", args=[submitted.pk, CODE])
    assert login(world.observer).post(url, {"text": ""}).status_code == 403


def test_the_exported_timeline_has_no_internal_note(world, submitted):
    _post(world, submitted, "reviewer_a", text="共享问题")
    _post(world, submitted, "province", visibility="internal", text="内部意见")
    comments = [row["comment"] for row in exports.timeline_rows(submitted)]
    assert "共享问题" in comments and "内部意见" not in comments


def test_a_limited_timeline_counts_the_events_its_reader_reads(world, submitted):
    _post(world, submitted, "reviewer_a", text="共享问题")
    _post(world, submitted, "province", visibility="internal", text="内部意见")
    events = AuditEvent.objects.for_object(submitted).order_by("-created_at", "-id")
    assert [e.comment for e in events_for_reader(events, internal=False, names=True, limit=1)] == ["共享问题"]
    assert [e.comment for e in events_for_reader(events, internal=True, names=True, limit=1)] == ["内部意见"]


def test_the_parks_timeline_has_no_internal_note(world, login, submitted):
    _post(world, submitted, "province", visibility="internal", text="内部意见")
    detail = reverse("applications:application-detail", args=[submitted.pk])
    assert "内部意见" not in login(world.staff_a).get(detail).content.decode()
    assert "内部意见" in login(world.reviewer_a).get(detail).content.decode()
    api = reverse("api-application-events", args=[submitted.pk])
    actions = [e["action"] for e in login(world.staff_a).get(api).json()["results"]]
    assert "thread_internal_posted" not in actions


def test_a_question_waits_on_the_parks_home_until_it_answers(world, login, submitted):
    _post(world, submitted, "reviewer_a", text="请补充。")
    assert [m.text for m in threads_awaiting(user=world.staff_a)] == ["请补充。"]
    assert threads_awaiting(user=world.staff_b) == []
    assert 'id="home-questions"' in login(world.staff_a).get(reverse("portal:home")).content.decode()
    _post(world, submitted, "staff_a", text="已补充。")
    assert threads_awaiting(user=world.staff_a) == []
    assert [m.text for m in threads_awaiting(user=world.reviewer_a)] == ["已补充。"]
    assert threads_awaiting(user=world.reviewer_b) == []


# ---- API -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "read", "count", "post"),
    [
        ("staff_a", 200, 1, 201),
        ("reviewer_a", 200, 2, 201),
        ("observer", 200, 2, 403),
        ("staff_b", 404, None, 404),
        ("reviewer_b", 404, None, 404),
        ("expert", 404, None, 404),
    ],
)
def test_the_api_reads_and_posts_by_role_and_scope(world, login, submitted, who, read, count, post):
    _post(world, submitted, "reviewer_a", text="共享问题")
    _post(world, submitted, "province", visibility="internal", text="内部意见")
    client = login(getattr(world, who))
    url = reverse("api-section-thread", args=[submitted.pk, CODE])
    response = client.get(url)
    assert response.status_code == read
    if count is not None:
        assert response.json()["count"] == count
    response = client.post(url, {"text": "回答", "visibility": "shared"}, content_type="application/json")
    assert response.status_code == post
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_the_api_refuses_an_over_long_message_on_its_field(world, login, submitted):
    url = reverse("api-section-thread", args=[submitted.pk, CODE])
    response = login(world.reviewer_a).post(
        url, {"text": "问" * (TEXT_MAX_CHARS + 1), "visibility": "shared"}, content_type="application/json"
    )
    assert response.status_code == 400 and "text" in response.json()["errors"]
    assert not ThreadMessage.objects.exists()


def test_the_api_refuses_an_internal_message_from_the_park(world, login, submitted):
    url = reverse("api-section-thread", args=[submitted.pk, CODE])
    response = login(world.staff_a).post(
        url, {"text": "回答", "visibility": "internal"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("extra", [0, 4])
def test_the_thread_api_query_count_is_constant(world, login, submitted, django_assert_num_queries, extra):
    for n in range(1 + extra):
        _post(world, submitted, "reviewer_a" if n % 2 else "staff_a", text=f"消息{n}")
    client = login(world.reviewer_a)
    url = reverse("api-section-thread", args=[submitted.pk, CODE])
    client.get(url)  # warm the content-type cache
    # session, user, the application (places joined), count, the page of messages (authors joined)
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == 1 + extra
