"""What the construction-period machines and services share: locking, the people concerned, the
reporting calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from applications.models import PERIOD_YEARS_MAX
from parks.models import User
from parks.permissions import acts_for_park
from parks.selectors import park_people, recipients_of
from zcpark.core.models import Notice

from ..models import EXTENSION_YEARS_MAX, AnnualReport, ConstructionProject

# Annual reports are due on 31 March of the next year (docs/decisions.md).
REPORT_DUE_MONTH_DAY = (3, 31)


def today_or(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def extension_room(project: ConstructionProject) -> int:
    """The years a project may still be given, the one rule of the city's request and of the acceptance
    decision's extension: at most EXTENSION_YEARS_MAX in all, and the plan's 3–5 years
    (建设周期一般为3~5年) with the extensions included."""
    return max(
        0,
        min(
            EXTENSION_YEARS_MAX - project.extension_years,
            PERIOD_YEARS_MAX - project.period_years - project.extension_years,
        ),
    )


def extension_years_error(project: ConstructionProject, years: Any) -> str | None:
    """Why ``years`` cannot extend the project (``extension_room``), or None."""
    room = extension_room(project)
    if not room:
        return _("The period cannot be extended further.")
    if not isinstance(years, int) or not 1 <= years <= room:
        return _("Extend by 1 to %(n)s year(s).") % {"n": room}
    return None


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


R = TypeVar("R", bound=Model)


def lock_with_project(record: R) -> R:
    """A record of a project (an order, an extension request): the project first, then the record, with its
    project, park and zone loaded (every construction-period write locks in that order)."""
    lock_project(record.project_id)  # type: ignore[attr-defined]
    model: type[R] = type(record)
    return (
        model._default_manager.select_for_update(of=("self",))
        .select_related("project", "project__park", "project__park__zone")
        .get(pk=record.pk)
    )


def may_for_record(user: Any, record: Any, role: str) -> bool:
    """``user`` acts with ``role`` on a project's record: as on its project (``may_for_project``)."""
    return may_for_project(user, record.project, role)


def record_people(*roles: str) -> Callable[[Any], list[User]]:
    """A machine's recipients for a project's record: the people of ``roles`` concerned with its park."""
    return recipients_of(
        *roles, park=lambda record: (record.project.park_id, record.project.park.zone.city_id)
    )


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
