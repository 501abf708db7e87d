"""What a factor-set document says about the method, as the workbook needs it: the constants and
defaults shown in the guide, and which measured parameters a row must give per carrier and use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..engine import method_defaults
from . import labels as L


def carrier_names(factor_set: Mapping[str, Any]) -> dict[str, str]:
    """Carrier code → Chinese name, in factor-set order."""
    return {row["code"]: row["name"] for row in factor_set.get("carriers", [])}


def grid_bases(factor_set: Mapping[str, Any]) -> dict[str, str]:
    """Grid-factor basis code → Chinese label: the known bases, then any other basis the set holds."""
    bases = dict(L.GRID_BASES)
    for row in factor_set.get("grid_factors", []):
        bases.setdefault(row["basis"], row["basis"])
    return bases


def factor_constant(factor_set: Mapping[str, Any], key: str, fallback: str) -> str:
    value = (factor_set.get("constants") or {}).get(key, {})
    return str(value.get("value", fallback) if isinstance(value, Mapping) else fallback)


def method_default(factor_set: Mapping[str, Any], key: str) -> Any:
    """The default of a method setting for the factor set (its own, else the contract's)."""
    return method_defaults(factor_set).get(key)


def default_label(factor_set: Mapping[str, Any], key: str) -> str | None:
    """A method setting's default as the 基本信息 cell shows it (a drop-down label or 是/否)."""
    default = method_default(factor_set, key)
    if default is None:
        return None
    if key == "grid_ef_basis":
        return grid_bases(factor_set).get(default, default)
    if key == "electricity_tce_basis":
        return L.TCE_BASES.get(default, default)
    if isinstance(default, bool):
        return L.YES_NO[default]
    return str(default)


BURNED_USES = ("fuel", "power_heat", "bunker", "conversion")  # E用作燃料 (v1's conversion = power_heat)
TRANSFORM_USES = ("transform_in", "transform_out")  # E加工转换: NCV × CC × 1
_DEFAULT_KEYS = {"ncv": "ncv_gj_per_unit", "cc": "cc_tc_per_gj", "of": "of"}


def required_parameters(carrier: Mapping[str, Any], use: str) -> tuple[str, ...]:
    """Measured parameters every row of this carrier and use must give (accounting.md §4.2).

    A parameter is needed — NCV, CC, OF for a fossil row burned; NCV, CC for a fossil transform
    row; NCV for any row whose carrier has neither a tce coefficient nor a default NCV — and must be
    measured when the factor set has no default for it.
    """
    fossil = carrier.get("kind") != "non_fossil"
    needed: tuple[str, ...] = ()
    if fossil and use in BURNED_USES:
        needed = ("ncv", "cc", "of")
    elif fossil and use in TRANSFORM_USES:
        needed = ("ncv", "cc")
    if "ncv" not in needed and _blank(carrier.get("tce_per_unit")) and _blank(carrier.get("ncv_gj_per_unit")):
        needed = ("ncv", *needed)
    return tuple(name for name in needed if _blank(carrier.get(_DEFAULT_KEYS[name])))


def _blank(value: Any) -> bool:
    return value is None or value == ""


def required_parameters_text(carrier: Mapping[str, Any]) -> str:
    """The guide's “须填实测参数” cell: the parameters to measure, by kind of use where they differ."""
    groups = (("用作燃料", "fuel"), ("加工转换", "transform_in"), (L.USES["feedstock"], "feedstock"))
    needed = {title: required_parameters(carrier, use) for title, use in groups}
    if len(set(needed.values())) == 1:
        return "、".join(p.upper() for p in needed[groups[0][0]])
    return "；".join(
        f"{title}：{'、'.join(p.upper() for p in params)}" for title, params in needed.items() if params
    )
