"""公示 objections after review: an evidence file is written only for a recorded objection, publishing
answers the objections to dropped parks with the drop's reason, and the objection list API reads in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import ListObjection, ObjectionStatus
from applications.selectors.objections import objections_open_on_notice
from tests.applications.factories import pdf_file
from tests.applications.objection_helpers import notice_list, objection_to
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _files() -> set[str]:
    return {os.path.join(d, f) for d, _dirs, files in os.walk(settings.MEDIA_ROOT) for f in files}


def test_an_objection_refused_writes_no_evidence_file(world):
    clist = notice_list(world)
    before = _files()
    with pytest.raises(ValidationError) as refused:
        objection_to(
            world,
            clist,
            world.park_a,
            raised_by="某" * 300,  # longer than the column: refused by the model's own check
            evidence=pdf_file("证据.pdf"),
            evidence_name="证据.pdf",
        )
    assert "raised_by" in refused.value.error_dict
    assert _files() == before and not ListObjection.objects.exists()


def test_an_objection_whose_recording_fails_later_leaves_no_evidence_file(world, monkeypatch):
    clist = notice_list(world)
    before = _files()

    def broken(**kwargs):
        raise RuntimeError("the notifications are down")

    monkeypatch.setattr("applications.services.objections.notification_send", broken)
    with pytest.raises(RuntimeError):
        objection_to(world, clist, world.park_a, evidence=pdf_file("证据.pdf"), evidence_name="证据.pdf")
    assert _files() == before


def test_publishing_answers_the_objections_to_a_dropped_park_with_the_reason(world):
    clist = notice_list(world, days=0)
    objection = objection_to(world, clist, world.park_b)
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_b.pk, reason="异议属实"
    )
    assert list(objections_open_on_notice()) == [objection]  # still the province's to-do on notice
    moment = dt.datetime.combine(timezone.localdate(), dt.time(10), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(moment):
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ANSWERED and objection.answered_at is not None
    assert "异议属实" in objection.answer
    event = AuditEvent.objects.for_object(objection).get(action="objection_answer")
    assert (event.from_state, event.to_state) == (ObjectionStatus.OPEN, ObjectionStatus.ANSWERED)
    assert not ListObjection.objects.filter(status=ObjectionStatus.OPEN).exists()


def _objection_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api-objection-list")).status_code == 200
    return len(queries)


def test_the_objection_list_api_reads_in_queries_independent_of_the_rows(world, login):
    clist = notice_list(world)
    client = login(world.province)
    objection_to(world, clist, world.park_a, evidence=pdf_file("证据.pdf"), evidence_name="证据.pdf")
    one = _objection_list_queries(client)
    for park in (world.park_a, world.park_b, world.park_b, world.park_a):
        objection_to(world, clist, park, evidence=pdf_file("证据.pdf"), evidence_name="证据.pdf")
    assert ListObjection.objects.count() == 5
    assert _objection_list_queries(client) == one
