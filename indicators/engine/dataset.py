"""Reading a dataset document (accounting.md §5) into typed values, collecting every input error."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import Errors
from .factors import GRID_BASES_WITH_CUSTOM, Carrier, FactorSet

DATASET_SCHEMA = "zcpark.dataset/1"
PARK_TYPES = ("chemical", "non_chemical")
USES = ("fuel", "conversion", "feedstock", "bunker")
DIRECT_KINDS = ("process", "conversion")
YEAR_RANGE = (2000, 2100)
ZERO = Decimal(0)

# Accepted input units → (base unit, multiplier to the base unit), accounting.md §4.1.
UNITS: dict[str, tuple[str, Decimal]] = {
    "t": ("t", Decimal(1)),
    "kg": ("t", Decimal("0.001")),
    "10^4 t": ("t", Decimal(10000)),
    "10^4 Nm3": ("10^4 Nm3", Decimal(1)),
    "Nm3": ("10^4 Nm3", Decimal("0.0001")),
    "m3": ("10^4 Nm3", Decimal("0.0001")),
    "10^8 Nm3": ("10^4 Nm3", Decimal(10000)),
    "GJ": ("GJ", Decimal(1)),
    "MJ": ("GJ", Decimal("0.001")),
    "TJ": ("GJ", Decimal(1000)),
}
ELECTRICITY_KEYS = (
    "grid",
    "green_trade",
    "green_direct",
    "onsite_renewable",
    "onsite_fossil",
    "export",
    "certificates",
)
HEAT_KEYS = ("purchased", "export")
INDICATOR_CODES = (
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
)
CORE_CODE = "carbon_per_energy"
MISSING_PARAMETER = "该品种无缺省排放参数，需填写实测值"
UNKNOWN_KEY = "未知项目（请检查拼写）"
MEASURED = ("ncv", "cc", "of")
ROW_KEYS = frozenset({"carrier", "quantity", "unit", "use", "enterprise", *MEASURED})
TOP_KEYS = frozenset(
    {
        "schema",
        "park",
        "year",
        "method",
        "energy",
        "electricity_mwh",
        "heat_gj",
        "direct_emissions",
        "offsets_tco2",
        "resources",
        "exemptions",
    }
)
METHOD_KEYS = frozenset(
    {
        "grid_ef_basis",
        "factor_year",
        "grid_ef_tco2_per_mwh",
        "feedstock_in_energy",
        "certificates_as_green_power",
    }
)
RESOURCE_KEYS = frozenset(
    {
        "solid_waste_t",
        "water_m3",
        "waste_energy_tce",
        "freight_t",
        "public_vehicles",
        "green_buildings",
        "products",
    }
)


@dataclass(frozen=True, slots=True)
class EnergyRow:
    index: int
    carrier: Carrier
    use: str
    quantity: Decimal  # in the carrier's base unit
    ncv: Decimal | None
    cc: Decimal | None
    of: Decimal | None


@dataclass(frozen=True)
class Method:
    grid_ef_basis: str
    factor_year: int | None
    grid_ef_custom: Decimal | None
    feedstock_in_energy: bool
    certificates_as_green_power: bool


@dataclass
class Dataset:
    """A valid dataset, every number a Decimal in its base unit; absent resource blocks are None."""

    year: int
    park_type: str
    park_name: str
    method: Method
    energy: list[EnergyRow]
    electricity: dict[str, Decimal]
    heat_purchased: Decimal
    heat_export: Decimal
    heat_ef: Decimal | None
    direct_process: Decimal
    direct_conversion: Decimal
    direct_sources: list[tuple[str, str, Decimal]]
    offsets_ccer: Decimal
    resources: dict[str, Any] = field(default_factory=dict)
    exemptions: dict[str, str] = field(default_factory=dict)


# Inputs beyond these are typing mistakes, not park data (the largest park burns < 10^9 t of coal),
# and they keep every product exact within the working precision.
MAX_MAGNITUDE = Decimal("1e15")
MAX_TEXT = 40  # characters of a number written as text
OUT_OF_RANGE = "数值超出合理范围（绝对值不超过 10^15，不超过 40 个字符）"
_GROUPED = re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def to_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal (floats through their shortest repr); else None.

    Thousands separators are accepted only as spreadsheets write them ("1,200.5"); "1,5" is not a
    number here, nor is "1_000" (which Python's Decimal would read).
    """
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        if "_" in value or len(value) > MAX_TEXT:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            if not _GROUPED.match(value):
                return None
            number = Decimal(value.replace(",", ""))
        return number if number.is_finite() else None
    return None


