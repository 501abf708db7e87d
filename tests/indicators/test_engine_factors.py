"""The factors a result uses (docs/accounting.md §2, §3.2, §4): the equivalent-value coefficient of the
denominator, the grid factors by basis and year, and the sensitivity tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.indicators.engine_helpers import (
    BY_YEAR_2025,
    ELECTRIC_ONLY,
    FIXED,
    GAS,
    errors,
    indicator,
    provisional,
    run,
    source,
    v2,
)

D = Decimal


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
