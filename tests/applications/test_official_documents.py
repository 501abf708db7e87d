"""Official documents: each kind's PDF says what the recorded decision says under the 文号 entered, in
Noto CJK; no document without its decision; the number is checked; a corrected number supersedes; the
timeline shows the issue with a download link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from applications.document_models import DocumentKind, OfficialDocument
from applications.models import ApplicationStatus
from applications.services.documents import document_number_clean, official_document_issue
from parks.selectors import province_current
from tests.applications.documents_helpers import (
    APPROVE_TEXT,
    CONDITIONS,
    DECISION_TEXT,
    RECOMMEND_TEXT,
    REQUIREMENTS,
    an_order,
    approved_with_conditions,
    decided_evaluation,
    number,
    pdf_text,
    published_list,
    recommended,
    today,
)
from tests.evaluation.factories import bare_evaluation
from tests.pdf import font_names
from zcpark.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def issue(by, kind, source, serial=12, **kwargs):
    return official_document_issue(
        by=by,
        kind=kind,
        source=source,
        number=kwargs.pop("no", number(serial)),
        issued_on=kwargs.pop("on", today()),
    )


def test_the_city_recommendation_states_its_opinion_under_the_number_in_noto_cjk(world):
    application = recommended(world.park_a)
    document = issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application, no=number(7, "洪发改"))
    assert document.number == number(7, "洪发改") and document.park == world.park_a
    assert document.issuer.startswith("南昌市") and document.city == world.nanchang
    text = pdf_text(document)
    for expected in (
        document.number,
        "南昌市",
        RECOMMEND_TEXT,
        world.park_a.name,
        province_current().authority,
    ):
        assert expected in text
    with document.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and document.page_count == 1
    fonts = font_names(pdf)
    assert fonts and all("Noto" in name and "CJK" in name for name in fonts), fonts


def test_the_approval_numbers_the_conditions_of_approval(world):
    application = approved_with_conditions(world.park_a)
    document = issue(world.province, DocumentKind.APPROVAL, application)
    text = pdf_text(document)
    assert document.issuer == province_current().authority == "江西省发展和改革委员会"
    for expected in (document.number, document.issuer, APPROVE_TEXT, *CONDITIONS, "南昌市"):
        assert expected in text
    assert text.index(CONDITIONS[0]) < text.index(CONDITIONS[1])


def test_the_list_notice_tables_its_parks_with_city_and_zone(world):
    construction_list = published_list(world)
    document = issue(world.province, DocumentKind.LIST, construction_list)
    assert document.park is None and document.city is None
    text = pdf_text(document)
    for expected in (document.number, construction_list.title, "南昌测试园", "南昌市", "南昌经济技术开发区"):
        assert expected in text
    for expected in ("赣州测试园", "赣州市", "赣州经济技术开发区"):
        assert expected in text


def test_the_rectification_notice_states_the_requirements_and_deadline(world, login):
    order = an_order(world.park_a)
    document = issue(world.province, DocumentKind.RECTIFICATION, order)
    text = pdf_text(document)
    assert REQUIREMENTS in text and document.number in text and str(order.deadline.year) in text
    assert AuditEvent.objects.for_object(order).filter(action="document_issued").exists()
    # The order's page lists it and its timeline links to it.
    page = login(world.staff_a).get(reverse("evaluation:order-detail", args=[order.pk])).content.decode()
    assert page.count(reverse("applications:document-download", args=[document.pk])) == 2


def test_the_acceptance_opinion_states_the_decision(world):
    evaluation = decided_evaluation(world.park_a)
    document = issue(world.province, DocumentKind.ACCEPTANCE, evaluation)
    assert DECISION_TEXT in pdf_text(document)


@pytest.mark.parametrize(
    "kind, make, message",
    [
        (
            DocumentKind.RECOMMENDATION,
            lambda w: recommended(w.park_a, ApplicationStatus.SUBMITTED),
            "not recommended",
        ),
        (DocumentKind.APPROVAL, lambda w: recommended(w.park_a), "not approved"),
        (DocumentKind.ACCEPTANCE, lambda w: bare_evaluation(w.park_a), "not decided"),
    ],
)
def test_no_document_without_its_decision(world, kind, make, message):
    source = make(world)
    by = world.reviewer_a if kind == DocumentKind.RECOMMENDATION else world.province
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        issue(by, kind, source)
    assert message in str(raised.value)
    assert not OfficialDocument.objects.exists()


def test_a_draft_list_has_no_notice(world):
    from tests.applications.calls_lists_helpers import make_list

    with translation.override("en"), pytest.raises(ValidationError, match="not published"):
        issue(world.province, DocumentKind.LIST, make_list("draft", by=world.province))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("", "Enter the document number"),
        ("赣发改环资〔2026〕" + "1" * 50 + "号", "At most 50 characters"),
        ("赣发改环资12号", "year in brackets"),
        ("赣发改环资〔2020〕12号", "is not the year of the issue date"),
    ],
)
def test_the_number_is_checked_with_a_message_naming_it(raw, expected):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        document_number_clean(raw, today())
    assert list(raised.value.error_dict) == ["number"]
    assert expected in str(raised.value)


def test_keyboard_brackets_are_written_as_the_standard_ones():
    year = today().year
    assert document_number_clean(f" 赣发改环资[{year}]12号 ", today()) == f"赣发改环资〔{year}〕12号"


def test_an_authority_uses_a_number_once_another_may_use_it_too(world):
    issue(world.province, DocumentKind.APPROVAL, approved_with_conditions(world.park_a))
    with translation.override("en"), pytest.raises(ValidationError, match="already issued") as raised:
        issue(world.province, DocumentKind.RECTIFICATION, an_order(world.park_b))
    assert list(raised.value.error_dict) == ["number"]
    # The city's own numbering is its own.
    assert issue(world.reviewer_a, DocumentKind.RECOMMENDATION, recommended(world.park_a)).number == number(
        12
    )


def test_the_issue_date_is_neither_future_nor_before_the_decision(world):
    application = recommended(world.park_a)
    with translation.override("en"), pytest.raises(ValidationError, match="future") as raised:
        issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application, on=today() + timedelta(days=1))
    assert list(raised.value.error_dict) == ["issued_on"]
    if today().month > 1 or today().day > 1:
        with pytest.raises(ValidationError):
            issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application, on=today() - timedelta(days=1))


def test_only_the_issuing_role_issues(world):
    application = approved_with_conditions(world.park_a)
    with pytest.raises(PermissionDenied):
        issue(world.reviewer_a, DocumentKind.APPROVAL, application)
    with pytest.raises(PermissionDenied):
        issue(world.reviewer_b, DocumentKind.RECOMMENDATION, application)
    with pytest.raises(PermissionDenied):
        issue(world.province, DocumentKind.RECOMMENDATION, application)


def test_a_corrected_number_supersedes_and_both_are_kept(world, login):
    application = approved_with_conditions(world.park_a)
    first = issue(world.province, DocumentKind.APPROVAL, application, serial=12)
    second = issue(world.province, DocumentKind.APPROVAL, application, serial=21)
    first.refresh_from_db()
    assert second.supersedes == first and first.superseded_by == second
    assert first.is_superseded and not second.is_superseded
    assert first.file.name != second.file.name and first.file.storage.exists(first.file.name)
    events = AuditEvent.objects.for_object(application).filter(action__startswith="document_")
    assert [e.action for e in events] == ["document_reissued", "document_issued"]
    with translation.override("en"):
        assert first.number in events[0].comment_text and second.number in events[0].comment_text
    page = login(world.staff_a).get(
        reverse("applications:application-detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert f"已被{second.number}替代" in html and "现行有效" in html


def test_the_timeline_shows_the_issue_with_a_download_link_and_the_park_is_told(world, login):
    application = recommended(world.park_a)
    document = issue(world.reviewer_a, DocumentKind.RECOMMENDATION, application)
    event = AuditEvent.objects.for_object(application).get(action="document_issued")
    assert document.number in event.comment_text and document.title in event.comment_text
    url = reverse("applications:document-download", args=[document.pk])
    assert event.link[0] == url
    page = login(world.staff_a).get(reverse("applications:application-detail", args=[application.pk]))
    assert page.content.decode().count(url) >= 2  # the documents section and the timeline
    assert Notification.objects.filter(recipient=world.staff_a, url__contains=str(application.pk)).exists()
    assert Notification.objects.filter(recipient=world.province).exists()
    assert not Notification.objects.filter(recipient=world.reviewer_a).exists()
