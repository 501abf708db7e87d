"""Table-driven checks of each accounting rule, with exact Decimal expectations (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.indicators.engine_helpers import dataset, error_pairs, indicator, run, total

D = Decimal


# --- units and energy (tce) --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "energy_tce"),
    [
        ({"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}, D("12143")),
        ({"carrier": "natural_gas", "quantity": "10000000", "unit": "Nm3", "use": "fuel"}, D("12143")),
        ({"carrier": "natural_gas", "quantity": "0.1", "unit": "10^8 Nm3", "use": "fuel"}, D("12143")),
        ({"carrier": "diesel", "quantity": "1000", "unit": "t", "use": "fuel"}, D("1457.1")),
        ({"carrier": "diesel", "quantity": "1000000", "unit": "kg", "use": "fuel"}, D("1457.1")),
        ({"carrier": "diesel", "quantity": "0.1", "unit": "10^4 t", "use": "fuel"}, D("1457.1")),
        # no GB/T 2589 coefficient: derived from the default NCV
        ({"carrier": "bituminous", "quantity": "29.3076", "unit": "t", "use": "fuel"}, D("23.204")),
        # a measured NCV overrides the coefficient
        ({"carrier": "coke", "quantity": "29.3076", "unit": "t", "use": "fuel", "ncv": "30"}, D("30")),
        ({"carrier": "renewable_heat", "quantity": "1", "unit": "TJ", "use": "fuel"}, D("34.1")),
    ],
)
def test_fuel_row_energy_follows_units_and_coefficients(row, energy_tce):
    result = run(dataset(energy=[row], electricity_mwh=None))
    assert total(result, "energy_tce") == energy_tce.quantize(D("0.01"))


def test_feedstock_is_excluded_from_energy_and_emissions_by_default():
    rows = [
        {"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"},
        {"carrier": "lpg", "quantity": "1000", "unit": "t", "use": "feedstock"},
    ]
    result = run(dataset(energy=rows, electricity_mwh=None))
    assert total(result, "energy_tce") == D("12143.00")
    assert (
        result["totals"]["by_source_tco2"]["fuel"]
        == run(dataset(electricity_mwh=None))["totals"]["by_source_tco2"]["fuel"]
    )


def test_feedstock_counts_in_energy_when_the_setting_is_on():
    rows = [{"carrier": "lpg", "quantity": "1000", "unit": "t", "use": "feedstock"}]
    result = run(dataset(energy=rows, electricity_mwh=None, method={"feedstock_in_energy": True}))
    assert total(result, "energy_tce") == D("1714.30")
    assert total(result, "emissions_gross_tco2") == D("0.00")


def test_fuel_emissions_use_ncv_cc_of_and_44_over_12():
    result = run(dataset(electricity_mwh=None))
    # 1000 × 389.31 × 0.0153 × 0.99 × 44/12 = 21621.889...
    assert result["totals"]["by_source_tco2"]["fuel"] == "21621.89"


def test_bunker_fuel_stays_in_the_total_and_is_reported_apart():
    rows = [{"carrier": "gasoline", "quantity": "100", "unit": "t", "use": "bunker"}]
    result = run(dataset(energy=rows, electricity_mwh=None))
    assert result["totals"]["bunker_tco2"] == result["totals"]["by_source_tco2"]["fuel"] != "0.00"


def test_conversion_rows_and_direct_conversion_entries_add_up():
    rows = [{"carrier": "bituminous", "quantity": "1000", "unit": "t", "use": "conversion"}]
    direct = [
        {"kind": "conversion", "source": "焦化", "tco2": "100"},
        {"kind": "process", "source": "水泥", "tco2": "7"},
    ]
    result = run(dataset(energy=rows, electricity_mwh=None, direct_emissions=direct))
    # 1000 × 23.204 × 0.02618 × 0.93 × 44/12 = 2071.509… ; + 100
    assert result["totals"]["by_source_tco2"]["conversion"] == "2171.51"
    assert result["totals"]["by_source_tco2"]["process"] == "7.00"


def test_non_fossil_fuel_emits_nothing_and_is_clean():
    rows = [{"carrier": "biomass", "quantity": "29.3076", "unit": "t", "use": "fuel", "ncv": "15"}]
    result = run(dataset(energy=rows, electricity_mwh=None))
    assert total(result, "emissions_gross_tco2") == 0
    assert indicator(result, "clean_energy_share")["value"] == "100.00"


# --- electricity and heat ------------------------------------------------------------------------


def test_exports_net_against_ordinary_grid_purchases_only():
    result = run(dataset(electricity_mwh={"grid": "100", "green_direct": "1000", "export": "150"}))
    assert result["totals"]["by_source_tco2"]["electricity"] == "0.00"
    # energy still counts the net inflow 100 + 1000 − 150 = 950 MWh
    assert total(result, "energy_tce") == (D("12143") + D("950") * D("0.1229")).quantize(D("0.01"))


def test_onsite_fossil_power_adds_neither_energy_nor_indirect_emissions():
    a = run(dataset(electricity_mwh={"grid": "1000"}))
    b = run(dataset(electricity_mwh={"grid": "1000", "onsite_fossil": "5000"}))
    assert a["totals"] == b["totals"]
    assert indicator(b, "green_power_direct_share")["value"] == "0.00"


def test_certificates_are_ignored_unless_the_setting_is_on():
    off = run(dataset(electricity_mwh={"grid": "1000", "certificates": "400"}))
    on = run(
        dataset(
            electricity_mwh={"grid": "1000", "certificates": "400"},
            method={"certificates_as_green_power": True},
        )
    )
    assert off["totals"]["by_source_tco2"]["electricity"] == "827.30"
    assert on["totals"]["by_source_tco2"]["electricity"] == "496.38"
    assert off["totals"]["energy_tce"] == on["totals"]["energy_tce"]


def test_certificates_count_at_most_the_grid_purchase():
    on = run(
        dataset(
            electricity_mwh={"grid": "100", "certificates": "400"},
            method={"certificates_as_green_power": True},
        )
    )
    assert on["totals"]["by_source_tco2"]["electricity"] == "0.00"


def test_heat_exports_reduce_energy_but_never_make_emissions_negative():
    result = run(dataset(heat_gj={"purchased": "100", "export": "1000"}))
    assert result["totals"]["by_source_tco2"]["heat"] == "0.00"
    expected = D("12143") + D("100000") * D("0.1229") - D("900") * D("0.0341")
    assert total(result, "energy_tce") == expected.quantize(D("0.01"))


def test_supplier_heat_factor_replaces_the_default():
    result = run(dataset(heat_gj={"purchased": "1000", "purchased_ef_tco2_per_gj": "0.05"}))
    assert result["totals"]["by_source_tco2"]["heat"] == "50.00"
    assert result["factors"]["heat_ef_tco2_per_gj"] == "0.05"


# --- grid factor choice and sensitivity ----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "method", "basis", "factor_year", "value"),
    [
        (2025, {}, "national_fossil", 2023, "0.8273"),
        (2022, {}, "national_fossil", 2022, "0.8325"),
        (2025, {"grid_ef_basis": "provincial"}, "provincial", 2022, "0.5752"),
        (
            2025,
            {"grid_ef_basis": "national_average", "factor_year": 2021},
            "national_average",
            2021,
            "0.5568",
        ),
        (2024, {"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": "0.5"}, "custom", 2024, "0.5"),
    ],
)
def test_grid_factor_is_the_latest_year_up_to_the_dataset_year_unless_pinned(
    year, method, basis, factor_year, value
):
    factors = run(dataset(year=year, method=method))["factors"]
    assert (factors["grid_ef_basis"], factors["factor_year"], factors["grid_ef_tco2_per_mwh"]) == (
        basis,
        factor_year,
        value,
    )


def test_sensitivity_lists_other_bases_of_the_same_factor_year_in_table_order():
    result = run(dataset(year=2021))
    assert [s["grid_ef_basis"] for s in result["sensitivity"]] == ["national_average", "provincial"]


def test_sensitivity_recomputes_the_core_value_with_each_factor():
    result = run(dataset(energy=[], electricity_mwh={"grid": "1000"}))
    # only electricity: carbon per energy = EF / 0.1229
    by_basis = {s["grid_ef_basis"]: s["carbon_per_energy"] for s in result["sensitivity"]}
    assert by_basis["national_average"] == str((D("0.5306") / D("0.1229")).quantize(D("0.0001")))


# --- indicators, thresholds and status -------------------------------------------------------------


def test_core_threshold_depends_on_park_type():
    chemical = dataset(park={"park_type": "chemical"})
    assert indicator(run(chemical), "carbon_per_energy")["threshold"]["value"] == "0.6"
    assert indicator(run(dataset()), "carbon_per_energy")["threshold"]["value"] == "0.4"


def test_status_compares_the_rounded_value():
    # 0.40004 reports as 0.4000 and passes ≤ 0.4; exact arithmetic would fail it.
    elec = D("1000")
    grid_ef = D("0.40004") * D("0.1229")
    result = run(
        dataset(
            energy=[],
            electricity_mwh={"grid": str(elec)},
            method={"grid_ef_basis": "custom", "grid_ef_tco2_per_mwh": str(grid_ef)},
        )
    )
    core = indicator(result, "carbon_per_energy")
    assert (core["value"], core["status"]) == ("0.4000", "pass")
    assert result["core_passed"] is True


def test_half_up_rounding_of_percentages():
    result = run(dataset(resources={"water_m3": {"fresh_intake": "1", "reused": "7"}}))  # 87.5 exactly
    assert indicator(result, "water_reuse")["value"] == "87.50"
    result = run(dataset(resources={"public_vehicles": {"new_energy": 1, "total": 8}}))  # 12.5
    assert indicator(result, "public_nev_share")["value"] == "12.50"


@pytest.mark.parametrize(
    ("energy_rows", "status", "threshold", "notes"),
    [
        # 1000 × 12.143 = 12,143 tce: below the national tier
        (
            [{"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}],
            "not_applicable",
            "0.2",
            ["below_tier"],
        ),
        (
            [{"carrier": "natural_gas", "quantity": "20000", "unit": "10^4 Nm3", "use": "fuel"}],
            "fail",
            "0.2",
            [],
        ),
        (
            [{"carrier": "natural_gas", "quantity": "90000", "unit": "10^4 Nm3", "use": "fuel"}],
            "fail",
            "0.3",
            [],
        ),
    ],
)
def test_national_scheme_tiers(energy_rows, status, threshold, notes):
    core = indicator(
        run(dataset(energy=energy_rows, electricity_mwh=None), "national-2025"), "carbon_per_energy"
    )
    assert (core["status"], core["threshold"]["value"], core["notes"]) == (status, threshold, notes)
    assert (core["value"] is None) == (status == "not_applicable")


def test_national_scheme_lists_only_its_six_indicators_and_uses_gross_emissions():
    result = run(dataset(offsets_tco2={"ccer": "1000"}), "national-2025")
    assert [i["code"] for i in result["indicators"]] == [
        "carbon_per_energy",
        "clean_energy_share",
        "product_energy_grade",
        "solid_waste_utilization",
        "water_reuse",
        "waste_energy_utilization",
    ]
    # Same totals, same factors: the national scheme's core value (here in the sensitivity rows, the
    # park being below its tier) is on gross emissions, Jiangxi's on net — 1,000 t of CCER apart.
    jiangxi = run(dataset(offsets_tco2={"ccer": "1000"}))
    offset_per_tce = D(1000) / total(result, "energy_tce")
    for national_row, jiangxi_row in zip(result["sensitivity"], jiangxi["sensitivity"], strict=True):
        difference = D(national_row["carbon_per_energy"]) - D(jiangxi_row["carbon_per_energy"])
        assert abs(difference - offset_per_tce) <= D("0.0001")


def test_jiangxi_notes_parks_below_the_tier_but_still_judges_them():
    core = indicator(run(dataset()), "carbon_per_energy")
    assert core["notes"] == ["below_tier"]
    assert core["status"] in ("pass", "fail")


@pytest.mark.parametrize(
    ("resources", "code"),
    [
        ({}, "solid_waste_utilization"),
        ({"solid_waste_t": {"generated": "0"}}, "solid_waste_utilization"),
        ({}, "product_energy_grade"),
        ({"products": []}, "product_energy_grade"),
        ({"waste_energy_tce": {"heat": {"recoverable": "0", "utilized": "0"}}}, "waste_energy_utilization"),
        ({"freight_t": {"clean": "0", "total": "0"}}, "clean_transport_share"),
        ({}, "green_buildings"),
    ],
)
def test_missing_blocks_or_zero_denominators_are_no_data(resources, code):
    item = indicator(run(dataset(resources=resources)), code)
    assert (item["status"], item["value"]) == ("no_data", None)


def test_waste_energy_is_a_recoverable_weighted_average_and_empty_kinds_drop_out():
    block = {
        "heat": {"recoverable": "100", "utilized": "90"},
        "cold": {"recoverable": "0", "utilized": "0"},
        "pressure": {"recoverable": "300", "utilized": "30"},
    }
    assert (
        indicator(run(dataset(resources={"waste_energy_tce": block})), "waste_energy_utilization")["value"]
        == "30.00"
    )


def test_product_grade_is_the_share_of_products_at_grade_two_or_better():
    products = [
        {"name": "a", "value": "10", "grade2_limit": "10"},
        {"name": "b", "value": "11", "grade2_limit": "10"},
    ]
    item = indicator(run(dataset(resources={"products": products})), "product_energy_grade")
    assert (item["value"], item["status"]) == ("50.00", "fail")


def test_exempt_guiding_indicator_has_no_value_and_keeps_its_reason():
    result = run(
        dataset(
            resources={"freight_t": {"clean": "1", "total": "2"}},
            exemptions={"clean_transport_share": "园区无货运"},
        )
    )
    item = indicator(result, "clean_transport_share")
    assert (item["status"], item["value"], item["exempt_reason"]) == ("exempt", None, "园区无货运")


def test_offsets_reduce_net_emissions_and_report_their_share():
    result = run(dataset(offsets_tco2={"ccer": "1000"}))
    assert total(result, "emissions_net_tco2") == total(result, "emissions_gross_tco2") - 1000
    share = D(1000) / total(result, "emissions_gross_tco2") * 100
    assert indicator(result, "offset_share")["value"] == str(share.quantize(D("0.01")))


def test_clean_share_is_capped_at_100():
    result = run(
        dataset(energy=[], electricity_mwh={"green_direct": "100", "onsite_renewable": "10", "export": "50"})
    )
    assert indicator(result, "clean_energy_share")["value"] == "100.00"


# --- input errors: every code ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"schema": "zcpark.dataset/2"}, ("schema", "invalid")),
        ({"schema": None}, ("schema", "required")),
        ({"park": {"park_type": "mixed"}}, ("park.park_type", "invalid")),
        ({"year": 1899}, ("year", "invalid")),
        ({"year": None}, ("year", "required")),
        ({"method": {"grid_ef_basis": "coal"}}, ("method.grid_ef_basis", "invalid")),
        ({"method": {"grid_ef_basis": "custom"}}, ("method.grid_ef_tco2_per_mwh", "required")),
        (
            {"method": {"grid_ef_basis": "provincial", "factor_year": 2023}},
            ("method.factor_year", "no_factor"),
        ),
        ({"year": 2020}, ("method.factor_year", "no_factor")),
        (
            {"energy": [{"carrier": "unobtainium", "quantity": "1", "unit": "t", "use": "fuel"}]},
            ("energy[0].carrier", "unknown"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "t", "use": "burn"}]},
            ("energy[0].use", "invalid"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "GJ", "use": "fuel"}]},
            ("energy[0].unit", "unit_mismatch"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "-1", "unit": "t", "use": "fuel"}]},
            ("energy[0].quantity", "negative"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "十", "unit": "t", "use": "fuel"}]},
            ("energy[0].quantity", "not_a_number"),
        ),
        ({"energy": [{"carrier": "diesel", "unit": "t", "use": "fuel"}]}, ("energy[0].quantity", "required")),
        (
            {"energy": [{"carrier": "biogas", "quantity": "1", "unit": "10^4 Nm3", "use": "fuel"}]},
            ("energy[0].ncv", "required"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "t", "use": "fuel", "cc": "-0.1"}]},
            ("energy[0].cc", "negative"),
        ),
        ({"direct_emissions": [{"kind": "magic", "tco2": "1"}]}, ("direct_emissions[0].kind", "invalid")),
        ({"electricity_mwh": {"grid": "x"}}, ("electricity_mwh.grid", "not_a_number")),
        ({"electricity_mwh": {"gird": "1"}}, ("electricity_mwh.gird", "invalid")),
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
        ({"resources": {"green_buildings": "1.5"}}, ("resources.green_buildings", "invalid")),
        (
            {"exemptions": {"carbon_per_energy": "不适用"}},
            ("exemptions.carbon_per_energy", "core_not_exemptible"),
        ),
        ({"exemptions": {"water_reuse": " "}}, ("exemptions.water_reuse", "required")),
        ({"energy": [], "electricity_mwh": {"export": "10"}}, ("energy", "non_positive_energy")),
        ({"offsets_tco2": {"ccer": "99999999"}}, ("offsets_tco2.ccer", "exceeds_emissions")),
    ],
)
def test_input_error_is_reported_with_its_path_and_code(changes, expected):
    result = run(dataset(**changes))
    assert "indicators" not in result
    assert expected in error_pairs(result)
    assert all(e["message"] for e in result["errors"])


def test_a_row_reports_only_its_first_problem_among_carrier_use_and_unit():
    row = {"carrier": "diesel", "quantity": "-1", "unit": "GJ", "use": "burn"}
    assert error_pairs(run(dataset(energy=[row]))) == {("energy[0].use", "invalid")}


def test_totals_checks_wait_until_every_input_is_valid():
    result = run(dataset(energy=[], electricity_mwh={"export": "10"}, park={"park_type": "x"}))
    assert error_pairs(result) == {("park.park_type", "invalid")}


def test_numbers_may_be_json_numbers_and_are_never_read_through_float():
    from indicators.engine import loads

    doc = loads(
        '{"schema": "zcpark.dataset/1", "park": {"park_type": "non_chemical"}, "year": 2025,'
        ' "electricity_mwh": {"grid": 0.1, "green_direct": 0.2}}'
    )
    result = run(doc)
    assert result["totals"]["energy_tce"] == "0.04"  # 0.3 × 0.1229 = 0.03687
    assert indicator(result, "clean_energy_share")["value"] == "66.67"


# --- hardening: inputs that must be errors, never crashes or silent zeros ---------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"energy": [{"carrier": "diesel", "quantity": "1e30", "unit": "t", "use": "fuel"}]},
            ("energy[0].quantity", "invalid"),
        ),
        ({"resources": {"green_buildings": "1e400"}}, ("resources.green_buildings", "invalid")),
        ({"electricity_mwh": {"grid": "1e999999"}}, ("electricity_mwh.grid", "invalid")),
        (
            {"energy": [{"carrier": ["x"], "quantity": "1", "unit": "t", "use": "fuel"}]},
            ("energy[0].carrier", "unknown"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": {}, "use": "fuel"}]},
            ("energy[0].unit", "unit_mismatch"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "t", "use": ["fuel"]}]},
            ("energy[0].use", "invalid"),
        ),
        (
            {"energy": [{"carrier": "biomass", "quantity": "1", "unit": "t", "use": "fuel", "ncv": ""}]},
            ("energy[0].ncv", "required"),
        ),
        (
            {
                "energy": [
                    {"carrier": "green_hydrogen", "quantity": "1", "unit": "t", "use": "fuel", "cc": "abc"}
                ]
            },
            ("energy[0].cc", "not_a_number"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1,5", "unit": "t", "use": "fuel"}]},
            ("energy[0].quantity", "not_a_number"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1_000", "unit": "t", "use": "fuel"}]},
            ("energy[0].quantity", "not_a_number"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "t", "use": "fuel", "of": "98"}]},
            ("energy[0].of", "invalid"),
        ),
        (
            {"energy": [{"carrier": "diesel", "quantity": "1", "unit": "t", "use": "fuel", "nvc": "40"}]},
            ("energy[0].nvc", "invalid"),
        ),
        ({"electricity": {"grid": "1"}}, ("electricity", "invalid")),
        ({"method": {"grid_basis": "provincial"}}, ("method.grid_basis", "invalid")),
        ({"resources": {"water_m3": {"reuse": "900"}}}, ("resources.water_m3.reuse", "invalid")),
        ({"offsets_tco2": {"ccers": "1"}}, ("offsets_tco2.ccers", "invalid")),
    ],
)
def test_bad_input_is_an_error_with_its_path_not_a_crash_or_a_silent_zero(changes, expected):
    result = run(dataset(**changes))
    assert expected in error_pairs(result)


def test_thousands_separators_as_spreadsheets_write_them_are_read():
    result = run(
        dataset(
            energy=[{"carrier": "diesel", "quantity": "1,000.5", "unit": "t", "use": "fuel"}],
            electricity_mwh=None,
        )
    )
    assert total(result, "energy_tce") == (D("1000.5") * D("1.4571")).quantize(D("0.01"))


def test_the_largest_accepted_quantities_still_compute_exactly():
    rows = [{"carrier": "natural_gas", "quantity": "1e15", "unit": "10^4 Nm3", "use": "fuel"}] * 50
    result = run(dataset(energy=rows, electricity_mwh=None))
    assert total(result, "energy_tce") == D("12.143") * D("5e16")
