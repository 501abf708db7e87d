"""Reading a dataset document (accounting.md §5) into typed values, collecting every input error.

A ``zcpark.dataset/1`` document is upgraded first (§5.3): its ``conversion`` rows become
``power_heat`` rows; nothing else moves, so error paths are those of the original.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from .errors import Errors
from .factors import BOOLEAN_SETTINGS, ELECTRICITY_TCE_BASES, GRID_BASES_WITH_CUSTOM, Carrier, FactorSet

DATASET_SCHEMA = "zcpark.dataset/2"
DATASET_SCHEMA_V1 = "zcpark.dataset/1"
PARK_TYPES = ("chemical", "non_chemical")
USES = ("fuel", "power_heat", "transform_in", "transform_out", "feedstock", "bunker")
FUEL_USES = ("fuel", "power_heat", "bunker")  # E用作燃料
TRANSFORM_USES = ("transform_in", "transform_out")  # E加工转换
DIRECT_KINDS = ("process", "conversion")
YEAR_RANGE = (2000, 2100)
ZERO = Decimal(0)

# Accepted input units → (base unit, multiplier to the base unit), accounting.md §4.2.
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
    "green_direct",
    "green_trade",
    "certificates",
    "onsite_renewable",
    "onsite_fossil",
    "export",
    "export_renewable",
    "export_green",
)
HEAT_KEYS = ("purchased", "purchased_renewable", "export", "export_renewable")
HEAT_FACTOR_KEYS = ("purchased_ef_tco2_per_gj", "export_ef_tco2_per_gj")
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
MEASURED = ("ncv", "cc", "of")
MISSING_PARAMETER = "该品种无缺省参数，需填写实测值"
MUST_BE_BOOLEAN = "必须为 true 或 false"
NOT_AN_OBJECT = "应为对象"
NOT_A_LIST = "应为对象数组"

# The keys the contract knows, per block: anything else is ignored (§5.1) and listed in the result.
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
        "process",
        "direct_emissions",
        "offsets_tco2",
        "resources",
        "exemptions",
    }
)
METHOD_KEYS = frozenset(
    {"grid_ef_basis", "factor_year", "grid_ef_tco2_per_mwh", "electricity_tce_basis", *BOOLEAN_SETTINGS}
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


class EnergyRow(NamedTuple):
    """A valid energy row (a tuple: cheap to make for 300-row documents)."""

    row: int  # its position in the document's energy list
    carrier: Carrier
    use: str
    quantity: Decimal  # in the carrier's base unit
    ncv: Decimal | None
    cc: Decimal | None
    of: Decimal | None


@dataclass(frozen=True, slots=True)
class ProcessRow:
    index: int
    product: str
    quantity_t: Decimal
    ef_tco2_per_t: Decimal
    basis: str


@dataclass(frozen=True)
class Method:
    grid_ef_basis: str
    factor_year: int | None
    grid_ef_custom: Decimal | None
    electricity_tce_basis: str
    feedstock_in_energy: bool
    certificates_as_green_power: bool
    renewable_export_at_grid_factor: bool


@dataclass
class Dataset:
    """A valid dataset, every number a Decimal in its base unit; absent resource blocks are absent keys."""

    year: int
    park_type: str
    park_name: str
    method: Method
    energy: list[EnergyRow]
    electricity: dict[str, Decimal]
    heat: dict[str, Decimal]
    heat_purchased_ef: Decimal | None
    heat_export_ef: Decimal | None
    process: list[ProcessRow]
    direct_process: Decimal
    direct_conversion: Decimal
    direct_sources: list[tuple[str, str, Decimal]]
    offsets_ccer: Decimal
    resources: dict[str, Any] = field(default_factory=dict)
    exemptions: dict[str, str] = field(default_factory=dict)
    upgraded_from: str | None = None
    ignored_keys: list[str] = field(default_factory=list)


# Inputs beyond these are typing mistakes, not park data (the largest park burns < 10^9 t of coal),
# and they keep every product exact within the working precision.
MAX_MAGNITUDE = Decimal("1e15")
# Characters of a number written as text: far beyond any real number (leading zeros included), short
# enough that no upload can make the parser work on megabytes of digits.
MAX_TEXT = 1000
_GROUPED = re.compile(r"^\s*[+-]?\d{1,3}(,\d{3})+(\.\d+)?\s*$")


def to_decimal(value: Any) -> Decimal | None:
    """A JSON number or numeric string as Decimal (floats through their shortest repr); else None.

    Thousands separators are accepted only as spreadsheets write them ("1,200.5"); "1,5" is not a
    number here, nor is "1_000" (which Python's Decimal would read).
    """
    if type(value) is str:  # the common case first: numbers written as strings
        if len(value) > MAX_TEXT or "_" in value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            if not _GROUPED.match(value):
                return None
            number = Decimal(value.replace(",", ""))
        return number if number.is_finite() else None
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
    """Reads numbers and blocks at dotted paths, recording their errors; collects ignored keys."""

    __slots__ = ("errors", "ignored")

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        self.ignored: list[str] = []

    def number(
        self, block: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> Decimal | None:
        """A number ≥ 0 and ≤ 10^15. ``required``: absent, null or blank is an error; else it is None."""
        raw = block.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.errors.add(path, "required", "缺少数值")
            return None
        number = to_decimal(raw)
        if number is None:
            self.errors.add(path, "not_a_number")
            return None
        if number < 0:
            self.errors.add(path, "negative")
            return None
        if number > MAX_MAGNITUDE:
            self.errors.add(path, "not_a_number", "数值超出合理范围（不超过 10^15）")
            return None
        return number

    def optional_number(self, block: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        """A number that may be absent or null (the heat factors, measured parameters)."""
        if block.get(key) is None or block.get(key) == "":
            return None
        return self.number(block, key, path, required=True)

    def count(self, block: Mapping[str, Any], key: str, path: str) -> int | None:
        number = self.number(block, key, path)
        if number is None:
            return None
        if number != number.to_integral_value():
            self.errors.add(path, "invalid", "必须为整数")
            return None
        return int(number)

    def mapping(self, document: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any] | None:
        """The block at ``key``: None when absent; a non-object is ``invalid`` and read as empty."""
        value = document.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.errors.add(path, "invalid", NOT_AN_OBJECT)
            return {}
        return value

    def rows(self, document: Mapping[str, Any], key: str, path: str) -> list[tuple[int, Mapping[str, Any]]]:
        """The object rows of the list at ``key``; a non-list and every non-object row are ``invalid``."""
        value = document.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.errors.add(path, "invalid", NOT_A_LIST)
            return []
        out = []
        for i, row in enumerate(value):
            if isinstance(row, Mapping):
                out.append((i, row))
            else:
                self.errors.add(f"{path}[{i}]", "invalid", NOT_AN_OBJECT)
        return out

    def note_unknown(self, block: Mapping[str, Any], allowed: frozenset[str], path: str) -> None:
        for key in block:
            if key not in allowed:
                self.ignored.append(f"{path}.{key}" if path else str(key))


def upgrade(document: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """A ``/1`` document as its ``/2`` equivalent (§5.3) and the schema it came from; else unchanged."""
    if document.get("schema") != DATASET_SCHEMA_V1:
        return dict(document), None
    upgraded = {**document, "schema": DATASET_SCHEMA}
    energy = document.get("energy")
    if isinstance(energy, list):
        upgraded["energy"] = [
            {**row, "use": "power_heat"}
            if isinstance(row, Mapping) and row.get("use") == "conversion"
            else row
            for row in energy
        ]
    return upgraded, DATASET_SCHEMA_V1


def read_dataset(document: Any, factor_set: FactorSet) -> tuple[Dataset | None, Errors]:
    """Validate ``document`` and return the typed dataset, or None with every error found.

    ``no_factor``, ``non_positive_energy`` and ``exceeds_emissions`` need the factors and totals:
    the caller (evaluate) adds them.
    """
    errors = Errors()
    if not isinstance(document, Mapping):
        errors.add("", "invalid", "数据集应为 JSON 对象")
        return None, errors
    document, upgraded_from = upgrade(document)
    r = _Reader(errors)
    r.note_unknown(document, TOP_KEYS, "")

    schema = document.get("schema")
    if schema is None:
        errors.add("schema", "required")
    elif schema != DATASET_SCHEMA:
        errors.add("schema", "invalid", f"数据集格式应为 {DATASET_SCHEMA}（或可升级的 {DATASET_SCHEMA_V1}）")

    park = r.mapping(document, "park", "park") or {}
    park_type = park.get("park_type")
    if park_type is None:
        errors.add("park.park_type", "required")
    elif park_type not in PARK_TYPES:
        errors.add("park.park_type", "invalid", "园区类型无效")

    year = _year(document.get("year"), "year", errors, required=True)
    method = _method(r.mapping(document, "method", "method") or {}, factor_set, r)
    energy = _energy(document, factor_set, r)
    electricity_block = r.mapping(document, "electricity_mwh", "electricity_mwh") or {}
    electricity = _numbers(r, electricity_block, "electricity_mwh", ELECTRICITY_KEYS)
    heat_block = r.mapping(document, "heat_gj", "heat_gj") or {}
    heat = _numbers(r, heat_block, "heat_gj", HEAT_KEYS, extra=frozenset(HEAT_FACTOR_KEYS))
    heat_in_ef = r.optional_number(heat_block, "purchased_ef_tco2_per_gj", "heat_gj.purchased_ef_tco2_per_gj")
    heat_out_ef = r.optional_number(heat_block, "export_ef_tco2_per_gj", "heat_gj.export_ef_tco2_per_gj")
    process = _process(document, r)
    direct_process, direct_conversion, sources = _direct(document, r)
    offsets = r.mapping(document, "offsets_tco2", "offsets_tco2") or {}
    r.note_unknown(offsets, frozenset({"ccer"}), "offsets_tco2")
    ccer = r.number(offsets, "ccer", "offsets_tco2.ccer", required="ccer" in offsets)
    resources = _resources(r.mapping(document, "resources", "resources") or {}, r)
    exemptions = _exemptions(r.mapping(document, "exemptions", "exemptions") or {}, r)

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
            heat={key: heat.get(key, ZERO) for key in HEAT_KEYS},
            heat_purchased_ef=heat_in_ef,
            heat_export_ef=heat_out_ef,
            process=process,
            direct_process=direct_process,
            direct_conversion=direct_conversion,
            direct_sources=sources,
            offsets_ccer=ccer or ZERO,
            resources=resources,
            exemptions=exemptions,
            upgraded_from=upgraded_from,
            ignored_keys=r.ignored,
        ),
        errors,
    )


def valid_year(raw: Any) -> int | None:
    """A dataset or factor year: a JSON integer (not a boolean) within YEAR_RANGE."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not YEAR_RANGE[0] <= raw <= YEAR_RANGE[1]:
        return None
    return raw


def _year(raw: Any, path: str, errors: Errors, *, required: bool) -> int | None:
    if raw is None:
        if required:
            errors.add(path, "required")
        return None
    year = valid_year(raw)
    if year is None:
        errors.add(path, "invalid", f"年份应为 {YEAR_RANGE[0]}–{YEAR_RANGE[1]} 之间的整数")
    return year


def _method(block: Mapping[str, Any], factor_set: FactorSet, r: _Reader) -> Method | None:
    """The method settings with their defaults; None when one is invalid (the dataset is refused)."""
    errors = r.errors
    r.note_unknown(block, METHOD_KEYS, "method")
    ok = True
    basis = block.get("grid_ef_basis")
    if basis is None:
        basis = factor_set.default("grid_ef_basis")
    elif basis not in GRID_BASES_WITH_CUSTOM:
        errors.add("method.grid_ef_basis", "invalid", "电网排放因子口径无效")
        ok = False
    # An invalid factor year counts as absent for every other check (§7).
    factor_year = _year(block.get("factor_year"), "method.factor_year", errors, required=False)
    if block.get("factor_year") is not None and factor_year is None:
        ok = False
    custom = None
    if basis == "custom":
        custom = r.number(block, "grid_ef_tco2_per_mwh", "method.grid_ef_tco2_per_mwh", required=True)
        ok = ok and custom is not None
    elif block.get("grid_ef_tco2_per_mwh") is not None:
        ok = (
            r.optional_number(block, "grid_ef_tco2_per_mwh", "method.grid_ef_tco2_per_mwh") is not None and ok
        )
    tce_basis = block.get("electricity_tce_basis")
    if tce_basis is None:
        tce_basis = factor_set.default("electricity_tce_basis")
    elif tce_basis not in ELECTRICITY_TCE_BASES:
        errors.add("method.electricity_tce_basis", "invalid", "电力折标口径无效（equivalent 或 calorific）")
        ok = False
    flags = {}
    for key in BOOLEAN_SETTINGS:
        value = block.get(key)
        if value is None:
            value = bool(factor_set.default(key))
        elif not isinstance(value, bool):
            errors.add(f"method.{key}", "invalid", MUST_BE_BOOLEAN)
            ok = False
        flags[key] = value
    if not ok:
        return None
    return Method(
        grid_ef_basis=str(basis),
        factor_year=factor_year,
        grid_ef_custom=custom,
        electricity_tce_basis=str(tce_basis),
        feedstock_in_energy=flags["feedstock_in_energy"],
        certificates_as_green_power=flags["certificates_as_green_power"],
        renewable_export_at_grid_factor=flags["renewable_export_at_grid_factor"],
    )


def method_settings_valid(document: Any) -> tuple[int | None, str | None, int | None, str | None]:
    """(year, grid basis, factor year, electricity basis) as far as each is valid: for ``no_factor``."""
    if not isinstance(document, Mapping):
        return None, None, None, None
    method = document.get("method")
    method = method if isinstance(method, Mapping) else {}
    basis = method.get("grid_ef_basis")
    tce_basis = method.get("electricity_tce_basis")
    return (
        valid_year(document.get("year")),
        basis if basis is None or basis in GRID_BASES_WITH_CUSTOM else "",
        valid_year(method.get("factor_year")),
        tce_basis if tce_basis is None or tce_basis in ELECTRICITY_TCE_BASES else "",
    )


def needed_parameters(carrier: Carrier, use: str) -> tuple[str, ...]:
    """The parameters a row must have, measured or by default (accounting.md §4.2)."""
    needed: tuple[str, ...] = ()
    if carrier.fossil and use in FUEL_USES:
        needed = ("ncv", "cc", "of")
    elif carrier.fossil and use in TRANSFORM_USES:
        needed = ("ncv", "cc")
    if "ncv" not in needed and carrier.tce_per_unit is None and carrier.ncv_gj_per_unit is None:
        needed = ("ncv", *needed)
    return needed


def _energy(document: Mapping[str, Any], factor_set: FactorSet, r: _Reader) -> list[EnergyRow]:
    """The energy rows, every problem reported (§7's order per row). Written for 300-row documents: a valid
    row costs a few dictionary reads and Decimal conversions; error paths are built only for errors."""
    errors = r.errors
    carriers = factor_set.carriers
    needs: dict[tuple[str, str], tuple[str, ...]] = {}  # (carrier, use) → parameters with no default
    parsed = []
    for i, row in r.rows(document, "energy", "energy"):
        if not ROW_KEYS.issuperset(row):
            r.note_unknown(row, ROW_KEYS, f"energy[{i}]")
        get = row.get
        raw_carrier, use, raw_unit = get("carrier"), get("use"), get("unit")
        carrier = carriers.get(raw_carrier) if isinstance(raw_carrier, str) else None
        if carrier is None:
            errors.add(f"energy[{i}].carrier", "required" if raw_carrier in (None, "") else "unknown")
            continue
        if use not in USES:
            errors.add(f"energy[{i}].use", "required" if use in (None, "") else "invalid", "用途无效")
            continue
        unit = UNITS.get(raw_unit) if isinstance(raw_unit, str) else None
        if unit is None or unit[0] != carrier.base_unit:
            errors.add(f"energy[{i}].unit", "required" if raw_unit in (None, "") else "unit_mismatch")
            continue
        quantity = to_decimal(get("quantity"))
        if quantity is None or quantity < 0 or quantity > MAX_MAGNITUDE:
            quantity = r.number(row, "quantity", f"energy[{i}].quantity", required=True)
        ncv, cc, of = get("ncv"), get("cc"), get("of")
        bad = quantity is None
        if ncv is not None or cc is not None or of is not None:
            ncv, cc, of, bad_measured = _measured(row, i, use, r, (ncv, cc, of))
            bad = bad or bad_measured
        if bad:
            continue
        key = (carrier.code, use)
        if key not in needs:
            defaults = {"ncv": carrier.ncv_gj_per_unit, "cc": carrier.cc_tc_per_gj, "of": carrier.of}
            needs[key] = tuple(name for name in needed_parameters(carrier, use) if defaults[name] is None)
        if needs[key]:
            measured = {"ncv": ncv, "cc": cc, "of": of}
            missing = [name for name in needs[key] if measured[name] is None]
            for name in missing:
                errors.add(f"energy[{i}].{name}", "required", MISSING_PARAMETER)
            if missing:
                continue
        assert quantity is not None
        parsed.append(
            EnergyRow(i, carrier, use, quantity if unit[1] == 1 else quantity * unit[1], ncv, cc, of)
        )
    return parsed


def _measured(
    row: Mapping[str, Any], i: int, use: str, r: _Reader, raw: tuple[Any, Any, Any]
) -> tuple[Decimal | None, Decimal | None, Decimal | None, bool]:
    """A row's measured NCV/CC/OF and whether any of them is bad (every problem reported)."""
    values: list[Decimal | None] = []
    bad = False
    transform = use in TRANSFORM_USES
    for name, given in zip(MEASURED, raw, strict=True):
        if given is None or given == "":
            values.append(None)
            continue
        value = to_decimal(given)
        if (
            value is not None
            and 0 <= value <= MAX_MAGNITUDE
            and (name != "of" or (value == 1 or (not transform and value <= 1)))
        ):
            values.append(value)
            continue
        # Not valid: the general reader and the OF rules name the problem.
        path = f"energy[{i}].{name}"
        value = r.number(row, name, path, required=True)
        if value is not None and name == "of":
            if transform and value != 1:
                r.errors.add(path, "invalid", "加工转换的碳氧化率固定为 100%")
            else:
                r.errors.add(path, "invalid", "碳氧化率应为 0–1 之间的小数（如 0.98），不是百分数")
        bad = True
        values.append(None)
    return values[0], values[1], values[2], bad


def _numbers(
    r: _Reader,
    block: Mapping[str, Any],
    path: str,
    keys: tuple[str, ...],
    extra: frozenset[str] = frozenset(),
) -> dict[str, Decimal]:
    """The quantities of a block: absent is 0 (left out), present null is ``required``."""
    r.note_unknown(block, frozenset(keys) | extra, path)
    values = {}
    for key in keys:
        if key in block:
            number = r.number(block, key, f"{path}.{key}", required=True)
            if number is not None:
                values[key] = number
    return values


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _process(document: Mapping[str, Any], r: _Reader) -> list[ProcessRow]:
    """E工业过程 rows: product, output (t), factor (tCO2/t) and the factor's basis, all required."""
    parsed = []
    for i, row in r.rows(document, "process", "process"):
        path = f"process[{i}]"
        r.note_unknown(
            row, frozenset({"product", "quantity_t", "ef_tco2_per_t", "basis", "enterprise"}), path
        )
        product = _text(row.get("product"))
        if product is None:
            r.errors.add(f"{path}.product", "required", "需填写产品名称")
        quantity = r.number(row, "quantity_t", f"{path}.quantity_t", required=True)
        factor = r.number(row, "ef_tco2_per_t", f"{path}.ef_tco2_per_t", required=True)
        basis = _text(row.get("basis"))
        if basis is None:
            r.errors.add(f"{path}.basis", "required", "需说明排放因子的测算依据")
        if product is not None and quantity is not None and factor is not None and basis is not None:
            parsed.append(ProcessRow(i, product, quantity, factor, basis))
    return parsed


def _direct(
    document: Mapping[str, Any], r: _Reader
) -> tuple[Decimal, Decimal, list[tuple[str, str, Decimal]]]:
    process = conversion = ZERO
    sources: list[tuple[str, str, Decimal]] = []
    for i, row in r.rows(document, "direct_emissions", "direct_emissions"):
        path = f"direct_emissions[{i}]"
        r.note_unknown(row, frozenset({"kind", "source", "tco2"}), path)
        kind = row.get("kind")
        if kind not in DIRECT_KINDS:
            r.errors.add(
                f"{path}.kind",
                "required" if kind in (None, "") else "invalid",
                "类型应为工业过程（process）或能源加工转换（conversion）",
            )
        tco2 = r.number(row, "tco2", f"{path}.tco2", required=True)
        if tco2 is None or kind not in DIRECT_KINDS:
            continue
        sources.append((str(kind), str(row.get("source") or ""), tco2))
        if kind == "process":
            process += tco2
        else:
            conversion += tco2
    return process, conversion, sources


def _resources(block: Mapping[str, Any], r: _Reader) -> dict[str, Any]:
    out: dict[str, Any] = {}
    base = "resources"
    errors = r.errors
    r.note_unknown(block, RESOURCE_KEYS, base)

    def numbers(name: str, keys: tuple[str, ...]) -> dict[str, Decimal] | None:
        sub = r.mapping(block, name, f"{base}.{name}")
        if sub is None:
            return None
        r.note_unknown(sub, frozenset(keys), f"{base}.{name}")
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
        r.note_unknown(waste, frozenset({"heat", "cold", "pressure"}), f"{base}.waste_energy_tce")
        for kind in ("heat", "cold", "pressure"):
            path = f"{base}.waste_energy_tce.{kind}"
            sub = r.mapping(waste, kind, path) or {}
            r.note_unknown(sub, frozenset({"recoverable", "utilized"}), path)
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
        r.note_unknown(vehicles, frozenset({"new_energy", "total"}), f"{base}.public_vehicles")
        new_energy = r.count(vehicles, "new_energy", f"{base}.public_vehicles.new_energy") or 0
        total = r.count(vehicles, "total", f"{base}.public_vehicles.total") or 0
        if new_energy > total:
            errors.add(f"{base}.public_vehicles.new_energy", "exceeds_total", "新能源汽车数超过车辆总数")
        out["public_vehicles"] = (new_energy, total)
    if block.get("green_buildings") is not None:
        count = r.count(block, "green_buildings", f"{base}.green_buildings")
        if count is not None:
            out["green_buildings"] = count
    if block.get("products") is not None:
        parsed = []
        for i, product in r.rows(block, "products", f"{base}.products"):
            path = f"{base}.products[{i}]"
            value = r.number(product, "value", f"{path}.value", required=True)
            limit = r.number(product, "grade2_limit", f"{path}.grade2_limit", required=True)
            if value is not None and limit is not None:
                parsed.append((str(product.get("name") or ""), value, limit))
        out["products"] = parsed
    return out


def _exemptions(block: Mapping[str, Any], r: _Reader) -> dict[str, str]:
    exemptions = {}
    for code, reason in block.items():
        path = f"exemptions.{code}"
        if code == CORE_CODE:
            r.errors.add(path, "core_not_exemptible")
        elif code not in INDICATOR_CODES:
            r.ignored.append(path)
        elif not isinstance(reason, str) or not reason.strip():
            r.errors.add(path, "required", "豁免须说明原因")
        else:
            exemptions[code] = reason.strip()
    return exemptions
