"""Feasibility analysis of an application dossier: pure Python, Decimal, no Django.

trajectory = project_trajectory(baseline=Baseline(...), projects=[ProjectEffect(...)], end_year=2028)
shares = supply_mix_shares(rows=[SupplyRow(...)])
result = economics(cash_flows=[CashFlowRow(...)], discount_rate_pct=Decimal("8"))
verdicts = achievability(trajectory=trajectory, targets={2028: Decimal("0.4")})

Every value is exact (60 significant digits); ``rounded()`` on an output gives the reported digits,
half-up, as the accounting engine reports them. Float appears only at the numpy_financial boundary.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, ParamSpec, TypeVar

import numpy_financial as npf

BASE_YEAR = 2025
ROUNDING = ROUND_HALF_UP
# Decimal places per reported quantity (the same as indicators/engine/rounding.py, plus money).
PLACES_QUANTITY = Decimal("0.01")  # tce, tCO2, MWh
PLACES_CARBON_PER_ENERGY = Decimal("0.0001")  # tCO2/tce
PLACES_PERCENT = Decimal("0.01")  # %
PLACES_MONEY = Decimal("0.01")  # 万元
PLACES_YEARS = Decimal("0.01")  # payback periods
PLACES_FACTOR = Decimal("0.000001")  # discount factors
# Enough digits that no product or ratio of dossier inputs is ever rounded before reporting.
WORKING_PRECISION = 60
# A guard against a typo such as 2205 for 2025 turning into a 180-row table.
MAX_YEAR_SPAN = 100

ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")

_CONTEXT = Context(prec=WORKING_PRECISION, rounding=ROUNDING)
_P = ParamSpec("_P")
_R = TypeVar("_R")

Status = Literal["meets", "misses", "unknown"]


def _exact(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Runs ``func`` in the working context: the caller's (default 28 digits) never matters."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with localcontext(_CONTEXT):
            return func(*args, **kwargs)

    return wrapper


def _report(value: Decimal, places: Decimal) -> Decimal:
    """``value`` half-up to ``places``, in the working context."""
    return value.quantize(places, rounding=ROUNDING, context=_CONTEXT)


def _report_optional(value: Decimal | None, places: Decimal) -> Decimal | None:
    """As ``_report``, passing None through."""
    return None if value is None else _report(value, places)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator / denominator, exact to the working precision; None when the denominator is 0."""
    return None if denominator == ZERO else _CONTEXT.divide(numerator, denominator)


# --- Trajectory ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The base-year totals from the accounting engine (net emissions, as the core indicator)."""

    energy_tce: Decimal
    emissions_tco2: Decimal
    year: int = BASE_YEAR

    @property
    def carbon_per_energy(self) -> Decimal | None:
        """tCO2/tce, exact; None when energy is 0."""
        return _ratio(self.emissions_tco2, self.energy_tce)


@dataclass(frozen=True)
class ProjectEffect:
    """One key project and its expected annual effects once complete."""

    start_year: int
    end_year: int
    energy_saved_tce: Decimal
    green_power_added_mwh: Decimal
    co2_reduced_tco2: Decimal
    name: str = ""


@dataclass(frozen=True)
class YearProjection:
    """One year of the trajectory; the savings and green power are cumulative to that year."""

    year: int
    energy_tce: Decimal
    emissions_tco2: Decimal
    carbon_per_energy: Decimal | None
    green_power_added_mwh: Decimal
    energy_saved_tce: Decimal
    co2_reduced_tco2: Decimal

    def rounded(self) -> YearProjection:
        """The reported digits (quantities 0.01, carbon_per_energy 0.0001), half-up."""
        return replace(
            self,
            energy_tce=_report(self.energy_tce, PLACES_QUANTITY),
            emissions_tco2=_report(self.emissions_tco2, PLACES_QUANTITY),
            carbon_per_energy=_report_optional(self.carbon_per_energy, PLACES_CARBON_PER_ENERGY),
            green_power_added_mwh=_report(self.green_power_added_mwh, PLACES_QUANTITY),
            energy_saved_tce=_report(self.energy_saved_tce, PLACES_QUANTITY),
            co2_reduced_tco2=_report(self.co2_reduced_tco2, PLACES_QUANTITY),
        )


def _project_label(index: int, project: ProjectEffect) -> str:
    return f"project {index}" + (f" ({project.name})" if project.name else "")


