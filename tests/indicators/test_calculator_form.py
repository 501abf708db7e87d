"""The calculator's blank form: every block of a zcpark.dataset/2 document reaches the dataset and result."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.indicators.calculator_helpers import ENERGY_ROW, _form, _post

pytestmark = pytest.mark.django_db


def test_blank_form_computes_a_dataset(factors, world, login):
    data = {
        "mode": "form",
        "park_type": "non_chemical",
        "year": "2025",
        "el_grid": "1000",
        "el_green_direct": "1000",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "200",
        "form-0-carrier": "natural_gas",
        "form-0-quantity": "10",
        "form-0-unit": "10^4 Nm3",
        "form-0-use": "fuel",
    }
    response = _post(login(world.observer), **data)
    result = response.context["result"]
    # 10 × 12.143 + 2000 × 0.3007 (等价值, 2022)
    assert result["totals"]["energy_tce"] == "722.83"


def test_blank_form_offers_every_use_and_electricity_item_of_the_engine():
    from indicators.calculator_forms import ELECTRICITY_LABELS, USE_CHOICES
    from indicators.engine.dataset import ELECTRICITY_KEYS, USES

    assert {value for value, _label in USE_CHOICES} == set(USES)
    assert set(ELECTRICITY_LABELS) == set(ELECTRICITY_KEYS)


# --- the blank form covers every block of a zcpark.dataset/2 document -----------------------------


# Every block of the contract, on the form (with an empty row between filled ones) and by hand.
FULL_FORM = _form(
    park_name="全要素测试园",
    grid_ef_basis="national_average",
    factor_year="2023",
    electricity_tce_basis="calorific",
    feedstock_in_energy="false",
    certificates_as_green_power="false",
    renewable_export_at_grid_factor="false",
    energy=[
        {**ENERGY_ROW, "quantity": "2000", "enterprise": "某化工公司"},
        {"carrier": "crude_oil", "quantity": "206", "unit": "10^4 t", "use": "transform_in"}
        | {"ncv": "41.816", "cc": "0.0200"},
        {},
        {"carrier": "gasoline", "quantity": "600000", "unit": "t", "use": "transform_out", "of": "1"},
        {"carrier": "bituminous", "quantity": "1000", "unit": "t", "use": "power_heat"}
        | {"ncv": "20.5", "cc": "0.026", "of": "0.95"},
        {"carrier": "biomass", "quantity": "500", "unit": "t", "use": "fuel", "ncv": "15"},
        {"carrier": "diesel", "quantity": "100", "unit": "t", "use": "feedstock"},
        {"carrier": "fuel_oil", "quantity": "50", "unit": "t", "use": "bunker"},
    ],
    el_grid="50000",
    el_green_direct="8000",
    el_green_trade="5000",
    el_certificates="3000",
    el_onsite_renewable="2000",
    el_onsite_fossil="1500",
    el_export="1000",
    el_export_renewable="400",
    el_export_green="300",
    heat_purchased="10000",
    heat_purchased_renewable="2000",
    heat_export="1000",
    heat_export_renewable="500",
    heat_purchased_ef_tco2_per_gj="0.1",
    heat_export_ef_tco2_per_gj="0.12",
    process=[
        {"product": "合成氨", "quantity_t": "30000", "ef_tco2_per_t": "1.104"}
        | {"basis": "按原料天然气碳平衡测算", "enterprise": "某化肥厂"},
        {},
        {"product": "水泥熟料", "quantity_t": "10000", "ef_tco2_per_t": "0.52", "basis": "企业实测"},
    ],
    direct=[
        {"kind": "process", "source": "石灰石煅烧（实测）", "tco2": "1200"},
        {"kind": "conversion", "source": "催化裂化烧焦（实测）", "tco2": "5200"},
    ],
    ccer="1000",
    res_generated="1000",
    res_utilized="850",
    res_from_storage="50",
    res_fresh_intake="100000",
    res_reused="400000",
    res_heat_recoverable="500",
    res_heat_utilized="300",
    res_cold_recoverable="100",
    res_cold_utilized="20",
    res_pressure_recoverable="50",
    res_pressure_utilized="40",
    res_freight_clean="8000",
    res_freight_total="10000",
    res_vehicles_new_energy="45",
    res_vehicles_total="50",
    res_green_buildings="2",
    products=[
        {"name": "水泥熟料", "standard": "GB 16780", "value": "105", "grade2_limit": "107"},
        {"name": "合成氨", "standard": "GB 21344", "value": "1500", "grade2_limit": "1400"},
    ],
    exempt_clean_transport_share="园区无大宗货运",
    exempt_water_reuse="   ",
)
FULL_JSON = """{
  "schema": "zcpark.dataset/2",
  "park": {"name": "全要素测试园", "park_type": "non_chemical"},
  "year": 2025,
  "method": {"grid_ef_basis": "national_average", "factor_year": 2023, "grid_ef_tco2_per_mwh": null,
             "electricity_tce_basis": "calorific", "feedstock_in_energy": false,
             "certificates_as_green_power": false, "renewable_export_at_grid_factor": false},
  "energy": [
    {"carrier": "natural_gas", "quantity": 2000, "unit": "10^4 Nm3", "use": "fuel", "enterprise": "某化工公司"},
    {"carrier": "crude_oil", "quantity": "206", "unit": "10^4 t", "use": "transform_in",
     "ncv": "41.816", "cc": "0.0200"},
    {"carrier": "gasoline", "quantity": "600000", "unit": "t", "use": "transform_out", "of": 1},
    {"carrier": "bituminous", "quantity": "1000", "unit": "t", "use": "power_heat",
     "ncv": "20.5", "cc": "0.026", "of": "0.95"},
    {"carrier": "biomass", "quantity": "500", "unit": "t", "use": "fuel", "ncv": "15"},
    {"carrier": "diesel", "quantity": "100", "unit": "t", "use": "feedstock"},
    {"carrier": "fuel_oil", "quantity": "50", "unit": "t", "use": "bunker"}
  ],
  "electricity_mwh": {"grid": "50000", "green_direct": "8000", "green_trade": "5000", "certificates": "3000",
                      "onsite_renewable": "2000", "onsite_fossil": "1500", "export": "1000",
                      "export_renewable": "400", "export_green": "300"},
  "heat_gj": {"purchased": "10000", "purchased_renewable": "2000", "export": "1000", "export_renewable": "500",
              "purchased_ef_tco2_per_gj": "0.1", "export_ef_tco2_per_gj": "0.12"},
  "process": [
    {"product": "合成氨", "quantity_t": "30000", "ef_tco2_per_t": "1.104", "basis": "按原料天然气碳平衡测算",
     "enterprise": "某化肥厂"},
    {"product": "水泥熟料", "quantity_t": "10000", "ef_tco2_per_t": "0.52", "basis": "企业实测"}
  ],
  "direct_emissions": [
    {"kind": "process", "source": "石灰石煅烧（实测）", "tco2": "1200"},
    {"kind": "conversion", "source": "催化裂化烧焦（实测）", "tco2": "5200"}
  ],
  "offsets_tco2": {"ccer": "1000"},
  "resources": {
    "solid_waste_t": {"generated": "1000", "utilized": "850", "utilized_from_storage": "50"},
    "water_m3": {"fresh_intake": "100000", "reused": "400000"},
    "waste_energy_tce": {"heat": {"recoverable": "500", "utilized": "300"},
                         "cold": {"recoverable": "100", "utilized": "20"},
                         "pressure": {"recoverable": "50", "utilized": "40"}},
    "freight_t": {"clean": "8000", "total": "10000"},
    "public_vehicles": {"new_energy": 45, "total": 50},
    "green_buildings": 2,
    "products": [{"name": "水泥熟料", "standard": "GB 16780", "value": "105", "grade2_limit": "107"},
                 {"name": "合成氨", "standard": "GB 21344", "value": "1500", "grade2_limit": "1400"}]
  },
  "exemptions": {"clean_transport_share": "园区无大宗货运"}
}"""


def _dataset_of(response):
    return json.loads(response.context["dataset_json"])


def test_blank_form_with_every_block_computes_what_the_same_pasted_json_does(factors, world, login):
    client = login(world.staff_a)
    by_form = _post(client, **FULL_FORM)
    assert not by_form.context.get("input_errors"), by_form.context.get("input_errors")
    by_paste = _post(client, mode="paste", text=FULL_JSON)
    form_result, paste_result = by_form.context["result"], by_paste.context["result"]
    assert form_result["totals"] == paste_result["totals"]
    assert form_result["indicators"] == paste_result["indicators"]
    assert form_result["factors"] == paste_result["factors"]
    # Every block made it into the form's document (and the empty rows did not).
    dataset = _dataset_of(by_form)
    assert set(dataset) == set(json.loads(FULL_JSON))
    assert len(dataset["energy"]) == 7 and len(dataset["process"]) == 2
    assert dataset["energy"][1] == {
        "carrier": "crude_oil",
        "quantity": "206",
        "unit": "10^4 t",
        "use": "transform_in",
        "ncv": "41.816",
        "cc": "0.0200",
    }
    assert dataset["method"]["factor_year"] == 2023 and dataset["method"]["feedstock_in_energy"] is False
    assert dataset["resources"]["public_vehicles"] == {"new_energy": 45, "total": 50}
    # The blank reason exempts nothing; the given one does.
    assert dataset["exemptions"] == {"clean_transport_share": "园区无大宗货运"}
    totals = form_result["totals"]
    assert totals["by_source_tco2"]["process"] != "0.00" and totals["by_source_tco2"]["transform"] != "0.00"
    assert totals["offsets_tco2"] == "1000.00" and totals["bunker_tco2"] != "0.00"


def test_blank_form_leaves_out_an_empty_resources_block_and_keeps_a_partly_filled_one(factors, world, login):
    client = login(world.observer)
    empty = _post(client, **_form(energy=[ENERGY_ROW]))
    assert "resources" not in _dataset_of(empty)
    statuses = {i["code"]: i["status"] for i in empty.context["result"]["indicators"]}
    assert statuses["water_reuse"] == statuses["solid_waste_utilization"] == "no_data"
    assert statuses["product_energy_grade"] == "no_data"

    partly = _post(
        client,
        **_form(energy=[ENERGY_ROW], res_reused="300", res_heat_recoverable="10"),
    )
    resources = _dataset_of(partly)["resources"]
    assert resources == {"water_m3": {"reused": "300"}, "waste_energy_tce": {"heat": {"recoverable": "10"}}}
    indicators = {i["code"]: i for i in partly.context["result"]["indicators"]}
    assert indicators["water_reuse"]["value"] == "100.00"  # absent fresh_intake is 0 inside the block
    assert indicators["waste_energy_utilization"]["status"] == "fail"
    assert indicators["solid_waste_utilization"]["status"] == "no_data"
    assert indicators["clean_transport_share"]["status"] == "no_data"


def test_blank_form_green_buildings_zero_is_data_not_absence(factors, world, login):
    response = _post(login(world.observer), **_form(energy=[ENERGY_ROW], res_green_buildings="0"))
    assert _dataset_of(response)["resources"] == {"green_buildings": 0}
    status = {i["code"]: i["status"] for i in response.context["result"]["indicators"]}
    assert status["green_buildings"] == "fail"


def test_blank_form_exemption_reasons_reach_the_result(factors, world, login):
    response = _post(
        login(world.observer),
        **_form(
            energy=[ENERGY_ROW],
            exempt_public_nev_share="园区无公共服务车辆",
            exempt_offset_share="未使用抵销",
            exempt_water_reuse="",
        ),
    )
    assert _dataset_of(response)["exemptions"] == {
        "public_nev_share": "园区无公共服务车辆",
        "offset_share": "未使用抵销",
    }
    indicators = {i["code"]: i for i in response.context["result"]["indicators"]}
    assert indicators["public_nev_share"]["status"] == "exempt"
    assert indicators["public_nev_share"]["value"] is None
    assert indicators["public_nev_share"]["exempt_reason"] == "园区无公共服务车辆"
    assert indicators["offset_share"]["status"] == "exempt"
    assert indicators["water_reuse"]["status"] == "no_data"
    assert "园区无公共服务车辆" in response.content.decode()


def test_blank_form_offers_no_exemption_of_the_core_indicator(factors, world, login):
    form = login(world.observer).get(reverse("indicators:calculator")).context["dataset_forms"].exemptions
    assert "exempt_carbon_per_energy" not in form.fields
    assert len(form.fields) == 10


def test_blank_form_method_settings_reach_the_result_factors(factors, world, login):
    response = _post(
        login(world.observer),
        **_form(
            energy=[ENERGY_ROW],
            el_grid="1000",
            grid_ef_basis="custom",
            grid_ef_tco2_per_mwh="0.6",
            electricity_tce_basis="calorific",
            feedstock_in_energy="false",
            certificates_as_green_power="false",
            renewable_export_at_grid_factor="false",
        ),
    )
    factors_used = response.context["result"]["factors"]
    assert factors_used["electricity_tce_basis"] == "calorific"
    assert factors_used["electricity_tce_per_mwh"] == "0.1229"
    assert factors_used["grid_ef_basis"] == "custom"
    assert Decimal(factors_used["grid_ef_tco2_per_mwh"]) == Decimal("0.6")
    assert factors_used["feedstock_in_energy"] is False
    assert factors_used["certificates_as_green_power"] is False
    assert factors_used["renewable_export_at_grid_factor"] is False
    # 10 × 12.143 + 1000 × 0.1229 (当量值)
    assert response.context["result"]["totals"]["energy_tce"] == "244.33"


def test_blank_form_default_choices_leave_the_method_keys_out(factors, world, login):
    response = _post(login(world.observer), **_form(energy=[ENERGY_ROW]))
    assert "method" not in _dataset_of(response)
    factors_used = response.context["result"]["factors"]
    assert factors_used["electricity_tce_basis"] == "equivalent"
    assert factors_used["grid_ef_basis"] == "national_fossil_fixed"
    assert factors_used["renewable_export_at_grid_factor"] is True


def test_blank_form_has_a_field_for_every_key_of_the_contract():
    from indicators.calculator_forms import (
        EnergyRowForm,
        MethodForm,
        ProcessRowForm,
        ProductRowForm,
        ResourcesForm,
        SupplyForm,
    )
    from indicators.engine.dataset import (
        ELECTRICITY_KEYS,
        HEAT_FACTOR_KEYS,
        HEAT_KEYS,
        METHOD_KEYS,
        RESOURCE_KEYS,
        ROW_KEYS,
    )

    assert {path[1] for path in MethodForm.PATHS.values()} == METHOD_KEYS
    supply = set(SupplyForm.PATHS.values())
    assert supply == {("electricity_mwh", k) for k in ELECTRICITY_KEYS} | {
        ("heat_gj", k) for k in (*HEAT_KEYS, *HEAT_FACTOR_KEYS)
    }
    assert {path[1] for path in ResourcesForm.PATHS.values()} | {"products"} == RESOURCE_KEYS
    assert set(EnergyRowForm.KEYS.values()) == ROW_KEYS
    assert set(ProcessRowForm.KEYS.values()) == {
        "product",
        "quantity_t",
        "ef_tco2_per_t",
        "basis",
        "enterprise",
    }
    assert set(ProductRowForm.KEYS.values()) == {"name", "standard", "value", "grade2_limit"}


def test_blank_form_page_groups_the_blocks_in_sections_with_rows_to_add(factors, world, login):
    html = login(world.observer).get(reverse("indicators:calculator")).content.decode()
    for key in (
        "basics",
        "method",
        "energy",
        "supply",
        "process",
        "direct",
        "offsets",
        "resources",
        "exemptions",
    ):
        assert f'id="section-{key}"' in html
    for prefix in ("form", "process", "direct", "product"):
        assert f'id="id_{prefix}-TOTAL_FORMS"' in html
        assert f'<template id="empty-{prefix}">' in html and f'data-add-row="{prefix}"' in html
