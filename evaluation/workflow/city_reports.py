"""The city progress report's machine and calendar: draft → submitted (the city); the province may return
a submitted report with a comment → returned → submitted again. Submitting freezes the parks' figures and
keeps the report as sent (``CityReportSubmission``).

Periods divide the calendar year into ``settings.CITY_REPORT_PERIOD_MONTHS`` months (6: halves, "2027-H1";
3: quarters, "2027-Q2"; 4: thirds, "2027-T1"; 12: the year, "2027"); a report is due
``settings.CITY_REPORT_DUE_DAYS`` days after its period ends."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role, User
from zcpark.core.machines import Machine, Step, Transition
from zcpark.core.models import Notice

from ..models import CityProgressReport, CityReportSubmission
from ..models import CityReportStatus as S
from ..models.city_reports import period_label
from ..permissions import may_for_city_report

PERIOD_MONTHS_ALLOWED = {3: "Q", 4: "T", 6: "H", 12: ""}
NARRATIVE_MAX = 20000


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date
    due_on: date

    @property
    def label(self) -> str:
        """The period as people read it (``period_label``), in the active language."""
        return period_label(self.code).render()


def period_months() -> int:
    months = int(getattr(settings, "CITY_REPORT_PERIOD_MONTHS", 6))
    if months not in PERIOD_MONTHS_ALLOWED:
        raise ImproperlyConfigured("CITY_REPORT_PERIOD_MONTHS must be 3, 4, 6 or 12.")
    return months


def period_of(day: date, months: int | None = None) -> Period:
    """The reporting period ``day`` falls in, with its code and due date."""
    months = months or period_months()
    index = (day.month - 1) // months
    first_month = index * months + 1
    last_month = first_month + months - 1
    start = date(day.year, first_month, 1)
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    letter = PERIOD_MONTHS_ALLOWED[months]
    code = f"{day.year}-{letter}{index + 1}" if letter else str(day.year)
    due_on = end + timedelta(days=int(getattr(settings, "CITY_REPORT_DUE_DAYS", 15)))
    return Period(code=code, start=start, end=end, due_on=due_on)


def periods_between(first: date, last: date) -> list[Period]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    periods: list[Period] = []
    current = period_of(first)
    while current.start <= last:
        periods.append(current)
        current = period_of(current.end + timedelta(days=1))
    return periods


def city_people(city_id: int, *roles: str) -> list[User]:
    """The active users of ``roles`` concerned with a city's report: its own reviewers, and everyone who
    holds another of ``roles`` (the province)."""
    wanted = Q(role__in=[role for role in roles if role != Role.CITY_REVIEWER])
    if Role.CITY_REVIEWER in roles:
        wanted |= Q(role=Role.CITY_REVIEWER, city_id=city_id)
    return list(User.objects.filter(wanted, is_active=True))


def _recipients(*roles: str) -> Any:
    def recipients(report: CityProgressReport) -> list[User]:
        return city_people(report.city_id, *roles)

    recipients.roles = roles  # type: ignore[attr-defined]
    return recipients


def lock_city_report(report: CityProgressReport) -> CityProgressReport:
    return CityProgressReport.objects.select_for_update(of=("self",)).select_related("city").get(pk=report.pk)


def city_report_title(report: CityProgressReport, event: Any) -> Notice:
    """ "<city> <period>: <event>" in each reader's language."""
    return Notice(
        gettext_noop("%(city)s %(period)s: %(event)s"),
        city=str(report.city),
        period=period_label(report.period),
        event=event,
    )


def _check_complete(step: Step) -> None:
    """A narrative."""
    if not step.obj.narrative.strip():
        raise ValidationError({"narrative": [_("Write the progress narrative.")]})


def _write_submission(step: Step) -> None:
    """The parks' figures as they stand now (given by the service), frozen; who submitted."""
    if "figures" in step.params:
        step.obj.figures = step.params["figures"]
        step.obj.figures_as_of = step.now
    step.obj.submitted_by = step.by


def _keep_submission(step: Step) -> None:
    """The report as sent, kept unchanged; a practice's file by its stored name and SHA-256, so the version
    can still give it after the practice is removed (``practice_remove`` keeps a file a version names)."""
    report = step.obj
    practices = [
        {
            "title": p.title,
            "park": str(p.project.park),
            "scene": p.scene,
            "description": p.description,
            "file": p.original_name,
            "file_path": p.file.name or "",
            "sha256": p.sha256,
        }
        for p in report.practices.select_related("project__park")
    ]
    CityReportSubmission.objects.create(
        report=report,
        number=report.submissions.count() + 1,
        submitted_at=step.now,
        submitted_by=step.by,
        content={"narrative": report.narrative, "figures": report.figures, "practices": practices},
    )


def _write_return(step: Step) -> None:
    """The province's reason."""
    step.obj.return_comment = step.comment


CITY_REPORT = Machine(
    name="city_progress_report",
    model=CityProgressReport,
    may=may_for_city_report,
    lock=lock_city_report,
    audit_prefix="city_report_",
    url=lambda report: reverse("evaluation:city-report-detail", args=[report.pk]),
    title=lambda report, transition: city_report_title(report, transition.label),
    refusal=gettext_lazy("A report that is %(status)s cannot be %(action)s."),
    description="市级建设进展报告 · City progress report",
    transitions=(
        Transition(
            "submit",
            (S.DRAFT, S.RETURNED),
            S.SUBMITTED,
            gettext_lazy("City progress report submitted"),
            gettext_lazy("Submit the report"),
            (Role.CITY_REVIEWER,),
            checks=(_check_complete,),
            stamps=("submitted_at",),
            writes=(_write_submission,),
            after=(_keep_submission,),
            notify=_recipients(Role.PROVINCE_ADMIN),
        ),
        Transition(
            "return",
            (S.SUBMITTED,),
            S.RETURNED,
            gettext_lazy("City progress report returned"),
            gettext_lazy("Return for revision"),
            (Role.PROVINCE_ADMIN,),
            stamps=("returned_at",),
            writes=(_write_return,),
            notify=_recipients(Role.CITY_REVIEWER),
            comment_required=gettext_lazy("Say what the city should revise."),
        ),
    ),
)
