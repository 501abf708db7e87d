"""The construction project list's figures per row: each project's latest measured core indicator against
that year's target and how many indicators lag, for a page of projects in three queries (read by the
project list, the 督导 list, the city progress reports and the home page)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from applications.models import BASE_YEAR
from indicators.models import IndicatorCode, IndicatorResult
from indicators.selectors import local_scheme_code

from ..models import AnnualReport, ConstructionProject, ReportStatus
from ..selectors import indicator_directions, trajectory_rows


@dataclass(frozen=True)
class ProjectRow:
    """A project with its latest measured core indicator against that year's target and the number of
    indicators whose latest measured value lags its target (as ``selectors.trajectory`` flags them)."""

    project: ConstructionProject
    core_year: int | None
    core_value: Decimal | None
    core_target: Decimal | None
    core_lagging: bool
    lagging_count: int


def project_rows(projects: list[ConstructionProject]) -> list[ProjectRow]:
    """The list's figures for a page of projects: three queries (submitted years, the provincial results of
    the parks' datasets, the scheme's directions), whatever the number of projects."""
    if not projects:
        return []
    submitted: dict[int, set[int]] = {}
    for project_id, year in AnnualReport.objects.filter(
        project__in=projects, status=ReportStatus.SUBMITTED
    ).values_list("project_id", "year"):
        submitted.setdefault(project_id, set()).add(year)
    by_park: dict[int, dict[int, dict[str, Any]]] = {}
    results = (
        IndicatorResult.objects.current()
        .filter(
            scheme_code=local_scheme_code(),
            ok=True,
            dataset__park_id__in={p.park_id for p in projects},
            dataset__year__gte=BASE_YEAR,
        )
        .values_list("dataset__park_id", "dataset__year", "summary")
    )
    for park_id, year, summary in results:
        by_park.setdefault(park_id, {})[year] = summary or {}
    directions = indicator_directions()
    rows = []
    for project in projects:
        years = submitted.get(project.pk, set()) | {BASE_YEAR}
        summaries = {
            year: summary
            for year, summary in by_park.get(project.park_id, {}).items()
            if year in years and year <= project.final_year
        }
        latest = {
            row.code: row.latest for row in trajectory_rows(project, summaries, directions) if row.latest
        }
        core = latest.get(IndicatorCode.CARBON_PER_ENERGY)
        rows.append(
            ProjectRow(
                project=project,
                core_year=core.year if core else None,
                core_value=core.value if core else None,
                core_target=core.target if core else None,
                core_lagging=bool(core and core.lagging),
                lagging_count=sum(1 for point in latest.values() if point.lagging),
            )
        )
    return rows
