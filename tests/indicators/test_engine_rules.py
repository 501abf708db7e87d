"""Table-driven checks of each accounting rule of contract v2 (docs/accounting.md), no database.

Every expected number is derived by hand from the contract and the reference factor set cn-2026.1
(the arithmetic is in a comment where it is not obvious). Documents are ``zcpark.dataset/2``: the
helpers' BASE (one natural-gas row, 100 000 MWh from the grid) with the schema set to /2.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from indicators.engine import loads
from tests.indicators.engine_helpers import dataset, error_pairs, indicator, run, total

D = Decimal
V2 = "zcpark.dataset/2"

# 1000 × 10^4 Nm3 of natural gas: 1000 × 12.143 = 12 143 tce;
# CO2 = 1000 × 389.31 × 0.0153 × 0.99 × 44/12 = 21 621.888 09 tCO2.
GAS = {"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}
GAS_CO2 = "21621.89"
# Documents of 2025 use the equivalent-value coefficient of 2022 (§4.3): 0.3007 tce/MWh.
# A biomass row with a measured NCV of 29.3076 GJ/t is worth exactly its tonnes in tce and emits 0.
TCE_NCV = "29.3076"


def v2(**changes: Any) -> dict[str, Any]:
    """A zcpark.dataset/2 document: BASE with ``changes`` (None removes a key)."""
    return dataset(**{"schema": V2, **changes})


def biomass(tce: str) -> dict[str, str]:
    """A zero-emission fuel row worth exactly ``tce`` tce (q × 29.3076 / 29.3076)."""
    return {"carrier": "biomass", "quantity": tce, "unit": "t", "use": "fuel", "ncv": TCE_NCV}


def source(result: dict[str, Any], key: str) -> str:
    return result["totals"]["by_source_tco2"][key]


def part(result: dict[str, Any], key: str) -> str:
    return result["totals"]["energy_by_part_tce"][key]


def errors(doc: dict[str, Any], scheme: str = "jiangxi-2025") -> set[tuple[str, str]]:
    """The (path, code) pairs of a refused document; fails if the engine gave a result."""
    result = run(doc, scheme)
    assert "indicators" not in result, "expected input errors, got a result"
    assert result["errors"] and all(e["message"] for e in result["errors"])
    return error_pairs(result)


def provisional(result: dict[str, Any]) -> set[str]:
    return {p["code"] for p in result["provisional"]}


# --- §2 tce of a row: units and coefficients ----------------------------------------------------


@pytest.mark.parametrize(
    ("row", "energy_tce"),
    [
        # natural gas: 12.143 tce per 10^4 Nm3 (GB/T 2589)
        ({"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}, "12143.00"),
        ({"carrier": "natural_gas", "quantity": "10000000", "unit": "Nm3", "use": "fuel"}, "12143.00"),
        ({"carrier": "natural_gas", "quantity": "10000000", "unit": "m3", "use": "fuel"}, "12143.00"),
        ({"carrier": "natural_gas", "quantity": "0.1", "unit": "10^8 Nm3", "use": "fuel"}, "12143.00"),
        # diesel: 1.4571 tce/t
        ({"carrier": "diesel", "quantity": "1000", "unit": "t", "use": "fuel"}, "1457.10"),
        ({"carrier": "diesel", "quantity": "1000000", "unit": "kg", "use": "fuel"}, "1457.10"),
        ({"carrier": "diesel", "quantity": "0.1", "unit": "10^4 t", "use": "fuel"}, "1457.10"),
        # no GB/T 2589 coefficient: q × default NCV / 29.3076 = 29.3076 × 23.204 / 29.3076
        ({"carrier": "bituminous", "quantity": "29.3076", "unit": "t", "use": "fuel"}, "23.20"),
        # a measured NCV overrides the coefficient: 29.3076 × 30 / 29.3076
        ({"carrier": "coke", "quantity": "29.3076", "unit": "t", "use": "fuel", "ncv": "30"}, "30.00"),
        # heat carriers: 1 TJ = 1000 GJ × 0.0341
        ({"carrier": "renewable_heat", "quantity": "1", "unit": "TJ", "use": "fuel"}, "34.10"),
        ({"carrier": "renewable_heat", "quantity": "1000000", "unit": "MJ", "use": "fuel"}, "34.10"),
        # non-fossil without a coefficient: 10 × 15 / 29.3076 = 5.1181…
        ({"carrier": "biomass", "quantity": "10", "unit": "t", "use": "fuel", "ncv": "15"}, "5.12"),
        # green hydrogen: 1 × 119.96 / 29.3076 = 4.0931…
        ({"carrier": "green_hydrogen", "quantity": "1", "unit": "t", "use": "power_heat"}, "4.09"),
        # bunker rows are energy too: 100 × 1.4714
        ({"carrier": "gasoline", "quantity": "100", "unit": "t", "use": "bunker"}, "147.14"),
    ],
)
def test_row_tce_follows_units_and_coefficients(row, energy_tce):
    result = run(v2(energy=[row], electricity_mwh=None))
    assert result["totals"]["energy_tce"] == energy_tce
    assert part(result, "fuel_rows") == energy_tce


# --- §1.3 / §2 feedstock --------------------------------------------------------------------------


LPG_FEEDSTOCK = {"carrier": "lpg", "quantity": "1000", "unit": "t", "use": "feedstock"}  # 1000 × 1.7143


@pytest.mark.parametrize("method", [None, {}, {"feedstock_in_energy": None}, {"feedstock_in_energy": True}])
def test_feedstock_counts_in_energy_by_default_and_never_emits(method):
    result = run(v2(energy=[GAS, LPG_FEEDSTOCK], electricity_mwh=None, method=method))
    assert result["factors"]["feedstock_in_energy"] is True
    assert result["totals"]["energy_tce"] == "13857.30"  # 12143 + 1714.3
    assert part(result, "feedstock") == "1714.30"
    assert part(result, "fuel_rows") == "12143.00"
    assert source(result, "fuel_use") == GAS_CO2  # the gas only
    assert result["totals"]["emissions_gross_tco2"] == GAS_CO2
    assert "feedstock_in_energy" in provisional(result)


def test_feedstock_is_left_out_of_energy_when_the_setting_is_false():
    result = run(v2(energy=[GAS, LPG_FEEDSTOCK], electricity_mwh=None, method={"feedstock_in_energy": False}))
    assert result["factors"]["feedstock_in_energy"] is False
    assert result["totals"]["energy_tce"] == "12143.00"
    assert part(result, "feedstock") == "0.00"
    assert result["totals"]["emissions_gross_tco2"] == GAS_CO2
    # the rule used is still provisional, whatever the setting (§3.4)
    assert "feedstock_in_energy" in provisional(result)


def test_feedstock_row_of_crude_oil_needs_no_emission_parameters():
    crude = {"carrier": "crude_oil", "quantity": "1000", "unit": "t", "use": "feedstock"}
    result = run(v2(energy=[crude], electricity_mwh=None))
    assert result["totals"]["energy_tce"] == "1428.60"  # 1000 × 1.4286
    assert result["totals"]["emissions_gross_tco2"] == "0.00"
    # the same crude oil burned as fuel needs NCV, CC and OF (no defaults, §4.2)
    assert errors(v2(energy=[{**crude, "use": "fuel"}], electricity_mwh=None)) == {
        ("energy[0].ncv", "required"),
        ("energy[0].cc", "required"),
        ("energy[0].of", "required"),
    }


def test_feedstock_of_a_carrier_without_coefficient_or_ncv_needs_a_measured_ncv():
    row = {"carrier": "biogas", "quantity": "10", "unit": "10^4 Nm3", "use": "feedstock"}
    assert errors(v2(energy=[row], electricity_mwh=None)) == {("energy[0].ncv", "required")}


def test_non_fossil_feedstock_counts_in_energy_but_is_not_clean_energy():
    rows = [biomass("100"), {**biomass("300"), "use": "feedstock"}]
    result = run(v2(energy=rows, electricity_mwh=None))
    assert result["totals"]["energy_tce"] == "400.00"
    assert part(result, "feedstock") == "300.00"
    assert indicator(result, "clean_energy_share")["value"] == "25.00"  # only the fuel row: 100 / 400
    # nothing emitted at all: E_gross = 0, so offset_share has no denominator
    assert result["totals"]["emissions_gross_tco2"] == "0.00"
    assert (indicator(result, "offset_share")["status"], indicator(result, "offset_share")["value"]) == (
        "no_data",
        None,
    )


# --- §1.1 E用作燃料 --------------------------------------------------------------------------------


def test_fuel_use_is_split_by_use_and_bunker_is_also_listed_apart():
    rows = [
        GAS,
        # 100 × 43.33 × 0.0202 × 0.98 × 44/12 = 314.5122…
        {"carrier": "diesel", "quantity": "100", "unit": "t", "use": "power_heat"},
        # 100 × 44.80 × 0.0189 × 0.98 × 44/12 = 304.25472
        {"carrier": "gasoline", "quantity": "100", "unit": "t", "use": "bunker"},
    ]
    result = run(v2(energy=rows, electricity_mwh=None))
    assert result["totals"]["fuel_use_by_use_tco2"] == {
        "fuel": GAS_CO2,
        "power_heat": "314.51",
        "bunker": "304.25",
    }
    assert result["totals"]["bunker_tco2"] == "304.25"
    # 21621.88809 + 314.51225 + 304.25472 = 22240.655…: bunker stays in every total
    assert source(result, "fuel_use") == "22240.66"
    assert result["totals"]["energy_activity_tco2"] == "22240.66"
    assert result["totals"]["emissions_gross_tco2"] == "22240.66"
    # energy: 12143 + 145.71 + 147.14
    assert result["totals"]["energy_tce"] == "12435.85"


def test_measured_ncv_cc_of_replace_the_defaults():
    row = {**GAS, "ncv": "400", "cc": "0.015", "of": "1"}
    result = run(v2(energy=[row], electricity_mwh=None))
    # 1000 × 400 × 0.015 × 1 × 44/12 = 22000; tce 1000 × 400 / 29.3076 = 13648.33…
    assert source(result, "fuel_use") == "22000.00"
    assert result["totals"]["energy_tce"] == "13648.34"


def test_non_fossil_fuel_emits_nothing_and_is_clean_natural_gas_is_not():
    result = run(v2(energy=[biomass("300"), {**GAS, "quantity": "100"}], electricity_mwh=None))
    assert source(result, "fuel_use") == "2162.19"  # the gas only: 21621.888 / 10
    # clean 300 of 300 + 1214.3 tce: 19.8111…%
    assert indicator(result, "clean_energy_share")["value"] == "19.81"


# --- §1.2 E加工转换 --------------------------------------------------------------------------------


TRANSFORM_ROWS = [
    # 1000 × 41.816 × 0.0200 × 1 × 44/12 = 3066.5066…; tce 1000 × 41.816 / 29.3076 = 1426.797…
    {
        "carrier": "crude_oil",
        "quantity": "1000",
        "unit": "t",
        "use": "transform_in",
        "ncv": "41.816",
        "cc": "0.0200",
    },
    # 600 × 44.80 × 0.0189 × 1 × 44/12 = 1862.784 (OF 1, not gasoline's 0.98); tce 600 × 1.4714 = 882.84
    {"carrier": "gasoline", "quantity": "600", "unit": "t", "use": "transform_out"},
]


def test_transform_is_inputs_minus_outputs_at_of_one_plus_measured_conversion():
    direct = [
        {"kind": "conversion", "source": "催化裂化烧焦", "tco2": "100"},
        {"kind": "process", "source": "水泥", "tco2": "7"},
    ]
    result = run(v2(energy=[GAS, *TRANSFORM_ROWS], electricity_mwh=None, direct_emissions=direct))
    # 3066.50667 − 1862.784 + 100 = 1303.72267
    assert source(result, "transform") == "1303.72"
    assert source(result, "process") == "7.00"
    assert source(result, "fuel_use") == GAS_CO2
    # 1426.79714 − 882.84 = 543.95714
    assert part(result, "transform_net") == "543.96"
    assert result["totals"]["energy_tce"] == "12686.96"  # 12143 + 543.95714


def test_transform_explicit_of_one_is_accepted_and_changes_nothing():
    plain = run(v2(energy=[GAS, *TRANSFORM_ROWS], electricity_mwh=None))
    with_of = [{**row, "of": of} for row, of in zip(TRANSFORM_ROWS, ["1", "1.00"], strict=True)]
    explicit = run(v2(energy=[GAS, *with_of], electricity_mwh=None))
    assert source(explicit, "transform") == source(plain, "transform") == "1203.72"
    assert explicit["totals"] == plain["totals"]


def test_transform_may_be_negative_and_is_not_floored():
    out = {"carrier": "diesel", "quantity": "100", "unit": "t", "use": "transform_out"}
    result = run(v2(energy=[GAS, out], electricity_mwh=None))
    # −100 × 43.33 × 0.0202 × 1 × 44/12 = −320.9308…
    assert source(result, "transform") == "-320.93"
    assert part(result, "transform_net") == "-145.71"  # −100 × 1.4571
    assert result["totals"]["emissions_gross_tco2"] == "21300.96"  # 21621.88809 − 320.93087
    assert result["totals"]["energy_tce"] == "11997.29"


def test_non_fossil_transform_rows_count_zero_emissions():
    out = {**biomass("100"), "use": "transform_out"}
    result = run(v2(energy=[GAS, out], electricity_mwh=None))
    assert source(result, "transform") == "0.00"
    assert part(result, "transform_net") == "-100.00"


@pytest.mark.parametrize("of", ["0.98", "0", "1.01", 0.99])
@pytest.mark.parametrize("use", ["transform_in", "transform_out"])
def test_transform_oxidation_rate_other_than_one_is_invalid(use, of):
    row = {"carrier": "diesel", "quantity": "10", "unit": "t", "use": use, "of": of}
    assert errors(v2(energy=[GAS, row])) == {("energy[1].of", "invalid")}


# --- §1.4 E电 ---------------------------------------------------------------------------------------


def test_electricity_is_received_minus_sent_at_the_fixed_factor_and_not_floored():
    result = run(v2(electricity_mwh={"grid": "1000", "export": "3000"}))
    factors = result["factors"]
    assert (factors["grid_ef_basis"], factors["factor_year"], factors["grid_ef_tco2_per_mwh"]) == (
        "national_fossil_fixed",
        None,
        "0.8325",
    )
    assert source(result, "electricity") == "-1665.00"  # (1000 − 3000) × 0.8325
    assert part(result, "electricity") == "-601.40"  # (1000 − 3000) × 0.3007
    assert result["totals"]["energy_tce"] == "11541.60"
    assert result["totals"]["emissions_gross_tco2"] == "19956.89"  # 21621.88809 − 1665


def test_certificates_count_by_default():
    result = run(v2(electricity_mwh={"grid": "1000", "certificates": "400"}))
    assert result["factors"]["certificates_as_green_power"] is True
    assert result["totals"]["certificates_counted_mwh"] == "400.00"
    assert source(result, "electricity") == "499.50"  # (1000 − 400) × 0.8325
    # certificates are not energy: 12143 + 1000 × 0.3007
    assert result["totals"]["energy_tce"] == "12443.70"
    # but they are clean: 400 × 0.3007 = 120.28 of 12443.7 tce = 0.9666%
    assert indicator(result, "clean_energy_share")["value"] == "0.97"


def test_certificates_are_capped_at_the_grid_purchase():
    result = run(v2(electricity_mwh={"grid": "100", "certificates": "400"}))
    assert result["totals"]["certificates_counted_mwh"] == "100.00"
    assert source(result, "electricity") == "0.00"
    # clean 100 × 0.3007 = 30.07 of 12143 + 30.07 = 12173.07 tce: 0.2470%
    assert indicator(result, "clean_energy_share")["value"] == "0.25"


def test_certificates_count_for_nothing_when_the_setting_is_false():
    doc = v2(
        electricity_mwh={"grid": "1000", "certificates": "400"}, method={"certificates_as_green_power": False}
    )
    result = run(doc)
    assert result["factors"]["certificates_as_green_power"] is False
    assert result["totals"]["certificates_counted_mwh"] == "0.00"
    assert source(result, "electricity") == "832.50"
    assert result["totals"]["energy_tce"] == "12443.70"
    assert indicator(result, "clean_energy_share")["value"] == "0.00"


@pytest.mark.parametrize(
    ("method", "at_grid", "electricity"),
    [
        (None, True, "666.00"),  # 1000 × 0.8325 − 200 × 0.8325
        ({"renewable_export_at_grid_factor": None}, True, "666.00"),
        ({"renewable_export_at_grid_factor": True}, True, "666.00"),
        ({"renewable_export_at_grid_factor": False}, False, "832.50"),  # 1000 × 0.8325 − 200 × 0
    ],
)
def test_renewable_export_is_at_the_grid_factor_by_default_and_never_leaves_the_energy_total(
    method, at_grid, electricity
):
    result = run(v2(electricity_mwh={"grid": "1000", "export_renewable": "200"}, method=method))
    assert result["factors"]["renewable_export_at_grid_factor"] is at_grid
    assert source(result, "electricity") == electricity
    assert result["totals"]["energy_tce"] == "12443.70"  # 12143 + 1000 × 0.3007: not subtracted
    assert "renewable_export_factor" in provisional(result)


def test_green_export_is_at_zero_and_never_leaves_the_energy_total():
    for method in (None, {"renewable_export_at_grid_factor": False}):
        result = run(v2(electricity_mwh={"grid": "1000", "export_green": "200"}, method=method))
        assert source(result, "electricity") == "832.50"
        assert result["totals"]["energy_tce"] == "12443.70"
        assert "renewable_export_factor" not in provisional(result)
    # electricity_used = grid only (export_green was never in onsite_renewable); direct share 0
    assert indicator(result, "green_power_direct_share")["value"] == "0.00"


def test_green_power_is_received_at_zero_and_onsite_fossil_power_adds_nothing():
    electricity = {
        "green_direct": "1000",
        "green_trade": "2000",
        "onsite_renewable": "500",
        "onsite_fossil": "5000",
    }
    result = run(v2(electricity_mwh=electricity))
    assert source(result, "electricity") == "0.00"
    # (1000 + 2000 + 500) × 0.3007 = 1052.45: onsite_fossil adds nothing (its fuel is a row)
    assert part(result, "electricity") == "1052.45"
    assert result["totals"]["energy_tce"] == "13195.45"
    # clean 1052.45 / 13195.45 = 7.9758%
    assert indicator(result, "clean_energy_share")["value"] == "7.98"
    # direct (1000 + 500) / used (3500 + 5000) = 17.647%
    assert indicator(result, "green_power_direct_share")["value"] == "17.65"


# --- §1.5 E热 ---------------------------------------------------------------------------------------


def test_heat_is_purchased_times_its_factor_minus_export_times_its_own_and_not_floored():
    heat = {"purchased": "1000", "export": "2000", "export_ef_tco2_per_gj": "0.2"}
    result = run(v2(heat_gj=heat, electricity_mwh=None))
    assert source(result, "heat") == "-290.00"  # 1000 × 0.11 − 2000 × 0.2
    assert result["factors"]["heat_purchased_ef_tco2_per_gj"] == "0.11"
    assert result["factors"]["heat_export_ef_tco2_per_gj"] == "0.2"
    assert part(result, "heat") == "-34.10"  # (1000 − 2000) × 0.0341
    assert result["totals"]["energy_tce"] == "12108.90"


def test_measured_purchased_heat_factor_leaves_the_export_factor_at_its_default():
    heat = {"purchased": "1000", "export": "1000", "purchased_ef_tco2_per_gj": "0.05"}
    result = run(v2(heat_gj=heat, electricity_mwh=None))
    assert source(result, "heat") == "-60.00"  # 1000 × 0.05 − 1000 × 0.11
    assert result["factors"]["heat_purchased_ef_tco2_per_gj"] == "0.05"
    assert result["factors"]["heat_export_ef_tco2_per_gj"] == "0.11"
    assert part(result, "heat") == "0.00"


def test_null_heat_factors_take_the_default():
    heat = {"purchased": "100", "purchased_ef_tco2_per_gj": None, "export_ef_tco2_per_gj": None}
    result = run(v2(heat_gj=heat, electricity_mwh=None))
    assert source(result, "heat") == "11.00"
    assert result["factors"]["heat_export_ef_tco2_per_gj"] == "0.11"


def test_renewable_heat_is_at_zero_both_ways_and_its_export_is_subtracted_from_energy():
    heat = {"purchased_renewable": "500", "export_renewable": "100"}
    result = run(v2(heat_gj=heat, electricity_mwh=None))
    assert source(result, "heat") == "0.00"
    assert part(result, "heat") == "13.64"  # (500 − 100) × 0.0341
    # clean: 500 × 0.0341 = 17.05 of 12156.64 tce = 0.1403%
    assert indicator(result, "clean_energy_share")["value"] == "0.14"


# --- §1.6 E工业过程 ---------------------------------------------------------------------------------


def test_process_rows_are_output_times_factor_plus_measured_process_entries():
    process = [
        {"product": "合成氨", "quantity_t": "300000", "ef_tco2_per_t": "1.104", "basis": "碳平衡测算"},
        {
            "product": "石灰",
            "quantity_t": "2.5",
            "ef_tco2_per_t": "0.683",
            "basis": "行业缺省",
            "enterprise": "甲",
        },
    ]
    direct = [{"kind": "process", "source": "玻璃", "tco2": "7"}]
    result = run(v2(process=process, direct_emissions=direct, electricity_mwh=None))
    # 300000 × 1.104 + 2.5 × 0.683 + 7 = 331200 + 1.7075 + 7
    assert source(result, "process") == "331208.71"
    assert result["totals"]["energy_activity_tco2"] == GAS_CO2
    assert result["totals"]["emissions_gross_tco2"] == "352830.60"  # + 21621.88809
    assert result["totals"]["energy_tce"] == "12143.00"  # products are not energy


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"product": "合成氨", "quantity_t": "1", "ef_tco2_per_t": "1"}, {("process[0].basis", "required")}),
        (
            {"product": "合成氨", "quantity_t": "1", "ef_tco2_per_t": "1", "basis": "  "},
            {("process[0].basis", "required")},
        ),
        (
            {},
            {
                ("process[0].product", "required"),
                ("process[0].quantity_t", "required"),
                ("process[0].ef_tco2_per_t", "required"),
                ("process[0].basis", "required"),
            },
        ),
        (
            {"product": " ", "quantity_t": "-1", "ef_tco2_per_t": "x", "basis": "依据"},
            {
                ("process[0].product", "required"),
                ("process[0].quantity_t", "negative"),
                ("process[0].ef_tco2_per_t", "not_a_number"),
            },
        ),
    ],
)
def test_process_row_reports_every_problem_of_its_four_fields(row, expected):
    assert errors(v2(process=[row])) == expected


# --- §2 / §4.3 the electricity coefficient of the denominator ---------------------------------------


@pytest.mark.parametrize(
    ("year", "method", "basis", "factor_year", "coefficient", "energy_tce"),
    [
        (2025, None, "equivalent", 2022, "0.3007", "12443.70"),  # latest ≤ 2024 is 2022
        (2023, None, "equivalent", 2022, "0.3007", "12443.70"),
        (2022, None, "equivalent", 2021, "0.3015", "12444.50"),  # 12143 + 1000 × 0.3015
        (2022, {"electricity_tce_basis": None}, "equivalent", 2021, "0.3015", "12444.50"),
        (2025, {"electricity_tce_basis": "calorific"}, "calorific", None, "0.1229", "12265.90"),
        (2021, {"electricity_tce_basis": "calorific"}, "calorific", None, "0.1229", "12265.90"),
    ],
)
def test_electricity_coefficient_is_the_previous_years_equivalent_value_or_calorific(
    year, method, basis, factor_year, coefficient, energy_tce
):
    result = run(v2(year=year, method=method, electricity_mwh={"grid": "1000"}))
    factors = result["factors"]
    assert (
        factors["electricity_tce_basis"],
        factors["electricity_tce_factor_year"],
        factors["electricity_tce_per_mwh"],
    ) == (basis, factor_year, coefficient)
    assert result["totals"]["energy_tce"] == energy_tce
    assert ("electricity_equivalent_coefficient" in provisional(result)) == (basis == "equivalent")


def test_a_2021_dataset_has_no_equivalent_coefficient():
    assert errors(v2(year=2021)) == {("method.electricity_tce_basis", "no_factor")}


def test_no_factor_is_reported_together_with_other_input_errors():
    doc = v2(
        year=2021,
        park={"park_type": "mixed"},
        energy=[{**GAS, "quantity": "-1"}],
        method={"grid_ef_basis": "provincial", "factor_year": 2023},
    )
    assert errors(doc) == {
        ("park.park_type", "invalid"),
        ("energy[0].quantity", "negative"),
        ("method.factor_year", "no_factor"),
        ("method.electricity_tce_basis", "no_factor"),
    }


# --- §4.4 grid factors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "method", "basis", "factor_year", "value", "electricity"),
    [
        (2025, None, "national_fossil_fixed", None, "0.8325", "832.50"),
        (2022, None, "national_fossil_fixed", None, "0.8325", "832.50"),
        # the fixed basis ignores a pinned year and reports null
        (2025, {"factor_year": 2021}, "national_fossil_fixed", None, "0.8325", "832.50"),
        (2025, {"grid_ef_basis": "national_fossil"}, "national_fossil", 2023, "0.8273", "827.30"),
        (2022, {"grid_ef_basis": "national_fossil"}, "national_fossil", 2022, "0.8325", "832.50"),
        (2025, {"grid_ef_basis": "provincial"}, "provincial", 2022, "0.5752", "575.20"),  # none for 2023
        (2024, {"grid_ef_basis": "national_excl_market"}, "national_excl_market", 2023, "0.6096", "609.60"),
        (
            2025,
            {"grid_ef_basis": "national_average", "factor_year": 2021},
            "national_average",
            2021,
            "0.5568",
            "556.80",
        ),
        (2024, {"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": "0.5"}, "custom", 2024, "0.5", "500.00"),
        (
            2024,
            {"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": "0.5", "factor_year": 2022},
            "custom",
            2022,
            "0.5",
            "500.00",
        ),
    ],
)
def test_grid_factor_by_basis_and_year(year, method, basis, factor_year, value, electricity):
    result = run(v2(year=year, method=method, electricity_mwh={"grid": "1000"}))
    factors = result["factors"]
    assert (factors["grid_ef_basis"], factors["factor_year"], factors["grid_ef_tco2_per_mwh"]) == (
        basis,
        factor_year,
        value,
    )
    assert source(result, "electricity") == electricity  # 1000 MWh × the factor


@pytest.mark.parametrize(
    ("year", "method"),
    [
        (2025, {"grid_ef_basis": "provincial", "factor_year": 2023}),
        (2025, {"grid_ef_basis": "national_excl_market", "factor_year": 2021}),
        # no value ≤ the dataset year (calorific, so that the electricity coefficient exists)
        (2021, {"grid_ef_basis": "national_excl_market", "electricity_tce_basis": "calorific"}),
        (2020, {"grid_ef_basis": "national_average", "electricity_tce_basis": "calorific"}),
    ],
)
def test_no_grid_factor_is_no_factor_at_factor_year(year, method):
    assert errors(v2(year=year, method=method)) == {("method.factor_year", "no_factor")}


def test_no_factor_is_not_looked_for_when_the_year_or_the_basis_is_invalid():
    # an invalid factor year counts as absent: provincial then takes its latest year, which exists
    assert errors(v2(method={"grid_ef_basis": "provincial", "factor_year": "2019"})) == {
        ("method.factor_year", "invalid")
    }
    assert errors(v2(year="2021", method={"grid_ef_basis": "national_excl_market"})) == {("year", "invalid")}
    assert errors(v2(year=2021, method={"grid_ef_basis": "coal", "electricity_tce_basis": "calorific"})) == {
        ("method.grid_ef_basis", "invalid")
    }


def test_no_equivalent_coefficient_is_not_looked_for_when_the_electricity_basis_is_invalid():
    assert errors(v2(year=2021, method={"electricity_tce_basis": "primary"})) == {
        ("method.electricity_tce_basis", "invalid")
    }


def test_custom_basis_requires_its_factor():
    assert errors(v2(method={"grid_ef_basis": "custom"})) == {("method.grid_ef_tco2_per_mwh", "required")}


# --- §3.2 sensitivity ------------------------------------------------------------------------------

# A park with only 1000 MWh of grid power: energy 1000 × 0.3007 = 300.7 tce, so each
# carbon_per_energy is factor × 1000 / 300.7.
ELECTRIC_ONLY = {"energy": [], "electricity_mwh": {"grid": "1000"}}
BY_YEAR_2025 = [
    ("national_average", 2023, "0.5306", "1.7645"),
    ("national_excl_market", 2023, "0.6096", "2.0273"),
    ("national_fossil", 2023, "0.8273", "2.7512"),
    ("provincial", 2022, "0.5752", "1.9129"),
]
FIXED = ("national_fossil_fixed", None, "0.8325", "2.7685")


def _sensitivity(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (s["grid_ef_basis"], s["factor_year"], s["grid_ef_tco2_per_mwh"], s["carbon_per_energy"])
        for s in result["sensitivity"]
    ]


@pytest.mark.parametrize(
    ("year", "method", "expected"),
    [
        # the fixed basis is used: it is skipped; each by-year basis at its latest year ≤ 2025
        (2025, None, BY_YEAR_2025),
        # the fixed basis first, the used basis skipped
        (2025, {"grid_ef_basis": "national_average"}, [FIXED, *BY_YEAR_2025[1:]]),
        (
            2025,
            {"grid_ef_basis": "provincial", "factor_year": 2021},
            # pinned 2021: national_excl_market has no 2021 value and is skipped
            [
                FIXED,
                ("national_average", 2021, "0.5568", "1.8517"),
                ("national_fossil", 2021, "0.8426", "2.8021"),
            ],
        ),
        (2025, {"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": "0.1"}, [FIXED, *BY_YEAR_2025]),
        (
            # a 2022 dataset: energy 1000 × 0.3015 (the 2021 coefficient) = 301.5 tce
            2022,
            {"grid_ef_basis": "national_fossil"},
            [
                ("national_fossil_fixed", None, "0.8325", "2.7612"),  # 832.5 / 301.5
                ("national_average", 2022, "0.5366", "1.7798"),
                ("national_excl_market", 2022, "0.5856", "1.9423"),
                ("provincial", 2022, "0.5752", "1.9078"),
            ],
        ),
    ],
)
def test_sensitivity_order_and_content(year, method, expected):
    result = run(v2(year=year, method=method, **ELECTRIC_ONLY))
    assert _sensitivity(result) == expected


def test_sensitivity_moves_renewable_export_with_the_factor_when_the_setting_is_true():
    electricity = {"grid": "1000", "export_renewable": "400"}
    on = run(v2(energy=[], electricity_mwh=electricity))
    # core (1000 − 400) × 0.8325 / 300.7 = 1.6611; national_average: 600 × 0.5306 / 300.7 = 1.0587
    assert indicator(on, "carbon_per_energy")["value"] == "1.6611"
    assert _sensitivity(on)[0] == ("national_average", 2023, "0.5306", "1.0587")
    off = run(v2(energy=[], electricity_mwh=electricity, method={"renewable_export_at_grid_factor": False}))
    # the renewable export stays at 0: 1000 × 0.5306 / 300.7 = 1.7645
    assert indicator(off, "carbon_per_energy")["value"] == "2.7685"
    assert _sensitivity(off)[0] == ("national_average", 2023, "0.5306", "1.7645")


def test_sensitivity_keeps_the_schemes_numerator():
    doc = v2(energy=[], electricity_mwh={"grid": "1000"}, offsets_tco2={"ccer": "100"})
    # Jiangxi: E_net = E_gross − 100; (530.6 − 100) / 300.7 = 1.4320
    assert _sensitivity(run(doc))[0] == ("national_average", 2023, "0.5306", "1.4320")
    # national: E_gross; 530.6 / 300.7 = 1.7645
    assert _sensitivity(run(doc, "national-2025"))[0] == ("national_average", 2023, "0.5306", "1.7645")


def test_energy_basis_sensitivity_gives_the_other_basis():
    default = run(v2(electricity_mwh={"grid": "1000"}))
    # calorific: 12143 + 1000 × 0.1229 = 12265.9 tce; (21621.88809 + 832.5) / 12265.9 = 1.8306
    assert default["energy_basis_sensitivity"] == [
        {
            "electricity_tce_basis": "calorific",
            "electricity_tce_factor_year": None,
            "electricity_tce_per_mwh": "0.1229",
            "energy_tce": "12265.90",
            "carbon_per_energy": "1.8306",
        }
    ]
    calorific = run(v2(electricity_mwh={"grid": "1000"}, method={"electricity_tce_basis": "calorific"}))
    # equivalent of 2022: 12443.7 tce; 22454.38809 / 12443.7 = 1.8045
    assert calorific["energy_basis_sensitivity"] == [
        {
            "electricity_tce_basis": "equivalent",
            "electricity_tce_factor_year": 2022,
            "electricity_tce_per_mwh": "0.3007",
            "energy_tce": "12443.70",
            "carbon_per_energy": "1.8045",
        }
    ]
    assert indicator(calorific, "carbon_per_energy")["value"] == "1.8306"


def test_energy_basis_sensitivity_is_empty_without_a_coefficient_and_null_on_non_positive_energy():
    doc = v2(year=2021, electricity_mwh={"grid": "1000"}, method={"electricity_tce_basis": "calorific"})
    assert run(doc)["energy_basis_sensitivity"] == []
    # calorific: 12143 − 50000 × 0.1229 = 5998 tce; equivalent: 12143 − 50000 × 0.3007 = −2892 tce
    doc = v2(electricity_mwh={"export": "50000"}, method={"electricity_tce_basis": "calorific"})
    result = run(doc)
    assert result["totals"]["energy_tce"] == "5998.00"
    (entry,) = result["energy_basis_sensitivity"]
    assert (entry["energy_tce"], entry["carbon_per_energy"]) == ("-2892.00", None)


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
