"""The dossier pages: list, start, detail, form sections, energy years, emissions and attachments."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from applications import selectors, services
from applications.models import ApplicationStatus, Attachment, DossierSection, SectionCode
from indicators.engine import dumps
from indicators.models import ParkDataset
from indicators.selectors import factor_set_current_record
from indicators.services import indicator_results_compute
from indicators.workbook import export_workbook
from tests.applications.factories import PDF_BYTES, ApplicationFactory, CallFactory, ready_application
from tests.indicators.factories import dataset_document, invalid_dataset_document

pytestmark = pytest.mark.django_db

# Every page of a dossier: (URL name, extra URL arguments, the marker of its edit form).
PAGES = [
    ("applications:section-edit", ["overview"], 'id="section-form"'),
    ("applications:section-edit", ["projects"], 'id="section-form"'),
    ("applications:section-energy", [], 'href="/applications/{pk}/energy/2025/"'),
    ("applications:energy-year", [2025], 'id="energy-upload-form"'),
    ("applications:section-emissions", [], None),
    ("applications:section-attachments", [], 'id="attachment-form"'),
]
PAGE_IDS = [f"{name.split(':')[1]}-{args}" for name, args, _marker in PAGES]


def _url(name, application, *args):
    return reverse(name, args=[application.pk, *args])


def _draft(world):
    return ApplicationFactory(park=world.park_a)


def _computed(application):
    """Compute the stored energy years' results now (on_commit does not run inside a test)."""
    for dataset in selectors.history_datasets(application).values():
        if dataset is not None:
            indicator_results_compute(dataset=dataset, reason="test")
    return application


def _json_upload(document, name="data.json"):
    return SimpleUploadedFile(name, dumps(document).encode(), content_type="application/json")


# --- Permission matrix --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_redirects_to_login_when_anonymous(world, client, name, args, marker):
    response = client.get(_url(name, _draft(world), *args))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("who", ["staff_b", "reviewer_b", "expert"])
@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_answers_404_when_outside_scope(world, login, who, name, args, marker):
    response = login(world.users()[who]).get(_url(name, _draft(world), *args))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "args", "marker"), [*PAGES, ("applications:application-detail", [], None)])
def test_dossier_page_answers_404_when_observer_reads_a_draft(world, login, name, args, marker):
    assert login(world.observer).get(_url(name, _draft(world), *args)).status_code == 404


@pytest.mark.parametrize("who", ["reviewer_a", "province", "observer"])
@pytest.mark.parametrize(("name", "args", "marker"), PAGES, ids=PAGE_IDS)
def test_dossier_page_is_read_only_when_reader(world, login, who, name, args, marker):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.users()[who]).get(_url(name, application, *args))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="post"' not in html.split('id="section-title"')[1]
    assert 'id="read-only-reason"' not in html


@pytest.mark.parametrize(("name", "args", "marker"), PAGES, ids=PAGE_IDS)
def test_dossier_page_shows_its_form_when_staff_of_the_park_edit_a_draft(world, login, name, args, marker):
    application = _draft(world)
    response = login(world.staff_a).get(_url(name, application, *args))
    assert response.status_code == 200
    if marker:
        assert marker.format(pk=application.pk) in response.content.decode()


def test_section_edit_is_read_only_with_the_reason_when_staff_view_a_submitted_dossier(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    html = (
        login(world.staff_a).get(_url("applications:section-edit", application, "overview")).content.decode()
    )
    assert 'id="section-readonly"' in html
    assert 'id="read-only-reason"' in html
    assert 'id="section-form"' not in html


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [
        ("applications:section-edit", ["overview"], {"area_km2": "3"}),
        ("applications:energy-year", [2025], {}),
        ("applications:section-attachments", [], {"kind": "other"}),
    ],
)
def test_dossier_post_answers_403_when_a_reader_writes(world, login, name, args, data):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    assert login(world.reviewer_a).post(_url(name, application, *args), data).status_code == 403
    assert login(world.staff_a).post(_url(name, application, *args), data).status_code == 403


