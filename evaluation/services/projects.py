"""Construction projects: opened on publication, moved on when the period ends, removed, incentives noted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.dossier.sections import TARGET_YEARS
from applications.models import (
    BASE_YEAR,
    ConstructionList,
    ConstructionListEntry,
    DossierSection,
    SectionCode,
)
from indicators.engine.dataset import to_decimal
from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError

from ..models import (
    ACTIVE_PROJECT_STATUSES,
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    Incentive,
    KeyProject,
    ProjectStatus,
    SelfAssessment,
)
from ..permissions import can_supervise
from .common import lock_project, notify, project_move, record, require, today_or

# A year's report is due on this day of the following year (month, day).
REPORT_DUE_MONTH_DAY = (3, 31)


def report_due_on(year: int) -> date:
    month, day = REPORT_DUE_MONTH_DAY
    return date(year + 1, month, day)


def _dossier_data(application_id: int, code: str) -> dict[str, Any]:
    section = DossierSection.objects.filter(application_id=application_id, code=code).first()
    return dict(section.data) if section else {}


def _targets(data: dict[str, Any], period_years: int) -> dict[str, dict[str, str]]:
    years = TARGET_YEARS[:period_years]
    targets: dict[str, dict[str, str]] = {}
    for row in data.get("targets") or []:
        code = row.get("indicator")
        if not code:
            continue
        targets[code] = {
            str(year): str(row[f"y{year}"]) for year in years if row.get(f"y{year}") not in (None, "")
        }
    return targets


def _key_projects(project: ConstructionProject, data: dict[str, Any]) -> list[KeyProject]:
    rows = []
    for position, row in enumerate(data.get("projects") or [], start=1):
        investment = to_decimal(row.get("investment_wan"))
        rows.append(
            KeyProject(
                project=project,
                position=position,
                name=str(row.get("name") or "")[:255] or _("Project %(n)s") % {"n": position},
                implementing_body=str(row.get("implementing_body") or "")[:255],
                investment_wan=investment if isinstance(investment, Decimal) else None,
                start_year=row.get("start_year"),
                end_year=row.get("end_year"),
            )
        )
    return rows


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


def projects_open_for_list(
    *, by: User | None, construction_list: ConstructionList
) -> list[ConstructionProject]:
    """Open a construction project for each park of a list being published (inside its transaction):
    the dossier's period, yearly targets and key projects, and one due annual report per year."""
    opened = []
    now = timezone.now()
    entries = ConstructionListEntry.objects.filter(construction_list=construction_list).select_related(
        "application", "park", "park__zone", "park__zone__city"
    )
    for entry in entries:
        targets_data = _dossier_data(entry.application_id, SectionCode.TARGETS)
        period = int(targets_data.get("period_years") or 3)
        project = ConstructionProject(
            park=entry.park,
            application=entry.application,
            list_entry=entry,
            period_years=period,
            targets=_targets(targets_data, period),
            opened_at=now,
        )
        project.full_clean(validate_constraints=False)
        project.save()
        KeyProject.objects.bulk_create(
            _key_projects(project, _dossier_data(entry.application_id, SectionCode.PROJECTS))
        )
        annual_reports_plan(project)
        record(
            by,
            project,
            "project_opened",
            comment=_("%(from)s–%(to)s, %(list)s")
            % {"from": BASE_YEAR + 1, "to": project.end_year, "list": construction_list.title},
            to_state=project.status,
        )
        # The park hears of the list itself; its city learns that a project it follows has started.
        notify(project, (Role.CITY_REVIEWER,), event=str(_("Construction started")))
        opened.append(project)
    return opened


def period_has_ended(project: ConstructionProject, today: date) -> bool:
    return today.year > project.final_year


def project_settle(project: ConstructionProject, *, by: User | None, today: date) -> None:
    """A locked project under construction whose period is over moves to self-assessment, with the
    city's self-assessment for the assessment year started."""
    if project.status == ProjectStatus.IN_CONSTRUCTION and period_has_ended(project, today):
        project_move(project, action="period_ended", by=by, comment=str(project.final_year))
        SelfAssessment.objects.get_or_create(project=project, assessment_year=project.final_year)
        notify(project, (Role.CITY_REVIEWER, Role.PARK_STAFF), event=str(_("Construction period ended")))


