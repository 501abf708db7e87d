"""The dossier's form sections: saving, errors, targets, tasks, declarations, feasibility and emissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from applications.models import ApplicationStatus, DossierSection, SectionCode
from tests.applications.dossier_helpers import _computed, _draft, _submitted, _url
from tests.applications.factories import ready_application

pytestmark = pytest.mark.django_db


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
    assert "园区分布式光伏二期" in html and ">48,000<" in html


def test_feasibility_page_shows_the_projection_supply_mix_and_economics_when_complete(world, login):
    application = _computed(ready_application(staff=world.staff_a))
    response = login(world.staff_a).get(_url("applications:section-edit", application, "feasibility"))
    analysis = response.context["analysis"]
    assert [item["row"].year for item in analysis["trajectory"]] == list(range(2025, 2031))
    assert analysis["achievements"] and analysis["economics"].npv_wan is not None
    assert analysis["supply"].clean_share_pct > 80
    html = response.content.decode()
    assert 'id="trajectory-table"' in html and "<svg" in html and 'id="cash-flow-table"' in html


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
    # three charts, each drawn at the three widths a card can have (phone, tablet, desktop)
    assert html.count("<svg") == 9 and 'id="structure-table"' in html


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
    assert 'id="to-pass"' in html and "5,420.67" in html and "2,653.25" in html


def test_emissions_page_names_the_missing_years_when_not_computed(world, login):
    response = login(world.staff_a).get(_url("applications:section-emissions", _draft(world)))
    assert response.context["missing_years"] == [2023, 2024, 2025]
    assert 'id="emissions-missing"' in response.content.decode()


def test_a_share_target_over_100_is_refused_at_its_year_but_a_building_count_is_not():
    from applications.dossier.sections import _targets_errors

    data = {
        "targets": [
            {"indicator": "clean_energy_share", "y2026": "100", "y2027": "100.5"},
            {"indicator": "green_buildings", "y2026": "150"},
        ]
    }
    with translation.override("en"):
        errors = _targets_errors(data)
    assert errors == {"targets.1.y2027": ["Must be at most 100."]}
