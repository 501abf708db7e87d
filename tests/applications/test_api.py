"""The applications API: every endpoint's happy path and its main refusals, query counts, and a whole
journey from a draft to the public list through the API alone (token auth)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    ConstructionList,
    ConstructionListEntry,
    DossierSection,
    ListStatus,
    SectionCode,
)
from applications.samples import sample_dataset, sample_sections
from indicators.models import ParkDataset
from tests.applications.factories import ApplicationFactory, CallFactory, application_in, pdf_file
from tests.conftest import PASSWORD
from tests.parks.factories import ParkFactory, ZoneFactory

JSON = "application/json"


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)


def sections_for(park) -> dict:
    return sample_sections(managing_body=park.managing_body, boundary_text=park.boundary_text)


def dataset_for(park, year: int) -> dict:
    return sample_dataset(park_name=park.name, park_type=park.park_type, year=year)


# ---- applications: list, create, dossier --------------------------------------------------------


def test_application_list_returns_only_visible_applications_with_contract_fields(world, login):
    mine = ApplicationFactory(park=world.park_a, total_investment_wan="1234.50")
    ApplicationFactory(park=world.park_b)
    response = login(world.staff_a).get(url("api-application-list"))
    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert (item["id"], item["park"], item["call"], item["status"]) == (
        mine.pk,
        world.park_a.pk,
        mine.call_id,
        "draft",
    )
    assert item["total_investment_wan"] == "1234.50"
    assert item["city"] == "360100"
    assert item["url"].endswith(url("api-application-detail", mine.pk))


# Filters, each with the application it should leave: "a" is park_a's draft, "b" park_b's submitted one.
FILTERS = [
    ("status", lambda apps: "submitted", "b"),
    ("city", lambda apps: "360100", "a"),
    ("park", lambda apps: apps["b"].park_id, "b"),
    ("call", lambda apps: apps["a"].call_id, "a"),
]


@pytest.mark.parametrize(("name", "value", "expected"), FILTERS)
def test_application_list_filters_when_query_is_given(world, login, name, value, expected):
    apps = {
        "a": ApplicationFactory(park=world.park_a),
        "b": ApplicationFactory(park=world.park_b, status=ApplicationStatus.SUBMITTED),
    }
    response = login(world.province).get(url("api-application-list"), {name: value(apps)})
    assert [item["id"] for item in response.json()["results"]] == [apps[expected].pk]


def test_application_create_answers_201_with_a_draft_when_staff_applies_for_own_park(world, login):
    call = CallFactory()
    response = login(world.staff_a).post(
        url("api-application-list"), {"park": world.park_a.pk, "call": call.pk}, content_type=JSON
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["park"], body["call"]) == ("draft", world.park_a.pk, call.pk)
    assert Application.objects.get(pk=body["id"]).created_by == world.staff_a


@pytest.mark.parametrize("who", ["staff_b", "reviewer_a", "province"])
def test_application_create_answers_403_when_park_is_not_theirs(world, login, who):
    response = login(getattr(world, who)).post(
        url("api-application-list"), {"park": world.park_a.pk, "call": CallFactory().pk}, content_type=JSON
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_application_create_answers_400_when_park_does_not_exist(world, login):
    response = login(world.staff_a).post(
        url("api-application-list"), {"park": 999999, "call": CallFactory().pk}, content_type=JSON
    )
    assert response.status_code == 400
    assert "park" in response.json()["errors"]


def test_application_create_answers_400_naming_the_call_when_call_is_closed(world, login):
    call = CallFactory(closed=True)
    response = login(world.staff_a).post(
        url("api-application-list"), {"park": world.park_a.pk, "call": call.pk}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"]["call"]


def test_application_detail_returns_sections_progress_and_problems_when_editor_reads(world, login):
    application = ApplicationFactory(park=world.park_a)
    body = login(world.staff_a).get(url("api-application-detail", application.pk)).json()
    assert set(body["sections"]) == {
        "overview", "industry", "targets", "tasks", "projects", "feasibility", "organisation", "declarations"
    }  # fmt: skip
    assert body["sections"]["overview"]["is_complete"] is False
    assert body["progress"]["total"] == len(SectionCode.choices)
    assert {"energy", "attachments", "overview"} <= set(body["submission_problems"])
    assert [d["year"] for d in body["datasets"]] == [2023, 2024, 2025]


def test_application_detail_has_no_submission_problems_when_reader_reads(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    body = login(world.reviewer_a).get(url("api-application-detail", application.pk)).json()
    assert body["submission_problems"] is None
    assert {a["action"] for a in body["actions"]} == {"return", "recommend", "decline"}


def test_application_patch_saves_every_section_when_data_is_valid(world, login):
    application = ApplicationFactory(park=world.park_a)
    sections = sections_for(world.park_a)
    response = login(world.staff_a).patch(
        url("api-application-detail", application.pk), {"sections": sections}, content_type=JSON
    )
    assert response.status_code == 200
    body = response.json()
    assert all(body["sections"][code]["is_complete"] for code in sections)
    assert body["total_investment_wan"] != "0.00"
    assert body["period_years"] == sections[SectionCode.TARGETS]["period_years"]


def test_application_patch_saves_nothing_and_names_the_cell_when_a_cell_is_bad(world, login):
    application = ApplicationFactory(park=world.park_a)
    sections = sections_for(world.park_a)
    sections[SectionCode.PROJECTS]["projects"][2]["investment_wan"] = "lots"
    response = login(world.staff_a).patch(
        url("api-application-detail", application.pk), {"sections": sections}, content_type=JSON
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["sections.projects.projects.3.investment_wan"]
    assert not DossierSection.objects.filter(application=application, code=SectionCode.INDUSTRY).exists()


def test_application_patch_answers_400_when_section_is_unknown(world, login):
    application = ApplicationFactory(park=world.park_a)
    response = login(world.staff_a).patch(
        url("api-application-detail", application.pk), {"sections": {"energy": {}}}, content_type=JSON
    )
    assert response.status_code == 400
    assert "sections.energy" in response.json()["errors"]


def test_application_patch_reads_numbers_exactly_when_body_has_json_decimals(world, login):
    application = ApplicationFactory(park=world.park_a)
    body = '{"sections": {"overview": {"area_km2": 0.30, "industrial_output_wan": 98765432.17}}}'
    response = login(world.staff_a).patch(
        url("api-application-detail", application.pk), body, content_type=JSON
    )
    assert response.status_code == 200, response.json()
    data = response.json()["sections"]["overview"]["data"]
    assert (data["area_km2"], data["industrial_output_wan"]) == ("0.3", "98765432.17")


def test_application_patch_answers_400_when_body_is_not_json(world, login):
    application = ApplicationFactory(park=world.park_a)
    response = login(world.staff_a).patch(
        url("api-application-detail", application.pk), "{nope", content_type=JSON
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


# ---- datasets and indicators ----------------------------------------------------------------------


def test_dataset_put_answers_201_then_200_and_stores_the_document(world, login):
    application = ApplicationFactory(park=world.park_a)
    client, target = login(world.staff_a), url("api-application-dataset", application.pk, 2024)
    first = client.put(target, dataset_for(world.park_a, 2024), content_type=JSON)
    second = client.put(target, dataset_for(world.park_a, 2024), content_type=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["note"]
    assert (
        ParkDataset.objects.get(park=world.park_a, year=2024).document["electricity_mwh"]["grid"] == "110000"
    )


def test_dataset_put_answers_400_when_year_is_not_a_dossier_year(world, login):
    application = ApplicationFactory(park=world.park_a)
    response = login(world.staff_a).put(
        url("api-application-dataset", application.pk, 2022),
        dataset_for(world.park_a, 2022),
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "year" in response.json()["errors"]


def test_dataset_put_refuses_what_the_engine_refuses_with_its_errors_and_stores_nothing(
    world, login, factor_data
):
    """The API runs the engine check the upload page runs: no energy row and no electricity is a 400
    with the engine's errors document (here: non_positive_energy), and nothing is stored."""
    application = ApplicationFactory(park=world.park_a)
    document = {**dataset_for(world.park_a, 2024), "energy": [], "electricity_mwh": {}}
    response = login(world.staff_a).put(
        url("api-application-dataset", application.pk, 2024), document, content_type=JSON
    )
    assert response.status_code == 400
    assert [(e["path"], e["code"]) for e in response.json()["errors"]] == [("energy", "non_positive_energy")]
    assert all(e["message"] for e in response.json()["errors"])
    assert not ParkDataset.objects.filter(park=world.park_a, year=2024).exists()


