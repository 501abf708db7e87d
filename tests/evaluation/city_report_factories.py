"""City progress reports for tests: a report put in a period directly (as a fixture), and a practice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import CityProgressReport, ConstructionProject, PracticeScene, TypicalPractice
from parks.models import City


def city_report(
    city: City, *, period: str = "2026-H2", narrative: str = "", **fields: Any
) -> CityProgressReport:
    """The city's report for a half year (2026-H2 unless told), due 15 days after its end."""
    year, half = int(period[:4]), int(period[-1])
    start, end = (
        (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
    )
    values: dict[str, Any] = {
        "period": period,
        "period_start": start,
        "period_end": end,
        "due_on": date(year, 7, 15) if half == 1 else date(year + 1, 1, 15),
        "narrative": narrative,
        **fields,
    }
    return CityProgressReport.objects.create(city=city, **values)


def practice_in(
    report: CityProgressReport, project: ConstructionProject, *, scene: str = PracticeScene.GREEN_POWER
) -> TypicalPractice:
    return TypicalPractice.objects.create(
        report=report, project=project, title="绿电直连", scene=scene, description="园区建设绿电直连线路。"
    )


def practices_in(report: CityProgressReport, project: ConstructionProject, count: int) -> None:
    """``count`` practices of ``project`` in ``report``."""
    for _n in range(count):
        practice_in(report, project)


def queries_of(run: Callable[[], Any]) -> int:
    """How many database queries ``run`` makes."""
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)
