"""Reading the blocks of a dataset document — energy rows, electricity and heat, process rows, measured
emissions, resources and exemptions — each problem reported at its path (accounting.md §7)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .document import (
    CORE_CODE,
    DIRECT_KINDS,
    FUEL_USES,
    INDICATOR_CODES,
    MEASURED,
    MISSING_PARAMETER,
    RESOURCE_KEYS,
    ROW_KEYS,
    TRANSFORM_USES,
    UNITS,
    USES,
    ZERO,
    EnergyGroup,
    ProcessRow,
)
from .factors import Carrier, FactorSet
from .numbers import MAX_MAGNITUDE, MAX_TEXT, Reader


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


def read_energy(document: Mapping[str, Any], factor_set: FactorSet, r: Reader) -> dict[EnergyGroup, Decimal]:
    """The energy rows, every problem reported (§7's order per row). Written for 300-row documents: the
    checks of a (carrier, use, unit) are made once per document, and a valid row costs a few dictionary
    reads and Decimal conversions; error paths are built only for errors."""
    kinds: dict[tuple[Any, Any, Any], tuple[Carrier, Decimal, tuple[str, ...]]] = {}
    groups: dict[EnergyGroup, Decimal] = {}
    for i, row in r.rows(document, "energy", "energy"):
        if not ROW_KEYS.issuperset(row):
            r.note_unknown(row, ROW_KEYS, f"energy[{i}]")
        get = row.get
        key = (get("carrier"), get("use"), get("unit"))
        kind = kinds.get(key) if type(key[0]) is type(key[1]) is type(key[2]) is str else None
        if kind is None:
            kind = _row_kind(key, i, factor_set, r)
            if kind is None:
                continue
            kinds[key] = kind
        carrier, multiplier, no_default = kind
        use = str(key[1])  # checked by _row_kind
        quantity = _quick(get("quantity"))
        if quantity is None:  # a JSON number, text with separators, or a problem the reader names
            quantity = r.number(row, "quantity", f"energy[{i}].quantity", required=True)
        ncv, cc, of = get("ncv"), get("cc"), get("of")
        bad = quantity is None
        if ncv is not None or cc is not None or of is not None:
            ncv, cc, of, bad_measured = _measured(row, i, use, r, (ncv, cc, of))
            bad = bad or bad_measured
        if bad:
            continue
        if no_default:
            measured = {"ncv": ncv, "cc": cc, "of": of}
            missing = [name for name in no_default if measured[name] is None]
            for name in missing:
                r.errors.add(f"energy[{i}].{name}", "required", MISSING_PARAMETER)
            if missing:
                continue
        assert quantity is not None
        group = (carrier, use, ncv, cc, of)
        groups[group] = groups.get(group, ZERO) + (quantity if multiplier == 1 else quantity * multiplier)
    return groups


def _row_kind(
    key: tuple[Any, Any, Any], i: int, factor_set: FactorSet, r: Reader
) -> tuple[Carrier, Decimal, tuple[str, ...]] | None:
    """A row's carrier, unit multiplier and the needed parameters its carrier has no default for; None after
    reporting the first problem among carrier, use and unit (§7)."""
    raw_carrier, use, raw_unit = key
    carrier = factor_set.carriers.get(raw_carrier) if isinstance(raw_carrier, str) else None
    if carrier is None:
        r.errors.add(f"energy[{i}].carrier", "required" if raw_carrier in (None, "") else "unknown")
        return None
    if use not in USES:
        r.errors.add(f"energy[{i}].use", "required" if use in (None, "") else "invalid", "用途无效")
        return None
    unit = UNITS.get(raw_unit) if isinstance(raw_unit, str) else None
    if unit is None or unit[0] != carrier.base_unit:
        r.errors.add(f"energy[{i}].unit", "required" if raw_unit in (None, "") else "unit_mismatch")
        return None
    defaults = {"ncv": carrier.ncv_gj_per_unit, "cc": carrier.cc_tc_per_gj, "of": carrier.of}
    return carrier, unit[1], tuple(name for name in needed_parameters(carrier, use) if defaults[name] is None)


def _quick(raw: Any) -> Decimal | None:
    """A number ≥ 0 and ≤ 10^15 written as text or as a JSON fraction, else None (then the general reader
    runs and names the problem): the fast path of the energy rows."""
    if type(raw) is str:
        if len(raw) > MAX_TEXT or "_" in raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return None
    elif type(raw) is Decimal:
        value = raw
    elif type(raw) is int:
        value = Decimal(raw)
    else:
        return None
    return value if value.is_finite() and 0 <= value <= MAX_MAGNITUDE else None


def _measured(
    row: Mapping[str, Any], i: int, use: str, r: Reader, raw: tuple[Any, Any, Any]
) -> tuple[Decimal | None, Decimal | None, Decimal | None, bool]:
    """A row's measured NCV/CC/OF and whether any of them is bad (every problem reported)."""
    values: list[Decimal | None] = [None, None, None]
    bad = False
    transform = use in TRANSFORM_USES
    for k, name in enumerate(MEASURED):
        given = raw[k]
        if given is None or given == "":
            continue
        value = _quick(given)
        if value is not None and (k != 2 or value == 1 or (not transform and value <= 1)):
            values[k] = value
            continue
        # Not read on the fast path: the general reader reads it or names the problem, then the OF rules.
        path = f"energy[{i}].{name}"
        value = r.number(row, name, path, required=True)
        if value is not None and name == "of" and transform and value != 1:
            r.errors.add(path, "invalid", "加工转换的碳氧化率固定为 100%")
        elif value is not None and name == "of" and value > 1:
            r.errors.add(path, "invalid", "碳氧化率应为 0–1 之间的小数（如 0.98），不是百分数")
        elif value is not None:
            values[k] = value
            continue
        bad = True
    return values[0], values[1], values[2], bad


def read_numbers(
    r: Reader,
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


def read_process(document: Mapping[str, Any], r: Reader) -> list[ProcessRow]:
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


def read_direct(
    document: Mapping[str, Any], r: Reader
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


def read_resources(block: Mapping[str, Any], r: Reader) -> dict[str, Any]:
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


def read_exemptions(block: Mapping[str, Any], r: Reader) -> dict[str, str]:
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