def _validate_projects(projects: Sequence[ProjectEffect], base_year: int) -> None:
    """Raises ValueError naming the first bad project (1-based)."""
    for index, project in enumerate(projects, start=1):
        label = _project_label(index, project)
        if project.start_year > project.end_year:
            raise ValueError(f"{label}: start_year {project.start_year} is after end_year {project.end_year}")
        if project.end_year < base_year:
            # Its effects are already in the baseline; subtracting them again would double count.
            raise ValueError(f"{label}: end_year {project.end_year} is before the baseline year {base_year}")
        for field_name in ("energy_saved_tce", "green_power_added_mwh", "co2_reduced_tco2"):
            value: Decimal = getattr(project, field_name)
            if value < ZERO:
                raise ValueError(f"{label}: {field_name} must not be negative (got {value})")


def _projection(
    year: int, baseline: Baseline, growth: Decimal, done: Sequence[ProjectEffect]
) -> YearProjection:
    """Business as usual compounded from the baseline, minus the effects of the completed projects."""
    factor = growth ** (year - baseline.year)
    saved = sum((p.energy_saved_tce for p in done), ZERO)
    reduced = sum((p.co2_reduced_tco2 for p in done), ZERO)
    energy = max(ZERO, baseline.energy_tce * factor - saved)
    emissions = max(ZERO, baseline.emissions_tco2 * factor - reduced)
    return YearProjection(
        year=year,
        energy_tce=energy,
        emissions_tco2=emissions,
        carbon_per_energy=_ratio(emissions, energy),
        green_power_added_mwh=sum((p.green_power_added_mwh for p in done), ZERO),
        energy_saved_tce=saved,
        co2_reduced_tco2=reduced,
    )


@_exact
def project_trajectory(
    *,
    baseline: Baseline,
    projects: Sequence[ProjectEffect],
    end_year: int,
    growth_pct: Decimal = ZERO,
) -> list[YearProjection]:
    """Energy, emissions and carbon_per_energy per year from the baseline year to ``end_year``.

    Timing rule: a project's effects count in full from the year AFTER its ``end_year`` (a project
    finishing in 2027 counts from 2028), never partly during construction. Business as usual grows
    energy and emissions by ``growth_pct`` % a year, compounded from the baseline year, before the
    cumulative effects are subtracted; neither goes below 0. ``co2_reduced_tco2`` is taken as the
    project's whole CO2 effect (green power included), so green power is tracked, not subtracted.
    The baseline-year row is the baseline itself. Raises ValueError for a bad project or range.
    """
    if end_year < baseline.year:
        raise ValueError(f"end_year {end_year} is before the baseline year {baseline.year}")
    if end_year - baseline.year > MAX_YEAR_SPAN:
        raise ValueError(f"end_year {end_year} is more than {MAX_YEAR_SPAN} years after {baseline.year}")
    if growth_pct <= -HUNDRED:
        raise ValueError(f"growth_pct must be greater than -100 (got {growth_pct})")
    if baseline.energy_tce < ZERO:
        raise ValueError(f"baseline energy_tce must not be negative (got {baseline.energy_tce})")
    _validate_projects(projects, baseline.year)
    growth = ONE + growth_pct / HUNDRED
    return [
        _projection(year, baseline, growth, [p for p in projects if p.end_year < year])
        for year in range(baseline.year, end_year + 1)
    ]


# --- Energy-supply mix --------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplyRow:
    """One source of the integrated energy-supply plan; direct green power (绿电直连, on-site
    renewables) is a kind of clean energy."""

    source: str
    quantity_mwh: Decimal
    is_clean: bool
    is_direct_green: bool


@dataclass(frozen=True)
class SupplyShares:
    """Totals in MWh-equivalent and shares in % of the total (None when the total is 0)."""

    total_mwh: Decimal
    clean_mwh: Decimal
    direct_green_mwh: Decimal
    clean_share_pct: Decimal | None
    direct_green_share_pct: Decimal | None

    def rounded(self) -> SupplyShares:
        """The reported digits (MWh 0.01, % 0.01), half-up."""
        return SupplyShares(
            total_mwh=_report(self.total_mwh, PLACES_QUANTITY),
            clean_mwh=_report(self.clean_mwh, PLACES_QUANTITY),
            direct_green_mwh=_report(self.direct_green_mwh, PLACES_QUANTITY),
            clean_share_pct=_report_optional(self.clean_share_pct, PLACES_PERCENT),
            direct_green_share_pct=_report_optional(self.direct_green_share_pct, PLACES_PERCENT),
        )


def _validate_supply(rows: Sequence[SupplyRow]) -> None:
    """Raises ValueError naming the first bad row (1-based)."""
    for index, row in enumerate(rows, start=1):
        label = f"row {index} ({row.source})" if row.source else f"row {index}"
        if row.quantity_mwh < ZERO:
            raise ValueError(f"{label}: quantity_mwh must not be negative (got {row.quantity_mwh})")
        if row.is_direct_green and not row.is_clean:
            # Otherwise the direct green share could exceed the clean share.
            raise ValueError(f"{label}: direct green power must also be marked clean")


