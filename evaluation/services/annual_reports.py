"""Annual reports: the year's dataset (through the engine), a narrative and each key project's progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from indicators.models import IndicatorResult, ParkDataset
from indicators.selectors import local_scheme_code
from indicators.services import indicator_results_compute
from indicators.services.dataset_imports import dataset_import_preview, park_dataset_push
from parks.models import Role, User
from parks.selectors import province_current
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import ImportBatch
from zcpark.core.models import Notice, register_action_labels
from zcpark.core.services import notification_send

from ..models import ACTIVE_PROJECT_STATUSES, AnnualReport, ConstructionProject, ReportProgress, ReportStatus
from ..permissions import can_remind_late_reports, is_park_staff_of
from ..selectors.projects import late_parks, late_reminder_url, late_reports
from ..workflow.common import park_title, project_people
from .common import lock_project, notify, record, require, today_or

NARRATIVE_MAX = 20000
PROGRESS_STEP = Decimal("0.1")


def _lock_report(report: AnnualReport) -> tuple[Any, AnnualReport]:
    project = lock_project(report.project_id)
    locked = AnnualReport.objects.select_for_update().get(pk=report.pk)
    return project, locked


def _check_editable(by: User | None, project: Any, report: AnnualReport) -> None:
    require(by is None or is_park_staff_of(by, project))
    if project.status not in ACTIVE_PROJECT_STATUSES:
        raise ApplicationError(
            _("The project is %(status)s: no more reports.") % {"status": project.get_status_display()}
        )
    if report.status == ReportStatus.SUBMITTED:
        raise ApplicationError(_("The %(year)s report has been submitted.") % {"year": report.year})


def report_check_editable(report: AnnualReport) -> None:
    """Raise ApplicationError (why) unless the report may change now, whoever asks: the check of an import
    made from the report (``evaluation.import_origins``)."""
    _check_editable(None, report.project, report)


def _clean_progress(report: AnnualReport, progress: dict[Any, Any]) -> dict[int, tuple[Decimal, str]]:
    """``{key project id: {"progress_pct": …, "note": …}}`` → checked values; errors name the project."""
    key_projects = {kp.pk: kp for kp in report.project.key_projects.all()}
    cleaned: dict[int, tuple[Decimal, str]] = {}
    errors: dict[str, list[str]] = {}
    for raw_id, item in progress.items():
        try:
            pk = int(raw_id)
        except (TypeError, ValueError):
            pk = -1
        key_project = key_projects.get(pk)
        if key_project is None:
            errors[f"progress.{raw_id}"] = [_("Not a key project of this park.")]
            continue
        item = item if isinstance(item, dict) else {"progress_pct": item}
        raw = item.get("progress_pct")
        note = str(item.get("note") or "").strip()
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            value = Decimal("NaN")
        field = f"progress.{pk}"
        if not value.is_finite():
            errors[field] = [_("%(project)s: enter a number.") % {"project": key_project.name}]
        elif not 0 <= value <= 100:
            errors[field] = [_("%(project)s: progress is 0 to 100%%.") % {"project": key_project.name}]
        elif value % PROGRESS_STEP:
            errors[field] = [_("%(project)s: at most one decimal place.") % {"project": key_project.name}]
        elif len(note) > 500:
            errors[field] = [_("%(project)s: the note is too long.") % {"project": key_project.name}]
        else:
            cleaned[pk] = (value, note)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def annual_report_save(
    *,
    by: User | None,
    report: AnnualReport,
    narrative: str | None = None,
    progress: dict[Any, Any] | None = None,
    document: dict[str, Any] | None = None,
) -> AnnualReport:
    """Save a report draft: any of the narrative, key-project progress and the year's dataset document.
    All or nothing: a bad progress value or dataset leaves the saved draft as it was."""
    project, locked = _lock_report(report)
    _check_editable(by, project, locked)
    changed = []
    if narrative is not None:
        if len(narrative) > NARRATIVE_MAX:
            raise ValidationError({"narrative": [_("At most %(n)s characters.") % {"n": NARRATIVE_MAX}]})
        if narrative.strip() != locked.narrative:
            locked.narrative = narrative.strip()
            changed.append(str(_("narrative")))
    if progress:
        for pk, (value, note) in _clean_progress(locked, progress).items():
            ReportProgress.objects.update_or_create(
                report=locked, key_project_id=pk, defaults={"progress_pct": value, "note": note}
            )
        changed.append(str(_("progress")))
    if document is not None:
        # Recorded in the year's import history as an import saved at once (undone from there).
        locked.dataset = park_dataset_push(
            by=by, park=project.park, year=locked.year, document=document, origin=locked
        )
        changed.append(str(_("dataset")))
    locked.save()
    if changed:
        record(by, locked, "report_saved", comment="、".join(changed))
    return locked


@transaction.atomic
def annual_report_save_and_preview(
    *,
    by: User,
    report: AnnualReport,
    narrative: str | None = None,
    progress: dict[Any, Any] | None = None,
    document: dict[str, Any] | None = None,
    file_name: str = "",
    back_url: str = "",
) -> ImportBatch | None:
    """Save the draft's narrative and progress and, with an uploaded ``document``, preview what it changes
    in the year's data (the import framework stores it once the preview is saved). All or nothing: a bad
    value or dataset leaves the draft as it was and previews nothing. The preview is the report's: it is
    saved only while the report may change."""
    locked = annual_report_save(by=by, report=report, narrative=narrative, progress=progress)
    if document is None:
        return None
    return dataset_import_preview(
        by=by,
        park=locked.project.park,
        year=locked.year,
        document=document,
        file_name=file_name,
        back_url=back_url,
        origin=locked,
    )


def report_problems(report: AnnualReport, *, today: date) -> list[str]:
    """What still keeps a report from being submitted (empty: it can be)."""
    problems = []
    if today.year <= report.year:
        problems.append(
            _("The %(year)s report can be submitted once the year is over.") % {"year": report.year}
        )
    if not report.narrative.strip():
        problems.append(_("Write the progress narrative."))
    dataset = (
        report.dataset or ParkDataset.objects.filter(park_id=report.project.park_id, year=report.year).first()
    )
    if dataset is None:
        problems.append(_("Enter the %(year)s energy and emissions data.") % {"year": report.year})
    else:
        result = (
            IndicatorResult.objects.current().filter(dataset=dataset, scheme_code=local_scheme_code()).first()
        )
        if result is not None and not result.ok:
            problems.append(_("The %(year)s data has errors; correct them first.") % {"year": report.year})
    reported = set(report.progress.values_list("key_project_id", flat=True))
    missing = [kp.name for kp in report.project.key_projects.all() if kp.pk not in reported]
    if missing:
        problems.append(_("Give the progress of: %(projects)s.") % {"projects": "、".join(missing)})
    return problems


@transaction.atomic
def annual_report_submit(*, by: User | None, report: AnnualReport, today: date | None = None) -> AnnualReport:
    """Submit a complete report: its dataset's results are computed now if still queued, and each key
    project's progress becomes the latest known one."""
    project, locked = _lock_report(report)
    _check_editable(by, project, locked)
    today = today_or(today)
    # The year's row locked: a save of the year waits for the report to be submitted (then it is held),
    # or the report waits for the save (then it is submitted with the saved data).
    locked.dataset = (
        ParkDataset.objects.select_for_update().filter(park_id=project.park_id, year=locked.year).first()
    )
    if locked.dataset is not None:
        result = (
            IndicatorResult.objects.current()
            .filter(dataset=locked.dataset, scheme_code=local_scheme_code())
            .first()
        )
        if result is None or result.computed_at < locked.dataset.updated_at:
            indicator_results_compute(dataset=locked.dataset, reason="annual report")
    problems = report_problems(locked, today=today)
    if problems:
        raise ApplicationError(
            _("The report cannot be submitted yet: %(count)s condition(s) are not met.")
            % {"count": len(problems)},
            errors={"__all__": problems},
        )
    locked.status, locked.submitted_at, locked.submitted_by = ReportStatus.SUBMITTED, timezone.now(), by
    locked.save()
    latest = not project.annual_reports.filter(status=ReportStatus.SUBMITTED, year__gt=locked.year).exists()
    if latest:
        for item in locked.progress.select_related("key_project"):
            item.key_project.progress_pct = item.progress_pct
            item.key_project.save(update_fields=["progress_pct", "updated_at"])
    record(
        by,
        locked,
        "report_submitted",
        comment=str(locked.year),
        from_state=ReportStatus.DUE,
        to_state=ReportStatus.SUBMITTED,
    )
    notify(
        project,
        (Role.CITY_REVIEWER, Role.PROVINCE_ADMIN),
        event=Notice(gettext_noop("%(year)s annual report submitted"), year=str(locked.year)),
        url=reverse("evaluation:report-detail", args=[project.pk, locked.year]),
    )
    return locked


