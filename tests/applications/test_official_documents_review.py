"""Official documents after review: Chinese whatever the issuer's language (the issuer the number is unique
under never follows it), decisions dated by the portal's day, no file left by a failed issue, no link an
assigned expert cannot follow, a list's notice without the parks dropped from it, and the document list
read in a fixed number of queries."""

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
from django.utils import timezone, translation

from applications import services
from applications.document_models import DocumentKind, OfficialDocument
from applications.models import ReviewOpinion
from applications.official import document_spec
from applications.official.panel import documents_panel
from applications.services.documents import official_document_issue
from tests.applications.documents_helpers import (
    an_order,
    decided_evaluation,
    number,
    pdf_text,
    published_list,
    recommended,
    today,
)
from tests.applications.objection_helpers import notice_list
from tests.evaluation.factories import bare_evaluation
from tests.parks.factories import ParkFactory

pytestmark = pytest.mark.django_db


def _issue(by, kind, source, serial=12):
    return official_document_issue(by=by, kind=kind, source=source, number=number(serial), issued_on=today())


def _files() -> set[str]:
    root = os.path.join(settings.MEDIA_ROOT, "official")
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


def test_a_document_issued_in_english_is_chinese_and_its_number_is_still_the_authoritys(world):
    application = recommended(world.park_a)
    with translation.override("en"):
        document = _issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application)
    assert document.issuer == "南昌市发展和改革委员会"
    assert document.title.startswith("关于推荐") and "Opinion" not in document.title
    text = pdf_text(document)
    assert "南昌市发展和改革委员会" in text and "Development" not in text
    # The same authority, now in Chinese: the number it used in English is taken.
    with pytest.raises(ValidationError) as refused:
        _issue(world.reviewer_a, DocumentKind.RECOMMENDATION, recommended(world.park_a))
    assert list(refused.value.error_dict) == ["number"]


def _at_one_in_the_morning():
    return dt.datetime.combine(today(), dt.time(1), tzinfo=timezone.get_current_timezone())


def test_a_decision_taken_at_one_in_the_morning_is_dated_that_day(world):
    moment = _at_one_in_the_morning()  # the day before in UTC
    application = recommended(world.park_a)
    ReviewOpinion.objects.filter(application=application).update(created_at=moment)
    order = an_order(world.park_b)
    order.issued_at = moment
    order.save(update_fields=["issued_at"])
    evaluation = decided_evaluation(world.park_a)
    evaluation.decided_at = moment
    evaluation.save(update_fields=["decided_at"])
    construction_list = published_list(world, (ParkFactory(), ParkFactory()))
    construction_list.published_at = moment
    construction_list.save(update_fields=["published_at"])
    for kind, source in (
        (DocumentKind.RECOMMENDATION, application),
        (DocumentKind.RECTIFICATION, order),
        (DocumentKind.ACCEPTANCE, evaluation),
        (DocumentKind.LIST, construction_list),
    ):
        assert document_spec(kind).decided_on(source) == today(), kind


def test_a_failed_issue_leaves_no_file(world, monkeypatch):
    application = recommended(world.park_a)
    before = _files()

    def broken(**kwargs):
        raise RuntimeError("the notifications are down")

    monkeypatch.setattr("applications.services.documents.notification_send", broken)
    with pytest.raises(RuntimeError):
        _issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application)
    assert _files() == before
    assert not OfficialDocument.objects.exists()


def test_an_assigned_expert_is_shown_no_document_it_cannot_download(world, login):
    evaluation = bare_evaluation(world.park_a, experts=[world.expert])
    evaluation.status, evaluation.decision = "decided", "accepted"
    evaluation.decision_comment, evaluation.decided_at = "同意通过验收。", timezone.now()
    evaluation.save()
    document = _issue(world.province, DocumentKind.ACCEPTANCE, evaluation)
    assert documents_panel(world.province, evaluation, (DocumentKind.ACCEPTANCE,)).documents == [document]
    assert documents_panel(world.expert, evaluation, (DocumentKind.ACCEPTANCE,)).documents == []
    url = reverse("applications:document-download", args=[document.pk])
    assert login(world.expert).get(url).status_code == 404


def test_the_list_notice_leaves_out_the_park_dropped_from_the_public_notice(world):
    clist = notice_list(world, days=0)
    services.list_park_drop(
        by=world.province, construction_list=clist, park_id=world.park_b.pk, reason="异议属实"
    )
    with time_machine.travel(
        dt.datetime.combine(today(), dt.time(10), tzinfo=timezone.get_current_timezone())
    ):
        services.construction_list_transition(by=world.province, construction_list=clist, action="publish")
    clist.refresh_from_db()
    text = pdf_text(_issue(world.province, DocumentKind.LIST, clist))
    assert world.park_a.name in text and "南昌市" in text
    assert world.park_b.name not in text and "赣州" not in text


def _document_list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("api-document-list")).status_code == 200
    return len(queries)


def test_the_document_list_api_reads_in_queries_independent_of_the_rows(world, login):
    client = login(world.province)
    _issue(world.reviewer_a, DocumentKind.RECOMMENDATION, recommended(world.park_a), serial=1)
    one = _document_list_queries(client)
    for serial in range(2, 6):
        _issue(world.reviewer_a, DocumentKind.RECOMMENDATION, recommended(world.park_a), serial=serial)
    assert OfficialDocument.objects.count() == 5
    assert _document_list_queries(client) == one
