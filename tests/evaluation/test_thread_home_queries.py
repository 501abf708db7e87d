"""The home page's questions waiting for an answer read in a constant number of queries, whatever their
number and the kinds of object they are on (a dossier section, a rectification order)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, SectionCode
from evaluation import services
from tests.evaluation.factories import listed_project
from zcpark.core.threads import thread_message_post

pytestmark = pytest.mark.django_db

SECTIONS = list(SectionCode.values)[:5]


def _home_queries(client) -> tuple[int, str]:
    url = reverse("portal:home")
    client.get(url)  # warm the content-type cache
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    return len(queries), body


@pytest.mark.parametrize(("author", "reader"), [("reviewer_a", "staff_a"), ("staff_a", "province")])
def test_the_home_questions_query_count_is_constant(world, login, actors_a, author, reader):
    project = listed_project(actors_a)
    application = Application.objects.get(park=world.park_a)
    orders = [
        services.order_issue(
            by=world.province,
            project=project,
            title=f"整改通知{n}",
            requirements="请整改。",
            deadline=timezone.localdate(),
        )
        for n in range(5)
    ]
    by = getattr(world, author)
    client = login(getattr(world, reader))

    def ask(n: int) -> None:
        thread_message_post(by=by, target=application, anchor=SECTIONS[n], visibility="shared", text=f"问{n}")
        thread_message_post(by=by, target=orders[n], visibility="shared", text=f"单{n}")

    ask(0)
    one, body = _home_queries(client)
    assert body.count("data-message=") == 2 and world.park_a.name in body
    for n in range(1, 5):
        ask(n)
    five, body = _home_queries(client)
    assert body.count("data-message=") == 10 and "整改通知4" in body
    assert five == one
