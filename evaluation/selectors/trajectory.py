"""A project's indicators year by year against its targets, and the assessment year's results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from applications.models import BASE_YEAR
from indicators.engine.dataset import to_decimal
from indicators.models import INDICATOR_UNITS, NATIONAL_SCHEME, IndicatorCode, IndicatorResult, ParkDataset
from indicators.selectors import local_scheme_code, scheme_current_record

from ..models import (
    ConstructionProject,
    ReportStatus,
)

# ---------------------------------------------------------------- projects


def _results(rows: Any, at: datetime | None) -> Any:
    """Today's current results, or (``at``) those that were current then: a decided record reads the
    numbers it was decided on, whatever was recomputed since."""
    return rows.current() if at is None else rows.current_at(at)


def _current_results(
    dataset_ids: list[int], scheme: str, at: datetime | None = None
) -> dict[int, IndicatorResult]:
    rows = (
        _results(IndicatorResult.objects, at)
        .filter(dataset_id__in=dataset_ids, scheme_code=scheme)
        .only(
            "id",
            "dataset_id",
            "ok",
            "core_passed",
            "summary",
            "computed_at",
            "scheme_version",
            "factor_set_name",
        )
    )
    return {row.dataset_id: row for row in rows}


def trajectory_datasets(project: ConstructionProject) -> dict[int, ParkDataset]:
    """The datasets the trajectory reads: the base year's (from the dossier) and each submitted report's."""
    submitted = set(
        project.annual_reports.filter(status=ReportStatus.SUBMITTED).values_list("year", flat=True)
    )
    datasets = ParkDataset.objects.filter(
        park_id=project.park_id, year__gte=BASE_YEAR, year__lte=project.final_year
    ).only("id", "year", "park_id", "updated_at")
    return {d.year: d for d in datasets if d.year == BASE_YEAR or d.year in submitted}


def indicator_directions() -> dict[str, str]:
    """Each indicator's comparison from the current provincial scheme (``<=``: lower is better)."""
    record = scheme_current_record(code=local_scheme_code())
    if record is None:
        return {}
    document = record.document
    directions = {document["core"]["code"]: document["core"]["op"]}
    directions.update({rule["code"]: rule["op"] for rule in document["guiding"]})
    return directions


def worse_than(value: Decimal, target: Decimal, op: str) -> bool:
    return value > target if op in ("<=", "<") else value < target


# Statuses that need no comparison with a target (the engine's words).
NOT_ASSESSED = ("exempt", "not_applicable")


def as_decimal(raw: Any) -> Decimal | None:
    """A number of a stored document as a Decimal, or None (absent, or not a number)."""
    value = to_decimal(raw)
    return value if isinstance(value, Decimal) else None


def point_lags(*, value: Decimal | None, status: str | None, target: Decimal | None, op: str) -> bool:
    """A year lags when it has a target and its value is worse than it (in the scheme's direction), or when
    it has no value although it is assessed."""
    if target is None:
        return False
    if value is None:
        return status not in NOT_ASSESSED
    return worse_than(value, target, op)


@dataclass
class TrajectoryPoint:
    year: int
    value: Decimal | None
    status: str | None
    target: Decimal | None
    lagging: bool


@dataclass
class TrajectoryRow:
    code: str
    label: str
    unit: str
    op: str
    points: list[TrajectoryPoint] = field(default_factory=list)

    @property
    def latest(self) -> TrajectoryPoint | None:
        measured = [p for p in self.points if p.status is not None]
        return measured[-1] if measured else None

    @property
    def lagging(self) -> bool:
        latest = self.latest
        return bool(latest and latest.lagging)


def trajectory_rows(
    project: ConstructionProject, summaries: dict[int, dict[str, Any]], directions: dict[str, str]
) -> list[TrajectoryRow]:
    """Every indicator from 2025 to the final year, from the result ``summaries`` of the years read
    (computed ones only): the value against the yearly target, and whether it lags (``point_lags``; the
    base year has no target)."""
    rows = []
    for code, label in IndicatorCode.choices:
        op = directions.get(code, ">=")
        row = TrajectoryRow(code=code, label=str(label), unit=INDICATOR_UNITS.get(code, ""), op=op)
        targets = project.targets.get(code, {})
        for year in range(BASE_YEAR, project.final_year + 1):
            summary = summaries.get(year)
            item = (summary.get("indicators") or {}).get(code) if summary is not None else None
            value = as_decimal(item.get("value")) if item else None
            status = item.get("status") if item else None
            target = as_decimal(targets.get(str(year)))
            lagging = summary is not None and point_lags(value=value, status=status, target=target, op=op)
            row.points.append(
                TrajectoryPoint(year=year, value=value, status=status, target=target, lagging=lagging)
            )
        rows.append(row)
    return rows


def trajectory(project: ConstructionProject, at: datetime | None = None) -> list[TrajectoryRow]:
    """The project's trajectory (``trajectory_rows``) from the base year's and the submitted reports' data,
    with today's results or (``at``) those current at that instant."""
    datasets = trajectory_datasets(project)
    by_dataset = _current_results([d.pk for d in datasets.values()], local_scheme_code(), at)
    summaries = {
        year: by_dataset[d.pk].summary or {}
        for year, d in datasets.items()
        if d.pk in by_dataset and by_dataset[d.pk].ok
    }
    return trajectory_rows(project, summaries, indicator_directions())


@dataclass(frozen=True)
class AssessmentResults:
    dataset: ParkDataset | None
    local: IndicatorResult | None
    national: IndicatorResult | None


def assessment_results(
    project: ConstructionProject, year: int | None = None, at: datetime | None = None
) -> AssessmentResults:
    """The assessment year's dataset and its results under the provincial and national schemes: today's
    current ones, or (``at``) those current at that instant."""
    year = year or project.final_year
    dataset = ParkDataset.objects.filter(park_id=project.park_id, year=year).first()
    if dataset is None:
        return AssessmentResults(None, None, None)
    results = {r.scheme_code: r for r in _results(IndicatorResult.objects, at).filter(dataset=dataset)}
    return AssessmentResults(dataset, results.get(local_scheme_code()), results.get(NATIONAL_SCHEME))


# ---------------------------------------------------------------- self-assessment and the gate
