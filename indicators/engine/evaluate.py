"""evaluate(): one dataset document in, one result (or errors) document out (accounting.md §6–7)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import Any

from .accounting import (
    ElectricityCoefficient,
    GridChoice,
    Totals,
    choose_grid_factor,
    compute_totals,
    electricity_coefficient,
)
from .dataset import ZERO, Dataset, method_settings_valid, read_dataset, upgrade
from .errors import Errors, InputError
from .factors import BY_YEAR_BASES, GRID_BASES, FactorSet, Scheme
from .indicators import HUNDRED, IndicatorResult, core_emissions, indicator_results, raw_values
from .rounding import (
    PLACES_CARBON_PER_ENERGY,
    PLACES_PERCENT,
    PLACES_QUANTITY,
    REPORT_CONTEXT,
    WORKING_PRECISION,
    report,
)

ENGINE_VERSION = "2.0.0"
RESULT_SCHEMA = "zcpark.result/2"
# The Jiangxi plan's cap on CCER offsets (offset_share ≤ 5 %), used by "what it would take".
OFFSET_INDICATOR = "offset_share"


@dataclass(frozen=True)
class Sensitivity:
    grid_ef_basis: str
    factor_year: int | None
    grid_ef_tco2_per_mwh: Decimal
    carbon_per_energy: Decimal


@dataclass(frozen=True)
class EnergyBasisSensitivity:
    electricity_tce_basis: str
    electricity_tce_factor_year: int | None
    electricity_tce_per_mwh: Decimal
    energy_tce: Decimal
    carbon_per_energy: Decimal | None


@dataclass(frozen=True)
class Advisory:
    code: str
    value: Decimal
    op: str
    threshold: Decimal
    message: str


@dataclass(frozen=True)
class ToPass:
    """What would make a failing core indicator pass, from the same numbers (exact, then rounded up)."""

    threshold: Decimal
    excess_tco2: Decimal  # core numerator − threshold × energy
    green_power_mwh: Decimal | None  # grid purchases to replace by green power (None: a zero grid factor)
    green_power_available_mwh: Decimal  # grid purchases that green power can replace
    ccer_tco2: Decimal | None  # Jiangxi only: more CCER to buy
    ccer_headroom_tco2: Decimal | None  # within the 5 % cap

    def document(self) -> dict[str, Any]:
        up = report_up
        return {
            "threshold": str(self.threshold),
            "excess_tco2": up(self.excess_tco2),
            "green_power_mwh": None if self.green_power_mwh is None else up(self.green_power_mwh),
            "green_power_available_mwh": str(report(self.green_power_available_mwh, PLACES_QUANTITY)),
            "green_power_enough": self.green_power_mwh is not None
            and self.green_power_mwh <= self.green_power_available_mwh,
            "ccer_tco2": None if self.ccer_tco2 is None else up(self.ccer_tco2),
            "ccer_headroom_tco2": None
            if self.ccer_headroom_tco2 is None
            else str(report(self.ccer_headroom_tco2, PLACES_QUANTITY)),
            "ccer_within_cap": None
            if self.ccer_tco2 is None or self.ccer_headroom_tco2 is None
            else self.ccer_tco2 <= self.ccer_headroom_tco2,
        }


def report_up(value: Decimal) -> str:
    """An amount *needed*, rounded up to 2 places (rounded down it would not be enough)."""
    rounded = value.quantize(PLACES_QUANTITY, rounding=ROUND_CEILING, context=REPORT_CONTEXT)
    return str(rounded.copy_abs() if rounded.is_zero() else rounded)


@dataclass(frozen=True)
class Result:
    """A computed park-year: exact totals, indicators under the scheme, sensitivity and trace."""

    scheme: str
    year: int
    park_type: str
    factor_set: FactorSet
    dataset: Dataset
    grid: GridChoice
    coefficient: ElectricityCoefficient
    heat_in_ef: Decimal
    heat_out_ef: Decimal
    totals: Totals
    indicators: list[IndicatorResult]
    advisories: list[Advisory]
    provisional: list[str]
    sensitivity: list[Sensitivity]
    energy_basis_sensitivity: list[EnergyBasisSensitivity]
    to_pass: ToPass | None
    trace: list[str] = field(default_factory=list)

    @property
    def core_passed(self) -> bool:
        return self.indicators[0].status == "pass"

    def document(self) -> dict[str, Any]:
        """The result document; every number reported with the named rounding, as a string."""
        t = self.totals
        method = self.dataset.method

        def q(value: Decimal) -> str:
            return str(report(value, PLACES_QUANTITY))

        return {
            "schema": RESULT_SCHEMA,
            "upgraded_from": self.dataset.upgraded_from,
            "scheme": self.scheme,
            "year": self.year,
            "park_type": self.park_type,
            "engine_version": ENGINE_VERSION,
            "factors": {
                "method": self.factor_set.method.code,
                "set": self.factor_set.name,
                "grid_ef_basis": self.grid.basis,
                "factor_year": self.grid.year,
                "grid_ef_tco2_per_mwh": str(self.grid.value),
                "grid_ef_source": self.grid.source,
                "heat_purchased_ef_tco2_per_gj": str(self.heat_in_ef),
                "heat_export_ef_tco2_per_gj": str(self.heat_out_ef),
                "electricity_tce_basis": self.coefficient.basis,
                "electricity_tce_factor_year": self.coefficient.year,
                "electricity_tce_per_mwh": str(self.coefficient.value),
                "heat_tce_per_gj": str(self.factor_set.heat_tce_per_gj),
                "certificates_as_green_power": method.certificates_as_green_power,
                "feedstock_in_energy": method.feedstock_in_energy,
                "renewable_export_at_grid_factor": method.renewable_export_at_grid_factor,
            },
            "totals": {
                "energy_tce": q(t.energy_tce),
                "emissions_gross_tco2": q(t.gross_tco2),
                "emissions_net_tco2": q(t.net_tco2),
                "offsets_tco2": q(t.offsets_tco2),
                "energy_activity_tco2": q(t.activity_tco2),
                "bunker_tco2": q(t.bunker_tco2),
                "certificates_counted_mwh": q(t.certificates_counted_mwh),
                "clean_tce": q(t.clean_tce),
                "electricity_used_mwh": q(t.electricity_used_mwh),
                "by_source_tco2": {
                    "fuel_use": q(t.fuel_use_tco2),
                    "transform": q(t.transform_tco2),
                    "electricity": q(t.electricity_tco2),
                    "heat": q(t.heat_tco2),
                    "process": q(t.process_tco2),
                },
                "fuel_use_by_use_tco2": {use: q(value) for use, value in t.fuel_by_use_tco2.items()},
                "energy_by_part_tce": {
                    "fuel_rows": q(t.fuel_rows_tce),
                    "feedstock": q(t.feedstock_tce),
                    "transform_net": q(t.transform_net_tce),
                    "electricity": q(t.electricity_tce),
                    "heat": q(t.heat_tce),
                },
            },
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "category": i.category,
                    "value": None if i.value is None else str(i.value),
                    "unit": i.unit,
                    "threshold": {"op": i.threshold_op, "value": str(i.threshold)},
                    "status": i.status,
                    "notes": list(i.notes),
                    **({"exempt_reason": i.exempt_reason} if i.exempt_reason else {}),
                }
                for i in self.indicators
            ],
            "core_passed": self.core_passed,
            "advisories": [
                {
                    "code": a.code,
                    "value": str(a.value),
                    "threshold": {"op": a.op, "value": str(a.threshold)},
                    "message": a.message,
                }
                for a in self.advisories
            ],
            "provisional": [
                {"code": code, "text": self.factor_set.provisional_texts.get(code, code)}
                for code in self.provisional
            ],
            "sensitivity": [
                {
                    "grid_ef_basis": s.grid_ef_basis,
                    "factor_year": s.factor_year,
                    "grid_ef_tco2_per_mwh": str(s.grid_ef_tco2_per_mwh),
                    "carbon_per_energy": str(s.carbon_per_energy),
                }
                for s in self.sensitivity
            ],
            "energy_basis_sensitivity": [
                {
                    "electricity_tce_basis": s.electricity_tce_basis,
                    "electricity_tce_factor_year": s.electricity_tce_factor_year,
                    "electricity_tce_per_mwh": str(s.electricity_tce_per_mwh),
                    "energy_tce": q(s.energy_tce),
                    "carbon_per_energy": None if s.carbon_per_energy is None else str(s.carbon_per_energy),
                }
                for s in self.energy_basis_sensitivity
            ],
            "to_pass": None if self.to_pass is None else self.to_pass.document(),
            "ignored_keys": list(self.dataset.ignored_keys),
            "trace": self.trace,
        }


@dataclass(frozen=True)
class Evaluation:
    """What evaluate() returns: a result, or every input error (never both)."""

    result: Result | None
    errors: tuple[InputError, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result is not None

    def document(self) -> dict[str, Any]:
        if self.result is not None:
            return self.result.document()
        return {"errors": [e.as_dict() for e in self.errors]}


def evaluate(document: Mapping[str, Any], *, factor_set: FactorSet, scheme: Scheme) -> Evaluation:
    """Compute one park-year under ``scheme`` with ``factor_set``; pure, deterministic, exact."""
    with localcontext() as ctx:
        ctx.prec = WORKING_PRECISION
        dataset, errors = read_dataset(document, factor_set)
        _check_factors(document, factor_set, errors)
        if dataset is None or errors:
            return Evaluation(None, tuple(errors.items))
        grid = choose_grid_factor(dataset, factor_set)
        coefficient = electricity_coefficient(dataset.method.electricity_tce_basis, dataset.year, factor_set)
        assert grid is not None and coefficient is not None  # _check_factors reported their absence
        heat_in_ef = (
            dataset.heat_purchased_ef if dataset.heat_purchased_ef is not None else factor_set.heat_ef_default
        )
        heat_out_ef = (
            dataset.heat_export_ef if dataset.heat_export_ef is not None else factor_set.heat_ef_default
        )
        totals = compute_totals(dataset, factor_set, grid, coefficient, heat_in_ef, heat_out_ef)
        _check_totals(totals, errors)
        if errors:
            return Evaluation(None, tuple(errors.items))
        indicators = indicator_results(dataset, totals, scheme)
        core = indicators[0]
        trace = [
            f"方法 {factor_set.method.code}（{factor_set.method.title}），因子集 {factor_set.name}，"
            f"指标体系 {scheme.name}，引擎 {ENGINE_VERSION}"
            + (f"；数据集由 {dataset.upgraded_from} 升级" if dataset.upgraded_from else ""),
            *totals.trace,
            f"E能源活动 = E用作燃料 + E加工转换 + E电 + E热 = {report(totals.activity_tco2, PLACES_QUANTITY)} tCO2；"
            f"E园区 = E能源活动 + E工业过程 = {report(totals.gross_tco2, PLACES_QUANTITY)} tCO2；"
            f"扣除 CCER {report(totals.offsets_tco2, PLACES_QUANTITY)} 后 {report(totals.net_tco2, PLACES_QUANTITY)} tCO2",
            *(
                f"{i.name}：{'—' if i.value is None else i.value} {i.unit}"
                f"（{i.threshold_op} {i.threshold}）→ {i.status}"
                for i in indicators
            ),
        ]
        if dataset.ignored_keys:
            trace.append("未识别、已忽略的项目：" + "、".join(dataset.ignored_keys))
        return Evaluation(
            Result(
                scheme=scheme.name,
                year=dataset.year,
                park_type=dataset.park_type,
                factor_set=factor_set,
                dataset=dataset,
                grid=grid,
                coefficient=coefficient,
                heat_in_ef=heat_in_ef,
                heat_out_ef=heat_out_ef,
                totals=totals,
                indicators=indicators,
                advisories=_advisories(dataset, totals, scheme),
                provisional=_provisional(dataset, totals, scheme),
                sensitivity=_sensitivity(dataset, factor_set, scheme, totals, grid),
                energy_basis_sensitivity=_energy_basis_sensitivity(dataset, factor_set, scheme, totals),
                to_pass=_to_pass(dataset, totals, scheme, grid, core) if core.status == "fail" else None,
                trace=trace,
            )
        )


def _check_factors(document: Any, factor_set: FactorSet, errors: Errors) -> None:
    """``no_factor`` for the grid factor and the electricity coefficient, alongside every other error (§7).

    Looked for only when the year and the basis concerned are valid; an invalid factor year counts
    as absent.
    """
    if not isinstance(document, Mapping):
        return
    year, basis, factor_year, tce_basis = method_settings_valid(upgrade(document)[0])
    if year is None:
        return
    if basis is None:
        basis = factor_set.default("grid_ef_basis")
    if basis in BY_YEAR_BASES and factor_set.grid_factor(basis, year, factor_year) is None:
        where = f"{factor_year} 年" if factor_year is not None else f"{year} 年及以前"
        errors.add("method.factor_year", "no_factor", f"{basis} 口径在 {where}没有电网排放因子")
    if tce_basis is None:
        tce_basis = factor_set.default("electricity_tce_basis")
    if tce_basis == "equivalent" and factor_set.equivalent_coefficient(year) is None:
        errors.add(
            "method.electricity_tce_basis",
            "no_factor",
            f"因子集 {factor_set.name} 没有 {year - 1} 年及以前的电力等价值折标系数",
        )


def _check_totals(totals: Totals, errors: Errors) -> None:
    if report(totals.energy_tce, PLACES_QUANTITY) <= 0:
        errors.add("energy", "non_positive_energy")
    if totals.offsets_tco2 > max(totals.gross_tco2, ZERO):
        errors.add("offsets_tco2.ccer", "exceeds_emissions")


def _ratio_reported(numerator: Decimal, energy_tce: Decimal) -> Decimal:
    return report(numerator / energy_tce, PLACES_CARBON_PER_ENERGY)


def _sensitivity(
    dataset: Dataset, factor_set: FactorSet, scheme: Scheme, totals: Totals, grid: GridChoice
) -> list[Sensitivity]:
    """carbon_per_energy with E电 under every other grid basis that has a factor (§3.2)."""
    rows = []
    numerator = core_emissions(totals, scheme.core)
    for basis in GRID_BASES:
        if basis == grid.basis:
            continue
        factor = factor_set.grid_factor(basis, dataset.year, dataset.method.factor_year)
        if factor is None:
            continue
        shifted = numerator - totals.electricity_tco2 + totals.electricity_tco2_at(factor.value)
        rows.append(
            Sensitivity(basis, factor.year, factor.value, _ratio_reported(shifted, totals.energy_tce))
        )
    return rows


def _energy_basis_sensitivity(
    dataset: Dataset, factor_set: FactorSet, scheme: Scheme, totals: Totals
) -> list[EnergyBasisSensitivity]:
    """energy_tce and carbon_per_energy with the other electricity coefficient (§3.2)."""
    other = "calorific" if dataset.method.electricity_tce_basis == "equivalent" else "equivalent"
    coefficient = electricity_coefficient(other, dataset.year, factor_set)
    if coefficient is None:
        return []
    energy = totals.energy_tce_at(coefficient.value)
    ratio = (
        _ratio_reported(core_emissions(totals, scheme.core), energy)
        if report(energy, PLACES_QUANTITY) > 0
        else None
    )
    return [EnergyBasisSensitivity(other, coefficient.year, coefficient.value, energy, ratio)]


def _advisories(dataset: Dataset, totals: Totals, scheme: Scheme) -> list[Advisory]:
    """Reported thresholds that decide nothing (national: green_power_direct_below_50, §3.3)."""
    if not scheme.advisories:
        return []
    values = raw_values(dataset, totals)
    found = []
    for rule in scheme.advisories:
        raw = values.get(rule.indicator)
        if raw is None:
            continue
        value = report(raw, PLACES_PERCENT)
        ok = value >= rule.value if rule.op == ">=" else value <= rule.value
        if not ok:
            found.append(Advisory(rule.code, value, rule.op, rule.value, rule.message))
    return found


def _provisional(dataset: Dataset, totals: Totals, scheme: Scheme) -> list[str]:
    """The codes of the still-provisional rules this result used (§3.4), in the contract's order."""
    codes = []
    if totals.used_defaults:
        codes.append("fuel_default_factors")
    if dataset.method.electricity_tce_basis == "equivalent":
        codes.append("electricity_equivalent_coefficient")
    if dataset.electricity["export_renewable"] > 0:
        codes.append("renewable_export_factor")
    if any(use == "feedstock" for (_carrier, use, *_measured) in dataset.energy):
        codes.append("feedstock_in_energy")
    if scheme.clean_energy_definition_provisional:
        codes.append("clean_energy_definition")
    return codes


def _to_pass(
    dataset: Dataset, totals: Totals, scheme: Scheme, grid: GridChoice, core: IndicatorResult
) -> ToPass:
    """How much more green power, or (Jiangxi) CCER within the cap, would bring the core value to its threshold.

    Green power (direct or traded) replacing grid purchases lowers E电 by the grid factor per MWh
    and leaves the energy total unchanged (both count at the same coefficient); a CCER tonne lowers
    E_net by one tonne. Amounts are exact, then rounded up.
    """
    energy = totals.energy_tce
    excess = core_emissions(totals, scheme.core) - core.threshold * energy
    green = excess / grid.value if grid.value > 0 else None
    available = max(dataset.electricity["grid"] - totals.certificates_counted_mwh, ZERO)
    ccer = headroom = None
    if scheme.core.emissions == "net":
        ccer = excess
        cap = next((rule.value for rule in scheme.guiding if rule.code == OFFSET_INDICATOR), None)
        if cap is not None:
            headroom = max(totals.gross_tco2 * cap / HUNDRED - totals.offsets_tco2, ZERO)
    return ToPass(core.threshold, excess, green, available, ccer, headroom)
