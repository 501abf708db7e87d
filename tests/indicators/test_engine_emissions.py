"""Each term of 附件4 (E用作燃料, E加工转换, E电, E热, E工业过程), the tce of a row and feedstock, by contract v2
(docs/accounting.md §1–§2); every expected number derived by hand from the contract and cn-2026.1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.indicators.engine_helpers import (
    GAS,
    GAS_CO2,
    LPG_FEEDSTOCK,
    TRANSFORM_ROWS,
    biomass,
    errors,
    indicator,
    part,
    provisional,
    run,
    source,
    v2,
)

D = Decimal


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
