"""City progress reports: planned for each city and period, written and submitted by the city, returned
by the province; typical practices with their files; reminders to late cities and the daily step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from parks.models import Role, User
from parks.selectors import province_current
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.models import Notice
from zcpark.core.services import notification_send
from zcpark.core.uploads import upload_check

from ..models import (
    CityProgressReport,
    ConstructionProject,
    PracticeScene,
    TypicalPractice,
)
from ..permissions import can_remind_late_cities, may_for_city_report
from ..selectors.city_reports import city_projects, figures_snapshot, late_city_reports
from ..workflow.city_reports import (
    CITY_REPORT,
    NARRATIVE_MAX,
    city_people,
    city_report_title,
    lock_city_report,
    periods_between,
)
from .common import record, require, today_or

TITLE_MAX = 200
DESCRIPTION_MAX = 5000


def _url(report: CityProgressReport) -> str:
    from django.urls import reverse

    return reverse("evaluation:city-report-detail", args=[report.pk])


# ---- planning ---------------------------------------------------------------------------------------


@transaction.atomic
def city_reports_plan(*, today: date | None = None) -> int:
    """Create the report of every period from a city's first construction project to the current period
    (the one ``today`` falls in), for each city with a project, prefilled with its parks' figures; tell
    the city's reviewers. Idempotent: a report already planned is left as it is. Returns how many."""
    today = today_or(today)
    created = 0
    firsts = (
        ConstructionProject.objects.values("park__zone__city_id")
        .annotate(first=Min("opened_at"))
        .values_list("park__zone__city_id", "first")
    )
    for city_id, first in firsts:
        have = set(CityProgressReport.objects.filter(city_id=city_id).values_list("period_start", flat=True))
        for period in periods_between(timezone.localtime(first).date(), today):
            if period.start in have:
                continue
            report, made = CityProgressReport.objects.get_or_create(
                city_id=city_id,
                period_start=period.start,
                defaults={
                    "period": period.code,
                    "period_end": period.end,
                    "due_on": period.due_on,
                    "figures": figures_snapshot(city_id, period.end),
                    "figures_as_of": timezone.now(),
                },
            )
            if not made:
                continue
            created += 1
            notification_send(
                recipients=city_people(city_id, Role.CITY_REVIEWER),
                title=city_report_title(
                    report,
                    Notice(gettext_noop("progress report due on %(date)s"), date=f"{report.due_on:%Y-%m-%d}"),
                ),
                url=_url(report),
            )
    return created


# ---- the city writes --------------------------------------------------------------------------------


def _lock_open(by: User | None, report: CityProgressReport) -> CityProgressReport:
    locked = lock_city_report(report)
    require(by is None or may_for_city_report(by, locked, Role.CITY_REVIEWER))
    if not locked.is_open:
        raise ApplicationError(
            _("The report has been submitted; the province may return it for revision."),
            errors={"__all__": [_("Not allowed in this state.")]},
        )
    return locked


@transaction.atomic
def city_report_save(
    *, by: User | None, report: CityProgressReport, narrative: str | None = None
) -> CityProgressReport:
    """Save the narrative (if given) and refresh the parks' figures from their data."""
    locked = _lock_open(by, report)
    if narrative is not None:
        if len(narrative) > NARRATIVE_MAX:
            raise ValidationError({"narrative": [_("At most %(n)s characters.") % {"n": NARRATIVE_MAX}]})
        locked.narrative = narrative.strip()
    locked.figures = figures_snapshot(locked.city_id, locked.period_end)
    locked.figures_as_of = timezone.now()
    locked.full_clean()
    locked.save()
    record(by, locked, "city_report_saved", comment=locked.period_label)
    return locked


