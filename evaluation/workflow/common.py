"""What the construction-period machines and services share: locking, the people concerned, the
reporting calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from parks.models import User
from parks.permissions import acts_for_park
from parks.selectors import park_people
from zcpark.core.models import Notice

from ..models import AnnualReport, ConstructionProject

# Annual reports are due on 31 March of the next year (docs/decisions.md).
REPORT_DUE_MONTH_DAY = (3, 31)


def today_or(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def lock_project(project: ConstructionProject | int) -> ConstructionProject:
    """The project row, locked for this transaction, with its park, zone and city loaded."""
    pk = project if isinstance(project, int) else project.pk
    return (
        ConstructionProject.objects.select_for_update(of=("self",))
        .select_related("park", "park__zone", "park__zone__city")
        .get(pk=pk)
    )


def may_for_project(user: Any, project: ConstructionProject, role: str) -> bool:
    """``user`` acts with ``role`` on the project: the role, and the park in its scope."""
    return acts_for_park(user, role, project.park_id, lambda: project.park.zone.city_id)


def project_people(project: ConstructionProject, *roles: str) -> list[User]:
    """The active users of ``roles`` concerned with the project's park (``parks.selectors.park_people``)."""
    return park_people(project.park_id, project.park.zone.city_id, *roles)


def park_title(project: ConstructionProject, event: Any) -> Notice:
    """ "<park>: <event>" in each reader's language (``event`` a lazy text or a Notice)."""
    return Notice(gettext_noop("%(park)s: %(event)s"), park=str(project.park), event=event)


def report_due_on(year: int) -> date:
    month, day = REPORT_DUE_MONTH_DAY
    return date(year + 1, month, day)


def annual_reports_plan(project: ConstructionProject) -> None:
    """One due report per year of the period (extensions included) not yet planned."""
    have = set(project.annual_reports.values_list("year", flat=True))
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(project=project, year=year, due_on=report_due_on(year))
            for year in project.report_years
            if year not in have
        ]
    )


def period_has_ended(project: ConstructionProject, today: date) -> bool:
    return today.year > project.final_year
