"""公示 objections in the API: record, answer, drop (the province's), reading by role and scope, and the
public lists on notice with their period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from applications.models import ApplicationStatus, ListObjection, ListStatus, ObjectionStatus
from tests.applications.api_helpers import JSON, url
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import pdf_file
from tests.applications.objection_helpers import notice_list, objection_to

pytestmark = pytest.mark.django_db


def _record_payload(world, **change):
    return {
        "park": world.park_a.pk,
        "raised_by": "某协会",
        "received_on": timezone.localdate().isoformat(),
        "text": "园区边界与批复不符。",
        **change,
    }


def test_the_province_records_an_objection_as_json_or_with_evidence(world, login):
    clist = notice_list(world)
    client = login(world.province)
    as_json = client.post(
        url("api-construction-list-objections", clist.pk), _record_payload(world), content_type=JSON
    )
    assert as_json.status_code == 201
    assert (as_json.json()["status"], as_json.json()["raised_by"], as_json.json()["has_evidence"]) == (
        "unanswered", "某协会", False
    )  # fmt: skip
    with_file = client.post(
        url("api-construction-list-objections", clist.pk), {**_record_payload(world), "evidence": pdf_file()}
    )
    assert (with_file.status_code, with_file.json()["has_evidence"]) == (201, True)


def test_recording_names_the_field_or_the_state(world, login):
    clist = notice_list(world)
    client = login(world.province)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    bad_day = client.post(
        url("api-construction-list-objections", clist.pk),
        _record_payload(world, received_on=future),
        content_type=JSON,
    )
    assert bad_day.status_code == 400 and "received_on" in bad_day.json()["errors"]
    published = make_list(ListStatus.PUBLISHED, by=world.province, applications=[approved()])
    park = published.entries.get().park
    closed = client.post(
        url("api-construction-list-objections", published.pk),
        _record_payload(world, park=park.pk),
        content_type=JSON,
    )
    assert closed.status_code == 400
    assert not ListObjection.objects.exists()


def test_the_answer_is_final_and_the_drop_keeps_the_application_approved(world, login):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a)
    client = login(world.province)
    answered = client.post(url("api-objection-answer", objection.pk), {"answer": "属实"}, content_type=JSON)
    assert (answered.status_code, answered.json()["status"], answered.json()["answer"]) == (
        200,
        "answered",
        "属实",
    )
    again = client.post(url("api-objection-answer", objection.pk), {"answer": "改"}, content_type=JSON)
    assert again.status_code == 400
    no_reason = client.post(
        url("api-construction-list-drops", clist.pk),
        {"park": world.park_a.pk, "reason": ""},
        content_type=JSON,
    )
    assert no_reason.status_code == 400
    dropped = client.post(
        url("api-construction-list-drops", clist.pk),
        {"park": world.park_a.pk, "reason": "异议属实"},
        content_type=JSON,
    )
    assert dropped.status_code == 200
    assert [e["park"] for e in dropped.json()["entries"]] == [world.park_b.pk]
    assert (
        objection.application.__class__.objects.get(pk=objection.application_id).status
        == ApplicationStatus.APPROVED
    )


# ---- role × scope ----------------------------------------------------------------------------------

# who: (objections listed, detail status, sees the objector, write status)
MATRIX = {
    "province": (1, 200, True, None),
    "observer": (1, 200, True, 403),
    "reviewer_a": (1, 200, False, 403),
    "reviewer_b": (0, 404, False, 403),
    "staff_a": (1, 200, False, 403),
    "staff_b": (0, 404, False, 403),
    "expert": (0, 404, False, 403),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_objection_api_follows_the_role_and_scope_matrix(world, login, who):
    clist = notice_list(world)
    objection = objection_to(world, clist, world.park_a, raised_by="李四")
    listed, detail, sees_objector, write = MATRIX[who]
    client = login(getattr(world, who))
    results = client.get(url("api-objection-list"), {"construction_list": clist.pk}).json()["results"]
    assert len(results) == listed
    response = client.get(url("api-objection-detail", objection.pk))
    assert response.status_code == detail
    if detail == 200:
        assert ("raised_by" in response.json()) is sees_objector
        assert response.json()["text"] == "园区四至范围与实际不符。"
    if write is None:
        return
    writes = [
        client.post(
            url("api-construction-list-objections", clist.pk), _record_payload(world), content_type=JSON
        ),
        client.post(
            url("api-construction-list-drops", clist.pk),
            {"park": world.park_a.pk, "reason": "x"},
            content_type=JSON,
        ),
    ]
    assert [w.status_code for w in writes] == [write, write]
    answer = client.post(url("api-objection-answer", objection.pk), {"answer": "答复"}, content_type=JSON)
    assert answer.status_code == (404 if detail == 404 else write)
    assert ListObjection.objects.get().status == ObjectionStatus.OPEN and clist.entries.count() == 2


def test_anonymous_callers_read_no_objection(world):
    objection = objection_to(world, notice_list(world), world.park_a)
    assert Client().get(url("api-objection-list")).status_code in (401, 403)
    assert Client().get(url("api-objection-detail", objection.pk)).status_code in (401, 403)


# ---- the public lists ------------------------------------------------------------------------------


def test_public_lists_include_lists_on_notice_with_their_period_and_without_dropped_parks(world, login):
    clist = notice_list(world)
    login(world.province).post(
        url("api-construction-list-drops", clist.pk),
        {"park": world.park_a.pk, "reason": "异议属实"},
        content_type=JSON,
    )
    (item,) = Client().get(url("api-public-lists")).json()["results"]
    assert (item["status"], item["objection_deadline"]) == (
        "public_notice",
        clist.objection_deadline.isoformat(),
    )
    assert item["status_label"] and item["noticed_at"]
    assert [e["park_name"] for e in item["entries"]] == [world.park_b.name]