def _clean_practice(
    report: CityProgressReport, *, project_id: int | None, title: str, scene: str, description: str
) -> tuple[ConstructionProject, str, str]:
    errors: dict[str, list[str]] = {}
    project = (
        city_projects(report.city_id, report.period_end).filter(pk=project_id).first() if project_id else None
    )
    if project is None:
        errors["project"] = [_("Choose one of the city's parks on the construction lists.")]
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = [_("Give the practice a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("At most %(n)s characters.") % {"n": TITLE_MAX}]
    if scene not in PracticeScene.values:
        errors["scene"] = [_("Choose the scene.")]
    if not description:
        errors["description"] = [_("Describe the practice.")]
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("At most %(n)s characters.") % {"n": DESCRIPTION_MAX}]
    if errors:
        raise ValidationError(errors)
    assert project is not None
    return project, title, description


@transaction.atomic
def practice_add(
    *,
    by: User | None,
    report: CityProgressReport,
    project_id: int | None,
    title: str,
    scene: str,
    description: str,
    file: IO[bytes] | None = None,
    name: str = "",
) -> TypicalPractice:
    """Add a typical practice of one of the city's parks; a photo or attachment is checked as dossier
    attachments are (type by extension and content, size). Nothing is saved when a field is wrong."""
    locked = _lock_open(by, report)
    project, title, description = _clean_practice(
        locked, project_id=project_id, title=title, scene=scene, description=description
    )
    practice = TypicalPractice(
        report=locked, project=project, title=title, scene=scene, description=description
    )
    if file is not None:
        checked = upload_check(file, name)
        practice.original_name = name[-255:]
        practice.size_bytes = checked.size_bytes
        practice.sha256 = checked.sha256
        practice.file.save(f"practice.{checked.extension}", File(file), save=False)
    practice.full_clean()
    practice.save()
    record(by, locked, "practice_added", comment=title)
    return practice


@transaction.atomic
def practice_remove(*, by: User | None, practice: TypicalPractice) -> None:
    """Remove a practice from an open report. Its file stays when a submitted version names it (that
    version still gives it); otherwise it is deleted once the removal is committed."""
    locked = _lock_open(by, practice.report)
    title, path = practice.title, practice.file.name or ""
    storage = practice.file.storage
    TypicalPractice.objects.filter(pk=practice.pk, report=locked).delete()
    record(by, locked, "practice_removed", comment=title)
    if path and not any(s.names_file(path) for s in locked.submissions.all()):
        transaction.on_commit(lambda: storage.delete(path))


def city_report_submit(*, by: User | None, report: CityProgressReport) -> CityProgressReport:
    """Submit: the figures are refreshed and frozen, the version kept, the province told."""
    with transaction.atomic():
        locked = lock_city_report(report)
        figures = figures_snapshot(locked.city_id, locked.period_end)
        return transition_apply(CITY_REPORT, locked, "submit", by=by, locked=True, figures=figures)


def city_report_return(*, by: User | None, report: CityProgressReport, comment: str) -> CityProgressReport:
    """The province returns a submitted report with what to revise; the city is told."""
    return transition_apply(CITY_REPORT, report, "return", by=by, comment=comment)


# ---- late cities --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityReminder:
    """What one "remind the late cities" did: the reports whose city was told now, those told earlier
    today (not told again), and those whose city has no active reviewer."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def _midnight() -> Any:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def city_reports_remind_late(*, by: User, today: date | None = None) -> CityReminder:
    """The province tells each city late with a report (due date passed, not submitted) to submit it: at
    most once a day per report, whoever asks (a conditional update claims it, so two clicks at once send
    one reminder); one audit event names the cities told."""
    require(can_remind_late_cities(by))
    today = today_or(today)
    result = CityReminder()
    midnight = _midnight()
    for report in late_city_reports(today=today):
        label = f"{report.city} {report.period_label}"
        claimed = (
            CityProgressReport.objects.filter(pk=report.pk)
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=midnight))
            .update(reminded_at=timezone.now())
        )
        if not claimed:
            result.already.append(label)
            continue
        sent = notification_send(
            recipients=city_people(report.city_id, Role.CITY_REVIEWER),
            title=city_report_title(
                report,
                Notice(
                    gettext_noop("Reminder: the progress report was due on %(date)s, please submit it"),
                    date=f"{report.due_on:%Y-%m-%d}",
                ),
            ),
            url=_url(report),
        )
        (result.sent if sent else result.unreachable).append(label)
    if result.sent or result.unreachable:
        told = result.sent + result.unreachable
        province = province_current()
        record(
            by,
            province if province.pk is not None else by,
            "city_reports_reminded",
            comment=ngettext(
                "%(count)s city report reminded: %(reports)s",
                "%(count)s city reports reminded: %(reports)s",
                len(told),
            )
            % {"count": len(told), "reports": "、".join(told)},
        )
    return result


def city_reports_daily(*, today: date | None = None) -> tuple[int, int]:
    """The daily step: plan the current period's reports, and tell each city late with a report (and the
    province) once. Returns (planned, overdue notices)."""
    today = today_or(today)
    planned = city_reports_plan(today=today)
    overdue = 0
    for report in late_city_reports(today=today).filter(overdue_notified_at__isnull=True):
        overdue += _overdue_once(report)
    return planned, overdue


@transaction.atomic
def _overdue_once(report: CityProgressReport) -> bool:
    claimed = CityProgressReport.objects.filter(pk=report.pk, overdue_notified_at__isnull=True).update(
        overdue_notified_at=timezone.now()
    )
    if claimed:
        notification_send(
            recipients=city_people(report.city_id, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN),
            title=city_report_title(
                report,
                Notice(
                    gettext_noop("progress report overdue (due %(date)s)"), date=f"{report.due_on:%Y-%m-%d}"
                ),
            ),
            url=_url(report),
        )
    return bool(claimed)


__all__ = [
    "CityReminder",
    "city_report_return",
    "city_report_save",
    "city_report_submit",
    "city_reports_daily",
    "city_reports_plan",
    "city_reports_remind_late",
    "practice_add",
    "practice_remove",
]
