"""Clarification threads on an annual report and on a rectification order: pages and API by role and
scope, the state kept, the timeline as each reader reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from tests.evaluation.factories import listed_project
from zcpark.core.models import Notification, ThreadMessage
from zcpark.core.threads import thread_message_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(actors_a):
    return listed_project(actors_a)


@pytest.fixture
def order(world, project):
    return services.order_issue(
        by=world.province,
        project=project,
        title="整改通知",
        requirements="请整改。",
        deadline=timezone.localdate(),
    )


def test_a_question_on_an_order_keeps_it_issued_and_notifies_the_park(world, order):
    thread_message_post(by=world.province, target=order, visibility="shared", text="整改进度？")
    order.refresh_from_db()
    assert order.status == "issued"
    assert Notification.objects.filter(recipient=world.staff_a, body="整改进度？").exists()


PAGES = [
    ("staff_a", 200, True, False),
    ("reviewer_a", 200, True, True),
    ("province", 200, True, True),
    ("observer", 200, False, True),
    ("staff_b", 404, False, False),
    ("reviewer_b", 404, False, False),
    ("expert", 404, False, False),
]


@pytest.mark.parametrize(("who", "status", "form", "internal"), PAGES)
def test_the_order_page_shows_its_thread(world, login, order, who, status, form, internal):
    thread_message_post(by=world.reviewer_a, target=order, visibility="internal", text="内部意见")
    response = login(getattr(world, who)).get(reverse("evaluation:order-detail", args=[order.pk]))
    assert response.status_code == status
    body = response.content.decode()
    assert ('id="thread-form"' in body) is form
    assert ("内部意见" in body) is internal


@pytest.mark.parametrize(("who", "status", "form", "internal"), PAGES)
def test_the_annual_report_page_shows_its_thread(world, login, project, who, status, form, internal):
    report = project.annual_reports.order_by("year").first()
    thread_message_post(by=world.reviewer_a, target=report, visibility="internal", text="内部意见")
    url = reverse("evaluation:report-detail", args=[project.pk, report.year])
    response = login(getattr(world, who)).get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert ('id="thread-form"' in body) is form
    assert ("内部意见" in body) is internal


@pytest.mark.parametrize(
    ("who", "status"), [("staff_a", 302), ("reviewer_a", 302), ("observer", 403), ("staff_b", 404)]
)
def test_posting_on_an_annual_report_from_its_page(world, login, project, who, status):
    report = project.annual_reports.order_by("year").first()
    url = reverse("evaluation:report-thread", args=[project.pk, report.year])
    response = login(getattr(world, who)).post(url, {"text": "问题", "visibility": "shared"})
    assert response.status_code == status
    report.refresh_from_db()
    assert report.status == "due"
    assert ThreadMessage.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    ("who", "read", "post"),
    [("staff_a", 200, 201), ("reviewer_b", 404, 404), ("observer", 200, 403), ("expert", 404, 404)],
)
def test_the_order_thread_api(world, login, order, who, read, post):
    client = login(getattr(world, who))
    url = reverse("api-order-thread", args=[order.pk])
    assert client.get(url).status_code == read
    response = client.post(url, {"text": "回答"}, content_type="application/json")
    assert response.status_code == post


def test_the_report_thread_api_lists_the_park_only_the_shared_thread(world, login, project):
    report = project.annual_reports.order_by("year").first()
    thread_message_post(by=world.reviewer_a, target=report, visibility="internal", text="内部")
    thread_message_post(by=world.reviewer_a, target=report, visibility="shared", text="共享")
    url = reverse("api-report-thread", args=[project.pk, report.year])
    assert [m["text"] for m in login(world.staff_a).get(url).json()["results"]] == ["共享"]
    assert len(login(world.province).get(url).json()["results"]) == 2


def test_the_project_timeline_hides_internal_notes_from_the_park(world, login, order):
    thread_message_post(by=world.reviewer_a, target=order, visibility="internal", text="内部意见")
    url = reverse("api-project-timeline", args=[order.project_id])
    staff = [e["action"] for e in login(world.staff_a).get(url).json()["results"]]
    province = [e["action"] for e in login(world.province).get(url).json()["results"]]
    assert "thread_internal_posted" not in staff and "thread_internal_posted" in province