# --- List, start, detail ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_application_list_query_count_is_constant(world, login, django_assert_num_queries, count):
    for _ in range(count):
        ApplicationFactory(park=world.park_a)
    client = login(world.staff_a)
    # session, user (park, zone, city joined), count, whether an open call is left for the park (EXISTS,
    # the park's calls excluded), unread notifications (navigation), page of applications (park, zone,
    # city and call joined)
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:application-list"))
    assert len(response.context["page"].object_list) == count


def test_application_list_shows_the_scope_only_when_city_reviewer(world, login):
    ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(park=world.park_b, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).get(reverse("applications:application-list"))
    assert [a.park for a in response.context["page"].object_list] == [world.park_a]
    assert world.park_b.name not in response.content.decode()


def test_application_list_answers_403_when_expert(world, login):
    assert login(world.expert).get(reverse("applications:application-list")).status_code == 403


def test_application_list_offers_start_when_an_open_call_has_no_application_of_the_park(world, login):
    CallFactory()
    html = login(world.staff_a).get(reverse("applications:application-list")).content.decode()
    assert 'id="application-start"' in html


def test_application_list_hides_start_when_the_park_applies_in_every_open_call(world, login):
    ApplicationFactory(park=world.park_a, call=CallFactory())
    CallFactory(closed=True)
    html = login(world.staff_a).get(reverse("applications:application-list")).content.decode()
    assert 'id="application-start"' not in html


def test_application_start_creates_a_draft_when_staff_choose_an_open_call(world, login):
    call = CallFactory()
    response = login(world.staff_a).post(reverse("applications:application-start"), {"call": call.pk})
    application = world.park_a.applications.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:application-detail", args=[application.pk])
    assert application.call == call and application.status == ApplicationStatus.DRAFT


def test_application_start_answers_403_when_not_park_staff(world, login):
    CallFactory()
    assert login(world.reviewer_a).get(reverse("applications:application-start")).status_code == 403