# Reminders go this many days before a report is due.
REMINDER_DAYS = 30


def annual_reports_remind(*, today: date | None = None) -> tuple[int, int]:
    """The daily step: remind parks of reports due within REMINDER_DAYS, and tell the park, its city and
    the province once a report is overdue. Returns (reminded, overdue notices).

    Each notice is sent once however many runs overlap (two beats, a retried task, two workers): a run
    first claims the report by stamping it only where no run has (a conditional UPDATE; a second run waits
    on the row and then finds it stamped), and only the claimer notifies, in the same transaction."""
    from datetime import timedelta

    today = today_or(today)
    due = AnnualReport.objects.filter(
        status=ReportStatus.DUE, project__status__in=ACTIVE_PROJECT_STATUSES
    ).select_related("project", "project__park", "project__park__zone")
    reminded = overdue = 0
    for report in due.filter(
        reminded_at__isnull=True, due_on__gte=today, due_on__lte=today + timedelta(days=REMINDER_DAYS)
    ):
        reminded += _notice_once(
            report,
            "reminded_at",
            (Role.PARK_STAFF,),
            Notice(
                gettext_noop("The %(year)s annual report is due on %(date)s"),
                year=str(report.year),
                date=str(report.due_on),
            ),
        )
    for report in due.filter(overdue_notified_at__isnull=True, due_on__lt=today):
        overdue += _notice_once(
            report,
            "overdue_notified_at",
            (Role.PARK_STAFF, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN),
            Notice(
                gettext_noop("The %(year)s annual report is overdue (due %(date)s)"),
                year=str(report.year),
                date=str(report.due_on),
            ),
        )
    return reminded, overdue


