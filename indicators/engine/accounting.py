"""Totals of one park-year: energy consumed (tce), CO2 by source, clean energy (accounting.md §1–2).

Rows are grouped by (carrier, use, measured parameters) before multiplying: Σq·k = k·Σq holds
exactly in Decimal, so grouping changes no digit and makes 300-row datasets cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Context, Decimal

from .dataset import ZERO, Dataset, EnergyRow
from .factors import Carrier, FactorSet, GridFactor
from .rounding import WORKING_PRECISION

CO2_PER_C = Context(prec=WORKING_PRECISION).divide(Decimal(44), Decimal(12))
USE_LABELS = {"fuel": "燃料", "conversion": "加工转换", "feedstock": "原料", "bunker": "国际燃料舱"}
EMITTING_USES = ("fuel", "bunker", "conversion")


@dataclass(frozen=True)
class GridChoice:
    basis: str
    year: int
    value: Decimal
    source: str
    provisional: bool


@dataclass
class Totals:
    """Exact (unrounded) totals, in tce and tCO2."""

    energy_tce: Decimal = ZERO
    clean_tce: Decimal = ZERO
    fuel_tco2: Decimal = ZERO
    conversion_tco2: Decimal = ZERO
    bunker_tco2: Decimal = ZERO
    electricity_tco2: Decimal = ZERO
    heat_tco2: Decimal = ZERO
    process_tco2: Decimal = ZERO
    offsets_tco2: Decimal = ZERO
    grid_ordinary_mwh: Decimal = ZERO  # grid purchases netted of exports and certificates: × grid EF
    electricity_used_mwh: Decimal = ZERO
    green_direct_mwh: Decimal = ZERO
    trace: list[str] = field(default_factory=list)

    @property
    def gross_tco2(self) -> Decimal:
        return (
            self.fuel_tco2 + self.conversion_tco2 + self.electricity_tco2 + self.heat_tco2 + self.process_tco2
        )

    @property
    def net_tco2(self) -> Decimal:
        return self.gross_tco2 - self.offsets_tco2


def choose_grid_factor(dataset: Dataset, factor_set: FactorSet) -> GridChoice | None:
    """The grid factor the method asks for: custom, pinned year, or the latest year ≤ the dataset year."""
    method = dataset.method
    if method.grid_ef_basis == "custom":
        assert method.grid_ef_custom is not None
        year = method.factor_year or dataset.year
        return GridChoice("custom", year, method.grid_ef_custom, "数据集自定义电网排放因子", True)
    factor: GridFactor | None = factor_set.grid_factor(method.grid_ef_basis, dataset.year, method.factor_year)
    if factor is None:
        return None
    return GridChoice(factor.basis, factor.year, factor.value, factor.source, factor.provisional)


def compute_totals(dataset: Dataset, factor_set: FactorSet, grid: GridChoice, heat_ef: Decimal) -> Totals:
    """Energy, emissions by source and clean energy; every figure exact, with a readable trace."""
    t = Totals()
    tce_gj = factor_set.tce_gj.value
    elec_tce = factor_set.electricity_tce_per_mwh.value
    heat_tce = factor_set.heat_tce_per_gj.value
    feedstock_counts = dataset.method.feedstock_in_energy

    for (carrier, use, ncv, cc, of), quantity in _grouped(dataset.energy).items():
        counted = use != "feedstock" or feedstock_counts
        if counted:
            if ncv is not None:
                tce = quantity * ncv / tce_gj
            elif carrier.tce_per_unit is not None:
                tce = quantity * carrier.tce_per_unit
            else:
                tce = quantity * carrier.ncv_gj_per_unit / tce_gj  # type: ignore[operator]
            t.energy_tce += tce
            if not carrier.fossil:
                t.clean_tce += tce
        emitted = ZERO
        if carrier.fossil and use in EMITTING_USES:
            n = ncv if ncv is not None else carrier.ncv_gj_per_unit
            c = cc if cc is not None else carrier.cc_tc_per_gj
            o = of if of is not None else carrier.of
            emitted = quantity * n * c * o * CO2_PER_C  # type: ignore[operator]
            if use == "conversion":
                t.conversion_tco2 += emitted
            else:
                t.fuel_tco2 += emitted
                if use == "bunker":
                    t.bunker_tco2 += emitted
            t.trace.append(
                f"{carrier.name}（{USE_LABELS[use]}）{_fmt(quantity)} {carrier.base_unit}"
                f" × NCV {n} × CC {c} × OF {o} × 44/12 = {_fmt(emitted)} tCO2{'' if ncv is None else '（实测参数）'}"
            )
        if counted:
            t.trace.append(
                f"{carrier.name}（{USE_LABELS[use]}）折标 {_fmt(tce)} tce"
                + ("，清洁能源" if not carrier.fossil else "")
            )
        else:
            t.trace.append(f"{carrier.name}（原料）不计入综合能源消费量，也不计排放")

    e = dataset.electricity
    certificates_green = (
        min(e["certificates"], e["grid"]) if dataset.method.certificates_as_green_power else ZERO
    )
    ordinary = e["grid"] - certificates_green
    green_trade = e["green_trade"] + certificates_green
    t.grid_ordinary_mwh = max(ZERO, ordinary - e["export"])
    t.electricity_tco2 = t.grid_ordinary_mwh * grid.value
    net_inflow_mwh = e["grid"] + e["green_trade"] + e["green_direct"] + e["onsite_renewable"] - e["export"]
    t.energy_tce += net_inflow_mwh * elec_tce
    t.clean_tce += (green_trade + e["green_direct"] + e["onsite_renewable"]) * elec_tce
    t.electricity_used_mwh = net_inflow_mwh + e["onsite_fossil"]
    t.green_direct_mwh = e["green_direct"] + e["onsite_renewable"]
    t.trace.append(
        f"电力：净受入普通电网电量 max(0, {_fmt(ordinary)} − 外送 {_fmt(e['export'])})"
        f" = {_fmt(t.grid_ordinary_mwh)} MWh × {grid.value} tCO2/MWh（{grid.basis} {grid.year}）= {_fmt(t.electricity_tco2)} tCO2"
    )
    t.trace.append(
        f"电力：净受入 {_fmt(net_inflow_mwh)} MWh × {elec_tce} tce/MWh"
        f" = {_fmt(net_inflow_mwh * elec_tce)} tce"
    )
    if certificates_green:
        t.trace.append(
            f"绿证视同绿色电力 {_fmt(certificates_green)} MWh（暂定规则 certificates_as_green_power）"
        )

    net_heat = dataset.heat_purchased - dataset.heat_export
    t.heat_tco2 = max(ZERO, net_heat) * heat_ef
    t.energy_tce += net_heat * heat_tce
    if dataset.heat_purchased or dataset.heat_export:
        t.trace.append(
            f"热力：净受入 {_fmt(net_heat)} GJ × {heat_tce} tce/GJ；"
            f"排放 max(0, 净受入) × {heat_ef} = {_fmt(t.heat_tco2)} tCO2"
        )

    t.process_tco2 = dataset.direct_process
    t.conversion_tco2 += dataset.direct_conversion
    for kind, source, tco2 in dataset.direct_sources:
        t.trace.append(
            f"直接排放（{'工业过程' if kind == 'process' else '能源加工转换'}）{source} {_fmt(tco2)} tCO2"
        )
    t.offsets_tco2 = dataset.offsets_ccer
    return t


def _grouped(
    rows: list[EnergyRow],
) -> dict[tuple[Carrier, str, Decimal | None, Decimal | None, Decimal | None], Decimal]:
    groups: dict[tuple[Carrier, str, Decimal | None, Decimal | None, Decimal | None], Decimal] = {}
    for row in rows:
        key = (row.carrier, row.use, row.ncv, row.cc, row.of)
        groups[key] = groups.get(key, ZERO) + row.quantity
    return groups


def _fmt(value: Decimal) -> str:
    return f"{value:.2f}" if value.as_tuple().exponent < -2 else str(value)  # type: ignore[operator]
