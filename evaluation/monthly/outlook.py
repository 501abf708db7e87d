"""A park-year's year-to-date core indicator and its year-end projection against the year's target.

Both are the engine's ``carbon_per_energy`` (tCO2/tce) under the current factor set and the province's own
scheme, on documents assembled from the months (``assembly``):

- year to date: the months received summed; the base's annual emission parts times months/12;
- the projection (``ProjectionBasis``): the months received plus the remaining months from last year's
  monthly figures when last year has every one of them; else plus last year's stored annual dataset pro
  rata by month; else the months received scaled to twelve. With all twelve months it is the year itself.

The target (``TargetBasis``): the construction project's yearly target for the core indicator, else the
park's latest dossier's targets row, else the scheme's threshold for the park type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from applications.models import DossierSection, SectionCode
from indicators import engine
from indicators.engine.dataset import CORE_CODE, to_decimal
from indicators.models import ParkDataset
from indicators.selectors import factor_set_current_version, local_scheme_code, scheme_current
from parks.models import Park

from ..models import ConstructionProject, ProjectStatus
from ..models.monthly import MonthlyFigure, OutlookStatus, ProjectionBasis, TargetBasis
from .assembly import Sums, annual_blocks_share, assemble, base_document, merged
from .rows import MonthRow

MONTHS = tuple(range(1, 13))
TWELVE = Decimal(12)


@dataclass
class Core:
    """The engine's answer for one document: the core indicator, or its input errors."""

    value: str | None = None
    status: str | None = None
    energy_tce: str | None = None
    emissions_tco2: str | None = None
    threshold: str | None = None
    op: str = "<="
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "carbon_per_energy": self.value,
            "unit": "tCO2/tce",
            "status": self.status,
            "energy_tce": self.energy_tce,
            "emissions_tco2": self.emissions_tco2,
            "errors": self.errors,
        }


@dataclass
class Outlook:
    park: Park
    year: int
    months: list[int]
    rows_by_month: dict[int, int]
    ytd: Core | None = None
    projection: Core | None = None
    projection_basis: str = ""
    target: Decimal | None = None
    target_basis: str = ""
    status: str = OutlookStatus.UNKNOWN
    base_year: int | None = None

    @property
    def projection_basis_label(self) -> str:
        return str(ProjectionBasis(self.projection_basis).label) if self.projection_basis else ""

    @property
    def target_basis_label(self) -> str:
        return str(TargetBasis(self.target_basis).label) if self.target_basis else ""

    @property
    def status_label(self) -> str:
        return str(OutlookStatus(self.status).label)


def evaluate_core(document: dict[str, Any]) -> Core:
    """The core indicator of ``document`` under the current factor set and the province's scheme."""
    current = factor_set_current_version()
    if current is None:
        return Core(errors=[{"path": "", "code": "no_factor", "message": "No factor set is loaded."}])
    scheme = scheme_current(local_scheme_code())
    evaluation = engine.evaluate(document, factor_set=current.factor_set, scheme=scheme)
    if not evaluation.ok:
        return Core(errors=[e.as_dict() for e in evaluation.errors])
    result = evaluation.document()
    core = next(item for item in result["indicators"] if item["code"] == CORE_CODE)
    threshold = core.get("threshold") or {}
    return Core(
        value=core.get("value"),
        status=core.get("status"),
        energy_tce=result["totals"]["energy_tce"],
        emissions_tco2=result["totals"]["emissions_net_tco2"],
        threshold=threshold.get("value"),
        op=threshold.get("op") or "<=",
    )


def figures_by_month(park: Park, year: int) -> dict[int, list[MonthRow]]:
    """The park-year's rows by month (plain values: a year holds thousands of rows)."""
    found: dict[int, list[MonthRow]] = defaultdict(list)
    rows = MonthlyFigure.objects.filter(park=park, year=year).values_list(
        "month", "carrier", "use", "enterprise", "quantity", "unit"
    )
    for month, carrier, use, enterprise, quantity, unit in rows:
        found[month].append(MonthRow(carrier, use, enterprise, quantity, unit))
    return dict(found)