@_exact
def supply_mix_shares(*, rows: Sequence[SupplyRow]) -> SupplyShares:
    """Clean and direct-green shares of the planned supply, in % of the total quantity."""
    _validate_supply(rows)
    total = sum((r.quantity_mwh for r in rows), ZERO)
    clean = sum((r.quantity_mwh for r in rows if r.is_clean), ZERO)
    direct = sum((r.quantity_mwh for r in rows if r.is_direct_green), ZERO)
    clean_ratio, direct_ratio = _ratio(clean, total), _ratio(direct, total)
    return SupplyShares(
        total_mwh=total,
        clean_mwh=clean,
        direct_green_mwh=direct,
        clean_share_pct=None if clean_ratio is None else clean_ratio * HUNDRED,
        direct_green_share_pct=None if direct_ratio is None else direct_ratio * HUNDRED,
    )


# --- Economics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CashFlowRow:
    """One year's costs and revenues, in 万元 (both ≥ 0)."""

    year: int
    cost_wan: Decimal
    revenue_wan: Decimal


@dataclass(frozen=True)
class CashFlowLine:
    """One row of the cash-flow table; ``filled`` marks a year missing from the input (all zero)."""

    year: int
    t: int
    cost_wan: Decimal
    revenue_wan: Decimal
    net_wan: Decimal
    cumulative_net_wan: Decimal
    discount_factor: Decimal
    discounted_net_wan: Decimal
    cumulative_discounted_net_wan: Decimal
    filled: bool

    def rounded(self) -> CashFlowLine:
        """The reported digits (万元 0.01, factor 0.000001), half-up."""
        return replace(
            self,
            cost_wan=_report(self.cost_wan, PLACES_MONEY),
            revenue_wan=_report(self.revenue_wan, PLACES_MONEY),
            net_wan=_report(self.net_wan, PLACES_MONEY),
            cumulative_net_wan=_report(self.cumulative_net_wan, PLACES_MONEY),
            discount_factor=_report(self.discount_factor, PLACES_FACTOR),
            discounted_net_wan=_report(self.discounted_net_wan, PLACES_MONEY),
            cumulative_discounted_net_wan=_report(self.cumulative_discounted_net_wan, PLACES_MONEY),
        )


@dataclass(frozen=True)
class Economics:
    """NPV, IRR and payback periods of the plan, with its cash-flow table."""

    discount_rate_pct: Decimal
    lines: tuple[CashFlowLine, ...]
    total_cost_wan: Decimal
    total_revenue_wan: Decimal
    npv_wan: Decimal
    irr_pct: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None

    def rounded(self) -> Economics:
        """The reported digits (万元 0.01, % 0.01, years 0.01), half-up."""
        return replace(
            self,
            lines=tuple(line.rounded() for line in self.lines),
            total_cost_wan=_report(self.total_cost_wan, PLACES_MONEY),
            total_revenue_wan=_report(self.total_revenue_wan, PLACES_MONEY),
            npv_wan=_report(self.npv_wan, PLACES_MONEY),
            irr_pct=_report_optional(self.irr_pct, PLACES_PERCENT),
            payback_years=_report_optional(self.payback_years, PLACES_YEARS),
            discounted_payback_years=_report_optional(self.discounted_payback_years, PLACES_YEARS),
        )


def _validate_cash_flows(rows: Sequence[CashFlowRow], discount_rate_pct: Decimal) -> None:
    """Raises ValueError naming the first bad row (1-based, in the caller's order)."""
    if not -HUNDRED < discount_rate_pct <= HUNDRED:
        raise ValueError(
            f"discount_rate_pct must be greater than -100 and at most 100 (got {discount_rate_pct})"
        )
    seen: dict[int, int] = {}
    for index, row in enumerate(rows, start=1):
        if row.cost_wan < ZERO:
            raise ValueError(
                f"row {index} (year {row.year}): cost_wan must not be negative (got {row.cost_wan})"
            )
        if row.revenue_wan < ZERO:
            raise ValueError(
                f"row {index} (year {row.year}): revenue_wan must not be negative (got {row.revenue_wan})"
            )
        if row.year in seen:
            raise ValueError(f"row {index}: year {row.year} duplicates row {seen[row.year]}")
        seen[row.year] = index
    if rows and max(seen) - min(seen) > MAX_YEAR_SPAN:
        raise ValueError(f"cash flows span more than {MAX_YEAR_SPAN} years ({min(seen)}–{max(seen)})")


def _contiguous(rows: Sequence[CashFlowRow]) -> list[tuple[CashFlowRow, bool]]:
    """Every year from the first to the last, a missing year as a zero row flagged as filled."""
    by_year = {row.year: row for row in rows}
    years = range(min(by_year), max(by_year) + 1) if by_year else range(0)
    return [
        (by_year[y], False) if y in by_year else (CashFlowRow(year=y, cost_wan=ZERO, revenue_wan=ZERO), True)
        for y in years
    ]