def test_dataset_put_keeps_the_stored_year_when_the_new_document_has_input_errors(world, login, factor_data):
    application = ApplicationFactory(park=world.park_a)
    client, target = login(world.staff_a), url("api-application-dataset", application.pk, 2024)
    assert client.put(target, dataset_for(world.park_a, 2024), content_type=JSON).status_code == 201
    bad = dataset_for(world.park_a, 2024)
    bad["energy"][0]["quantity"] = "-5"
    response = client.put(target, bad, content_type=JSON)
    assert response.status_code == 400
    assert ("energy[0].quantity", "negative") in {(e["path"], e["code"]) for e in response.json()["errors"]}
    stored = ParkDataset.objects.get(park=world.park_a, year=2024).document
    assert stored["energy"][0]["quantity"] == dataset_for(world.park_a, 2024)["energy"][0]["quantity"]


def test_dataset_get_returns_the_stored_document_when_year_is_stored(world, login):
    application = ApplicationFactory(park=world.park_a)
    services.application_dataset_save(
        by=world.staff_a, application=application, year=2023, document=dataset_for(world.park_a, 2023)
    )
    client = login(world.reviewer_a)
    assert client.get(url("api-application-dataset", application.pk, 2023)).json()["document"]["year"] == 2023
    assert client.get(url("api-application-dataset", application.pk, 2024)).status_code == 404


