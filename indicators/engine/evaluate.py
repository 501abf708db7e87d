"""evaluate(): one dataset document in, one result (or errors) document out (accounting.md §6)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Any

from .accounting import GridChoice, Totals, choose_grid_factor, compute_totals
from .dataset import Dataset, read_dataset
from .errors import Errors, InputError
from .factors import GRID_BASES, FactorSet, Scheme
from .indicators import IndicatorResult, carbon_per_energy, indicator_results
from .rounding import PLACES_CARBON_PER_ENERGY, PLACES_QUANTITY, WORKING_PRECISION, report

ENGINE_VERSION = "1.0.0"
RESULT_SCHEMA = "zcpark.result/1"


@dataclass(frozen=True)
class Sensitivity:
    grid_ef_basis: str
    grid_ef_tco2_per_mwh: Decimal
    carbon_per_energy: Decimal


@dataclass(frozen=True)
class Result:
    """A computed park-year: exact totals, indicators under the scheme, sensitivity and trace."""

    scheme: str
    year: int
    park_type: str
    factor_set: str
    grid: GridChoice
    heat_ef_tco2_per_gj: Decimal
    totals: Totals
    indicators: list[IndicatorResult]
    sensitivity: list[Sensitivity]
    trace: list[str]
    provisional_rules: list[str] = field(default_factory=list)

    @property
    def core_passed(self) -> bool:
        return self.indicators[0].status == "pass"

    def document(self) -> dict[str, Any]:
        """The result document; every number reported with the named rounding, as a string."""
        t = self.totals

        def q(value: Decimal) -> str:
            return str(report(value, PLACES_QUANTITY))

        return {
            "schema": RESULT_SCHEMA,
            "scheme": self.scheme,
            "year": self.year,
            "park_type": self.park_type,
            "engine_version": ENGINE_VERSION,
            "factors": {
                "set": self.factor_set,
                "grid_ef_basis": self.grid.basis,
                "factor_year": self.grid.year,
                "grid_ef_tco2_per_mwh": str(self.grid.value),
                "heat_ef_tco2_per_gj": str(self.heat_ef_tco2_per_gj),
                "grid_ef_source": self.grid.source,
            },
            "totals": {
                "energy_tce": q(t.energy_tce),
                "emissions_gross_tco2": q(t.gross_tco2),
                "emissions_net_tco2": q(t.net_tco2),
                "offsets_tco2": q(t.offsets_tco2),
                "bunker_tco2": q(t.bunker_tco2),
                "clean_tce": q(t.clean_tce),
                "by_source_tco2": {
                    "fuel": q(t.fuel_tco2),
                    "conversion": q(t.conversion_tco2),
                    "electricity": q(t.electricity_tco2),
                    "heat": q(t.heat_tco2),
                    "process": q(t.process_tco2),
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
            "sensitivity": [
                {
                    "grid_ef_basis": s.grid_ef_basis,
                    "grid_ef_tco2_per_mwh": str(s.grid_ef_tco2_per_mwh),
                    "carbon_per_energy": str(s.carbon_per_energy),
                }
                for s in self.sensitivity
            ],
            "provisional_rules": self.provisional_rules,
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
        if dataset is None:
            return Evaluation(None, tuple(errors.items))
        grid = choose_grid_factor(dataset, factor_set)
        if grid is None:
            errors.add(
                "method.factor_year",
                "no_factor",
                f"{dataset.method.grid_ef_basis} 口径在 {dataset.year} 年及以前没有电网排放因子",
            )
            return Evaluation(None, tuple(errors.items))
        heat_ef = dataset.heat_ef if dataset.heat_ef is not None else factor_set.heat_ef_tco2_per_gj.value
        totals = compute_totals(dataset, factor_set, grid, heat_ef)
        _check_totals(totals, errors)
        if errors:
            return Evaluation(None, tuple(errors.items))
        indicators = indicator_results(dataset, totals, scheme)
        sensitivity = _sensitivity(dataset, factor_set, scheme, totals, grid)
        trace = [
            f"因子集 {factor_set.name}；指标体系 {scheme.name}；电网排放因子 {grid.basis} {grid.year} 年 "
            f"{grid.value} tCO2/MWh（{grid.source}）",
            *totals.trace,
            f"综合能源消费量 {report(totals.energy_tce, PLACES_QUANTITY)} tce；碳排放总量 "
            f"{report(totals.gross_tco2, PLACES_QUANTITY)} tCO2；"
            f"扣除 CCER 抵销 {report(totals.offsets_tco2, PLACES_QUANTITY)} 后 {report(totals.net_tco2, PLACES_QUANTITY)} tCO2",
            *(
                f"{i.name}：{'—' if i.value is None else i.value} {i.unit}"
                f"（{i.threshold_op} {i.threshold}）→ {i.status}"
                for i in indicators
            ),
        ]
        return Evaluation(
            Result(
                scheme=scheme.name,
                year=dataset.year,
                park_type=dataset.park_type,
                factor_set=factor_set.name,
                grid=grid,
                heat_ef_tco2_per_gj=heat_ef,
                totals=totals,
                indicators=indicators,
                sensitivity=sensitivity,
                trace=trace,
                provisional_rules=_provisional_rules(dataset, factor_set, scheme, grid),
            )
        )


def _check_totals(totals: Totals, errors: Errors) -> None:
    if totals.energy_tce <= 0:
        errors.add("energy", "non_positive_energy")
    elif totals.offsets_tco2 > totals.gross_tco2:
        errors.add("offsets_tco2.ccer", "exceeds_emissions")


def _sensitivity(
    dataset: Dataset, factor_set: FactorSet, scheme: Scheme, totals: Totals, grid: GridChoice
) -> list[Sensitivity]:
    """carbon_per_energy under every other grid basis with a factor for the same factor year."""
    rows = []
    for basis in GRID_BASES:
        if basis == grid.basis:
            continue
        factor = factor_set.grid_factors.get((basis, grid.year))
        if factor is None:
            continue
        delta = totals.grid_ordinary_mwh * (factor.value - grid.value)
        shifted = Totals(**{**totals.__dict__, "electricity_tco2": totals.electricity_tco2 + delta})
        value = report(carbon_per_energy(shifted, scheme.core), PLACES_CARBON_PER_ENERGY)
        rows.append(Sensitivity(basis, factor.value, value))
    return rows


def _provisional_rules(
    dataset: Dataset, factor_set: FactorSet, scheme: Scheme, grid: GridChoice
) -> list[str]:
    """Every provisional setting this result depends on, for reports and auditors."""
    rules = []
    method = dataset.method
    used = {
        "grid_ef_basis": method.grid_ef_basis,
        "feedstock_in_energy": method.feedstock_in_energy,
        "certificates_as_green_power": method.certificates_as_green_power,
    }
    for key, value in used.items():
        default = factor_set.method_defaults.get(key)
        if default is not None and default.provisional:
            rules.append(f"{key} = {_text(value)}（暂定设置，缺省 {_text(default.value)}：{default.source}）")
    if grid.provisional:
        rules.append(f"grid_ef {grid.basis} {grid.year}: {grid.source}")
    if scheme.provisional or scheme.core.provisional:
        rules.append(f"scheme {scheme.name}: {scheme.source}")
    return rules


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
