"""A plain, deliberately unoptimised implementation of contract v2 (docs/accounting.md) for valid datasets.

It is a second, independent reading of the contract, used as the baseline of bench/engine_command.py and
as a cross-check of the engine: one loop over the energy rows, every number read with ``Decimal(str(x))``,
60 significant digits, no grouping of rows, no caching, nothing precomputed. The factor set and scheme
JSON documents (fixtures/) are read directly. Bad input is not reported the way the engine does (§7): it
raises ``ValueError`` at the first problem it notices.

    .venv/bin/python bench/plain_engine.py FILE... [--scheme jiangxi-2025|national-2025]
        one result document per line (JSON Lines) on stdout
    .venv/bin/python bench/plain_engine.py --check
        every valid public case of tests/cases against its expected result (the cases' README rules)
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FACTOR_SET_PATH = ROOT / "fixtures" / "factor_sets" / "cn-2026.1.json"
SCHEMES_DIR = ROOT / "fixtures" / "schemes"
CASES_DIR = ROOT / "tests" / "cases"
PRECISION = 60
LIMIT = Decimal(10) ** 15

# §3: the order of the indicators in every result.
INDICATOR_ORDER = [
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
NAMES = {
    "carbon_per_energy": "单位能耗碳排放",
    "clean_energy_share": "清洁能源消费占比",
    "product_energy_grade": "园区企业产出产品单位能耗",
    "solid_waste_utilization": "工业固体废物综合利用率",
    "water_reuse": "工业用水重复利用率",
    "waste_energy_utilization": "余热/余冷/余压综合利用率",
    "clean_transport_share": "清洁运输比例",
    "public_nev_share": "公共服务新能源汽车占比",
    "green_buildings": "超低能耗、近零能耗、高星级绿色建筑数量",
    "green_power_direct_share": "绿色电力直接供应比例",
    "offset_share": "碳排放抵销比例",
}
# §4.2: accepted input units and their size in the carrier's base unit.
UNITS = {
    "t": {"t": "1", "kg": "0.001", "10^4 t": "10000"},
    "10^4 Nm3": {"10^4 Nm3": "1", "Nm3": "0.0001", "m3": "0.0001", "10^8 Nm3": "10000"},
    "GJ": {"GJ": "1", "MJ": "0.001", "TJ": "1000"},
}
USES = ["fuel", "power_heat", "transform_in", "transform_out", "feedstock", "bunker"]
FUEL_USES = ["fuel", "power_heat", "bunker"]
# §3.2: the order of the grid bases in `sensitivity`.
SENSITIVITY_BASES = [
    "national_fossil_fixed",
    "national_average",
    "national_excl_market",
    "national_fossil",
    "provincial",
]
ELECTRICITY_KEYS = [
    "grid",
    "green_direct",
    "green_trade",
    "certificates",
    "onsite_renewable",
    "onsite_fossil",
    "export",
    "export_renewable",
    "export_green",
]
HEAT_KEYS = ["purchased", "purchased_renewable", "export", "export_renewable"]


# --- reading -------------------------------------------------------------------------------------------


def num(value: Any) -> Decimal:
    """A number of the dataset or factor set (JSON number or string), never through float."""
    if value is None or isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def dataset_num(value: Any) -> Decimal:
    """A dataset number: finite, ≥ 0 and at most 10^15 (§5.1)."""
    number = num(value)
    if number < 0 or number > LIMIT:
        raise ValueError(f"out of range: {value!r}")
    return number


def block(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{key} is not an object")
    return value


def amount(mapping: dict[str, Any], key: str) -> Decimal:
    """An absent quantity is 0 (§5.1)."""
    if key not in mapping:
        return Decimal(0)
    return dataset_num(mapping[key])


def read_json(path: Path) -> Any:
    # parse_float keeps JSON numbers away from float; integers stay int and go through str().
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def load_factor_set(path: Path = FACTOR_SET_PATH) -> dict[str, Any]:
    return read_json(path)


def load_scheme(name: str) -> dict[str, Any]:
    return read_json(SCHEMES_DIR / f"{name}.json")


# --- rounding (§0) ------------------------------------------------------------------------------------


def rounded(value: Decimal, places: int) -> Decimal:
    result = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if result.is_zero():
        result = abs(result)
    return result


def text(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else str(rounded(value, places))


# --- the factor set -----------------------------------------------------------------------------------


def constant(factor_set: dict[str, Any], key: str) -> Decimal:
    return num(factor_set["constants"][key]["value"])


def find_carrier(factor_set: dict[str, Any], code: str) -> dict[str, Any]:
    for carrier in factor_set["carriers"]:
        if carrier["code"] == code:
            return carrier
    raise ValueError(f"unknown carrier {code!r}")


def default_param(carrier: dict[str, Any], key: str) -> Decimal | None:
    value = carrier.get(key)
    return None if value is None else num(value)


def grid_factor(
    factor_set: dict[str, Any], basis: str, year: int, pinned: int | None, custom: Any
) -> tuple[Decimal, int | None] | None:
    """(factor, factor year) of a grid basis (§4.4), or None when the set has no value."""
    if basis == "national_fossil_fixed":
        return constant(factor_set, "national_fossil_fixed_tco2_per_mwh"), None
    if basis == "custom":
        return dataset_num(custom), pinned if pinned is not None else year
    best = None
    for entry in factor_set["grid_factors"]:
        if entry["basis"] != basis:
            continue
        if pinned is not None:
            if entry["year"] == pinned:
                best = entry
        elif entry["year"] <= year and (best is None or entry["year"] > best["year"]):
            best = entry
    if best is None:
        return None
    return num(best["value"]), best["year"]


def electricity_coefficient(
    factor_set: dict[str, Any], basis: str, year: int
) -> tuple[Decimal, int | None] | None:
    """(tce/MWh, year) of an electricity basis (§2, §4.3), or None when there is no coefficient."""
    if basis == "calorific":
        return constant(factor_set, "electricity_calorific_tce_per_mwh"), None
    best = None
    for entry in factor_set["electricity_equivalent"]:
        if entry["year"] <= year - 1 and (best is None or entry["year"] > best["year"]):
            best = entry
    if best is None:
        return None
    return num(best["value"]), best["year"]


def setting(document: dict[str, Any], factor_set: dict[str, Any], key: str) -> Any:
    """A method setting: the dataset's, or the factor set's default when absent or null (§5.2)."""
    value = block(document, "method").get(key)
    if value is None and key in factor_set["method_defaults"]:
        return factor_set["method_defaults"][key]["value"]
    return value


def boolean_setting(document: dict[str, Any], factor_set: dict[str, Any], key: str) -> bool:
    value = setting(document, factor_set, key)
    if not isinstance(value, bool):
        raise ValueError(f"method.{key} must be true or false")
    return value


# --- the evaluation -----------------------------------------------------------------------------------


def upgrade(document: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """§5.3: a /1 document becomes /2, `conversion` rows become `power_heat`; nothing else changes."""
    schema = document.get("schema")
    if schema == "zcpark.dataset/2":
        return document, None
    if schema != "zcpark.dataset/1":
        raise ValueError(f"schema {schema!r}")
    upgraded = dict(document)
    upgraded["schema"] = "zcpark.dataset/2"
    rows = []
    for row in document.get("energy") or []:
        row = dict(row)
        if row.get("use") == "conversion":
            row["use"] = "power_heat"
        rows.append(row)
    upgraded["energy"] = rows
    return upgraded, "zcpark.dataset/1"


def evaluate(document: dict[str, Any], factor_set: dict[str, Any], scheme: dict[str, Any]) -> dict[str, Any]:
    """The result document of a valid dataset (without `trace`)."""
    with localcontext(Context(prec=PRECISION)):
        document, upgraded_from = upgrade(document)
        return _evaluate(document, upgraded_from, factor_set, scheme)


def _evaluate(
    document: dict[str, Any], upgraded_from: str | None, factor_set: dict[str, Any], scheme: dict[str, Any]
) -> dict[str, Any]:
    year = document["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError("year")
    park_type = block(document, "park").get("park_type")
    if park_type not in ("chemical", "non_chemical"):
        raise ValueError("park.park_type")

    # Method settings (§5.2).
    grid_basis = setting(document, factor_set, "grid_ef_basis")
    pinned = setting(document, factor_set, "factor_year")
    if pinned is not None and (not isinstance(pinned, int) or isinstance(pinned, bool)):
        raise ValueError("method.factor_year")
    electricity_basis = setting(document, factor_set, "electricity_tce_basis")
    feedstock_in_energy = boolean_setting(document, factor_set, "feedstock_in_energy")
    certificates_as_green = boolean_setting(document, factor_set, "certificates_as_green_power")
    renewable_export_at_grid = boolean_setting(document, factor_set, "renewable_export_at_grid_factor")

    grid = grid_factor(
        factor_set, grid_basis, year, pinned, setting(document, factor_set, "grid_ef_tco2_per_mwh")
    )
    if grid is None:
        raise ValueError("no grid factor")
    grid_ef, grid_year = grid
    coefficient = electricity_coefficient(factor_set, electricity_basis, year)
    if coefficient is None:
        raise ValueError("no electricity coefficient")
    elec_coef, elec_year = coefficient
    tce_gj = constant(factor_set, "tce_gj")
    heat_tce = constant(factor_set, "heat_tce_per_gj")
    transform_of = constant(factor_set, "transform_of")
    co2_per_c = Decimal(44) / Decimal(12)

    # Energy rows, one at a time (§1.1–§1.3, §2).
    fuel_by_use = {"fuel": Decimal(0), "power_heat": Decimal(0), "bunker": Decimal(0)}
    transform_in_co2 = Decimal(0)
    transform_out_co2 = Decimal(0)
    fuel_rows_tce = Decimal(0)
    feedstock_tce = Decimal(0)
    transform_in_tce = Decimal(0)
    transform_out_tce = Decimal(0)
    non_fossil_fuel_tce = Decimal(0)
    used_defaults = False
    has_feedstock = False
    for row in document.get("energy") or []:
        carrier = find_carrier(factor_set, row["carrier"])
        use = row["use"]
        if use not in USES:
            raise ValueError(f"use {use!r}")
        sizes = UNITS[carrier["base_unit"]]
        if row["unit"] not in sizes:
            raise ValueError(f"unit {row['unit']!r} for {carrier['code']}")
        quantity = dataset_num(row["quantity"]) * Decimal(sizes[row["unit"]])
        measured = {}
        for key in ("ncv", "cc", "of"):
            measured[key] = None if row.get(key) is None else dataset_num(row[key])
        fossil = carrier["kind"] != "non_fossil"
        defaults = {
            "ncv": default_param(carrier, "ncv_gj_per_unit"),
            "cc": default_param(carrier, "cc_tc_per_gj"),
            "of": default_param(carrier, "of"),
        }

        # tce of the row (§2).
        if measured["ncv"] is not None:
            tce = quantity * measured["ncv"] / tce_gj
        elif carrier.get("tce_per_unit") is not None:
            tce = quantity * num(carrier["tce_per_unit"])
        elif defaults["ncv"] is not None:
            tce = quantity * defaults["ncv"] / tce_gj
        else:
            raise ValueError(f"{carrier['code']} needs a measured ncv")

        # The emission parameters a fossil row needs (§4.2).
        params: dict[str, Decimal] = {}
        if fossil:
            needed = []
            if use in FUEL_USES:
                needed = ["ncv", "cc", "of"]
            elif use in ("transform_in", "transform_out"):
                needed = ["ncv", "cc"]
            for key in needed:
                if measured[key] is not None:
                    params[key] = measured[key]
                elif defaults[key] is not None:
                    params[key] = defaults[key]
                    used_defaults = True
                else:
                    raise ValueError(f"{carrier['code']} needs a measured {key}")

        if use in FUEL_USES:
            fuel_rows_tce += tce
            if fossil:
                fuel_by_use[use] += quantity * params["ncv"] * params["cc"] * params["of"] * co2_per_c
            else:
                non_fossil_fuel_tce += tce
        elif use in ("transform_in", "transform_out"):
            if measured["of"] is not None and measured["of"] != 1:
                raise ValueError("of of a transform row must be 1")
            co2 = Decimal(0)
            if fossil:
                co2 = quantity * params["ncv"] * params["cc"] * transform_of * co2_per_c
            if use == "transform_in":
                transform_in_co2 += co2
                transform_in_tce += tce
            else:
                transform_out_co2 += co2
                transform_out_tce += tce
        else:  # feedstock
            has_feedstock = True
            feedstock_tce += tce

    # Measured entries and process rows (§1.2, §1.6).
    conversion_co2 = Decimal(0)
    direct_process_co2 = Decimal(0)
    for entry in document.get("direct_emissions") or []:
        if entry["kind"] == "conversion":
            conversion_co2 += dataset_num(entry["tco2"])
        elif entry["kind"] == "process":
            direct_process_co2 += dataset_num(entry["tco2"])
        else:
            raise ValueError(f"kind {entry['kind']!r}")
    process_rows_co2 = Decimal(0)
    for row in document.get("process") or []:
        if not str(row.get("product") or "").strip() or not str(row.get("basis") or "").strip():
            raise ValueError("process row without product or basis")
        process_rows_co2 += dataset_num(row["quantity_t"]) * dataset_num(row["ef_tco2_per_t"])

    # Electricity (§1.4) and heat (§1.5).
    electricity = block(document, "electricity_mwh")
    e = {key: amount(electricity, key) for key in ELECTRICITY_KEYS}
    certificates_counted = min(e["certificates"], e["grid"]) if certificates_as_green else Decimal(0)
    heat = block(document, "heat_gj")
    h = {key: amount(heat, key) for key in HEAT_KEYS}
    heat_default = constant(factor_set, "heat_ef_tco2_per_gj")
    ef_in = (
        heat_default
        if heat.get("purchased_ef_tco2_per_gj") is None
        else dataset_num(heat["purchased_ef_tco2_per_gj"])
    )
    ef_out = (
        heat_default
        if heat.get("export_ef_tco2_per_gj") is None
        else dataset_num(heat["export_ef_tco2_per_gj"])
    )

    def electricity_co2(factor: Decimal) -> Decimal:
        renewable_factor = factor if renewable_export_at_grid else Decimal(0)
        return (
            (e["grid"] - certificates_counted) * factor
            - e["export"] * factor
            - e["export_renewable"] * renewable_factor
        )

    e_fuel_use = fuel_by_use["fuel"] + fuel_by_use["power_heat"] + fuel_by_use["bunker"]
    e_transform = transform_in_co2 - transform_out_co2 + conversion_co2
    e_heat = h["purchased"] * ef_in - h["export"] * ef_out
    e_process = process_rows_co2 + direct_process_co2
    offsets = amount(block(document, "offsets_tco2"), "ccer")

    def emissions(factor: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(E_elec, E_activity, E_gross, E_net) at a grid factor."""
        e_elec = electricity_co2(factor)
        activity = e_fuel_use + e_transform + e_elec + e_heat
        gross = activity + e_process
        return e_elec, activity, gross, gross - offsets

    e_elec, e_activity, e_gross, e_net = emissions(grid_ef)

    # Energy consumed (§2).
    electricity_mwh_in = (
        e["grid"] + e["green_direct"] + e["green_trade"] + e["onsite_renewable"] - e["export"]
    )
    heat_gj_in = h["purchased"] + h["purchased_renewable"] - h["export"] - h["export_renewable"]
    feedstock_part = feedstock_tce if feedstock_in_energy else Decimal(0)
    transform_net = transform_in_tce - transform_out_tce

    def energy(coef: Decimal) -> tuple[Decimal, Decimal]:
        """(energy_tce, its electricity part) at an electricity coefficient."""
        electricity_part = electricity_mwh_in * coef
        total = fuel_rows_tce + feedstock_part + transform_net + electricity_part + heat_gj_in * heat_tce
        return total, electricity_part

    energy_tce, electricity_part = energy(elec_coef)
    if rounded(energy_tce, 2) <= 0:
        raise ValueError("non_positive_energy")
    if offsets > max(e_gross, Decimal(0)):
        raise ValueError("exceeds_emissions")

    clean_tce = (
        (e["green_direct"] + e["green_trade"] + e["onsite_renewable"] + certificates_counted) * elec_coef
        + non_fossil_fuel_tce
        + h["purchased_renewable"] * heat_tce
    )
    electricity_used = (
        e["grid"]
        + e["green_direct"]
        + e["green_trade"]
        + e["onsite_renewable"]
        + e["onsite_fossil"]
        - e["export"]
    )

    # Indicators (§3).
    core_rule = scheme["core"]
    on_gross = core_rule["emissions"] == "gross"
    core_numerator = e_gross if on_gross else e_net
    values = guiding_values(document, clean_tce, energy_tce, e, electricity_used, offsets, e_gross)
    exemptions = block(document, "exemptions")
    indicators = [core_indicator(scheme, park_type, core_numerator, energy_tce)]
    guiding = {rule["code"]: rule for rule in scheme["guiding"]}
    for code in INDICATOR_ORDER[1:]:
        if code in guiding:
            indicators.append(guiding_indicator(code, guiding[code], values[code], exemptions.get(code)))

    advisories = []
    for rule in scheme.get("advisories") or []:
        value = values[rule["indicator"]]
        if value is None:
            continue
        shown = rounded(value, 2)
        if not compare(shown, rule["op"], num(rule["value"])):
            advisories.append(
                {
                    "code": rule["code"],
                    "value": str(shown),
                    "threshold": {"op": rule["op"], "value": rule["value"]},
                    "message": rule["message"],
                }
            )

    provisional = []
    if used_defaults:
        provisional.append("fuel_default_factors")
    if electricity_basis == "equivalent":
        provisional.append("electricity_equivalent_coefficient")
    if e["export_renewable"] > 0:
        provisional.append("renewable_export_factor")
    if has_feedstock:
        provisional.append("feedstock_in_energy")
    if scheme.get("clean_energy_definition_provisional"):
        provisional.append("clean_energy_definition")

    # Sensitivity (§3.2).
    sensitivity = []
    for basis in SENSITIVITY_BASES:
        if basis == grid_basis:
            continue
        other = grid_factor(factor_set, basis, year, pinned, None)
        if other is None:
            continue
        _, _, gross, net = emissions(other[0])
        sensitivity.append(
            {
                "grid_ef_basis": basis,
                "factor_year": other[1],
                "grid_ef_tco2_per_mwh": str(other[0]),
                "carbon_per_energy": text((gross if on_gross else net) / energy_tce, 4),
            }
        )
    energy_basis_sensitivity = []
    other_basis = "calorific" if electricity_basis == "equivalent" else "equivalent"
    other_coefficient = electricity_coefficient(factor_set, other_basis, year)
    if other_coefficient is not None:
        other_energy, _ = energy(other_coefficient[0])
        ratio = None if rounded(other_energy, 2) <= 0 else core_numerator / other_energy
        energy_basis_sensitivity.append(
            {
                "electricity_tce_basis": other_basis,
                "electricity_tce_factor_year": other_coefficient[1],
                "electricity_tce_per_mwh": str(other_coefficient[0]),
                "energy_tce": text(other_energy),
                "carbon_per_energy": text(ratio, 4),
            }
        )

    return {
        "schema": "zcpark.result/2",
        "upgraded_from": upgraded_from,
        "scheme": scheme["name"],
        "year": year,
        "park_type": park_type,
        "factors": {
            "method": factor_set["method"]["code"],
            "set": factor_set["name"],
            "grid_ef_basis": grid_basis,
            "factor_year": grid_year,
            "grid_ef_tco2_per_mwh": str(grid_ef),
            "heat_purchased_ef_tco2_per_gj": str(ef_in),
            "heat_export_ef_tco2_per_gj": str(ef_out),
            "electricity_tce_basis": electricity_basis,
            "electricity_tce_factor_year": elec_year,
            "electricity_tce_per_mwh": str(elec_coef),
            "heat_tce_per_gj": str(heat_tce),
            "certificates_as_green_power": certificates_as_green,
            "feedstock_in_energy": feedstock_in_energy,
            "renewable_export_at_grid_factor": renewable_export_at_grid,
        },
        "totals": {
            "energy_tce": text(energy_tce),
            "emissions_gross_tco2": text(e_gross),
            "emissions_net_tco2": text(e_net),
            "offsets_tco2": text(offsets),
            "energy_activity_tco2": text(e_activity),
            "bunker_tco2": text(fuel_by_use["bunker"]),
            "certificates_counted_mwh": text(certificates_counted),
            "clean_tce": text(clean_tce),
            "electricity_used_mwh": text(electricity_used),
            "by_source_tco2": {
                "fuel_use": text(e_fuel_use),
                "transform": text(e_transform),
                "electricity": text(e_elec),
                "heat": text(e_heat),
                "process": text(e_process),
            },
            "fuel_use_by_use_tco2": {use: text(fuel_by_use[use]) for use in FUEL_USES},
            "energy_by_part_tce": {
                "fuel_rows": text(fuel_rows_tce),
                "feedstock": text(feedstock_part),
                "transform_net": text(transform_net),
                "electricity": text(electricity_part),
                "heat": text(heat_gj_in * heat_tce),
            },
        },
        "indicators": indicators,
        "core_passed": indicators[0]["status"] == "pass",
        "advisories": advisories,
        "provisional": [
            {"code": code, "text": factor_set["provisional_texts"][code]} for code in provisional
        ],
        "sensitivity": sensitivity,
        "energy_basis_sensitivity": energy_basis_sensitivity,
    }


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


