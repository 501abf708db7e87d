"""Official documents: the role × scope matrix on the pages and the API.

The city issues the 推荐意见 of its own parks; the province the 批复, 整改通知书, 验收意见 and the list's
notice. A document about a park is read by whoever sees the park; the published list's notice by anyone,
on the public list page too. Outside the scope: 404; inside it, not the issuer: 403.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications.document_models import DocumentKind, OfficialDocument
from applications.services.documents import official_document_issue
from tests.applications.documents_helpers import (
    an_order,
    approved_with_conditions,
    decided_evaluation,
    number,
    published_list,
    recommended,
    today,
)
from tests.parks.factories import ParkFactory, UserFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]
# Status of the issue page for each caller, on park_a's decision (the list: no park).
PARK_DOCUMENT_ISSUERS = {
    "province": (302, 200, 403, 403, 404, 403, 404, 404),
    "city": (302, 403, 403, 200, 404, 403, 404, 404),
}
LIST_ISSUE = (302, 200, 403, 403, 403, 403, 403, 403)
READ_PARK_DOCUMENT = (302, 200, 200, 200, 404, 200, 404, 404)
API_ISSUE = {
    "province": (401, 201, 403, 403, 404, 403, 404, 404),
    "city": (401, 403, 403, 201, 404, 403, 404, 404),
    "list": (401, 201, 403, 403, 403, 403, 403, 403),
}


@pytest.fixture
def callers(world, login) -> dict[str, Client]:
    users = {**world.users(), "anonymous": None}
    return {who: login(users[who]) for who in WHO}


def _sources(world):
    """A decision of each kind about park_a (the list: two other parks, so park_a has one project)."""
    evaluation = decided_evaluation(world.park_a)
    others = (ParkFactory(zone=world.park_a.zone, scope="park_in_park", boundary_text="四至"), ParkFactory())
    return {
        DocumentKind.RECOMMENDATION: (recommended(world.park_a), "city"),
        DocumentKind.APPROVAL: (approved_with_conditions(world.park_a), "province"),
        DocumentKind.RECTIFICATION: (an_order(project=evaluation.project), "province"),
        DocumentKind.ACCEPTANCE: (evaluation, "province"),
        DocumentKind.LIST: (published_list(world, others), "list"),
    }


def test_the_issue_page_answers_by_role_and_scope(world, callers):
    for kind, (source, issuer) in _sources(world).items():
        expected = LIST_ISSUE if issuer == "list" else PARK_DOCUMENT_ISSUERS[issuer]
        url = reverse("applications:document-issue", args=[kind, source.pk])
        got = tuple(callers[who].get(url).status_code for who in WHO)
        assert got == expected, kind
        posted = tuple(
            callers[who].post(url, {"number": number(5), "issued_on": today().isoformat()}).status_code
            for who in WHO
            if expected[WHO.index(who)] != 200
        )
        assert posted == tuple(code for code in expected if code != 200), kind
    assert not OfficialDocument.objects.exists()


def test_the_issuer_issues_from_the_page_and_a_wrong_number_is_named(world, callers):
    application = recommended(world.park_a)
    url = reverse("applications:document-issue", args=[DocumentKind.RECOMMENDATION, application.pk])
    client = callers["reviewer_a"]
    wrong = client.post(
        url, {"number": "洪发改12号", "issued_on": today().isoformat()}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        wrong.status_code == 400 and "年份" in wrong.content.decode()
    )  # the message on the 文号 field names the year in brackets
    assert not OfficialDocument.objects.exists()
    response = client.post(url, {"number": number(9, "洪发改"), "issued_on": today().isoformat()})
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("applications:application-detail", args=[application.pk]) + "#documents"
    )
    assert OfficialDocument.objects.get().number == number(9, "洪发改")


def test_the_issue_form_shows_on_the_decision_pages_only_to_the_issuer(world, callers):
    sources = _sources(world)
    pages = {
        DocumentKind.RECOMMENDATION: reverse(
            "applications:application-detail", args=[sources["recommendation"][0].pk]
        ),
        DocumentKind.APPROVAL: reverse("applications:application-detail", args=[sources["approval"][0].pk]),
        DocumentKind.RECTIFICATION: reverse("evaluation:order-detail", args=[sources["rectification"][0].pk]),
        DocumentKind.ACCEPTANCE: reverse("evaluation:evaluation-detail", args=[sources["acceptance"][0].pk]),
        DocumentKind.LIST: reverse("applications:list-detail", args=[sources["list"][0].pk]),
    }
    for kind, page in pages.items():
        issuer = "reviewer_a" if kind == DocumentKind.RECOMMENDATION else "province"
        for who in ("province", "reviewer_a", "observer"):
            html = callers[who].get(page).content.decode()
            assert (f'class="row g-2 align-items-end mt-2 document-issue" data-kind="{kind}"' in html) == (
                who == issuer
            ), (kind, who)


def test_downloads_follow_the_park_and_the_list_notice_is_public(world, callers, login):
    sources = _sources(world)
    documents = {
        kind: official_document_issue(
            by=world.reviewer_a if issuer == "city" else world.province,
            kind=kind,
            source=source,
            number=number(20 + index),
            issued_on=today(),
        )
        for index, (kind, (source, issuer)) in enumerate(sources.items())
    }
    for kind, document in documents.items():
        url = reverse("applications:document-download", args=[document.pk])
        got = tuple(callers[who].get(url).status_code for who in WHO)
        expected = (200,) * len(WHO) if kind == DocumentKind.LIST else READ_PARK_DOCUMENT
        assert got == expected, kind
    response = callers["staff_a"].get(
        reverse("applications:document-download", args=[documents["approval"].pk])
    )
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(
        b"%PDF"
    )
    public = login(None).get(reverse("applications:public-list-detail", args=[sources["list"][0].pk]))
    assert reverse("applications:document-download", args=[documents["list"].pk]) in public.content.decode()


def test_the_api_issues_by_role_and_scope(world, callers):
    for serial, (kind, (source, issuer)) in enumerate(_sources(world).items()):
        got = []
        for index, who in enumerate(WHO):
            response = callers[who].post(
                reverse("api-document-list"),
                {
                    "kind": kind,
                    "source_id": source.pk,
                    "number": number(100 * serial + index),
                    "issued_on": str(today()),
                },
                content_type="application/json",
            )
            got.append(response.status_code)
        assert tuple(got) == API_ISSUE[issuer], kind
    assert OfficialDocument.objects.count() == 5


def test_the_api_names_the_missing_decision_and_the_field(world, callers):
    application = recommended(world.park_a)
    with translation.override("en"):
        response = callers["province"].post(
            reverse("api-document-list"),
            {"kind": "approval", "source_id": application.pk, "number": number(), "issued_on": str(today())},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400 and "尚未批准" in str(response.json())
    response = callers["reviewer_a"].post(
        reverse("api-document-list"),
        {
            "kind": "recommendation",
            "source_id": application.pk,
            "number": "x" * 51,
            "issued_on": str(today()),
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "number" in response.json()["errors"]


def test_the_api_lists_and_serves_what_each_caller_may_read(world, callers):
    sources = _sources(world)
    ids = {}
    for index, (kind, (source, issuer)) in enumerate(sources.items()):
        by = world.reviewer_a if issuer == "city" else world.province
        ids[kind] = official_document_issue(
            by=by, kind=kind, source=source, number=number(40 + index), issued_on=today()
        ).pk
    park_ids = {ids[k] for k in ids if k != DocumentKind.LIST}
    for who, sees_park in zip(WHO, (None, True, True, True, False, True, False, False), strict=True):
        listed = callers[who].get(reverse("api-document-list"))
        if who == "anonymous":
            assert listed.status_code == 401
        else:
            got = {row["id"] for row in listed.json()["results"]}
            assert got == (park_ids | {ids["list"]} if sees_park else {ids["list"]}), who
        pdf = callers[who].get(reverse("api-document-pdf", args=[ids["approval"]]))
        assert pdf.status_code == (200 if sees_park else 404), who
        assert callers[who].get(reverse("api-document-pdf", args=[ids["list"]])).status_code == 200
    row = callers["staff_a"].get(reverse("api-document-detail", args=[ids["approval"]])).json()
    assert row["number"] == number(41) and row["in_force"] is True and row["download_url"].endswith("/pdf/")
    filtered = callers["province"].get(reverse("api-document-list"), {"kind": "rectification"}).json()
    assert [r["id"] for r in filtered["results"]] == [ids["rectification"]]


def test_an_expert_assigned_elsewhere_sees_no_document(world, callers):
    other = UserFactory(expert=True)
    document = official_document_issue(
        by=world.province,
        kind=DocumentKind.ACCEPTANCE,
        source=decided_evaluation(world.park_a),
        number=number(),
        issued_on=today(),
    )
    client = Client()
    client.force_login(other)
    assert client.get(reverse("applications:document-download", args=[document.pk])).status_code == 404
