"""Reading a dataset document (accounting.md §5) into typed values, collecting every input error.

A ``zcpark.dataset/1`` document is upgraded first (§5.3): its ``conversion`` rows become
``power_heat`` rows; nothing else moves, so error paths are those of the original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .blocks import (
    needed_parameters,
    read_direct,
    read_energy,
    read_exemptions,
    read_numbers,
    read_process,
    read_resources,
)
from .document import (
    CORE_CODE,
    DATASET_SCHEMA,
    DATASET_SCHEMA_V1,
    DIRECT_KINDS,
    ELECTRICITY_KEYS,
    FUEL_USES,
    HEAT_FACTOR_KEYS,
    HEAT_KEYS,
    INDICATOR_CODES,
    METHOD_KEYS,
    MUST_BE_BOOLEAN,
    PARK_TYPES,
    RESOURCE_KEYS,
    ROW_KEYS,
    TOP_KEYS,
    TRANSFORM_USES,
    UNITS,
    USES,
    YEAR_RANGE,
    ZERO,
    Dataset,
    EnergyGroup,
    Method,
    ProcessRow,
)
from .errors import Errors
from .factors import BOOLEAN_SETTINGS, ELECTRICITY_TCE_BASES, GRID_BASES_WITH_CUSTOM, FactorSet
from .numbers import MAX_MAGNITUDE, Reader, to_decimal

# Re-exported: the portal reads the document's vocabulary and the number reader from here.
__all__ = [
    "CORE_CODE",
    "DATASET_SCHEMA",
    "DATASET_SCHEMA_V1",
    "DIRECT_KINDS",
    "ELECTRICITY_KEYS",
    "FUEL_USES",
    "HEAT_FACTOR_KEYS",
    "HEAT_KEYS",
    "INDICATOR_CODES",
    "MAX_MAGNITUDE",
    "METHOD_KEYS",
    "PARK_TYPES",
    "RESOURCE_KEYS",
    "ROW_KEYS",
    "TOP_KEYS",
    "TRANSFORM_USES",
    "UNITS",
    "USES",
    "YEAR_RANGE",
    "ZERO",
    "Dataset",
    "EnergyGroup",
    "Method",
    "ProcessRow",
    "method_settings_valid",
    "needed_parameters",
    "read_dataset",
    "to_decimal",
    "upgrade",
    "valid_year",
]


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
    r = Reader(errors)
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
    energy = read_energy(document, factor_set, r)
    electricity_block = r.mapping(document, "electricity_mwh", "electricity_mwh") or {}
    electricity = read_numbers(r, electricity_block, "electricity_mwh", ELECTRICITY_KEYS)
    heat_block = r.mapping(document, "heat_gj", "heat_gj") or {}
    heat = read_numbers(r, heat_block, "heat_gj", HEAT_KEYS, extra=frozenset(HEAT_FACTOR_KEYS))
    heat_in_ef = r.optional_number(heat_block, "purchased_ef_tco2_per_gj", "heat_gj.purchased_ef_tco2_per_gj")
    heat_out_ef = r.optional_number(heat_block, "export_ef_tco2_per_gj", "heat_gj.export_ef_tco2_per_gj")
    process = read_process(document, r)
    direct_process, direct_conversion, sources = read_direct(document, r)
    offsets = r.mapping(document, "offsets_tco2", "offsets_tco2") or {}
    r.note_unknown(offsets, frozenset({"ccer"}), "offsets_tco2")
    ccer = r.number(offsets, "ccer", "offsets_tco2.ccer", required="ccer" in offsets)
    resources = read_resources(r.mapping(document, "resources", "resources") or {}, r)
    exemptions = read_exemptions(r.mapping(document, "exemptions", "exemptions") or {}, r)

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


def _method(block: Mapping[str, Any], factor_set: FactorSet, r: Reader) -> Method | None:
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