@transaction.atomic
def _notice_once(report: AnnualReport, stamp: str, roles: tuple[str, ...], event: Notice) -> bool:
    """Stamp ``stamp`` on the report if no run has yet and, if this run did, notify ``roles``."""
    claimed = AnnualReport.objects.filter(pk=report.pk, **{f"{stamp}__isnull": True}).update(
        **{stamp: timezone.now()}
    )
    if not claimed:
        return False
    notify(
        report.project,
        roles,
        event=event,
        url=reverse("evaluation:report-detail", args=[report.project_id, report.year]),
    )
    return True


# ---- reminding the parks late with their reports (the province, or a city its own parks) -------------

register_action_labels({"late_reports_reminded": gettext_lazy("Parks late with annual reports reminded")})
# The reminder's words, kept as msgids: each reader reads them in their language.
LATE_REMINDER = gettext_noop("Reminder: the %(years)s annual report is late, please submit it")
LATE_REMINDER_BODY = gettext_noop(
    "The %(years)s annual report was due on %(dates)s and has not been submitted."
)


@dataclass(frozen=True)
class LateReminder:
    """What one click of "remind the late parks" did: the parks told now, those told earlier today (not
    told again), and those with no active account to tell."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


def _reminder_scope(by: User) -> Any:
    """What the reminder event is recorded on: the city reviewer's city, else the province (its row)."""
    if by.role == Role.CITY_REVIEWER and by.city is not None:
        return by.city
    province = province_current()
    return province if province.pk is not None else by


@transaction.atomic
def late_reports_remind(*, by: User, today: date | None = None) -> LateReminder:
    """Tell each park ``by`` sees that is late with an annual report (due date passed, not submitted,
    project under way) to submit it: one notice per park naming its late years, to the park's staff.

    At most once a day per park, whoever asks: a park reminded since midnight (by this or another person)
    is left out, so a second click sends nothing new. The projects are locked first, so two clicks at once
    send one reminder. One audit event names how many parks were told, and which."""
    require(can_remind_late_reports(by))
    today = today_or(today)
    project_ids = sorted({report.project_id for report in late_reports(user=by, today=today)})
    list(ConstructionProject.objects.select_for_update().filter(pk__in=project_ids).values_list("pk"))
    result = LateReminder()
    for late in late_parks(user=by, today=today):
        name = late.project.park.name
        if late.reminded_today:
            result.already.append(name)
            continue
        years = "、".join(str(year) for year in late.years)
        dates = "、".join(f"{report.due_on:%Y-%m-%d}" for report in late.reports)
        sent = notification_send(
            recipients=project_people(late.project, Role.PARK_STAFF),
            title=park_title(late.project, Notice(LATE_REMINDER, years=years)),
            body=Notice(LATE_REMINDER_BODY, years=years, dates=dates),
            url=late_reminder_url(late.project),
        )
        (result.sent if sent else result.unreachable).append(name)
    if result.sent:
        record(
            by,
            _reminder_scope(by),
            "late_reports_reminded",
            comment=str(
                ngettext(
                    "%(count)s park reminded: %(parks)s",
                    "%(count)s parks reminded: %(parks)s",
                    len(result.sent),
                )
                % {"count": len(result.sent), "parks": "、".join(result.sent)}
            ),
        )
    return result
