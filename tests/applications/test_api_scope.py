"""The API's role × scope matrix on park_a's applications, calls and lists.

Outside the caller's scope the object does not exist (404); inside it, an action the role may not take
answers 403; without credentials DRF answers 401 (token authentication comes first).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications import services
from applications.models import ApplicationStatus
from applications.samples import sample_dataset
from tests.applications.factories import ApplicationFactory, CallFactory, pdf_file

JSON = "application/json"
S = ApplicationStatus
WHO = ["anonymous", "province", "observer", "reviewer_a", "reviewer_b", "staff_a", "staff_b", "expert"]


def user(world, who):
    return None if who == "anonymous" else getattr(world, who)


def table(*rows: tuple) -> list[tuple]:
    """(who, expected…) rows, checked to cover every caller once."""
    assert [row[0] for row in rows] == WHO
    return list(rows)


# park_a's draft: reading it, and each way of changing the dossier.
DRAFT_MATRIX = table(
    # who          GET  PATCH PUT-dataset POST-attachment
    ("anonymous", 401, 401, 401, 401),
    ("province", 200, 403, 403, 403),
    ("observer", 404, 404, 404, 404),  # a draft is the park's own work in progress
    ("reviewer_a", 200, 403, 403, 403),
    ("reviewer_b", 404, 404, 404, 404),
    ("staff_a", 200, 200, 201, 201),
    ("staff_b", 404, 404, 404, 404),
    ("expert", 404, 404, 404, 404),
)


@pytest.mark.parametrize(("who", "get", "patch", "put", "upload"), DRAFT_MATRIX)
def test_draft_endpoints_answer_by_scope_and_role(world, login, who, get, patch, put, upload):
    application = ApplicationFactory(park=world.park_a)
    client, pk = login(user(world, who)), application.pk
    dataset = sample_dataset(park_name="x", park_type=world.park_a.park_type, year=2025)
    responses = (
        client.get(reverse("api-application-detail", args=[pk])),
        client.patch(
            reverse("api-application-detail", args=[pk]),
            {"sections": {"overview": {"area_km2": "3.5"}}},
            content_type=JSON,
        ),
        client.put(reverse("api-application-dataset", args=[pk, 2025]), dataset, content_type=JSON),
        client.post(reverse("api-application-attachments", args=[pk]), {"kind": "other", "file": pdf_file()}),
    )
    assert [r.status_code for r in responses] == [get, patch, put, upload]


# park_a's submitted application: every read endpoint.
READ_ENDPOINTS = [
    "api-application-detail",
    "api-application-events",
    "api-application-revisions",
    "api-application-attachments",
]
SUBMITTED_READ = {
    "anonymous": 401,
    "province": 200,
    "observer": 200,
    "reviewer_a": 200,
    "reviewer_b": 404,
    "staff_a": 200,
    "staff_b": 404,
    "expert": 404,
}


@pytest.mark.parametrize("endpoint", READ_ENDPOINTS)
@pytest.mark.parametrize(("who", "expected"), SUBMITTED_READ.items())
def test_submitted_application_reads_answer_by_scope(world, login, who, expected, endpoint):
    application = ApplicationFactory(park=world.park_a, status=S.SUBMITTED)
    response = login(user(world, who)).get(reverse(endpoint, args=[application.pk]))
    assert response.status_code == expected


def test_observer_reads_a_submitted_application_but_may_not_patch_it(world, login):
    application = ApplicationFactory(park=world.park_a, status=S.SUBMITTED)
    response = login(world.observer).patch(
        reverse("api-application-detail", args=[application.pk]), {"sections": {}}, content_type=JSON
    )
    assert response.status_code == 403


def test_staff_patch_answers_400_when_the_dossier_is_under_review(world, login):
    application = ApplicationFactory(park=world.park_a, status=S.SUBMITTED)
    response = login(world.staff_a).patch(
        reverse("api-application-detail", args=[application.pk]),
        {"sections": {"overview": {"area_km2": "3"}}},
        content_type=JSON,
    )
    assert response.status_code == 400


# Transitions on park_a's application, each from its source state.
TRANSITIONS = [("recommend", S.SUBMITTED), ("approve", S.RECOMMENDED), ("withdraw", S.SUBMITTED)]
TRANSITION_MATRIX = table(
    # who          (recommend: city, approve: province, withdraw: park)
    ("anonymous", (401, 401, 401)),
    ("province", (403, 200, 403)),
    ("observer", (403, 403, 403)),
    ("reviewer_a", (200, 403, 403)),
    ("reviewer_b", (404, 404, 404)),
    ("staff_a", (403, 403, 200)),
    ("staff_b", (404, 404, 404)),
    ("expert", (404, 404, 404)),
)


@pytest.mark.parametrize(("column", "action", "source"), [(i, *t) for i, t in enumerate(TRANSITIONS)])
@pytest.mark.parametrize(("who", "expected"), TRANSITION_MATRIX)
def test_transitions_answer_by_scope_and_role(world, login, who, expected, column, action, source):
    application = ApplicationFactory(park=world.park_a, status=source)
    response = login(user(world, who)).post(
        reverse("api-application-transitions", args=[application.pk]),
        {"action": action, "comment": "意见"},
        content_type=JSON,
    )
    assert response.status_code == expected[column]
    application.refresh_from_db()
    assert (application.status == source) == (response.status_code != 200)


def test_attachment_delete_answers_403_to_the_reviewer_and_404_to_another_park(world, login):
    application = ApplicationFactory(park=world.park_a)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=pdf_file(), name="x.pdf"
    )
    target = reverse("api-application-attachment-detail", args=[application.pk, attachment.pk])
    assert login(world.reviewer_a).delete(target).status_code == 403
    assert login(world.staff_b).delete(target).status_code == 404


# Calls: who may list them, create one, and open a draft (which only the province sees).
CALL_MATRIX = table(
    # who          GET  POST  open-draft
    ("anonymous", 401, 401, 401),
    ("province", 200, 201, 200),
    ("observer", 200, 403, 404),
    ("reviewer_a", 200, 403, 404),
    ("reviewer_b", 200, 403, 404),
    ("staff_a", 200, 403, 404),
    ("staff_b", 200, 403, 404),
    ("expert", 403, 403, 403),  # experts see only their assigned evaluations
)


@pytest.mark.parametrize(("who", "get", "post", "open_draft"), CALL_MATRIX)
def test_calls_answer_by_role(world, login, who, get, post, open_draft):
    draft = CallFactory(draft=True)
    client = login(user(world, who))
    responses = (
        client.get(reverse("api-call-list")),
        client.post(
            reverse("api-call-list"), {"title": "新批次", "deadline": "2099-01-01"}, content_type=JSON
        ),
        client.post(reverse("api-call-transitions", args=[draft.pk]), {"action": "open"}, content_type=JSON),
    )
    assert [r.status_code for r in responses] == [get, post, open_draft]


# A draft construction list: who may read it and put it on public notice.
LIST_MATRIX = table(
    # who          GET  notice
    ("anonymous", 401, 401),
    ("province", 200, 200),
    ("observer", 200, 403),
    ("reviewer_a", 404, 404),
    ("reviewer_b", 404, 404),
    ("staff_a", 404, 404),
    ("staff_b", 404, 404),
    ("expert", 404, 404),
)


@pytest.mark.parametrize(("who", "get", "notice"), LIST_MATRIX)
def test_draft_construction_list_answers_by_role(world, login, who, get, notice):
    approved = ApplicationFactory(park=world.park_a, status=S.APPROVED)
    draft = services.construction_list_create(by=world.province, title="名单", application_ids=[approved.pk])
    client = login(user(world, who))
    responses = (
        client.get(reverse("api-construction-list-detail", args=[draft.pk])),
        client.post(
            reverse("api-construction-list-transitions", args=[draft.pk]),
            {"action": "notice", "objection_deadline": "2099-01-01"},
            content_type=JSON,
        ),
    )
    assert [r.status_code for r in responses] == [get, notice]


def test_construction_list_create_answers_403_when_caller_is_not_the_province(world, login):
    approved = ApplicationFactory(park=world.park_a, status=S.APPROVED)
    response = login(world.observer).post(
        reverse("api-construction-list-list"),
        {"title": "名单", "applications": [approved.pk]},
        content_type=JSON,
    )
    assert response.status_code == 403


# Which applications each caller's list shows: park_a's draft and park_b's submitted one.
VISIBLE = {
    "province": {"draft_a", "submitted_b"},
    "observer": {"submitted_b"},
    "reviewer_a": {"draft_a"},
    "reviewer_b": {"submitted_b"},
    "staff_a": {"draft_a"},
    "staff_b": {"submitted_b"},
    "expert": set(),
}


@pytest.mark.parametrize(("who", "expected"), VISIBLE.items())
def test_application_list_shows_what_the_caller_may_see(world, login, who, expected):
    applications = {
        "draft_a": ApplicationFactory(park=world.park_a),
        "submitted_b": ApplicationFactory(park=world.park_b, status=S.SUBMITTED),
    }
    results = login(getattr(world, who)).get(reverse("api-application-list")).json()["results"]
    assert {item["id"] for item in results} == {applications[name].pk for name in expected}


def test_application_list_answers_401_without_credentials(world, login):
    assert login(None).get(reverse("api-application-list")).status_code == 401


def test_public_lists_answer_anonymous_callers(world, login):
    assert login(None).get(reverse("api-public-lists")).status_code == 200
