"""The notification list, opening a notification, marking all read, and the header bell."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zcpark.core.models import Notification
from zcpark.core.services import notification_send


def _notify(user, title="新的申报待审", url="/home/"):
    (note,) = notification_send(recipients=[user], title=title, url=url)
    return note


def test_notification_list_shows_only_the_users_own_when_others_have_some(world, login):
    mine = _notify(world.reviewer_a, title="南昌的通知")
    _notify(world.reviewer_b, title="赣州的通知")
    response = login(world.reviewer_a).get(reverse("portal:notifications"))
    assert list(response.context["page"].object_list) == [mine]
    assert "赣州的通知" not in response.content.decode()


def test_notification_open_marks_read_and_follows_the_link(world, login):
    note = _notify(world.staff_a, url=reverse("portal:home"))
    response = login(world.staff_a).post(reverse("portal:notification-open", args=[note.pk]))
    assert (response.status_code, response.url) == (302, reverse("portal:home"))
    note.refresh_from_db()
    assert note.read_at is not None


def test_notification_open_stays_on_the_list_when_the_link_is_external(world, login):
    note = _notify(world.staff_a, url="https://evil.example/phish")
    response = login(world.staff_a).post(reverse("portal:notification-open", args=[note.pk]))
    assert response.url == reverse("portal:notifications")


def test_notification_open_is_404_when_the_notification_is_someone_elses(world, login):
    note = _notify(world.staff_b)
    response = login(world.staff_a).post(reverse("portal:notification-open", args=[note.pk]))
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notification_open_refuses_get_when_it_would_change_state(world, login):
    note = _notify(world.staff_a)
    assert login(world.staff_a).get(reverse("portal:notification-open", args=[note.pk])).status_code == 405


def test_notifications_read_all_marks_only_the_users_own(world, login):
    for _ in range(3):
        _notify(world.province)
    other = _notify(world.observer)
    response = login(world.province).post(reverse("portal:notifications-read-all"))
    assert response.url == reverse("portal:notifications")
    assert not Notification.objects.filter(recipient=world.province).unread().exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_header_bell_counts_unread_notifications_when_signed_in(world, login):
    _notify(world.reviewer_a)
    _notify(world.reviewer_a)
    Notification.objects.filter(pk=_notify(world.reviewer_a).pk).update(read_at="2026-01-01T00:00:00Z")
    html = login(world.reviewer_a).get(reverse("portal:home")).content.decode()
    assert 'id="notification-bell"' in html
    assert 'data-unread="2"' in html


def test_header_bell_is_absent_when_anonymous(db, client):
    html = client.get(reverse("applications:public-lists")).content.decode()
    assert 'id="notification-bell"' not in html


def test_notifications_need_sign_in(db, client):
    response = client.get(reverse("portal:notifications"))
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("extra", [0, 4])
def test_notification_list_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        _notify(world.staff_a)
    client = login(world.staff_a)
    # session, user, count, page of notifications, unread notifications (header)
    with django_assert_num_queries(5):
        response = client.get(reverse("portal:notifications"))
    assert len(response.context["page"].object_list) == 1 + extra
