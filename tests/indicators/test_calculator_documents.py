"""The calculator page: sign-in, uploaded JSON or Excel, pasted JSON and the downloads; nothing stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import IndicatorResult, ParkDataset
from indicators.selectors import factor_set_current_record
from indicators.templatetags.zc_format import format_number
from indicators.workbook import export_workbook
from tests.indicators.calculator_helpers import _post
from tests.indicators.cases import case

pytestmark = pytest.mark.django_db


def test_calculator_page_needs_sign_in(factors, client):
    assert client.get(reverse("indicators:calculator")).status_code == 302


def test_calculator_page_opens_for_every_role(factors, world, login):
    for user in world.users().values():
        assert login(user).get(reverse("indicators:calculator")).status_code == 200


def test_uploaded_json_shows_the_indicator_table_and_verdict(factors, world, login):
    dataset, _ = case("pub-04-chp-net-exporter")
    upload = SimpleUploadedFile("pub-04.json", dataset, content_type="application/json")
    response = _post(login(world.staff_a), mode="upload", file=upload)
    result = response.context["result"]
    assert result["indicators"][0]["value"] == "1.4097"
    html = response.content.decode()
    assert 'id="core-verdict"' in html and "alert-danger" in html
    # What it would take, in words, from the engine's numbers (rounded up).
    assert 'id="to-pass"' in html and format_number(result["to_pass"]["green_power_mwh"]) in html
    assert 'id="indicator-table"' in html and 'id="sensitivity"' in html
    assert ParkDataset.objects.count() == IndicatorResult.objects.count() == 0


def test_uploaded_workbook_is_computed_like_its_json(factors, world, login):
    dataset, expected = case("pub-03-refinery-transform-process")
    from indicators.engine import loads

    workbook = export_workbook(
        dataset=loads(dataset), result=None, factor_set=factor_set_current_record().document
    )
    upload = SimpleUploadedFile("park.xlsx", workbook)
    response = _post(login(world.staff_a), mode="upload", file=upload)
    assert response.context["result"]["totals"]["energy_tce"] == expected["result"]["totals"]["energy_tce"]


def test_workbook_errors_name_the_sheet_and_cell(factors, world, login):
    from indicators.engine import loads

    dataset = loads(case("pub-01-electric-park")[0])
    dataset["energy"][0]["quantity"] = "-5"
    workbook = export_workbook(dataset=dataset, result=None, factor_set=factor_set_current_record().document)
    response = _post(login(world.staff_a), mode="upload", file=SimpleUploadedFile("bad.xlsx", workbook))
    errors = response.context["input_errors"]
    assert errors and errors[0]["sheet"] and errors[0]["cell"]
    assert "result" not in response.context


def test_engine_errors_of_an_uploaded_workbook_name_the_sheet_and_cell(factors, world, login):
    from indicators.engine import loads
    from indicators.workbook import labels as L

    dataset = loads(case("pub-01-electric-park")[0])
    dataset["resources"]["solid_waste_t"] = {"generated": "100", "utilized": "500"}  # the engine's check
    workbook = export_workbook(dataset=dataset, result=None, factor_set=factor_set_current_record().document)
    response = _post(login(world.staff_a), mode="upload", file=SimpleUploadedFile("park.xlsx", workbook))
    row = L.RESOURCE_ROWS[("solid_waste_t", "utilized")]
    assert response.context["input_errors"] == [
        {
            "path": "resources.solid_waste_t.utilized",
            "code": "exceeds_available",
            "message": response.context["input_errors"][0]["message"],
            "sheet": L.SHEET_RESOURCES,
            "cell": f"B{row}",
        }
    ]
    assert f"{L.SHEET_RESOURCES} B{row}" in response.content.decode()
    assert "result" not in response.context


def test_engine_errors_of_pasted_json_keep_only_their_paths(factors, world, login):
    from indicators.engine import dumps, loads

    dataset = loads(case("pub-01-electric-park")[0])
    dataset["resources"]["solid_waste_t"] = {"generated": "100", "utilized": "500"}
    response = _post(login(world.staff_a), mode="paste", text=dumps(dataset))
    errors = response.context["input_errors"]
    assert [(e["path"], e["code"]) for e in errors] == [
        ("resources.solid_waste_t.utilized", "exceeds_available")
    ]
    assert "sheet" not in errors[0]


def test_pasted_json_errors_are_listed_with_their_paths(factors, world, login):
    dataset, _ = case("pub-07-input-errors")
    response = _post(login(world.expert), mode="paste", text=dataset.decode())
    paths = {e["path"] for e in response.context["input_errors"]}
    assert "energy[1].carrier" in paths
    assert 'id="input-errors"' in response.content.decode()


def test_pasted_text_that_is_not_json_is_reported(factors, world, login):
    response = _post(login(world.expert), mode="paste", text="{nope")
    assert response.context["input_errors"][0]["code"] == "invalid"


def test_downloads_give_json_and_excel_with_the_result(factors, world, login):
    dataset, _ = case("pub-01-electric-park")
    client = login(world.staff_a)
    url = reverse("indicators:calculator-download")
    as_json = client.post(url, {"dataset": dataset.decode(), "scheme": "jiangxi-2025", "format": "json"})
    assert as_json.json()["totals"]["energy_tce"] == "307062.92"
    as_xlsx = client.post(url, {"dataset": dataset.decode(), "scheme": "jiangxi-2025", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(as_xlsx.content))
    assert "指标结果" in workbook.sheetnames


def test_template_download_is_an_excel_workbook(factors, world, login):
    response = login(world.staff_a).get(reverse("indicators:calculator-template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert "能源消费" in workbook.sheetnames
