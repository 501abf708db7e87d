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
