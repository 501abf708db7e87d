"""The plain engine's reading (bench/plain_engine.py): vocabulary, numbers, rounding, factor set.

Every number is read with ``Decimal(str(x))`` and checked as the contract says (§5.1); the factor-set
and scheme JSON documents (fixtures/) are read directly, and looked up by a plain loop each time.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
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
