"""The applications API's workflow: transitions, timeline, revisions, changes, a whole token-auth journey."""

from __future__ import annotations

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

from applications import services
from applications.models import ApplicationStatus, SectionCode
from tests.applications.api_helpers import JSON, dataset_for, sections_for, url
from tests.applications.factories import ApplicationFactory, CallFactory, application_in, pdf_file
from tests.conftest import PASSWORD

# ---- workflow ------------------------------------------------------------------------------------


def test_transition_submit_answers_400_listing_every_unmet_condition_when_draft_is_empty(world, login):
    application = ApplicationFactory(park=world.park_a, call=CallFactory())
    response = login(world.staff_a).post(
        url("api-application-transitions", application.pk), {"action": "submit"}, content_type=JSON
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"overview", "industry", "energy", "targets", "projects", "attachments", "declarations"} <= set(
        errors
    )
    assert any("2023" in message for message in errors["energy"])


def test_transition_answers_200_with_the_new_state_when_reviewer_recommends(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).post(
        url("api-application-transitions", application.pk),
        {"action": "recommend", "comment": "符合条件", "checklist": {"zone_level": True}},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert response.json()["status"] == "recommended"
    assert response.json()["opinions"][0]["text"] == "符合条件"


def test_transition_answers_200_with_conditions_when_province_approves(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.RECOMMENDED)
    response = login(world.province).post(
        url("api-application-transitions", application.pk),
        {"action": "approve", "comment": "同意", "conditions": ["补充储能方案"]},
        content_type=JSON,
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["conditions"]) == ("approved", ["补充储能方案"])


def test_transition_answers_400_when_decision_has_no_opinion(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).post(
        url("api-application-transitions", application.pk), {"action": "return"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "comment" in response.json()["errors"]


def test_transition_answers_400_when_action_is_unknown(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).post(
        url("api-application-transitions", application.pk), {"action": "approve-all"}, content_type=JSON
    )
    assert response.status_code == 400
    assert "action" in response.json()["errors"]


# ---- timeline, revisions, changes ------------------------------------------------------------------


def test_events_list_the_timeline_with_offset_times_and_labels(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    services.application_transition(
        by=world.reviewer_a, application=application, action="return", comment="补材料"
    )
    response = login(world.staff_a).get(url("api-application-events", application.pk))
    (event,) = response.json()["results"]
    assert (event["actor"], event["action"], event["from"], event["to"], event["comment"]) == (
        "reviewer_a", "return", "submitted", "returned", "补材料"
    )  # fmt: skip
    assert event["action_label"] and event["to_label"]
    assert dt.datetime.fromisoformat(event["time"]).utcoffset() is not None


def test_revisions_list_and_show_the_snapshot_when_submitted(world, login, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    client = login(world.reviewer_a)
    listed = client.get(url("api-application-revisions", application.pk)).json()
    detail = client.get(url("api-application-revision-detail", application.pk, 1)).json()
    assert [(r["number"], r["submitted_by"]) for r in listed] == [(1, "staff_a")]
    assert set(detail["snapshot"]["datasets"]) == {"2023", "2024", "2025"}
    assert client.get(url("api-application-revision-detail", application.pk, 2)).status_code == 404


def test_changes_list_what_changed_when_a_returned_dossier_is_resubmitted(world, login, actors_a):
    application = application_in(ApplicationStatus.RETURNED, actors=actors_a)
    overview = {**sections_for(world.park_a)[SectionCode.OVERVIEW], "area_km2": "15.2"}
    services.dossier_section_save(by=world.staff_a, application=application, code="overview", data=overview)
    services.application_transition(by=world.staff_a, application=application, action="resubmit")
    body = login(world.reviewer_a).get(url("api-application-changes", application.pk)).json()
    assert (body["from_revision"], body["to_revision"]) == (1, 2)
    assert [(row["old"], row["new"]) for row in body["rows"] if "km²" in row["new"]] == [
        ("12.6 km²", "15.2 km²")
    ]


def test_changes_answer_404_when_the_dossier_was_never_submitted(world, login):
    application = ApplicationFactory(park=world.park_a)
    assert login(world.staff_a).get(url("api-application-changes", application.pk)).status_code == 404


def test_changes_answer_400_when_a_revision_does_not_exist(world, login, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    response = login(world.reviewer_a).get(
        url("api-application-changes", application.pk), {"from": 1, "to": 7}
    )
    assert response.status_code == 400
    assert "to" in response.json()["errors"]


# ---- the whole journey, through the API alone --------------------------------------------------------


def token_client(user) -> Client:
    response = Client().post(url("api-token"), {"username": user.username, "password": PASSWORD})
    return Client(headers={"Authorization": f"Token {response.json()['token']}"})


def act(client: Client, application_id: int, action: str, **extra: object) -> dict:
    response = client.post(
        url("api-application-transitions", application_id), {"action": action, **extra}, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_journey_from_draft_to_the_public_list_through_the_api(
    world, factor_data, django_capture_on_commit_callbacks
):
    staff, reviewer, province = (token_client(u) for u in (world.staff_a, world.reviewer_a, world.province))
    call = CallFactory()
    created = staff.post(
        url("api-application-list"), {"park": world.park_a.pk, "call": call.pk}, content_type=JSON
    )
    pk = created.json()["id"]
    patched = staff.patch(
        url("api-application-detail", pk), {"sections": sections_for(world.park_a)}, content_type=JSON
    )
    assert patched.status_code == 200
    for year in (2023, 2024, 2025):
        with django_capture_on_commit_callbacks(execute=True):
            stored = staff.put(
                url("api-application-dataset", pk, year), dataset_for(world.park_a, year), content_type=JSON
            )
        assert stored.status_code == 201
    assert "indicators" in staff.get(url("api-application-indicators", pk, 2025)).json()
    uploaded = staff.post(
        url("api-application-attachments", pk), {"kind": "zone_approval", "file": pdf_file()}
    )
    assert uploaded.status_code == 201
    assert staff.get(url("api-application-detail", pk)).json()["submission_problems"] == {}
    assert act(staff, pk, "submit")["status"] == "submitted"
    assert act(reviewer, pk, "return", comment="请补充项目资金来源")["status"] == "returned"
    assert act(staff, pk, "resubmit")["revision"] == 2
    act(reviewer, pk, "recommend", comment="同意推荐")
    assert act(province, pk, "approve", comment="同意", conditions=["按期报送年报"])["status"] == "approved"
    drafted = province.post(
        url("api-construction-list-list"),
        {"title": "2026年省级零碳园区建设名单", "document_no": "赣发改〔2026〕8号", "applications": [pk]},
        content_type=JSON,
    )
    list_id, transitions = (
        drafted.json()["id"],
        url("api-construction-list-transitions", drafted.json()["id"]),
    )
    today = timezone.localdate().isoformat()
    noticed = province.post(transitions, {"action": "notice", "objection_deadline": today}, content_type=JSON)
    published = province.post(transitions, {"action": "publish"}, content_type=JSON)
    assert (noticed.json()["status"], published.json()["status"]) == ("public_notice", "published")
    public = Client().get(url("api-public-lists")).json()["results"]
    assert [(item["id"], [e["park_name"] for e in item["entries"]]) for item in public] == [
        (list_id, ["南昌测试园"])
    ]
    assert staff.get(url("api-application-detail", pk)).json()["status"] == "listed"
    latest_event = staff.get(url("api-application-events", pk)).json()["results"][0]
    assert latest_event["action"] == "listed"


def test_token_client_is_refused_when_token_is_wrong(world):
    response = Client(headers={"Authorization": "Token nope"}).get(url("api-application-list"))
    assert response.status_code == 401
    assert json.loads(response.content)["errors"] == {}
