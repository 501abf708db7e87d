"""Small dataset builders for the engine's table-driven and property tests."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from indicators.engine import evaluate
from tests.indicators.cases import reference_factor_set, reference_scheme

BASE: dict[str, Any] = {
    "schema": "zcpark.dataset/1",
    "park": {"name": "测试园区", "park_type": "non_chemical"},
    "year": 2025,
    "energy": [{"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}],
    "electricity_mwh": {"grid": "100000"},
}


def dataset(**changes: Any) -> dict[str, Any]:
    """BASE with top-level keys replaced (None removes a key)."""
    doc = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def run(doc: dict[str, Any], scheme: str = "jiangxi-2025") -> dict[str, Any]:
    return evaluate(doc, factor_set=reference_factor_set(), scheme=reference_scheme(scheme)).document()


def indicator(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(i for i in result["indicators"] if i["code"] == code)


def total(result: dict[str, Any], key: str) -> Decimal:
    return Decimal(result["totals"][key])


def error_pairs(result: dict[str, Any]) -> set[tuple[str, str]]:
    return {(e["path"], e["code"]) for e in result.get("errors", [])}


# --- v2 documents and what the rule tests read of a result (tests/indicators/test_engine_*.py) ---

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


LPG_FEEDSTOCK = {"carrier": "lpg", "quantity": "1000", "unit": "t", "use": "feedstock"}  # 1000 × 1.7143

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

ELECTRIC_ONLY = {"energy": [], "electricity_mwh": {"grid": "1000"}}
BY_YEAR_2025 = [
    ("national_average", 2023, "0.5306", "1.7645"),
    ("national_excl_market", 2023, "0.6096", "2.0273"),
    ("national_fossil", 2023, "0.8273", "2.7512"),
    ("provincial", 2022, "0.5752", "1.9129"),
]
FIXED = ("national_fossil_fixed", None, "0.8325", "2.7685")