def projects_advance_ended(*, today: date | None = None, project_ids: list[int] | None = None) -> int:
    """The daily step: projects under construction past their final year go to self-assessment
    (only ``project_ids`` when given)."""
    today = today_or(today)
    moved = 0
    candidates = ConstructionProject.objects.filter(status=ProjectStatus.IN_CONSTRUCTION)
    if project_ids is not None:
        candidates = candidates.filter(pk__in=project_ids)
    candidates = candidates.only("pk", "period_years", "extension_years")
    for pk in [c.pk for c in candidates if period_has_ended(c, today)]:
        with transaction.atomic():
            project = lock_project(pk)
            before = project.status
            project_settle(project, by=None, today=today)
            moved += project.status != before
    return moved


@transaction.atomic
def project_remove(
    *,
    by: User | None,
    project: ConstructionProject,
    reason: str,
    document_no: str,
    today: date | None = None,
    action: str = "removed",
) -> ConstructionProject:
    """Remove a park from the construction list (退出): the project ends, the list entry records the
    date, reason and document number, and the published list's version goes up."""
    require(by is None or can_supervise(by))
    reason, document_no = (reason or "").strip(), (document_no or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Give the reason for the removal.")]
    if not document_no:
        errors["document_no"] = [_("Give the number of the removal document.")]
    if errors:
        raise ValidationError(errors)
    locked = lock_project(project)
    if locked.status not in ACTIVE_PROJECT_STATUSES:
        raise ApplicationError(
            _("A project that is %(status)s cannot be removed.") % {"status": locked.get_status_display()},
            errors={"action": [_("Not allowed in this state.")]},
        )
    today = today_or(today)
    entry = ConstructionListEntry.objects.select_for_update().get(pk=locked.list_entry_id)
    the_list = ConstructionList.objects.select_for_update().get(pk=entry.construction_list_id)
    the_list.version += 1
    the_list.save(update_fields=["version", "updated_at"])
    entry.removed_on, entry.removal_reason = today, reason
    entry.removal_document_no, entry.removed_in_version = document_no, the_list.version
    entry.save(
        update_fields=[
            "removed_on",
            "removal_reason",
            "removal_document_no",
            "removed_in_version",
            "updated_at",
        ]
    )
    record(by, the_list, "list_entry_removed", comment=f"{locked.park} · {document_no} · {reason}")
    # An evaluation under way ends with the removal.
    for evaluation in AcceptanceEvaluation.objects.select_for_update().filter(
        project=locked, status=EvaluationStatus.IN_REVIEW
    ):
        evaluation.status, evaluation.decision = EvaluationStatus.DECIDED, Decision.REMOVED
        evaluation.decision_comment, evaluation.decision_document_no = reason, document_no
        evaluation.decided_at, evaluation.decided_by = timezone.now(), by
        evaluation.save()
    locked.removed_at = timezone.now()
    locked.save(update_fields=["removed_at", "updated_at"])
    project_move(locked, action=action, by=by, comment=f"{document_no}: {reason}")
    notify(
        locked,
        (Role.PARK_STAFF, Role.CITY_REVIEWER),
        event=str(_("Removed from the construction list")),
        body=reason,
    )
    return locked


@transaction.atomic
def incentive_add(
    *,
    by: User | None,
    project: ConstructionProject,
    granted_on: date,
    description: str,
    amount_wan: Decimal | None = None,
    document_no: str = "",
) -> Incentive:
    """Note an incentive granted to a park (funding, a title, a policy preference) on its project."""
    require(by is None or can_supervise(by))
    locked = lock_project(project)
    if locked.status == ProjectStatus.REMOVED:
        raise ApplicationError(_("A removed park gets no incentives."))
    incentive = Incentive(
        project=locked,
        granted_on=granted_on,
        description=(description or "").strip(),
        amount_wan=amount_wan,
        document_no=(document_no or "").strip(),
        noted_by=by,
    )
    incentive.full_clean()
    incentive.save()
    amount = f" · {amount_wan} 万元" if amount_wan is not None else ""
    record(by, locked, "incentive_noted", comment=f"{incentive.description}{amount}")
    return incentive


def next_number(queryset: Any) -> int:
    return (queryset.aggregate(n=Max("number"))["n"] or 0) + 1