def in_range(number: Decimal) -> bool:
    return -MAX_MAGNITUDE <= number <= MAX_MAGNITUDE


class _Reader:
    """Reads numbers at dotted paths, recording not_a_number / negative / required errors."""

    __slots__ = ("errors",)

    def __init__(self, errors: Errors) -> None:
        self.errors = errors

    def number(
        self, block: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> Decimal | None:
        raw = block.get(key)
        if raw is None or raw == "":
            if required:
                self.errors.add(path, "required")
            return None
        number = to_decimal(raw)
        if number is None:
            self.errors.add(path, "not_a_number")
            return None
        if number < 0:
            self.errors.add(path, "negative")
            return None
        if not in_range(number):
            self.errors.add(path, "invalid", OUT_OF_RANGE)
            return None
        return number

    def count(self, block: Mapping[str, Any], key: str, path: str) -> int | None:
        number = self.number(block, key, path)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.errors.add(path, "invalid", "必须为整数")
            return None
        return int(number)

    def mapping(self, document: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        value = document.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.errors.add(path, "invalid", "应为对象")
            return None
        return value


def read_dataset(document: Any, factor_set: FactorSet) -> tuple[Dataset | None, Errors]:
    """Validate ``document`` and return the typed dataset, or None with every error found."""
    errors = Errors()
    if not isinstance(document, Mapping):
        errors.add("", "invalid", "数据集应为 JSON 对象")
        return None, errors
    r = _Reader(errors)
    _unknown_keys(document, TOP_KEYS, "", errors)

    schema = document.get("schema")
    if schema is None:
        errors.add("schema", "required")
    elif schema != DATASET_SCHEMA:
        errors.add("schema", "invalid", f"数据集格式应为 {DATASET_SCHEMA}")

    park = r.mapping(document, "park", "park") or {}
    park_type = park.get("park_type")
    if park_type is None:
        errors.add("park.park_type", "required")
    elif park_type not in PARK_TYPES:
        errors.add("park.park_type", "invalid", "园区类型无效")

    year = _year(document.get("year"), "year", errors, required=True)
    method = _method(r.mapping(document, "method", "method") or {}, factor_set, errors)
    energy = _energy(document.get("energy"), factor_set, r, errors)
    electricity = _numbers(
        r,
        r.mapping(document, "electricity_mwh", "electricity_mwh"),
        "electricity_mwh",
        ELECTRICITY_KEYS,
        errors,
    )
    heat_block = r.mapping(document, "heat_gj", "heat_gj") or {}
    heat = _numbers(r, heat_block, "heat_gj", (*HEAT_KEYS, "purchased_ef_tco2_per_gj"), errors)
    heat_ef = r.number(heat_block, "purchased_ef_tco2_per_gj", "heat_gj.purchased_ef_tco2_per_gj")
    process, conversion, sources = _direct(document.get("direct_emissions"), r, errors)
    offsets = r.mapping(document, "offsets_tco2", "offsets_tco2") or {}
    _unknown_keys(offsets, frozenset({"ccer"}), "offsets_tco2", errors)
    ccer = r.number(offsets, "ccer", "offsets_tco2.ccer") or ZERO
    resources = _resources(r.mapping(document, "resources", "resources") or {}, r, errors)
    exemptions = _exemptions(r.mapping(document, "exemptions", "exemptions") or {}, errors)

    if errors or year is None or method is None:
        return None, errors
    return (
        Dataset(
            year=year,
            park_type=str(park_type),
            park_name=str(park.get("name") or ""),
            method=method,
            energy=energy,
            electricity={key: electricity.get(key, ZERO) for key in ELECTRICITY_KEYS},
            heat_purchased=heat.get("purchased", ZERO),
            heat_export=heat.get("export", ZERO),
            heat_ef=heat_ef,
            direct_process=process,
            direct_conversion=conversion,
            direct_sources=sources,
            offsets_ccer=ccer,
            resources=resources,
            exemptions=exemptions,
        ),
        errors,
    )


def _year(raw: Any, path: str, errors: Errors, *, required: bool) -> int | None:
    if raw is None:
        if required:
            errors.add(path, "required")
        return None
    number = to_decimal(raw) if not isinstance(raw, bool) else None
    if number is None or number != number.to_integral_value() or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        errors.add(path, "invalid", f"年份应为 {YEAR_RANGE[0]}–{YEAR_RANGE[1]} 之间的整数")
        return None
    return int(number)


def _method(block: Mapping[str, Any], factor_set: FactorSet, errors: Errors) -> Method | None:
    _unknown_keys(block, METHOD_KEYS, "method", errors)
    defaults = factor_set.method_defaults
    basis = block.get("grid_ef_basis")
    if basis is None:
        basis = defaults["grid_ef_basis"].value if "grid_ef_basis" in defaults else "national_fossil"
    ok = True
    if basis not in GRID_BASES_WITH_CUSTOM:
        errors.add("method.grid_ef_basis", "invalid", "电网排放因子口径无效")
        ok = False
    factor_year = _year(block.get("factor_year"), "method.factor_year", errors, required=False)
    if block.get("factor_year") is not None and factor_year is None:
        ok = False
    custom = None
    if basis == "custom":
        custom = _Reader(errors).number(
            block, "grid_ef_tco2_per_mwh", "method.grid_ef_tco2_per_mwh", required=True
        )
        ok = ok and custom is not None
    flags = {}
    for key in ("feedstock_in_energy", "certificates_as_green_power"):
        value = block.get(key)
        if value is None:
            value = bool(defaults[key].value) if key in defaults else False
        elif not isinstance(value, bool):
            errors.add(f"method.{key}", "invalid", "应为 true 或 false")
            ok = False
        flags[key] = value
    if not ok:
        return None
    return Method(
        grid_ef_basis=basis,
        factor_year=factor_year,
        grid_ef_custom=custom,
        feedstock_in_energy=flags["feedstock_in_energy"],
        certificates_as_green_power=flags["certificates_as_green_power"],
    )


def _energy(rows: Any, factor_set: FactorSet, r: _Reader, errors: Errors) -> list[EnergyRow]:
    if rows is None:
        return []
    if not isinstance(rows, list):
        errors.add("energy", "invalid", "应为数组")
        return []
    carriers = factor_set.carriers
    parsed = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            errors.add(f"energy[{i}]", "invalid", "应为对象")
            continue
        if not ROW_KEYS.issuperset(row):
            for key in sorted(set(row) - ROW_KEYS, key=str):
                errors.add(f"energy[{i}].{key}", "invalid", UNKNOWN_KEY)
        get = row.get
        raw_carrier, use, raw_unit = get("carrier"), get("use"), get("unit")
        carrier = carriers.get(raw_carrier) if isinstance(raw_carrier, str) else None
        if carrier is None:
            errors.add(f"energy[{i}].carrier", "required" if raw_carrier in (None, "") else "unknown")
            continue
        if not isinstance(use, str) or use not in USES:
            code = "required" if use in (None, "") else "invalid"
            errors.add(f"energy[{i}].use", code, "用途应为燃料、加工转换、原料或国际燃料舱")
            continue
        unit = UNITS.get(raw_unit) if isinstance(raw_unit, str) else None
        if unit is None or unit[0] != carrier.base_unit:
            errors.add(f"energy[{i}].unit", "required" if raw_unit in (None, "") else "unit_mismatch")
            continue
        # The hot path: a valid quantity and no measured parameters. Anything else takes the
        # general reader, which builds the error paths.
        quantity = to_decimal(get("quantity"))
        if quantity is None or quantity < 0 or quantity > MAX_MAGNITUDE:
            quantity = r.number(row, "quantity", f"energy[{i}].quantity", required=True)
        ncv = cc = of = None
        missing = False
        measured = get("ncv") is not None or get("cc") is not None or get("of") is not None
        if carrier.fossil:
            if measured or carrier.needs_measured:
                ncv, cc, of, missing = _measured(row, i, carrier, r, errors)
        else:
            if measured:
                # Non-fossil carriers emit nothing: CC and OF are checked as numbers, never used.
                ncv, _cc, _of, missing = _measured(row, i, carrier, r, errors)
            if ncv is None and carrier.tce_per_unit is None and carrier.ncv_gj_per_unit is None:
                if not missing:
                    errors.add(f"energy[{i}].ncv", "required", "该品种无折标系数，需填写实测低位发热量")
                missing = True
        if quantity is None or missing:
            continue
        parsed.append(
            EnergyRow(i, carrier, use, quantity if unit[1] == 1 else quantity * unit[1], ncv, cc, of)
        )
    return parsed


def _measured(
    row: Mapping[str, Any], i: int, carrier: Carrier, r: _Reader, errors: Errors
) -> tuple[Decimal | None, Decimal | None, Decimal | None, bool]:
    """A row's measured NCV/CC/OF; for a fossil carrier, a parameter with no default must be measured."""
    values: list[Decimal | None] = []
    missing = False
    for name, default in (("ncv", carrier.ncv_gj_per_unit), ("cc", carrier.cc_tc_per_gj), ("of", carrier.of)):
        raw = row.get(name)
        if raw is None or raw == "":
            if default is None and carrier.fossil:
                errors.add(f"energy[{i}].{name}", "required", MISSING_PARAMETER)
                missing = True
            values.append(None)
            continue
        value = r.number(row, name, f"energy[{i}].{name}")
        if value is not None and name == "of" and value > 1:
            errors.add(f"energy[{i}].of", "invalid", "碳氧化率应为 0–1 之间的小数（如 0.98），不是百分数")
            value = None
        missing = missing or value is None
        values.append(value)
    return values[0], values[1], values[2], missing


def _numbers(
    r: _Reader, block: Mapping[str, Any] | None, path: str, keys: tuple[str, ...], errors: Errors
) -> dict[str, Decimal]:
    if not block:
        return {}
    values = {}
    for key in block:
        if key not in keys:
            errors.add(f"{path}.{key}", "invalid", "未知项目")
    for key in keys:
        if key.endswith("_ef_tco2_per_gj"):
            continue
        number = r.number(block, key, f"{path}.{key}")
        if number is not None:
            values[key] = number
    return values


def _direct(rows: Any, r: _Reader, errors: Errors) -> tuple[Decimal, Decimal, list[tuple[str, str, Decimal]]]:
    process = conversion = ZERO
    sources: list[tuple[str, str, Decimal]] = []
    if rows is None:
        return process, conversion, sources
    if not isinstance(rows, list):
        errors.add("direct_emissions", "invalid", "应为数组")
        return process, conversion, sources
    for i, row in enumerate(rows):
        path = f"direct_emissions[{i}]"
        if not isinstance(row, Mapping):
            errors.add(path, "invalid", "应为对象")
            continue
        kind = row.get("kind")
        if kind not in DIRECT_KINDS:
            errors.add(
                f"{path}.kind",
                "required" if kind in (None, "") else "invalid",
                "类型应为工业过程或能源加工转换",
            )
        tco2 = r.number(row, "tco2", f"{path}.tco2", required=True)
        if tco2 is None or kind not in DIRECT_KINDS:
            continue
        sources.append((kind, str(row.get("source") or ""), tco2))
        if kind == "process":
            process += tco2
        else:
            conversion += tco2
    return process, conversion, sources


def _resources(block: Mapping[str, Any], r: _Reader, errors: Errors) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base = "resources"

    _unknown_keys(block, RESOURCE_KEYS, base, errors)

    def numbers(name: str, keys: tuple[str, ...]) -> dict[str, Decimal] | None:
        sub = r.mapping(block, name, f"{base}.{name}")
        if sub is None:
            return None
        _unknown_keys(sub, frozenset(keys), f"{base}.{name}", errors)
        return {k: r.number(sub, k, f"{base}.{name}.{k}") or ZERO for k in keys}

    solid = numbers("solid_waste_t", ("generated", "utilized", "utilized_from_storage"))
    if solid is not None:
        if solid["utilized"] > solid["generated"] + solid["utilized_from_storage"]:
            errors.add(
                f"{base}.solid_waste_t.utilized",
                "exceeds_available",
                "综合利用量超过产生量与利用往年贮存量之和",
            )
        out["solid_waste_t"] = solid
    water = numbers("water_m3", ("fresh_intake", "reused"))
    if water is not None:
        out["water_m3"] = water
    waste = r.mapping(block, "waste_energy_tce", f"{base}.waste_energy_tce")
    if waste is not None:
        kinds = {}
        _unknown_keys(waste, frozenset({"heat", "cold", "pressure"}), f"{base}.waste_energy_tce", errors)
        for kind in ("heat", "cold", "pressure"):
            sub = r.mapping(waste, kind, f"{base}.waste_energy_tce.{kind}") or {}
            path = f"{base}.waste_energy_tce.{kind}"
            _unknown_keys(sub, frozenset({"recoverable", "utilized"}), path, errors)
            recoverable = r.number(sub, "recoverable", f"{path}.recoverable") or ZERO
            utilized = r.number(sub, "utilized", f"{path}.utilized") or ZERO
            if utilized > recoverable:
                errors.add(f"{path}.utilized", "exceeds_available", "利用量超过可回收量")
            kinds[kind] = (recoverable, utilized)
        out["waste_energy_tce"] = kinds
    freight = numbers("freight_t", ("clean", "total"))
    if freight is not None:
        if freight["clean"] > freight["total"]:
            errors.add(f"{base}.freight_t.clean", "exceeds_total", "清洁运输量超过运输总量")
        out["freight_t"] = freight
    vehicles = r.mapping(block, "public_vehicles", f"{base}.public_vehicles")
    if vehicles is not None:
        _unknown_keys(vehicles, frozenset({"new_energy", "total"}), f"{base}.public_vehicles", errors)
        new_energy = r.count(vehicles, "new_energy", f"{base}.public_vehicles.new_energy") or 0
        total = r.count(vehicles, "total", f"{base}.public_vehicles.total") or 0
        if new_energy > total:
            errors.add(f"{base}.public_vehicles.new_energy", "exceeds_total", "新能源汽车数超过车辆总数")
        out["public_vehicles"] = (new_energy, total)
    if block.get("green_buildings") is not None:
        count = r.count(block, "green_buildings", f"{base}.green_buildings")
        if count is not None:
            out["green_buildings"] = count
    products = block.get("products")
    if products is not None:
        if not isinstance(products, list):
            errors.add(f"{base}.products", "invalid", "应为数组")
        else:
            parsed = []
            for i, product in enumerate(products):
                path = f"{base}.products[{i}]"
                if not isinstance(product, Mapping):
                    errors.add(path, "invalid", "应为对象")
                    continue
                value = r.number(product, "value", f"{path}.value", required=True)
                limit = r.number(product, "grade2_limit", f"{path}.grade2_limit", required=True)
                if value is not None and limit is not None:
                    parsed.append((str(product.get("name") or ""), value, limit))
            out["products"] = parsed
    return out


def _exemptions(block: Mapping[str, Any], errors: Errors) -> dict[str, str]:
    exemptions = {}
    for code, reason in block.items():
        path = f"exemptions.{code}"
        if code == CORE_CODE:
            errors.add(path, "core_not_exemptible")
        elif code not in INDICATOR_CODES:
            errors.add(path, "invalid", "未知指标")
        elif not isinstance(reason, str) or not reason.strip():
            errors.add(path, "required", "豁免须说明原因")
        else:
            exemptions[code] = reason.strip()
    return exemptions


def _unknown_keys(block: Mapping[str, Any], allowed: frozenset[str], path: str, errors: Errors) -> None:
    """A key the contract does not know is a typo until proven otherwise: it would count as 0."""
    for key in block:
        if key not in allowed:
            errors.add(f"{path}.{key}" if path else str(key), "invalid", UNKNOWN_KEY)