def project_target(park: Park, year: int) -> tuple[Decimal | None, str]:
    """The year's target for the core indicator and where it comes from (None, "" without one)."""
    project = (
        ConstructionProject.objects.filter(park=park)
        .exclude(status=ProjectStatus.REMOVED)
        .only("targets")
        .first()
    )
    if project is not None:
        value = to_decimal((project.targets.get(CORE_CODE) or {}).get(str(year)))
        if value is not None:
            return value, TargetBasis.PROJECT
    section = (
        DossierSection.objects.filter(application__park=park, code=SectionCode.TARGETS)
        .order_by("-application__created_at", "-pk")
        .only("data")
        .first()
    )
    for row in (section.data.get("targets") or []) if section else []:
        if isinstance(row, dict) and row.get("indicator") == CORE_CODE:
            value = to_decimal(row.get(f"y{year}"))
            if value is not None:
                return value, TargetBasis.DOSSIER
    return None, ""


def outlook_compute(park: Park, year: int) -> Outlook:
    """The park-year's months, year-to-date indicator, projection, target and status."""
    by_month = figures_by_month(park, year)
    months = sorted(by_month)
    outlook = Outlook(
        park=park, year=year, months=months, rows_by_month={m: len(rows) for m, rows in by_month.items()}
    )
    current = factor_set_current_version()
    if not months or current is None:
        return outlook
    factor_set = current.factor_set
    base, outlook.base_year = base_document(park, year)
    so_far = Sums().add((row for rows in by_month.values() for row in rows), factor_set)
    share = Decimal(len(months)) / TWELVE
    outlook.ytd = evaluate_core(assemble(base, year, so_far, factor_set, annual_share=share))
    document, outlook.projection_basis = _projected_document(park, year, base, so_far, months, factor_set)
    outlook.projection = evaluate_core(document)
    target, outlook.target_basis = project_target(park, year)
    if target is None:
        threshold = outlook.projection.threshold or (outlook.ytd.threshold if outlook.ytd else None)
        target = to_decimal(threshold) if threshold else None
        outlook.target_basis = TargetBasis.SCHEME if target is not None else ""
    outlook.target = target
    projected = to_decimal(outlook.projection.value) if outlook.projection.value else None
    if projected is not None and target is not None:
        worse = projected > target if outlook.projection.op in ("<=", "<") else projected < target
        outlook.status = OutlookStatus.MISSING if worse else OutlookStatus.MEETING
    return outlook


def _projected_document(
    park: Park, year: int, base: dict[str, Any], so_far: Sums, months: list[int], factor_set: engine.FactorSet
) -> tuple[dict[str, Any], str]:
    remaining = [m for m in MONTHS if m not in months]
    if not remaining:
        return assemble(base, year, so_far, factor_set), ProjectionBasis.FULL_YEAR
    last_months = figures_by_month(park, year - 1)
    if all(m in last_months for m in remaining):
        rest = Sums().add((row for m in remaining for row in last_months[m]), factor_set)
        return assemble(base, year, merged(so_far, rest), factor_set), ProjectionBasis.LAST_YEAR_MONTHS
    last_year = (
        ParkDataset.objects.filter(park=park, year=year - 1).values_list("document", flat=True).first()
    )
    if last_year is not None:
        upgraded, _from = engine.upgrade(last_year)
        rest, rows = annual_blocks_share(upgraded, Decimal(len(remaining)) / TWELVE)
        document = assemble(base, year, merged(so_far, rest), factor_set, extra_energy=rows)
        return document, ProjectionBasis.LAST_YEAR_ANNUAL
    scaled = so_far.scaled(TWELVE / Decimal(len(months)))
    return assemble(base, year, scaled, factor_set), ProjectionBasis.SCALED