def test_application_start_refuses_a_call_the_park_already_applies_in(world, login):
    call = CallFactory()
    ApplicationFactory(park=world.park_a, call=call)
    response = login(world.staff_a).post(reverse("applications:application-start"), {"call": call.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["call"]
    assert world.park_a.applications.count() == 1


def test_application_detail_lists_every_unmet_condition_when_staff_view_a_draft(world, login):
    application = _draft(world)
    response = login(world.staff_a).get(_url("applications:application-detail", application))
    groups = {group["key"]: group for group in response.context["checklist"]}
    assert {"overview", "energy", "targets", "attachments", "declarations"} <= set(groups)
    html = response.content.decode()
    assert 'id="submission-checklist"' in html
    assert "缺少 2023 年度能源数据。" in html
    assert _url("applications:section-edit", application, "targets") in html


def test_application_detail_hides_the_checklist_when_reviewer(world, login):
    application = ApplicationFactory(park=world.park_a, status=ApplicationStatus.SUBMITTED)
    response = login(world.reviewer_a).get(_url("applications:application-detail", application))
    assert response.context["checklist"] is None
    assert 'id="dossier-progress"' in response.content.decode()


def test_application_detail_shows_the_indicators_of_each_year_when_computed(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:application-detail", application))
    core = response.context["indicators"][0]
    assert core["code"] == "carbon_per_energy"
    assert all(item is not None for _year, item in core["cells"])
    assert 'id="ready-to-submit"' in response.content.decode()


# --- Form sections ------------------------------------------------------------------------------


def test_section_edit_saves_fields_and_table_rows_when_posted(world, login):
    application = _draft(world)
    url = _url("applications:section-edit", application, "industry")
    response = login(world.staff_a).post(
        url,
        {
            "leading_industries": "电子信息、新能源",
            "key_enterprises-0-name": "甲公司",
            "key_enterprises-0-output_value_wan": "1200.5",
            "key_enterprises-4-name": "乙公司",
            "key_enterprises-4-energy_tce": "30",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{url}?saved=industry"
    data = application.sections.get(code=SectionCode.INDUSTRY).data
    assert data["leading_industries"] == "电子信息、新能源"
    assert [row["name"] for row in data["key_enterprises"]] == ["甲公司", "乙公司"]
    assert data["key_enterprises"][0]["output_value_wan"] == "1200.5"


def test_section_edit_names_the_cell_and_keeps_the_input_when_a_value_is_malformed(world, login):
    application = _draft(world)
    response = login(world.staff_a).post(
        _url("applications:section-edit", application, "projects"),
        {
            "projects-0-name": "光伏",
            "projects-0-investment_wan": "100",
            "projects-1-name": "余热",
            "projects-1-investment_wan": "一百万",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [(item.where, item.anchor) for item in form.summary] == [
        ("重点项目，第 2 行，投资额", "id_projects-1-investment_wan")
    ]
    html = response.content.decode()
    assert 'value="一百万"' in html and 'id="error-summary"' in html
    assert not DossierSection.objects.filter(application=application, code=SectionCode.PROJECTS).exists()


def test_section_edit_counts_rows_without_the_blank_ones_when_naming_an_error(world, login):
    application = _draft(world)
    response = login(world.staff_a).post(
        _url("applications:section-edit", application, "projects"),
        {
            "projects-0-name": "",
            "projects-3-name": "光伏",
            "projects-3-start_year": "2030",
            "projects-3-end_year": "2026",
        },
    )
    assert response.context["form"].summary[0].where == "重点项目，第 1 行，完工年份"
    assert response.context["form"].by_name["projects"].rows[0].cells[0].text == "光伏"


def test_section_edit_accepts_a_draft_and_lists_what_is_missing_when_required_values_are_blank(world, login):
    application = _draft(world)
    client = login(world.staff_a)
    url = _url("applications:section-edit", application, "organisation")
    client.post(url, {"leadership": "领导小组"})
    response = client.get(f"{url}?saved=organisation")
    assert application.sections.get(code="organisation").data["leadership"] == "领导小组"
    assert len(response.context["problems"]) == 3
    html = response.content.decode()
    assert 'id="section-saved"' in html and 'id="section-problems"' in html


def test_section_edit_goes_to_the_next_section_when_save_and_next(world, login):
    application = _draft(world)
    response = login(world.staff_a).post(
        _url("applications:section-edit", application, "industry"), {"save_next": "", "description": "x"}
    )
    assert response["Location"] == f"{_url('applications:section-energy', application)}?saved=industry"


def test_section_edit_prefills_the_eleven_indicators_when_targets_are_empty(world, login):
    response = login(world.staff_a).get(_url("applications:section-edit", _draft(world), "targets"))
    rows = response.context["form"].by_name["targets"].rows
    assert [row.cells[0].text for row in rows][:2] == ["carbon_per_energy", "clean_energy_share"]
    assert len(rows) == 11


def test_section_edit_saves_the_targets_grid_and_shows_the_2025_baseline(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    client = login(world.staff_a)
    url = _url("applications:section-edit", application, "targets")
    form = client.get(url).context["form"]
    row = form.by_name["targets"].rows[0]
    assert row.extra["code"] == "carbon_per_energy" and row.extra["value"]
    post = {c.name: c.text for r in form.by_name["targets"].rows for c in r.cells}
    post.update({"period_years": "3", "roadmap": "路线图", "stages-0-from_year": "2026"})
    post[row.cells[1].name] = "0.38"
    assert client.post(url, post).status_code == 302
    data = application.sections.get(code="targets").data
    assert data["targets"][0] == {**data["targets"][0], "indicator": "carbon_per_energy", "y2026": "0.38"}


def test_section_edit_shows_six_task_cards_and_saves_a_status(world, login):
    application = _draft(world)
    client = login(world.staff_a)
    url = _url("applications:section-edit", application, "tasks")
    assert client.get(url).content.decode().count('class="card shadow-sm task-card') == 6
    client.post(url, {"reform_status": "not_applicable", "reform_reason": "园区无此任务"})
    data = application.sections.get(code="tasks").data
    assert data["reform_status"] == "not_applicable" and data["reform_reason"] == "园区无此任务"


def test_section_edit_saves_the_declarations_when_ticked(world, login):
    application = _draft(world)
    client = login(world.staff_a)
    url = _url("applications:section-edit", application, "declarations")
    assert 'class="declaration' in client.get(url).content.decode()
    client.post(url, {"statistics_capability": "on", "declarant": "主任"})
    data = application.sections.get(code="declarations").data
    assert data["statistics_capability"] is True and data["no_major_accident"] is False


def test_section_edit_answers_404_when_the_section_is_not_a_form(world, login):
    response = login(world.staff_a).get(_url("applications:section-edit", _draft(world), "energy"))
    assert response.status_code == 404


def test_section_edit_shows_stored_values_read_only_when_reviewer(world, login):
    application = ready_application(staff=world.staff_a)
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    html = (
        login(world.reviewer_a)
        .get(_url("applications:section-edit", application, "projects"))
        .content.decode()
    )
    assert "园区分布式光伏二期" in html and ">48000<" in html


def test_feasibility_page_shows_the_projection_supply_mix_and_economics_when_complete(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:section-edit", application, "feasibility"))
    analysis = response.context["analysis"]
    assert [item["row"].year for item in analysis["trajectory"]] == list(range(2025, 2031))
    assert analysis["achievements"] and analysis["economics"].npv_wan is not None
    assert analysis["supply"].clean_share_pct > 80
    html = response.content.decode()
    assert 'id="trajectory-table"' in html and "<svg" in html and 'id="cash-flow-table"' in html


# --- Energy years -------------------------------------------------------------------------------


def test_energy_year_stores_the_dataset_when_a_valid_json_is_uploaded(world, login, factor_data):
    application = _draft(world)
    url = _url("applications:energy-year", application, 2024)
    response = login(world.staff_a).post(url, {"file": _json_upload(dataset_document(year=2024))})
    assert response.status_code == 302 and response["Location"] == url
    assert ParkDataset.objects.get(park=world.park_a, year=2024).document["energy"]


def test_energy_year_names_the_sheet_and_cell_when_the_workbook_has_a_negative_quantity(
    world, login, factor_data
):
    document = dataset_document(year=2025)
    document["energy"][0]["quantity"] = "-5"
    workbook = export_workbook(dataset=document, result=None, factor_set=factor_set_current_record().document)
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025),
        {"file": SimpleUploadedFile("能源.xlsx", workbook)},
    )
    errors = response.context["upload_errors"]
    assert errors and errors[0]["sheet"] and errors[0]["cell"]
    assert f"{errors[0]['sheet']} {errors[0]['cell']}" in response.content.decode()
    assert not ParkDataset.objects.exists()


def test_energy_year_names_the_path_when_the_json_has_engine_errors(world, login, factor_data):
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025),
        {"file": _json_upload(invalid_dataset_document())},
    )
    paths = [error["path"] for error in response.context["upload_errors"]]
    assert "energy[0].quantity" in paths and "energy[1].carrier" in paths
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_the_document_when_its_year_differs(world, login, factor_data):
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2023),
        {"file": _json_upload(dataset_document(year=2024))},
    )
    assert [e["path"] for e in response.context["upload_errors"]] == ["year"]
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_a_file_that_is_not_json_or_excel(world, login, factor_data):
    upload = SimpleUploadedFile("data.csv", b"a,b\n1,2\n")
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025), {"file": upload}
    )
    assert response.context["form"].errors["file"]
    assert not ParkDataset.objects.exists()


def test_energy_year_refuses_broken_json_with_a_message(world, login, factor_data):
    upload = SimpleUploadedFile("data.json", b'{"year": 2025,')
    response = login(world.staff_a).post(
        _url("applications:energy-year", _draft(world), 2025), {"file": upload}
    )
    assert "JSON" in response.context["upload_errors"][0]["message"]


def test_energy_year_answers_404_when_the_year_is_not_a_dossier_year(world, login):
    assert login(world.staff_a).get(_url("applications:energy-year", _draft(world), 2022)).status_code == 404


def test_energy_year_shows_the_stored_summary_when_computed(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.reviewer_a).get(_url("applications:energy-year", application, 2025))
    summary = response.context["summary"]
    assert [(row["carrier"], row["use"]) for row in summary["energy"]] == [
        ("natural_gas", "fuel"),
        ("diesel", "fuel"),
    ]
    assert summary["purchased_total_mwh"] == 50000 + 63000 + 217000
    assert response.context["state"].state == "computed"
    assert 'id="energy-upload-form"' not in response.content.decode()


def test_energy_page_lists_each_year_with_its_state(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:section-energy", application))
    assert [(y.year, y.state) for y in response.context["years"]] == [
        (2023, "computed"),
        (2024, "computed"),
        (2025, "computed"),
    ]


def test_energy_year_download_sends_the_stored_json_under_the_park_name(world, login):
    application = ready_application(staff=world.staff_a)
    response = login(world.reviewer_a).get(_url("applications:energy-year-download", application, 2024))
    assert json.loads(response.content)["year"] == 2024
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_energy_year_template_is_prefilled_for_the_park(world, login, factor_data):
    response = login(world.staff_a).get(_url("applications:energy-year-template", _draft(world), 2025))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


# --- Emissions ----------------------------------------------------------------------------------


def test_emissions_page_shows_each_year_by_source_and_the_charts_when_computed(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.observer).get(
        _url("applications:section-emissions", _submitted(application, world))
    )
    years = response.context["years"]
    assert all(row["computed"] for row in years)
    assert years[2]["net"] == sum(v for v in years[2]["by_source"].values() if v) - years[2]["offsets"]
    html = response.content.decode()
    assert html.count("<svg") == 3 and 'id="structure-table"' in html


def test_emissions_page_says_what_would_make_the_failing_base_year_pass(world, login):
    """2025: 53064.97 tCO2 over 121380.67 tce is 0.4372 > 0.4, i.e. 4512.70 tCO2 too many: 5420.67 MWh of
    green power instead of grid power at 0.8325 (rounded up), or as much CCER — more than the 5 % cap
    (2653.25 tCO2) allows."""
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:section-emissions", application))
    to_pass = response.context["to_pass"]
    assert (to_pass["excess_tco2"], to_pass["green_power_mwh"], to_pass["green_power_enough"]) == (
        "4512.71",
        "5420.67",
        True,
    )
    assert (to_pass["ccer_headroom_tco2"], to_pass["ccer_within_cap"]) == ("2653.25", False)
    html = response.content.decode()
    assert 'id="to-pass"' in html and "5420.67" in html and "2653.25" in html


def test_emissions_page_names_the_missing_years_when_not_computed(world, login):
    response = login(world.staff_a).get(_url("applications:section-emissions", _draft(world)))
    assert response.context["missing_years"] == [2023, 2024, 2025]
    assert 'id="emissions-missing"' in response.content.decode()


def _submitted(application, world):
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    return application


# --- Attachments --------------------------------------------------------------------------------


def _pdf(name="证明.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_attachment_upload_stores_the_file_when_valid(world, login):
    application = _draft(world)
    url = _url("applications:section-attachments", application)
    response = login(world.staff_a).post(url, {"kind": "zone_approval", "title": "批复", "file": _pdf()})
    assert response.status_code == 302
    attachment = application.attachments.get()
    assert (attachment.kind, attachment.original_name, attachment.title) == (
        "zone_approval",
        "证明.pdf",
        "批复",
    )


@override_settings(ATTACHMENT_MAX_BYTES=20)
def test_attachment_upload_refuses_the_file_when_it_is_too_large(world, login):
    application = _draft(world)
    response = login(world.staff_a).post(
        _url("applications:section-attachments", application), {"kind": "other", "file": _pdf()}
    )
    assert response.status_code == 200
    assert "上限" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_attachment_upload_refuses_the_file_when_its_type_is_not_allowed(world, login):
    application = _draft(world)
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = login(world.staff_a).post(
        _url("applications:section-attachments", application), {"kind": "other", "file": upload}
    )
    assert "允许的文件类型" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()


def test_attachment_page_marks_the_required_types_when_missing(world, login):
    response = login(world.staff_a).get(_url("applications:section-attachments", _draft(world)))
    assert response.context["required"] == [
        {"kind": "zone_approval", "label": "开发区批复文件或目录证明", "present": False}
    ]


def test_attachment_download_sends_the_original_chinese_name_when_reader(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="园区批复.pdf"
    )
    _submitted(application, world)
    response = login(world.reviewer_a).get(
        reverse("applications:attachment-download", args=[application.pk, attachment.pk])
    )
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%9B%AD%E5%8C%BA%E6%89%B9%E5%A4%8D.pdf"
    )
    assert response["Content-Type"] == "application/pdf"


def test_attachment_download_answers_404_when_outside_scope(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-download", args=[application.pk, attachment.pk])
    assert login(world.staff_b).get(url).status_code == 404
    other = ApplicationFactory(park=world.park_a)
    assert (
        login(world.staff_a)
        .get(reverse("applications:attachment-download", args=[other.pk, attachment.pk]))
        .status_code
        == 404
    )


def test_attachment_delete_removes_the_file_when_staff(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    assert login(world.staff_a).get(url).status_code == 405
    assert login(world.staff_a).post(url).status_code == 302
    assert not application.attachments.exists()


def test_attachment_delete_answers_403_when_reader(world, login):
    application = _draft(world)
    attachment = services.attachment_add(
        by=world.staff_a, application=application, kind="other", file=_pdf(), name="a.pdf"
    )
    url = reverse("applications:attachment-delete", args=[application.pk, attachment.pk])
    assert login(world.province).post(url).status_code == 403
    assert application.attachments.exists()


def test_feasibility_analysis_works_from_a_revision_snapshot(world, actors_a):
    from applications.selectors.feasibility_page import feasibility_analysis
    from tests.applications.factories import application_in

    application = application_in(ApplicationStatus.SUBMITTED, actors=actors_a)
    snapshot = application.revisions.get().snapshot
    analysis = feasibility_analysis(
        sections=snapshot["sections"],
        result_2025=snapshot["results"].get("2025"),
        park_type=snapshot["park"]["park_type"],
    )
    assert analysis["baseline"] is not None and not analysis["notes"]
    assert analysis["trajectory"][0]["row"].energy_tce == analysis["baseline"].energy_tce.quantize(
        Decimal("0.01")
    )


def test_overview_section_shows_the_registered_boundary_polygon_when_the_park_has_one(world, login):
    world.park_a.boundary_geojson = {
        "type": "Polygon",
        "coordinates": [[[115.84, 28.74], [115.88, 28.74], [115.86, 28.78], [115.84, 28.74]]],
    }
    world.park_a.save()
    html = (
        login(world.reviewer_a)
        .get(_url("applications:section-edit", _draft(world), "overview"))
        .content.decode()
    )
    assert 'id="boundary-polygon"' in html and "<polygon points=" in html