# --- command line -------------------------------------------------------------------------------------


def check() -> int:
    """Every valid public case against its expected result; returns the number of failing cases."""
    sys.path.insert(0, str(ROOT))
    from tests.indicators.cases import differences

    factor_set = load_factor_set()
    failing = 0
    checked = 0
    for expected_path in sorted(CASES_DIR.glob("*.expected.json")):
        expected = read_json(expected_path)
        name = expected_path.name.removesuffix(".expected.json")
        if expected["exit"] != 0:
            print(f"{name}: skipped (an input-error case)")
            continue
        checked += 1
        dataset = read_json(CASES_DIR / f"{name}.dataset.json")
        actual = evaluate(dataset, factor_set, load_scheme(expected["scheme"]))
        diffs = differences(expected, json.loads(json.dumps(actual)), 0)
        failing += bool(diffs)
        print(f"{name} ({expected['scheme']}): {'OK' if not diffs else 'DIFFERS'}")
        for diff in diffs:
            print(f"    {diff}")
    print(f"{checked - failing}/{checked} valid cases agree")
    return failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--scheme", default="jiangxi-2025")
    parser.add_argument("--check", action="store_true", help="compare with the public cases")
    args = parser.parse_args(argv)
    if args.check:
        return 1 if check() else 0
    factor_set = load_factor_set()
    scheme = load_scheme(args.scheme)
    out = sys.stdout
    for path in args.files:
        result = evaluate(read_json(path), factor_set, scheme)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
