"""The 11 indicators (accounting.md §3): exact values, reported values and status under a scheme."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .accounting import Totals
from .dataset import INDICATOR_CODES, ZERO, Dataset
from .factors import CoreRule, Scheme
from .rounding import PLACES_CARBON_PER_ENERGY, PLACES_COUNT, PLACES_PERCENT, PLACES_QUANTITY, report

HUNDRED = Decimal(100)

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
UNITS = {"carbon_per_energy": "tCO2/tce", "green_buildings": "栋"}
PLACES = {"carbon_per_energy": PLACES_CARBON_PER_ENERGY, "green_buildings": PLACES_COUNT}


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    category: str  # core | guiding
    value: Decimal | None  # reported (rounded); None unless status is pass/fail
    unit: str
    threshold_op: str
    threshold: Decimal
    status: str  # pass | fail | exempt | no_data | not_applicable
    notes: tuple[str, ...] = field(default_factory=tuple)
    exempt_reason: str = ""


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator <= 0 else numerator / denominator * HUNDRED


def raw_values(dataset: Dataset, totals: Totals) -> dict[str, Decimal | None]:
    """Each guiding indicator's exact value; None means no data (block absent or denominator 0)."""
    res = dataset.resources
    values: dict[str, Decimal | None] = dict.fromkeys(INDICATOR_CODES)
    clean = _ratio(totals.clean_tce, totals.energy_tce)
    values["clean_energy_share"] = None if clean is None else min(clean, HUNDRED)
    products = res.get("products")
    if products:
        good = sum(1 for _, value, limit in products if value <= limit)
        values["product_energy_grade"] = Decimal(good) / Decimal(len(products)) * HUNDRED
    if "solid_waste_t" in res:
        s = res["solid_waste_t"]
        values["solid_waste_utilization"] = _ratio(s["utilized"], s["generated"] + s["utilized_from_storage"])
    if "water_m3" in res:
        w = res["water_m3"]
        values["water_reuse"] = _ratio(w["reused"], w["reused"] + w["fresh_intake"])
    if "waste_energy_tce" in res:
        kinds = [pair for pair in res["waste_energy_tce"].values() if pair[0] > 0]
        values["waste_energy_utilization"] = _ratio(
            sum((u for _, u in kinds), ZERO), sum((r for r, _ in kinds), ZERO)
        )
    if "freight_t" in res:
        f = res["freight_t"]
        values["clean_transport_share"] = _ratio(f["clean"], f["total"])
    if "public_vehicles" in res:
        new_energy, total = res["public_vehicles"]
        values["public_nev_share"] = _ratio(Decimal(new_energy), Decimal(total))
    if "green_buildings" in res:
        values["green_buildings"] = Decimal(res["green_buildings"])
    direct = _ratio(totals.green_direct_mwh, totals.electricity_used_mwh)
    values["green_power_direct_share"] = None if direct is None else min(direct, HUNDRED)
    values["offset_share"] = _ratio(totals.offsets_tco2, totals.gross_tco2)
    return values


def core_emissions(totals: Totals, core: CoreRule) -> Decimal:
    """The core numerator: E_net (Jiangxi: CCER deducted) or, by the scheme, E_gross (附件3)."""
    return totals.gross_tco2 if core.emissions == "gross" else totals.net_tco2


def carbon_per_energy(totals: Totals, core: CoreRule) -> Decimal:
    """The core indicator, exact: net (or, by the scheme, gross) emissions per tce."""
    return core_emissions(totals, core) / totals.energy_tce


def _status(value: Decimal, op: str, threshold: Decimal) -> str:
    ok = value <= threshold if op == "<=" else value >= threshold
    return "pass" if ok else "fail"


def core_result(totals: Totals, dataset: Dataset, scheme: Scheme) -> IndicatorResult:
    """The core indicator with the threshold of the park's type and energy tier (一票否决)."""
    core = scheme.core
    energy_reported = report(totals.energy_tce, PLACES_QUANTITY)
    tiers = [t for t in core.tiers if t.park_type in (None, dataset.park_type)]
    eligible = [t for t in tiers if t.min_energy_tce <= energy_reported]
    tier = (
        max(eligible, key=lambda t: t.min_energy_tce)
        if eligible
        else min(tiers, key=lambda t: t.min_energy_tce)
    )
    notes: tuple[str, ...] = ()
    value: Decimal | None = report(carbon_per_energy(totals, core), PLACES_CARBON_PER_ENERGY)
    if energy_reported < core.tier_min_energy_tce:
        notes = ("below_tier",)
        if core.below_tier == "not_applicable":
            value = None
    status = "not_applicable" if value is None else _status(value, core.op, tier.value)
    return IndicatorResult(
        code=core.code,
        name=NAMES[core.code],
        category="core",
        value=value,
        unit=UNITS[core.code],
        threshold_op=core.op,
        threshold=tier.value,
        status=status,
        notes=notes,
    )


def indicator_results(dataset: Dataset, totals: Totals, scheme: Scheme) -> list[IndicatorResult]:
    """Every indicator of the scheme, in the order of accounting.md §3."""
    values = raw_values(dataset, totals)
    results = {scheme.core.code: core_result(totals, dataset, scheme)}
    for rule in scheme.guiding:
        raw = values[rule.code]
        reason = dataset.exemptions.get(rule.code, "")
        if reason:
            value, status = None, "exempt"
        elif raw is None:
            value, status = None, "no_data"
        else:
            value = report(raw, PLACES.get(rule.code, PLACES_PERCENT))
            status = _status(value, rule.op, rule.value)
        results[rule.code] = IndicatorResult(
            code=rule.code,
            name=NAMES[rule.code],
            category="guiding",
            value=value,
            unit=UNITS.get(rule.code, "%"),
            threshold_op=rule.op,
            threshold=rule.value,
            status=status,
            exempt_reason=reason,
        )
    return [results[code] for code in INDICATOR_CODES if code in results]