def test_indicators_get_answers_404_saying_so_while_they_are_being_computed(world, login):
    application = ApplicationFactory(park=world.park_a)
    services.application_dataset_save(
        by=world.staff_a, application=application, year=2025, document=dataset_for(world.park_a, 2025)
    )
    response = login(world.staff_a).get(url("api-application-indicators", application.pk, 2025))
    assert response.status_code == 404
    assert "正在计算" in response.json()["detail"]


def test_indicators_get_returns_the_result_document_when_computed(world, login, actors_a):
    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    client = login(world.reviewer_a)
    body = client.get(url("api-application-indicators", application.pk, 2025)).json()
    national = client.get(
        url("api-application-indicators", application.pk, 2025), {"scheme": "national-2025"}
    )
    assert {"totals", "indicators", "core_passed"} <= set(body)
    assert national.status_code == 200
    assert (
        client.get(url("api-application-indicators", application.pk, 2025), {"scheme": "x"}).status_code
        == 400
    )


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


# ---- attachments ---------------------------------------------------------------------------------


def test_attachment_upload_answers_201_and_lists_it(world, login):
    application = ApplicationFactory(park=world.park_a)
    client = login(world.staff_a)
    response = client.post(
        url("api-application-attachments", application.pk),
        {"kind": "zone_approval", "title": "批复", "file": pdf_file("批复.pdf")},
    )
    assert response.status_code == 201
    assert response.json()["original_name"] == "批复.pdf"
    listed = client.get(url("api-application-attachments", application.pk)).json()
    assert [(a["kind"], a["uploaded_by"]) for a in listed] == [("zone_approval", "staff_a")]


def test_attachment_upload_answers_400_when_file_is_not_what_it_claims(world, login):
    application = ApplicationFactory(park=world.park_a)
    fake = io.BytesIO(b"<html>not a pdf</html>")
    fake.name = "fake.pdf"
    response = login(world.staff_a).post(
        url("api-application-attachments", application.pk), {"kind": "zone_approval", "file": fake}
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_attachment_delete_answers_204_and_removes_it(world, login):
    application = ApplicationFactory(park=world.park_a)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=pdf_file(), name="x.pdf"
    )
    client = login(world.staff_a)
    response = client.delete(url("api-application-attachment-detail", application.pk, attachment.pk))
    assert response.status_code == 204
    assert client.get(url("api-application-attachments", application.pk)).json() == []


# ---- calls ---------------------------------------------------------------------------------------


def test_call_list_hides_drafts_when_caller_is_not_the_province(world, login):
    open_call, draft = CallFactory(), CallFactory(draft=True)
    staff_ids = {c["id"] for c in login(world.staff_a).get(url("api-call-list")).json()["results"]}
    province_ids = {c["id"] for c in login(world.province).get(url("api-call-list")).json()["results"]}
    assert staff_ids == {open_call.pk}
    assert province_ids == {open_call.pk, draft.pk}


def test_call_create_answers_201_with_a_draft_when_province_creates(world, login):
    deadline = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    response = login(world.province).post(
        url("api-call-list"),
        {"title": "2026年第一批", "deadline": deadline, "quota_per_city": 2},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["quota_per_city"], response.json()["deadline"]) == (
        "draft", 2, deadline
    )  # fmt: skip


def test_call_transitions_open_then_close_when_province_acts(world, login):
    call = CallFactory(draft=True)
    client = login(world.province)
    opened = client.post(url("api-call-transitions", call.pk), {"action": "open"}, content_type=JSON)
    closed = client.post(url("api-call-transitions", call.pk), {"action": "close"}, content_type=JSON)
    again = client.post(url("api-call-transitions", call.pk), {"action": "close"}, content_type=JSON)
    assert (opened.json()["status"], closed.json()["status"]) == ("open", "closed")
    assert again.status_code == 400


# ---- construction lists and the public lists -----------------------------------------------------


def approved(world, park=None) -> Application:
    return ApplicationFactory(park=park or world.park_a, status=ApplicationStatus.APPROVED)


