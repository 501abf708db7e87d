"""Totals of one park-year by the method of 附件4 (accounting.md §1–2): energy (tce), CO2 by term, clean energy.

    E园区 = E能源活动 + E工业过程,  E能源活动 = E用作燃料 + E加工转换 + E电 + E热

Rows come grouped by (carrier, use, measured parameters) from the reader: Σq·k = k·Σq holds
exactly in Decimal, so grouping changes no digit and makes 300-row datasets cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

from .dataset import FUEL_USES, ZERO, Dataset
from .factors import FIXED_BASIS, Carrier, FactorSet, YearValue
from .rounding import PLACES_QUANTITY, WORKING_PRECISION, report

CO2_PER_C = Context(prec=WORKING_PRECISION).divide(Decimal(44), Decimal(12))
USE_LABELS = {
    "fuel": "终端消费",
    "power_heat": "火力发电/供热",
    "transform_in": "加工转换投入",
    "transform_out": "加工转换产出",
    "feedstock": "用作原料",
    "bunker": "国际航空航海",
}


@dataclass(frozen=True)
class GridChoice:
    basis: str
    year: int | None  # None for the fixed basis
    value: Decimal
    source: str
    provisional: bool


@dataclass(frozen=True)
class ElectricityCoefficient:
    """The tce per MWh of electricity in the denominator: 等价值 of a year, or 当量值."""

    basis: str  # equivalent | calorific
    year: int | None
    value: Decimal
    source: str = ""


@dataclass
class Totals:
    """Exact (unrounded) totals, in tce, tCO2 and MWh."""

    fuel_by_use_tco2: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(FUEL_USES, ZERO))
    transform_in_tco2: Decimal = ZERO
    transform_out_tco2: Decimal = ZERO
    transform_measured_tco2: Decimal = ZERO
    electricity_tco2: Decimal = ZERO
    heat_tco2: Decimal = ZERO
    process_rows_tco2: Decimal = ZERO
    process_measured_tco2: Decimal = ZERO
    offsets_tco2: Decimal = ZERO
    fuel_rows_tce: Decimal = ZERO
    feedstock_tce: Decimal = ZERO  # counted part (0 when the setting is off)
    transform_net_tce: Decimal = ZERO
    electricity_net_mwh: Decimal = ZERO  # grid + green_direct + green_trade + onsite_renewable − export
    electricity_tce: Decimal = ZERO
    heat_net_gj: Decimal = ZERO
    heat_tce: Decimal = ZERO
    clean_tce: Decimal = ZERO
    clean_rows_tce: Decimal = ZERO
    clean_heat_tce: Decimal = ZERO
    green_power_mwh: Decimal = ZERO  # green_direct + green_trade + onsite_renewable + certificates counted
    certificates_counted_mwh: Decimal = ZERO
    grid_net_mwh: Decimal = ZERO  # grid − certificates counted − export: × the grid factor
    renewable_export_mwh: Decimal = ZERO  # × the grid factor when the setting says so
    renewable_export_at_grid: bool = True
    electricity_used_mwh: Decimal = ZERO
    green_direct_mwh: Decimal = ZERO  # green_direct + onsite_renewable
    used_defaults: bool = False  # a fossil row took NCV, CC or OF from the carrier defaults
    trace: list[str] = field(default_factory=list)

    @property
    def fuel_use_tco2(self) -> Decimal:
        return sum(self.fuel_by_use_tco2.values(), ZERO)

    @property
    def bunker_tco2(self) -> Decimal:
        return self.fuel_by_use_tco2["bunker"]

    @property
    def transform_tco2(self) -> Decimal:
        return self.transform_in_tco2 - self.transform_out_tco2 + self.transform_measured_tco2

    @property
    def process_tco2(self) -> Decimal:
        return self.process_rows_tco2 + self.process_measured_tco2

    @property
    def activity_tco2(self) -> Decimal:
        return self.fuel_use_tco2 + self.transform_tco2 + self.electricity_tco2 + self.heat_tco2

    @property
    def gross_tco2(self) -> Decimal:
        return self.activity_tco2 + self.process_tco2

    @property
    def net_tco2(self) -> Decimal:
        return self.gross_tco2 - self.offsets_tco2

    @property
    def energy_tce(self) -> Decimal:
        return (
            self.fuel_rows_tce
            + self.feedstock_tce
            + self.transform_net_tce
            + self.electricity_tce
            + self.heat_tce
        )

    def electricity_tco2_at(self, grid_ef: Decimal) -> Decimal:
        """E电 under another grid factor (the sensitivity table, §3.2)."""
        renewable_ef = grid_ef if self.renewable_export_at_grid else ZERO
        return self.grid_net_mwh * grid_ef - self.renewable_export_mwh * renewable_ef

    def energy_tce_at(self, coefficient: Decimal) -> Decimal:
        """The energy total with another electricity coefficient (energy_basis_sensitivity, §3.2)."""
        return self.energy_tce - self.electricity_tce + self.electricity_net_mwh * coefficient

    def clean_tce_at(self, coefficient: Decimal) -> Decimal:
        return self.clean_rows_tce + self.clean_heat_tce + self.green_power_mwh * coefficient


def choose_grid_factor(dataset: Dataset, factor_set: FactorSet) -> GridChoice | None:
    """The grid factor the method asks for: fixed, custom, pinned year, or the latest year ≤ the dataset year."""
    method = dataset.method
    if method.grid_ef_basis == "custom":
        assert method.grid_ef_custom is not None
        year = method.factor_year or dataset.year
        return GridChoice("custom", year, method.grid_ef_custom, "数据集自定义电网排放因子", True)
    factor = factor_set.grid_factor(method.grid_ef_basis, dataset.year, method.factor_year)
    if factor is None:
        return None
    return GridChoice(factor.basis, factor.year, factor.value, factor.source, factor.provisional)


def electricity_coefficient(basis: str, year: int, factor_set: FactorSet) -> ElectricityCoefficient | None:
    """等价值 (the latest year ≤ Y − 1) or 当量值; None when the equivalent table has no such year."""
    if basis == "calorific":
        constant = factor_set.constants["electricity_calorific_tce_per_mwh"]
        return ElectricityCoefficient("calorific", None, constant.value, constant.source)
    found: YearValue | None = factor_set.equivalent_coefficient(year)
    if found is None:
        return None
    return ElectricityCoefficient("equivalent", found.year, found.value, found.source)


def compute_totals(
    dataset: Dataset,
    factor_set: FactorSet,
    grid: GridChoice,
    coefficient: ElectricityCoefficient,
    heat_in_ef: Decimal,
    heat_out_ef: Decimal,
) -> Totals:
    """Energy, emissions by the terms of 附件4 and clean energy; every figure exact, with a readable trace."""
    t = Totals()
    tce_gj = factor_set.tce_gj
    heat_tce = factor_set.heat_tce_per_gj
    transform_of = factor_set.transform_of
    method = dataset.method

    # Per (carrier, use): quantity, tce and CO2 summed over its groups, and the formula when it has one group.
    lines: dict[tuple[Carrier, str], list[Any]] = {}
    for (carrier, use, ncv, cc, of), quantity in dataset.energy.items():
        if ncv is not None:
            tce = quantity * ncv / tce_gj
        elif carrier.tce_per_unit is not None:
            tce = quantity * carrier.tce_per_unit
        else:
            tce = quantity * carrier.ncv_gj_per_unit / tce_gj  # type: ignore[operator]
        if use in FUEL_USES:
            t.fuel_rows_tce += tce
            if not carrier.fossil:
                t.clean_rows_tce += tce
        elif use == "feedstock":
            if method.feedstock_in_energy:
                t.feedstock_tce += tce
        elif use == "transform_in":
            t.transform_net_tce += tce
        else:
            t.transform_net_tce -= tce
        emitted, formula = ZERO, None
        if carrier.fossil and use != "feedstock":
            n = ncv if ncv is not None else carrier.ncv_gj_per_unit
            c = cc if cc is not None else carrier.cc_tc_per_gj
            if use in FUEL_USES:
                o = of if of is not None else carrier.of
                t.used_defaults = t.used_defaults or ncv is None or cc is None or of is None
            else:
                o = transform_of
                t.used_defaults = t.used_defaults or ncv is None or cc is None
            emitted = quantity * n * c * o * CO2_PER_C  # type: ignore[operator]
            if use in FUEL_USES:
                t.fuel_by_use_tco2[use] += emitted
            elif use == "transform_in":
                t.transform_in_tco2 += emitted
            else:
                t.transform_out_tco2 += emitted
            formula = f"NCV {n} × CC {c} × OF {o}" + (
                "（实测）" if (ncv, cc, of) != (None, None, None) else ""
            )
        line = lines.setdefault((carrier, use), [ZERO, ZERO, ZERO, 0, formula])
        line[0] += quantity
        line[1] += tce
        line[2] += emitted
        line[3] += 1
        line[4] = formula if line[3] == 1 else None
    for (carrier, use), (quantity, tce, emitted, groups, formula) in lines.items():
        head = (
            f"{carrier.name}（{USE_LABELS[use]}）{_fmt(quantity)} {carrier.base_unit}，折标 {_fmt(tce)} tce"
        )
        if not carrier.fossil:
            t.trace.append(head + "，非化石能源，排放计 0" + ("，清洁能源" if use in FUEL_USES else ""))
        elif use == "feedstock":
            t.trace.append(
                head
                + ("" if method.feedstock_in_energy else "（不计入综合能源消费量）")
                + "，用作原料不计排放"
            )
        elif formula is not None:
            t.trace.append(f"{head}；CO2 = 数量 × {formula} × 44/12 = {_fmt(emitted)} tCO2")
        else:
            t.trace.append(
                f"{head}；CO2 = ∑ 数量 × NCV × CC × OF × 44/12 = {_fmt(emitted)} tCO2（{groups} 组参数，含实测）"
            )

    for _kind, source, tco2 in dataset.direct_sources:
        if _kind == "conversion":
            t.transform_measured_tco2 += tco2
        else:
            t.process_measured_tco2 += tco2
        label = "工业过程" if _kind == "process" else "能源加工转换"
        t.trace.append(f"实测排放（{label}）{source or '—'} {_fmt(tco2)} tCO2")
    for row in dataset.process:
        emitted = row.quantity_t * row.ef_tco2_per_t
        t.process_rows_tco2 += emitted
        t.trace.append(
            f"工业过程 {row.product} {_fmt(row.quantity_t)} t × {row.ef_tco2_per_t} tCO2/t = {_fmt(emitted)} tCO2"
            f"（依据：{row.basis}）"
        )

    _electricity(t, dataset, grid, coefficient)
    _heat(t, dataset, heat_tce, heat_in_ef, heat_out_ef)
    t.clean_tce = t.clean_tce_at(coefficient.value)
    t.offsets_tco2 = dataset.offsets_ccer

    uses = t.fuel_by_use_tco2
    t.trace.append(
        f"E用作燃料 = ∑(能源消费量 × 排放因子) = {_fmt(t.fuel_use_tco2)} tCO2（终端消费 {_fmt(uses['fuel'])}，"
        f"火力发电/供热 {_fmt(uses['power_heat'])}，国际航空航海 {_fmt(uses['bunker'])}）"
    )
    t.trace.append(
        f"E加工转换 = ∑投入 {_fmt(t.transform_in_tco2)} − ∑产出 {_fmt(t.transform_out_tco2)}"
        f" + 实测 {_fmt(t.transform_measured_tco2)} = {_fmt(t.transform_tco2)} tCO2（碳氧化率取 {transform_of}）"
    )
    t.trace.append(
        f"E工业过程 = ∑(产品产量 × 排放因子) {_fmt(t.process_rows_tco2)} + 实测 {_fmt(t.process_measured_tco2)}"
        f" = {_fmt(t.process_tco2)} tCO2"
    )
    t.trace.append(
        f"年综合能源消费量 = 燃料 {_fmt(t.fuel_rows_tce)} + 原料 {_fmt(t.feedstock_tce)} + 加工转换净投入 "
        f"{_fmt(t.transform_net_tce)} + 电力 {_fmt(t.electricity_tce)} + 热力 {_fmt(t.heat_tce)}"
        f" = {_fmt(t.energy_tce)} tce"
    )
    return t


def _electricity(t: Totals, dataset: Dataset, grid: GridChoice, coefficient: ElectricityCoefficient) -> None:
    """E电 = ∑受入 × EF − ∑送出 × EF, not floored (§1.4); the electricity line of the energy total (§2)."""
    e = dataset.electricity
    method = dataset.method
    t.certificates_counted_mwh = (
        min(e["certificates"], e["grid"]) if method.certificates_as_green_power else ZERO
    )
    t.grid_net_mwh = e["grid"] - t.certificates_counted_mwh - e["export"]
    t.renewable_export_mwh = e["export_renewable"]
    t.renewable_export_at_grid = method.renewable_export_at_grid_factor
    t.electricity_tco2 = t.electricity_tco2_at(grid.value)
    t.electricity_net_mwh = (
        e["grid"] + e["green_direct"] + e["green_trade"] + e["onsite_renewable"] - e["export"]
    )
    t.electricity_tce = t.electricity_net_mwh * coefficient.value
    t.green_power_mwh = (
        e["green_direct"] + e["green_trade"] + e["onsite_renewable"] + t.certificates_counted_mwh
    )
    t.electricity_used_mwh = t.electricity_net_mwh + e["onsite_fossil"]
    t.green_direct_mwh = e["green_direct"] + e["onsite_renewable"]
    renewable_ef = grid.value if method.renewable_export_at_grid_factor else ZERO
    factor_name = f"{grid.basis}" + ("" if grid.basis == FIXED_BASIS else f" {grid.year}")
    t.trace.append(
        f"E电 = (电网受入 {_fmt(e['grid'])} − 绿证 {_fmt(t.certificates_counted_mwh)} − 送出 {_fmt(e['export'])}) MWh"
        f" × {grid.value} − 可再生送出 {_fmt(e['export_renewable'])} MWh × {renewable_ef}"
        f" = {_fmt(t.electricity_tco2)} tCO2（{factor_name}；绿电直连 {_fmt(e['green_direct'])}、绿电交易 "
        f"{_fmt(e['green_trade'])}、绿电送出 {_fmt(e['export_green'])} MWh 按 0 计）"
    )
    label = "等价值" if coefficient.basis == "equivalent" else "当量值"
    year = f" {coefficient.year} 年" if coefficient.year is not None else ""
    t.trace.append(
        f"电力折标：净受入 {_fmt(t.electricity_net_mwh)} MWh × {coefficient.value} tce/MWh（{label}{year}）"
        f" = {_fmt(t.electricity_tce)} tce"
    )


def _heat(t: Totals, dataset: Dataset, heat_tce: Decimal, heat_in_ef: Decimal, heat_out_ef: Decimal) -> None:
    """E热 = 受入 × EF受入 − 送出 × EF送出, not floored; renewable heat at 0 (§1.5)."""
    h = dataset.heat
    t.heat_tco2 = h["purchased"] * heat_in_ef - h["export"] * heat_out_ef
    t.heat_net_gj = h["purchased"] + h["purchased_renewable"] - h["export"] - h["export_renewable"]
    t.heat_tce = t.heat_net_gj * heat_tce
    t.clean_heat_tce = h["purchased_renewable"] * heat_tce
    if any(h.values()):
        t.trace.append(
            f"E热 = 受入 {_fmt(h['purchased'])} GJ × {heat_in_ef} − 送出 {_fmt(h['export'])} GJ × {heat_out_ef}"
            f" = {_fmt(t.heat_tco2)} tCO2（非化石热力受入 {_fmt(h['purchased_renewable'])}、送出 "
            f"{_fmt(h['export_renewable'])} GJ 按 0 计）；热力折标 {_fmt(t.heat_net_gj)} GJ × {heat_tce}"
            f" = {_fmt(t.heat_tce)} tce"
        )


def _fmt(value: Decimal) -> str:
    """A number in the trace: by the one rounding rule, to 2 places."""
    return str(report(value, PLACES_QUANTITY))
