"""The plain engine's indicators (bench/plain_engine.py): the core and guiding indicators of §3.

The exact value of every guiding indicator, and each indicator's status on its rounded value against
the scheme's threshold; the core indicator on the tier its rounded energy_tce selects (§3.1).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from plain_engine_reading import INDICATOR_ORDER, NAMES, amount, block, dataset_num, num, rounded


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """A percentage, or None (no_data) when the denominator is ≤ 0."""
    if denominator <= 0:
        return None
    return numerator / denominator * 100


def guiding_values(
    document: dict[str, Any],
    clean_tce: Decimal,
    energy_tce: Decimal,
    e: dict[str, Decimal],
    electricity_used: Decimal,
    offsets: Decimal,
    e_gross: Decimal,
) -> dict[str, Decimal | None]:
    """The exact value of every guiding indicator (None: no_data)."""
    values: dict[str, Decimal | None] = dict.fromkeys(INDICATOR_ORDER[1:])
    clean = ratio(clean_tce, energy_tce)
    values["clean_energy_share"] = None if clean is None else min(clean, Decimal(100))
    resources = block(document, "resources")
    products = resources.get("products") or []
    if products:
        good = 0
        for product in products:
            if dataset_num(product["value"]) <= dataset_num(product["grade2_limit"]):
                good += 1
        values["product_energy_grade"] = Decimal(good) / Decimal(len(products)) * 100
    if resources.get("solid_waste_t") is not None:
        waste = block(resources, "solid_waste_t")
        values["solid_waste_utilization"] = ratio(
            amount(waste, "utilized"), amount(waste, "generated") + amount(waste, "utilized_from_storage")
        )
    if resources.get("water_m3") is not None:
        water = block(resources, "water_m3")
        values["water_reuse"] = ratio(
            amount(water, "reused"), amount(water, "reused") + amount(water, "fresh_intake")
        )
    if resources.get("waste_energy_tce") is not None:
        kinds = block(resources, "waste_energy_tce")
        utilized = Decimal(0)
        recoverable = Decimal(0)
        for kind in ("heat", "cold", "pressure"):
            pair = block(kinds, kind)
            if amount(pair, "recoverable") > 0:
                utilized += amount(pair, "utilized")
                recoverable += amount(pair, "recoverable")
        values["waste_energy_utilization"] = ratio(utilized, recoverable)
    if resources.get("freight_t") is not None:
        freight = block(resources, "freight_t")
        values["clean_transport_share"] = ratio(amount(freight, "clean"), amount(freight, "total"))
    if resources.get("public_vehicles") is not None:
        vehicles = block(resources, "public_vehicles")
        values["public_nev_share"] = ratio(amount(vehicles, "new_energy"), amount(vehicles, "total"))
    if resources.get("green_buildings") is not None:
        values["green_buildings"] = dataset_num(resources["green_buildings"])
    direct = ratio(e["green_direct"] + e["onsite_renewable"], electricity_used)
    values["green_power_direct_share"] = None if direct is None else min(direct, Decimal(100))
    values["offset_share"] = ratio(offsets, e_gross)
    return values


def compare(value: Decimal, op: str, threshold: Decimal) -> bool:
    if op == "<=":
        return value <= threshold
    if op == ">=":
        return value >= threshold
    raise ValueError(f"op {op!r}")


def core_indicator(
    scheme: dict[str, Any], park_type: str, numerator: Decimal, energy_tce: Decimal
) -> dict[str, Any]:
    """§3.1: the tier is chosen on the rounded energy_tce; the status on the rounded value."""
    rule = scheme["core"]
    shown_energy = rounded(energy_tce, 2)
    tiers = [t for t in rule["tiers"] if t["park_type"] is None or t["park_type"] == park_type]
    notes = []
    below = shown_energy < num(rule["tier_min_energy_tce"])
    chosen = None
    for tier in tiers:
        if num(tier["min_energy_tce"]) <= shown_energy and (
            chosen is None or num(tier["min_energy_tce"]) > num(chosen["min_energy_tce"])
        ):
            chosen = tier
    if below:
        notes.append("below_tier")
    if below and rule["below_tier"] == "not_applicable":
        lowest = tiers[0]
        for tier in tiers:
            if num(tier["min_energy_tce"]) < num(lowest["min_energy_tce"]):
                lowest = tier
        value, status, threshold = None, "not_applicable", lowest["value"]
    else:
        if chosen is None:
            raise ValueError("no tier")
        value = rounded(numerator / energy_tce, 4)
        threshold = chosen["value"]
        status = "pass" if compare(value, rule["op"], num(threshold)) else "fail"
    return {
        "code": rule["code"],
        "name": NAMES[rule["code"]],
        "category": "core",
        "value": None if value is None else str(value),
        "unit": "tCO2/tce",
        "threshold": {"op": rule["op"], "value": threshold},
        "status": status,
        "notes": notes,
    }


def guiding_indicator(
    code: str, rule: dict[str, Any], value: Decimal | None, exemption: Any
) -> dict[str, Any]:
    places = 0 if code == "green_buildings" else 2
    shown = None
    if isinstance(exemption, str) and exemption.strip():
        status = "exempt"
    elif value is None:
        status = "no_data"
    else:
        shown = rounded(value, places)
        status = "pass" if compare(shown, rule["op"], num(rule["value"])) else "fail"
    return {
        "code": code,
        "name": NAMES[code],
        "category": "guiding",
        "value": None if shown is None else str(shown),
        "unit": "栋" if code == "green_buildings" else "%",
        "threshold": {"op": rule["op"], "value": rule["value"]},
        "status": status,
        "notes": [],
    }
