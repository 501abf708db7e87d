"""Reading a dataset (docs/accounting.md §0, §5, §7): numbers, every input error at its path, unknown
keys, and the provisional rules a result lists (§3.4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indicators.engine import loads
from tests.indicators.engine_helpers import (
    GAS,
    LPG_FEEDSTOCK,
    TRANSFORM_ROWS,
    biomass,
    dataset,
    errors,
    indicator,
    part,
    provisional,
    run,
    source,
    total,
    v2,
)

D = Decimal


# --- §0 / §5.1 numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grid", "energy_tce"),
    [
        ("12", "3.61"),  # 12 × 0.3007 = 3.6084
        (" 12 ", "3.61"),
        (12, "3.61"),
        ("1e2", "30.07"),
        ("1,200.5", "360.99"),  # 1200.5 × 0.3007 = 360.99035
        ("1,000,000", "300700.00"),
        ("1e15", "300700000000000.00"),
    ],
)
def test_numbers_may_be_strings_or_json_numbers(grid, energy_tce):
    result = run(v2(energy=[], electricity_mwh={"grid": grid}))
    assert result["totals"]["energy_tce"] == energy_tce


@pytest.mark.parametrize(
    ("heat", "value"),
    [
        ({"purchased": "0.05", "purchased_ef_tco2_per_gj": "0.1"}, "0.01"),  # 0.005: half-up
        ({"export": "0.05", "export_ef_tco2_per_gj": "0.1"}, "-0.01"),  # −0.005: ties away from zero
        ({"purchased": "0.04", "purchased_ef_tco2_per_gj": "0.1"}, "0.00"),  # 0.004
    ],
)
def test_reported_values_round_half_up_away_from_zero(heat, value):
    assert source(run(v2(heat_gj=heat)), "heat") == value


def test_json_numbers_are_read_as_decimals_never_through_float():
    doc = loads(
        '{"schema": "zcpark.dataset/2", "park": {"park_type": "non_chemical"}, "year": 2025,'
        ' "electricity_mwh": {"grid": 0.1, "green_direct": 0.2}}'
    )
    result = run(doc)
    assert result["totals"]["energy_tce"] == "0.09"  # 0.3 × 0.3007 = 0.09021
    assert indicator(result, "clean_energy_share")["value"] == "66.67"  # 0.2 / 0.3 exactly
    assert source(result, "electricity") == "0.08"  # 0.1 × 0.8325 = 0.08325


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1,5", "not_a_number"),
        ("1_000", "not_a_number"),
        ("12,34", "not_a_number"),
        ("十", "not_a_number"),
        ("abc", "not_a_number"),
        ("NaN", "not_a_number"),
        ("Infinity", "not_a_number"),
        ("1e16", "not_a_number"),
        ("1000000000000000.01", "not_a_number"),
        ("1e999999", "not_a_number"),
        (True, "not_a_number"),
        ([1], "not_a_number"),
        ({"value": 1}, "not_a_number"),
        ("-1", "negative"),
        ("-1,200", "negative"),
        (-0.5, "negative"),
        ("-1e30", "negative"),
        (None, "required"),
    ],
)
def test_bad_numbers_are_errors_at_their_path(value, code):
    assert errors(v2(electricity_mwh={"grid": value})) == {("electricity_mwh.grid", code)}
    row = {**GAS, "quantity": value}
    assert errors(v2(energy=[row])) == {("energy[0].quantity", code)}


def test_a_long_numeric_string_is_still_a_number():
    padded = "0" * 70 + "12"
    result = run(v2(energy=[], electricity_mwh={"grid": padded}))
    assert "errors" not in result
    assert result["totals"]["energy_tce"] == "3.61"


def test_a_negative_value_rounding_to_zero_has_no_minus_sign():
    # E热 = 1 × 0.11 − 1 × 0.11001 = −0.00001 tCO2; heat energy (0.001 − 0.1) × 0.0341 = −0.0033759 tce
    heat = {"purchased": "1", "export": "1", "export_ef_tco2_per_gj": "0.11001"}
    assert source(run(v2(heat_gj=heat)), "heat") == "0.00"
    heat = {"purchased": "0.001", "export": "0.1"}
    assert part(run(v2(heat_gj=heat)), "heat") == "0.00"


def test_the_largest_accepted_quantities_still_compute_exactly():
    rows = [{"carrier": "natural_gas", "quantity": "1e15", "unit": "10^4 Nm3", "use": "fuel"}] * 50
    result = run(v2(energy=rows, electricity_mwh=None))
    assert total(result, "energy_tce") == D("12.143") * D("5e16")
    # 5e16 × 389.31 × 0.0153 × 0.99 × 44/12 = 1.0810944045e18 exactly
    assert result["totals"]["emissions_gross_tco2"] == "1081094404500000000.00"


# --- §7 input errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # only the first problem among carrier, use, unit
        (
            {"carrier": "unobtainium", "quantity": "-1", "unit": "GJ", "use": "burn"},
            {("energy[0].carrier", "unknown")},
        ),
        (
            {"carrier": "diesel", "quantity": "-1", "unit": "GJ", "use": "burn"},
            {("energy[0].use", "invalid")},
        ),
        (
            {"carrier": "diesel", "quantity": "-1", "unit": "GJ", "use": "fuel"},
            {("energy[0].unit", "unit_mismatch")},
        ),
        (
            {"carrier": "diesel", "quantity": "-1", "unit": "10^4 Nm3", "use": "fuel", "ncv": "x"},
            {("energy[0].unit", "unit_mismatch")},
        ),
        # then every problem among quantity, ncv, cc, of …
        (
            {
                "carrier": "diesel",
                "quantity": "-1",
                "unit": "t",
                "use": "transform_in",
                "ncv": "x",
                "cc": "-1",
                "of": "0.9",
            },
            {
                ("energy[0].quantity", "negative"),
                ("energy[0].ncv", "not_a_number"),
                ("energy[0].cc", "negative"),
                ("energy[0].of", "invalid"),
            },
        ),
        # … and the missing needed parameters only when there is none of those
        (
            {"carrier": "crude_oil", "quantity": "-1", "unit": "t", "use": "fuel"},
            {("energy[0].quantity", "negative")},
        ),
        (
            {"carrier": "crude_oil", "quantity": "1", "unit": "t", "use": "transform_in", "cc": "-0.02"},
            {("energy[0].cc", "negative")},
        ),
        (
            {"carrier": "crude_oil", "quantity": "1", "unit": "t", "use": "transform_in"},
            {("energy[0].ncv", "required"), ("energy[0].cc", "required")},
        ),
        (
            {"carrier": "kerosene", "quantity": "1", "unit": "t", "use": "power_heat", "ncv": "43"},
            {("energy[0].cc", "required"), ("energy[0].of", "required")},
        ),
        (
            {
                "carrier": "refinery_gas",
                "quantity": "1",
                "unit": "t",
                "use": "bunker",
                "ncv": "46",
                "cc": "0.018",
            },
            {("energy[0].of", "required")},
        ),
        # non-fossil without coefficient or NCV: NCV only, once
        (
            {"carrier": "biogas", "quantity": "1", "unit": "10^4 Nm3", "use": "fuel"},
            {("energy[0].ncv", "required")},
        ),
        ({"carrier": "diesel", "unit": "t", "use": "fuel"}, {("energy[0].quantity", "required")}),
        (
            {"carrier": "diesel", "quantity": "1", "unit": "t", "use": "conversion"},
            {("energy[0].use", "invalid")},
        ),
    ],
)
def test_energy_row_error_order(row, expected):
    assert errors(v2(energy=[row])) == expected


def test_every_row_and_block_reports_its_errors_at_once():
    doc = v2(
        energy=[GAS, "not a row", {**GAS, "quantity": "x"}],
        electricity_mwh=["grid"],
        heat_gj={"purchased": None},
        park="x",
        direct_emissions=[{"kind": "magic", "tco2": "-3"}],
        offsets_tco2={"ccer": None},
    )
    assert errors(doc) == {
        ("energy[1]", "invalid"),
        ("energy[2].quantity", "not_a_number"),
        ("electricity_mwh", "invalid"),
        ("heat_gj.purchased", "required"),
        ("park", "invalid"),
        ("park.park_type", "required"),
        ("direct_emissions[0].kind", "invalid"),
        ("direct_emissions[0].tco2", "negative"),
        ("offsets_tco2.ccer", "required"),
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"schema": "zcpark.dataset/3"}, ("schema", "invalid")),
        ({"schema": None}, ("schema", "required")),
        ({"park": {"park_type": "mixed"}}, ("park.park_type", "invalid")),
        ({"year": 1899}, ("year", "invalid")),
        ({"year": 2025.5}, ("year", "invalid")),
        ({"year": None}, ("year", "required")),
        ({"energy": {"carrier": "diesel"}}, ("energy", "invalid")),
        ({"process": "none"}, ("process", "invalid")),
        ({"method": "default"}, ("method", "invalid")),
        ({"method": {"grid_ef_basis": "coal"}}, ("method.grid_ef_basis", "invalid")),
        ({"method": {"electricity_tce_basis": "primary"}}, ("method.electricity_tce_basis", "invalid")),
        ({"method": {"feedstock_in_energy": "false"}}, ("method.feedstock_in_energy", "invalid")),
        ({"method": {"certificates_as_green_power": 0}}, ("method.certificates_as_green_power", "invalid")),
        (
            {"method": {"renewable_export_at_grid_factor": 1}},
            ("method.renewable_export_at_grid_factor", "invalid"),
        ),
        ({"method": {"factor_year": 2022.5}}, ("method.factor_year", "invalid")),
        ({"heat_gj": {"export_ef_tco2_per_gj": "-0.1"}}, ("heat_gj.export_ef_tco2_per_gj", "negative")),
        ({"exemptions": ["water_reuse"]}, ("exemptions", "invalid")),
        ({"resources": {"water_m3": "7"}}, ("resources.water_m3", "invalid")),
        ({"resources": {"products": {"name": "a"}}}, ("resources.products", "invalid")),
        (
            {"resources": {"solid_waste_t": {"generated": "1", "utilized": "2"}}},
            ("resources.solid_waste_t.utilized", "exceeds_available"),
        ),
        (
            {"resources": {"waste_energy_tce": {"cold": {"recoverable": "1", "utilized": "2"}}}},
            ("resources.waste_energy_tce.cold.utilized", "exceeds_available"),
        ),
        (
            {"resources": {"freight_t": {"clean": "3", "total": "2"}}},
            ("resources.freight_t.clean", "exceeds_total"),
        ),
        (
            {"resources": {"public_vehicles": {"new_energy": 3, "total": 2}}},
            ("resources.public_vehicles.new_energy", "exceeds_total"),
        ),
    ],
)
def test_input_error_is_reported_with_its_path_and_code(changes, expected):
    assert errors(v2(**changes)) == {expected}


def test_a_v1_document_is_upgraded_conversion_becoming_power_heat():
    row = {"carrier": "diesel", "quantity": "100", "unit": "t", "use": "conversion"}
    result = run(dataset(energy=[row], electricity_mwh=None))
    assert (result["schema"], result["upgraded_from"]) == ("zcpark.result/2", "zcpark.dataset/1")
    assert result["totals"]["fuel_use_by_use_tco2"]["power_heat"] == "314.51"  # as a power_heat row
    assert run(v2(energy=[{**row, "use": "power_heat"}], electricity_mwh=None))["upgraded_from"] is None
    # method keys the /1 document does not give take the v2 defaults …
    factors = run(dataset())["factors"]
    assert (factors["grid_ef_basis"], factors["grid_ef_tco2_per_mwh"], factors["electricity_tce_basis"]) == (
        "national_fossil_fixed",
        "0.8325",
        "equivalent",
    )
    assert factors["certificates_as_green_power"] is factors["feedstock_in_energy"] is True
    # … and those it gives keep their meaning: national_fossil is still the by-year table
    factors = run(dataset(method={"grid_ef_basis": "national_fossil"}))["factors"]
    assert (factors["grid_ef_basis"], factors["factor_year"], factors["grid_ef_tco2_per_mwh"]) == (
        "national_fossil",
        2023,
        "0.8273",
    )
    # error paths are those of the original
    assert errors(dataset(energy=[GAS, {**row, "quantity": "-1"}])) == {("energy[1].quantity", "negative")}


# --- §5.1 unknown keys ---------------------------------------------------------------------------------


def test_unknown_keys_are_ignored_and_listed():
    doc = v2(
        comment="导入自 Excel",
        method={"grid_basis": "provincial"},
        energy=[{**GAS, "nvc": "40", "enterprise": "甲"}],
        electricity_mwh={"grid": "100000", "gird": "5"},
        heat_gj={"purchased": "0", "steam_t": "9"},
        offsets_tco2={"ccers": "1"},
        resources={"water_m3": {"fresh_intake": "1", "reused": "7", "reuse": "900"}, "trees": 3},
        process=[
            {"product": "石灰", "quantity_t": "1", "ef_tco2_per_t": "0.7", "basis": "缺省", "unit": "t"}
        ],
        direct_emissions=[{"kind": "process", "tco2": "1", "verified": True}],
        exemptions={"not_an_indicator": "原因"},
    )
    result = run(doc)
    assert "errors" not in result
    assert set(result["ignored_keys"]) == {
        "comment",
        "method.grid_basis",
        "energy[0].nvc",
        "electricity_mwh.gird",
        "heat_gj.steam_t",
        "offsets_tco2.ccers",
        "resources.water_m3.reuse",
        "resources.trees",
        "process[0].unit",
        "direct_emissions[0].verified",
        "exemptions.not_an_indicator",
    }
    # ignored means without effect: same numbers as the plain BASE with the same process rows
    plain = run(
        v2(
            resources={"water_m3": {"fresh_intake": "1", "reused": "7"}},
            process=[{"product": "石灰", "quantity_t": "1", "ef_tco2_per_t": "0.7", "basis": "缺省"}],
            direct_emissions=[{"kind": "process", "tco2": "1"}],
        )
    )
    assert result["totals"] == plain["totals"]
    assert result["factors"] == plain["factors"]
    assert result["indicators"] == plain["indicators"]
    assert run(v2())["ignored_keys"] == []


def test_unknown_park_keys_are_no_error():
    result = run(v2(park={"park_type": "chemical", "name": "园区", "province": "江西"}))
    assert result["park_type"] == "chemical"
    assert "errors" not in result


# --- §3.4 provisional rules ------------------------------------------------------------------------------

MEASURED_GAS = {**GAS, "ncv": "389.31", "cc": "0.0153", "of": "0.99"}
CALORIFIC = {"electricity_tce_basis": "calorific"}


@pytest.mark.parametrize(
    ("changes", "scheme", "codes"),
    [
        ({}, "jiangxi-2025", {"fuel_default_factors", "electricity_equivalent_coefficient"}),
        ({"energy": [MEASURED_GAS], "method": CALORIFIC}, "jiangxi-2025", set()),
        ({"energy": [MEASURED_GAS], "method": CALORIFIC}, "national-2025", {"clean_energy_definition"}),
        # a single parameter from the defaults is enough
        (
            {"energy": [{**MEASURED_GAS, "of": None}], "method": CALORIFIC},
            "jiangxi-2025",
            {"fuel_default_factors"},
        ),
        # transform rows: OF is fixed, not a default; measured NCV and CC use no default
        (
            {"energy": [MEASURED_GAS, TRANSFORM_ROWS[0]], "method": CALORIFIC},
            "jiangxi-2025",
            set(),
        ),
        (
            {"energy": [MEASURED_GAS, TRANSFORM_ROWS[1]], "method": CALORIFIC},
            "jiangxi-2025",
            {"fuel_default_factors"},
        ),
        # feedstock rows and non-fossil rows take no emission parameters
        (
            {"energy": [MEASURED_GAS, LPG_FEEDSTOCK], "method": CALORIFIC},
            "jiangxi-2025",
            {"feedstock_in_energy"},
        ),
        (
            {"energy": [MEASURED_GAS, LPG_FEEDSTOCK], "method": {**CALORIFIC, "feedstock_in_energy": False}},
            "jiangxi-2025",
            {"feedstock_in_energy"},
        ),
        ({"energy": [biomass("10")], "method": CALORIFIC}, "jiangxi-2025", set()),
        (
            {
                "energy": [MEASURED_GAS],
                "electricity_mwh": {"grid": "10", "export_renewable": "1"},
                "method": {**CALORIFIC, "renewable_export_at_grid_factor": False},
            },
            "jiangxi-2025",
            {"renewable_export_factor"},
        ),
        (
            {"energy": [MEASURED_GAS], "electricity_mwh": {"export_renewable": "0"}, "method": CALORIFIC},
            "jiangxi-2025",
            set(),
        ),
    ],
)
def test_provisional_codes_list_the_provisional_rules_used(changes, scheme, codes):
    result = run(v2(**changes), scheme)
    assert provisional(result) == codes
    assert all(p["text"] for p in result["provisional"])


@pytest.mark.parametrize("of", [1, "1", Decimal("0.99"), "0.99", "1,000"[:1]])
def test_measured_parameters_read_alike_as_json_numbers_or_text(of):
    """NCV, CC and OF given as JSON integers, JSON fractions or text are the same numbers (no error)."""
    row = {**GAS, "ncv": 389, "cc": Decimal("0.0153"), "of": of}
    result = run(v2(energy=[row]))
    assert "errors" not in result, result.get("errors")
    text = run(v2(energy=[{**GAS, "ncv": "389", "cc": "0.0153", "of": str(of)}]))
    assert result["totals"] == text["totals"]


@pytest.mark.parametrize(("of", "use"), [(1.5, "fuel"), (2, "fuel"), (Decimal("0.98"), "transform_in")])
def test_an_out_of_range_oxidation_rate_as_a_json_number_is_refused(of, use):
    row = {
        "carrier": "crude_oil",
        "quantity": "10",
        "unit": "t",
        "use": use,
        "ncv": 41,
        "cc": "0.02",
        "of": of,
    }
    if use == "fuel":
        row = {**GAS, "of": of}
    assert errors(v2(energy=[row])) == {("energy[0].of", "invalid")}
