"""The applications API's dossier: list, create, detail, patch, energy years, indicators, attachments."""

from __future__ import annotations

import io

import pytest

from applications import services
from applications.models import Application, ApplicationStatus, DossierSection, SectionCode
from indicators.models import ParkDataset
from tests.applications.api_helpers import JSON, dataset_for, sections_for, url
from tests.applications.factories import ApplicationFactory, CallFactory, application_in, pdf_file
from tests.parks.factories import ParkFactory, ZoneFactory

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