def test_construction_list_create_answers_201_with_a_draft_of_approved_applications(world, login):
    application = approved(world)
    response = login(world.province).post(
        url("api-construction-list-list"),
        {"title": "第一批建设名单", "document_no": "赣发改环资〔2026〕1号", "applications": [application.pk]},
        content_type=JSON,
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    assert [(e["park"], e["application"], e["city"]) for e in body["entries"]] == [
        (world.park_a.pk, application.pk, "360100")
    ]


def test_construction_list_create_answers_400_when_an_application_is_not_approved(world, login):
    draft = ApplicationFactory(park=world.park_a)
    response = login(world.province).post(
        url("api-construction-list-list"), {"title": "名单", "applications": [draft.pk]}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["errors"]["applications"]


def test_construction_list_publish_answers_400_before_the_objection_deadline(world, login):
    construction_list = services.construction_list_create(
        by=world.province, title="名单", application_ids=[approved(world).pk]
    )
    client, target = login(world.province), url("api-construction-list-transitions", construction_list.pk)
    deadline = timezone.localdate() + dt.timedelta(days=7)
    noticed = client.post(
        target, {"action": "notice", "objection_deadline": deadline.isoformat()}, content_type=JSON
    )
    early = client.post(target, {"action": "publish"}, content_type=JSON)
    assert (noticed.status_code, noticed.json()["status"]) == (200, "public_notice")
    assert early.status_code == 400
    assert "objection_deadline" in early.json()["errors"]


def test_construction_list_publish_lists_the_applications_from_the_deadline_on(world, login):
    application = approved(world)
    construction_list = services.construction_list_create(
        by=world.province, title="名单", application_ids=[application.pk]
    )
    deadline = timezone.localdate() + dt.timedelta(days=7)
    services.construction_list_transition(
        by=world.province, construction_list=construction_list, action="notice", objection_deadline=deadline
    )
    with time_machine.travel(
        dt.datetime.combine(deadline, dt.time(10), tzinfo=timezone.get_current_timezone())
    ):
        response = login(world.province).post(
            url("api-construction-list-transitions", construction_list.pk),
            {"action": "publish"},
            content_type=JSON,
        )
    assert (response.status_code, response.json()["status"]) == (200, "published")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.LISTED


def test_construction_list_list_shows_drafts_only_to_province_and_observer(world, login):
    draft = services.construction_list_create(
        by=world.province, title="草稿", application_ids=[approved(world).pk]
    )

    def ids(user):
        return {item["id"] for item in login(user).get(url("api-construction-list-list")).json()["results"]}

    assert ids(world.province) == ids(world.observer) == {draft.pk}
    assert ids(world.staff_a) == set()


def published_list(world, parks, *, title="第一批建设名单") -> ConstructionList:
    """A published list of ``parks`` written directly (its services are tested elsewhere)."""
    construction_list = ConstructionList.objects.create(
        title=title,
        status=ListStatus.PUBLISHED,
        objection_deadline=timezone.localdate(),
        published_at=timezone.now(),
    )
    for park in parks:
        application = ApplicationFactory(park=park, status=ApplicationStatus.LISTED)
        ConstructionListEntry.objects.create(
            construction_list=construction_list, application=application, park=park
        )
    return construction_list


def test_public_lists_show_parks_and_removals_to_anonymous_callers(world):
    construction_list = published_list(world, [world.park_a, world.park_b])
    construction_list.entries.filter(park=world.park_b).update(
        removed_on=dt.date(2027, 3, 1), removal_reason="连续两年未完成目标", removed_in_version=2
    )
    response = Client().get(url("api-public-lists"))
    assert response.status_code == 200
    (item,) = response.json()["results"]
    entries = {e["park_name"]: e for e in item["entries"]}
    assert entries["南昌测试园"]["removed_on"] is None
    assert (entries["赣州测试园"]["removed_on"], entries["赣州测试园"]["removal_reason"]) == (
        "2027-03-01", "连续两年未完成目标"
    )  # fmt: skip
    assert "application" not in entries["南昌测试园"]


def test_public_lists_leave_out_lists_not_yet_published(world):
    services.construction_list_create(by=world.province, title="草稿", application_ids=[approved(world).pk])
    assert Client().get(url("api-public-lists")).json()["results"] == []


# ---- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 4])
def test_application_list_query_count_is_constant(world, login, django_assert_num_queries, extra):
    for _ in range(1 + extra):
        ApplicationFactory(park=ParkFactory(zone=ZoneFactory(city=world.nanchang)))
    client = login(world.province)
    # session, user, count, page of applications (park, zone, city and call joined)
    with django_assert_num_queries(4):
        response = client.get(url("api-application-list"))
    assert response.json()["count"] == 1 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_public_lists_query_count_is_constant(world, django_assert_num_queries, extra):
    for index in range(1 + extra):
        published_list(
            world,
            [
                ParkFactory(zone=ZoneFactory(city=world.nanchang)),
                ParkFactory(zone=ZoneFactory(city=world.ganzhou)),
            ],
            title=f"第{index}批",
        )
    client = Client()
    # count, page of published lists, their entries (park, zone and city joined)
    with django_assert_num_queries(3):
        response = client.get(url("api-public-lists"))
    assert response.json()["count"] == 1 + extra


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
