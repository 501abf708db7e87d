"""Construction projects: opened on publication, moved on when the period ends, removed, incentives noted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from zcpark.core.machines import transition_apply

from ..models import (
    ConstructionProject,
    Incentive,
    KeyProject,
    ProjectStatus,
)
from ..permissions import can_supervise
from ..workflow import PROJECT
from ..workflow.common import annual_reports_plan, period_has_ended
from .common import lock_project, notify, project_move, record, require, today_or


# A year's report is due on this day of the following year (month, day).
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
        notify(project, (Role.CITY_REVIEWER,), event=gettext_lazy("Construction started"))
        opened.append(project)
    return opened


def project_settle(project: ConstructionProject, *, by: User | None, today: date) -> None:
    """A locked project under construction whose period is over moves to self-assessment (the machine
    starts the city's self-assessment for the assessment year)."""
    if project.status == ProjectStatus.IN_CONSTRUCTION and period_has_ended(project, today):
        project_move(project, action="period_ended", by=by, comment=str(project.final_year))


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


def project_remove(
    *,
    by: User | None,
    project: ConstructionProject,
    reason: str,
    document_no: str,
    today: date | None = None,
) -> ConstructionProject:
    """Remove a park from the construction list (退出): the project ends, the list entry records the
    date, reason and document number, and the published list's version goes up (``PROJECT``'s ``removed``)."""
    require(by is None or can_supervise(by))
    removed: ConstructionProject = transition_apply(
        PROJECT, project, "removed", by=by, comment=reason, document_no=document_no, today=today
    )
    return removed


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
