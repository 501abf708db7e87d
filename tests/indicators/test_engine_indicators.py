"""Indicators under both schemes (docs/accounting.md §3): thresholds, tiers, status on reported values,
advisories, no data, exemptions, caps, offsets and the final checks, and the result document (§6)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.indicators.engine_helpers import (
    ELECTRIC_ONLY,
    biomass,
    error_pairs,
    errors,
    indicator,
    run,
    v2,
)

D = Decimal


# --- §3.1 schemes: thresholds, tiers, status ---------------------------------------------------------


def test_core_threshold_depends_on_park_type_in_jiangxi_only():
    chemical = indicator(run(v2(park={"park_type": "chemical"})), "carbon_per_energy")
    plain = indicator(run(v2()), "carbon_per_energy")
    national = run(v2(park={"park_type": "chemical"}, energy=[biomass("300000")]), "national-2025")
    assert indicator(national, "carbon_per_energy")["threshold"] == {"op": "<=", "value": "0.2"}
    assert (chemical["threshold"], plain["threshold"]) == (
        {"op": "<=", "value": "0.6"},
        {"op": "<=", "value": "0.4"},
    )


@pytest.mark.parametrize(
    ("energy_tce", "notes"),
    [
        ("99999.994", ["below_tier"]),  # reported 99999.99
        ("99999.995", []),  # reported 100000.00: in the tier
    ],
)
def test_jiangxi_notes_parks_below_the_tier_on_the_rounded_energy_and_still_judges_them(energy_tce, notes):
    result = run(v2(energy=[biomass(energy_tce)], electricity_mwh=None))
    core = indicator(result, "carbon_per_energy")
    assert (core["value"], core["status"], core["notes"]) == ("0.0000", "pass", notes)


@pytest.mark.parametrize(
    ("energy_tce", "status", "threshold", "notes"),
    [
        ("199999.994", "not_applicable", "0.2", ["below_tier"]),  # reported 199999.99
        ("12143", "not_applicable", "0.2", ["below_tier"]),
        ("199999.995", "pass", "0.2", []),  # reported 200000.00
        ("999999.994", "pass", "0.2", []),
        ("999999.995", "pass", "0.3", []),  # reported 1000000.00
        ("5000000", "pass", "0.3", []),
    ],
)
def test_national_tiers_use_the_rounded_energy(energy_tce, status, threshold, notes):
    result = run(v2(energy=[biomass(energy_tce)], electricity_mwh=None), "national-2025")
    core = indicator(result, "carbon_per_energy")
    assert (core["status"], core["threshold"], core["notes"]) == (
        status,
        {"op": "<=", "value": threshold},
        notes,
    )
    assert core["value"] == (None if status == "not_applicable" else "0.0000")
    assert result["core_passed"] is (status == "pass")


def test_national_core_is_on_gross_emissions_and_jiangxi_on_net():
    process = [{"product": "合成氨", "quantity_t": "30000", "ef_tco2_per_t": "1", "basis": "实测"}]
    doc = v2(
        energy=[biomass("300000")], electricity_mwh=None, process=process, offsets_tco2={"ccer": "10000"}
    )
    national = run(doc, "national-2025")
    assert indicator(national, "carbon_per_energy")["value"] == "0.1000"  # 30000 / 300000
    assert indicator(run(doc), "carbon_per_energy")["value"] == "0.0667"  # (30000 − 10000) / 300000
    assert national["totals"]["emissions_net_tco2"] == "20000.00"  # E_net is reported in both
    assert [i["code"] for i in national["indicators"]] == [
        "carbon_per_energy",
        "clean_energy_share",
        "product_energy_grade",
        "solid_waste_utilization",
        "water_reuse",
        "waste_energy_utilization",
    ]


@pytest.mark.parametrize(
    ("grid_ef", "value", "status"),
    [
        ("0.120292028", "0.4000", "pass"),  # 0.120292028 / 0.3007 = 0.40004 → 0.4000 ≤ 0.4
        ("0.120295035", "0.4001", "fail"),  # 0.40005 rounds half-up to 0.4001
    ],
)
def test_core_status_compares_the_rounded_value(grid_ef, value, status):
    method = {"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": grid_ef}
    result = run(v2(method=method, **ELECTRIC_ONLY))
    core = indicator(result, "carbon_per_energy")
    assert (core["value"], core["status"]) == (value, status)
    assert result["core_passed"] is (status == "pass")


@pytest.mark.parametrize(
    ("water", "value", "status"),
    [
        ({"fresh_intake": "20005", "reused": "79995"}, "80.00", "pass"),  # 79.995 → 80.00 ≥ 80
        ({"fresh_intake": "20006", "reused": "79994"}, "79.99", "fail"),
        ({"fresh_intake": "1", "reused": "7"}, "87.50", "pass"),
    ],
)
def test_guiding_status_compares_the_rounded_value(water, value, status):
    item = indicator(run(v2(resources={"water_m3": water})), "water_reuse")
    assert (item["value"], item["status"]) == (value, status)


# --- §3.3 advisories ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("electricity", "advisory_value"),
    [
        ({"green_direct": "49994", "grid": "50006"}, "49.99"),  # 49.994 %
        ({"green_direct": "49995", "grid": "50005"}, None),  # 49.995 % reports as 50.00
        ({"green_direct": "20000", "onsite_renewable": "50000", "grid": "30000"}, None),  # 70 %
        (None, None),  # no electricity used: no data, no advisory
    ],
)
def test_national_advisory_on_green_power_direct_share_below_50(electricity, advisory_value):
    doc = v2(energy=[biomass("300000")], electricity_mwh=electricity)
    national = run(doc, "national-2025")
    if advisory_value is None:
        assert national["advisories"] == []
    else:
        (advisory,) = national["advisories"]
        assert (advisory["code"], advisory["value"], advisory["threshold"]) == (
            "green_power_direct_below_50",
            advisory_value,
            {"op": ">=", "value": "50"},
        )
        assert advisory["message"]
    assert national["core_passed"] is True  # an advisory decides nothing
    assert run(doc)["advisories"] == []  # never in Jiangxi


# --- §3 indicators: no data, exemptions, caps -------------------------------------------------------


@pytest.mark.parametrize(
    ("resources", "code"),
    [
        (None, "solid_waste_utilization"),
        ({}, "solid_waste_utilization"),
        ({"solid_waste_t": {"generated": "0", "utilized": "0"}}, "solid_waste_utilization"),
        ({}, "water_reuse"),
        ({"water_m3": {"fresh_intake": "0", "reused": "0"}}, "water_reuse"),
        ({}, "product_energy_grade"),
        ({"products": []}, "product_energy_grade"),
        ({"waste_energy_tce": {"heat": {"recoverable": "0", "utilized": "0"}}}, "waste_energy_utilization"),
        ({"waste_energy_tce": {}}, "waste_energy_utilization"),
        ({"freight_t": {"clean": "0", "total": "0"}}, "clean_transport_share"),
        ({"public_vehicles": {"new_energy": 0, "total": 0}}, "public_nev_share"),
        ({}, "green_buildings"),
    ],
)
def test_missing_blocks_or_zero_denominators_are_no_data(resources, code):
    item = indicator(run(v2(resources=resources)), code)
    assert (item["status"], item["value"]) == ("no_data", None)


def test_green_power_share_and_offset_share_are_no_data_on_non_positive_denominators():
    # calorific basis keeps the energy positive: 12143 − 50000 × 0.1229 = 5998 tce
    doc = v2(electricity_mwh={"export": "50000"}, method={"electricity_tce_basis": "calorific"})
    result = run(doc)
    # E_gross = 21621.88809 − 50000 × 0.8325 = −20003.11191
    assert result["totals"]["emissions_gross_tco2"] == "-20003.11"
    assert indicator(result, "carbon_per_energy")["value"] == "-3.3350"  # −20003.11191 / 5998
    for code in ("offset_share", "green_power_direct_share"):  # E_gross ≤ 0; used = −50000 ≤ 0
        assert (indicator(result, code)["status"], indicator(result, code)["value"]) == ("no_data", None)
    assert (indicator(run(v2(electricity_mwh=None)), "green_power_direct_share")["status"]) == "no_data"


def test_guiding_indicators_are_computed_as_the_table_says():
    resources = {
        "solid_waste_t": {"generated": "100", "utilized": "90", "utilized_from_storage": "20"},  # 90 / 120
        "waste_energy_tce": {
            "heat": {"recoverable": "100", "utilized": "90"},
            "cold": {"recoverable": "0", "utilized": "0"},  # drops out
            "pressure": {"recoverable": "300", "utilized": "30"},
        },  # (90 + 30) / 400
        "freight_t": {"clean": "1", "total": "3"},  # 33.333…
        "public_vehicles": {"new_energy": 1, "total": 8},  # 12.5
        "green_buildings": 2,
        "products": [
            {"name": "a", "value": "10", "grade2_limit": "10"},
            {"name": "b", "value": "11", "grade2_limit": "10"},
            {"name": "c", "value": "9", "grade2_limit": "10"},
        ],  # 2 of 3 at grade 2 or better
    }
    result = run(v2(resources=resources))
    values = {i["code"]: (i["value"], i["status"]) for i in result["indicators"]}
    assert values["solid_waste_utilization"] == ("75.00", "fail")
    assert values["waste_energy_utilization"] == ("30.00", "fail")
    assert values["clean_transport_share"] == ("33.33", "fail")
    assert values["public_nev_share"] == ("12.50", "fail")
    assert values["green_buildings"] == ("2", "pass")
    assert values["product_energy_grade"] == ("66.67", "fail")


def test_green_power_direct_share_and_clean_share_are_capped_at_100():
    # received green power passed on: used = 1000 − 600 = 400 MWh, direct 1000: 250 % → 100
    result = run(v2(energy=[], electricity_mwh={"green_direct": "1000", "export": "600"}))
    assert indicator(result, "green_power_direct_share")["value"] == "100.00"
    assert result["totals"]["energy_tce"] == "120.28"  # 400 × 0.3007
    # clean 1000 × 0.3007 = 300.7 of 120.28 tce: 250 % → 100
    assert indicator(result, "clean_energy_share")["value"] == "100.00"


def test_exempt_guiding_indicator_has_no_value_even_with_data():
    doc = v2(
        resources={"freight_t": {"clean": "1", "total": "2"}},
        exemptions={"clean_transport_share": "  园区无货运 "},
    )
    item = indicator(run(doc), "clean_transport_share")
    assert (item["status"], item["value"]) == ("exempt", None)
    assert item["threshold"] == {"op": ">=", "value": "80"}


@pytest.mark.parametrize(
    ("exemptions", "expected"),
    [
        ({"water_reuse": " "}, ("exemptions.water_reuse", "required")),
        ({"water_reuse": ""}, ("exemptions.water_reuse", "required")),
        ({"carbon_per_energy": "不适用"}, ("exemptions.carbon_per_energy", "core_not_exemptible")),
    ],
)
def test_exemption_needs_non_blank_text_and_never_the_core(exemptions, expected):
    assert errors(v2(exemptions=exemptions)) == {expected}


@pytest.mark.parametrize("reason", [True, 1, ["理由"], {"text": "理由"}])
def test_exemption_reason_must_be_a_string(reason):
    result = run(v2(exemptions={"water_reuse": reason}))
    assert "indicators" not in result
    assert {path for path, _ in error_pairs(result)} == {"exemptions.water_reuse"}


# --- offsets and the final checks (§7) -------------------------------------------------------------

# BASE: E_gross = 21621.88809 + 100000 × 0.8325 = 104871.88809 tCO2; energy 12143 + 30070 = 42213 tce


def test_offsets_reduce_net_emissions_and_report_their_share():
    result = run(v2(offsets_tco2={"ccer": "5000"}))
    assert result["totals"]["emissions_gross_tco2"] == "104871.89"
    assert result["totals"]["emissions_net_tco2"] == "99871.89"
    assert result["totals"]["offsets_tco2"] == "5000.00"
    assert indicator(result, "offset_share")["value"] == "4.77"  # 5000 / 104871.88809 = 4.7677 %
    assert indicator(result, "carbon_per_energy")["value"] == "2.3659"  # 99871.88809 / 42213


@pytest.mark.parametrize(
    ("doc", "exceeds"),
    [
        (v2(offsets_tco2={"ccer": "104871.88809"}), False),  # exactly E_gross
        (v2(offsets_tco2={"ccer": "104871.90"}), True),
        # E_gross −20003.11 < 0: any CCER exceeds max(E_gross, 0) = 0
        (v2(electricity_mwh={"export": "50000"}, method={"electricity_tce_basis": "calorific"}), False),
        (
            v2(
                electricity_mwh={"export": "50000"},
                method={"electricity_tce_basis": "calorific"},
                offsets_tco2={"ccer": "0.01"},
            ),
            True,
        ),
    ],
)
def test_offsets_may_not_exceed_positive_gross_emissions(doc, exceeds):
    result = run(doc)
    if exceeds:
        assert error_pairs(result) == {("offsets_tco2.ccer", "exceeds_emissions")}
    else:
        assert "errors" not in result


@pytest.mark.parametrize(
    ("energy", "ok"),
    [
        ("0.005", True),  # reported 0.01
        ("0.004999", False),  # reported 0.00
        ("0", False),
    ],
)
def test_non_positive_energy_is_judged_on_the_rounded_value(energy, ok):
    result = run(v2(energy=[biomass(energy)], electricity_mwh=None))
    if ok:
        assert result["totals"]["energy_tce"] == "0.01"
        assert indicator(result, "carbon_per_energy")["value"] == "0.0000"
    else:
        assert error_pairs(result) == {("energy", "non_positive_energy")}


def test_negative_energy_is_non_positive_energy():
    # 12143 − 50000 × 0.3007 = −2892 tce
    assert errors(v2(electricity_mwh={"export": "50000"})) == {("energy", "non_positive_energy")}


def test_both_final_checks_are_reported_together():
    doc = v2(energy=[], electricity_mwh=None, offsets_tco2={"ccer": "1"})
    assert errors(doc) == {("energy", "non_positive_energy"), ("offsets_tco2.ccer", "exceeds_emissions")}


def test_final_checks_wait_until_every_other_input_is_valid():
    doc = v2(energy=[], electricity_mwh=None, offsets_tco2={"ccer": "1"}, park={"park_type": "x"})
    assert errors(doc) == {("park.park_type", "invalid")}


# --- §6 the result document ----------------------------------------------------------------------------


def test_factors_record_the_method_set_and_settings_applied():
    result = run(v2())
    assert result["schema"] == "zcpark.result/2"
    assert (result["scheme"], result["year"], result["park_type"]) == ("jiangxi-2025", 2025, "non_chemical")
    expected = {
        "method": "cn-2025-trial",
        "set": "cn-2026.1",
        "grid_ef_basis": "national_fossil_fixed",
        "factor_year": None,
        "grid_ef_tco2_per_mwh": "0.8325",
        "heat_purchased_ef_tco2_per_gj": "0.11",
        "heat_export_ef_tco2_per_gj": "0.11",
        "electricity_tce_basis": "equivalent",
        "electricity_tce_factor_year": 2022,
        "electricity_tce_per_mwh": "0.3007",
        "heat_tce_per_gj": "0.0341",
        "certificates_as_green_power": True,
        "feedstock_in_energy": True,
        "renewable_export_at_grid_factor": True,
    }
    assert {key: result["factors"][key] for key in expected} == expected
    # 21621.88809 + 83250 over 12143 + 30070 tce
    assert result["totals"]["energy_tce"] == "42213.00"
    assert indicator(result, "carbon_per_energy")["value"] == "2.4844"
    assert [i["code"] for i in result["indicators"]] == [
        "carbon_per_energy",
        "clean_energy_share",
        "product_energy_grade",
        "solid_waste_utilization",
        "water_reuse",
        "waste_energy_utilization",
        "clean_transport_share",
        "public_nev_share",
        "green_buildings",
        "green_power_direct_share",
        "offset_share",
    ]