def _table(rows: Sequence[CashFlowRow], rate: Decimal) -> tuple[CashFlowLine, ...]:
    """The cash-flow table: the first year is t = 0, each later year discounted by (1+r)^t."""
    lines: list[CashFlowLine] = []
    cumulative = cumulative_discounted = ZERO
    for t, (row, filled) in enumerate(_contiguous(rows)):
        net = row.revenue_wan - row.cost_wan
        factor = ONE / (ONE + rate) ** t
        discounted = net * factor
        cumulative += net
        cumulative_discounted += discounted
        lines.append(
            CashFlowLine(
                year=row.year,
                t=t,
                cost_wan=row.cost_wan,
                revenue_wan=row.revenue_wan,
                net_wan=net,
                cumulative_net_wan=cumulative,
                discount_factor=factor,
                discounted_net_wan=discounted,
                cumulative_discounted_net_wan=cumulative_discounted,
                filled=filled,
            )
        )
    return tuple(lines)


def _payback(flows: Sequence[Decimal]) -> Decimal | None:
    """Years from t = 0 until the cumulative flow first turns ≥ 0, linear within that year.

    With the cumulative c(k-1) < 0 ≤ c(k), payback = (k - 1) + |c(k-1)| / flow(k): the year's flow is
    taken as earned evenly across it. 0 when the first cumulative is already ≥ 0; None if never.
    """
    cumulative = ZERO
    for k, flow in enumerate(flows):
        previous, cumulative = cumulative, cumulative + flow
        if cumulative >= ZERO:
            return ZERO if k == 0 else Decimal(k - 1) + (-previous) / flow
    return None


def _irr_pct(nets: Sequence[Decimal]) -> Decimal | None:
    """IRR in %, or None when the flows do not change sign or numpy_financial finds no real rate."""
    if not (any(n > ZERO for n in nets) and any(n < ZERO for n in nets)):
        return None
    # The float boundary: np.roots has no Decimal support; back to Decimal through its shortest repr.
    rate = float(npf.irr([float(n) for n in nets]))
    return None if math.isnan(rate) else Decimal(str(rate)) * HUNDRED


@_exact
def economics(*, cash_flows: Sequence[CashFlowRow], discount_rate_pct: Decimal) -> Economics:
    """NPV at ``discount_rate_pct``, IRR and simple/discounted payback, with the cash-flow table.

    Rows may come in any order; years missing between the first and the last count as zero, and the
    first year is t = 0 (undiscounted). No rows: NPV 0 and no IRR or payback. Raises ValueError
    naming the row (1-based) for a negative cost or revenue or a duplicate year, and for a rate
    outside (-100, 100].
    """
    _validate_cash_flows(cash_flows, discount_rate_pct)
    lines = _table(cash_flows, discount_rate_pct / HUNDRED)
    return Economics(
        discount_rate_pct=discount_rate_pct,
        lines=lines,
        total_cost_wan=sum((line.cost_wan for line in lines), ZERO),
        total_revenue_wan=sum((line.revenue_wan for line in lines), ZERO),
        npv_wan=lines[-1].cumulative_discounted_net_wan if lines else ZERO,
        irr_pct=_irr_pct([line.net_wan for line in lines]),
        payback_years=_payback([line.net_wan for line in lines]),
        discounted_payback_years=_payback([line.discounted_net_wan for line in lines]),
    )


# --- Achievability ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Achievement:
    """A yearly target of carbon_per_energy against the projection (``projected`` as reported)."""

    year: int
    target: Decimal
    projected: Decimal | None
    status: Status


def _status(projected: Decimal | None, target: Decimal, lower_is_better: bool) -> Status:
    if projected is None:
        return "unknown"
    meets = projected <= target if lower_is_better else projected >= target
    return "meets" if meets else "misses"


@_exact
def achievability(
    *,
    trajectory: Sequence[YearProjection],
    targets: dict[int, Decimal],
    lower_is_better: bool = True,
) -> list[Achievement]:
    """Per target year (ascending), whether the projected carbon_per_energy meets the target.

    As the accounting engine does, the projection is rounded to its reported digits (0.0001) before
    the comparison, so the verdict agrees with the number shown. "unknown" when the year is outside
    the trajectory or its carbon_per_energy is None (no energy).
    """
    by_year = {row.year: row.carbon_per_energy for row in trajectory}
    results: list[Achievement] = []
    for year in sorted(targets):
        projected = _report_optional(by_year.get(year), PLACES_CARBON_PER_ENERGY)
        status = _status(projected, targets[year], lower_is_better)
        results.append(Achievement(year=year, target=targets[year], projected=projected, status=status))
    return results
