"""Monthly writes: a month's rows pushed or uploaded (replacing the month), the outlook's crossing notice,
and the year assembled from its months previewed as an import of the year's dataset (the energy import of
``indicators``: one history per park-year, whichever way its data came)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.models import YEAR_MAX, YEAR_MIN
from indicators.permissions import can_edit_park_dataset
from indicators.selectors import factor_set_current_version
from indicators.services.dataset_imports import dataset_import_preview
from parks.models import Park
from zcpark.core.exceptions import ApplicationError
from zcpark.core.imports import ImportBatch
from zcpark.core.machines import transition_apply
from zcpark.core.services import audit_event_record

from ..models.monthly import MonthlyFigure, MonthlyOutlook, OutlookStatus
from .assembly import Sums, assemble, base_document
from .machine import OUTLOOK, verb_for
from .outlook import Outlook, figures_by_month, outlook_compute
from .rows import MonthRow, check_rows


@dataclass
class PushResult:
    outlook: Outlook
    rows: int
    replaced: int


def check_year_month(year: Any, month: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if type(year) is not int or not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [_("Enter a year from %(min)s to %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX}]
    if type(month) is not int or not 1 <= month <= 12:
        errors["month"] = [_("Enter a month from 1 to 12.")]
    return errors


def month_rows_check(year: Any, month: Any, rows: Any) -> list[MonthRow]:
    """The month's rows checked against the current factor set; ValidationError naming each field."""
    current = factor_set_current_version()
    if current is None:
        raise ApplicationError(_("No factor set is loaded yet: monthly figures cannot be checked."))
    errors = check_year_month(year, month)
    checked, row_errors = check_rows(rows, current.factor_set)
    errors.update(row_errors)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def monthly_push(*, by: Any, park: Park, year: Any, month: Any, rows: Any, source: str = "api") -> PushResult:
    """Store one month's figures of a park, REPLACING whatever that month had (a month pushed again is the
    month as it now stands), audit the push once, and refresh the year's outlook (telling a crossing of
    the target). The park's own staff and the province may; nothing is saved on any error."""
    if not can_edit_park_dataset(by, park):
        raise PermissionDenied
    checked = month_rows_check(year, month, rows)
    outlook_row, _created = MonthlyOutlook.objects.select_for_update().get_or_create(park=park, year=year)
    replaced, _by_model = MonthlyFigure.objects.filter(park=park, year=year, month=month).delete()
    MonthlyFigure.objects.bulk_create(_month_figures(park, year, month, checked, by), batch_size=500)
    audit_event_record(
        actor=by,
        target=outlook_row,
        action="monthly_pushed",
        comment=f"{year}-{month:02d} · {len(checked)} · {source}",
        changes={"rows": (replaced, len(checked))},
    )
    outlook = outlook_refresh(outlook_row, by=by)
    return PushResult(outlook=outlook, rows=len(checked), replaced=replaced)


def outlook_refresh(outlook_row: MonthlyOutlook, *, by: Any) -> Outlook:
    """Recompute a locked park-year outlook and store it; a status that changes moves the ``OUTLOOK``
    machine (audited), which tells a crossing of the target (meeting ↔ missing, or a first projection
    that misses) to the park's staff and its city's reviewers — once per crossing, not per push; the side
    last projected is kept (``last_side``) so a lapse to "not yet projected" is no crossing by itself."""
    outlook = outlook_compute(outlook_row.park, outlook_row.year)
    before = outlook_row.status
    verb = verb_for(before, outlook.status, outlook_row.last_side) if before != outlook.status else None
    outlook_row.months = outlook.months
    outlook_row.projected = (outlook.projection.value or "") if outlook.projection else ""
    outlook_row.target = "" if outlook.target is None else str(outlook.target)
    outlook_row.projection_basis = outlook.projection_basis
    outlook_row.target_basis = outlook.target_basis
    if outlook.status in (OutlookStatus.MEETING, OutlookStatus.MISSING):
        outlook_row.last_side = outlook.status
    outlook_row.save()
    if verb is not None:
        transition_apply(OUTLOOK, outlook_row, verb, by=by, system=True, locked=True, outlook=outlook)
    return outlook


def _month_figures(park: Park, year: int, month: int, rows: list[MonthRow], by: Any) -> list[MonthlyFigure]:
    creator = by if getattr(by, "is_authenticated", False) else None
    return [
        MonthlyFigure(
            park=park,
            year=year,
            month=month,
            carrier=row.carrier,
            use=row.use,
            enterprise=row.enterprise,
            quantity=row.quantity,
            unit=row.unit,
            created_by=creator,
        )
        for row in rows
    ]


@transaction.atomic
def months_set(*, by: Any, outlook_row: MonthlyOutlook, months: dict[int, Any]) -> Outlook:
    """Make the park-year's months exactly ``months`` ({month: rows}; a month not given is removed): what an
    upload's commit and its undo write. Checked as a push is; audited once; the outlook refreshed."""
    park, year = outlook_row.park, outlook_row.year
    if not can_edit_park_dataset(by, park):
        raise PermissionDenied
    checked = {month: month_rows_check(year, month, rows) for month, rows in sorted(months.items())}
    outlook_row = MonthlyOutlook.objects.select_for_update().get(pk=outlook_row.pk)
    replaced, _by_model = MonthlyFigure.objects.filter(park=park, year=year).delete()
    figures = [f for month, rows in checked.items() for f in _month_figures(park, year, month, rows, by)]
    MonthlyFigure.objects.bulk_create(figures, batch_size=500)
    audit_event_record(
        actor=by,
        target=outlook_row,
        action="monthly_pushed",
        comment=f"{year} · {', '.join(str(m) for m in checked)} · upload",
        changes={"rows": (replaced, len(figures))},
    )
    return outlook_refresh(outlook_row, by=by)


def outlook_row_for(park: Park, year: int) -> MonthlyOutlook:
    """The park-year's outlook row (the imports' target), created when first needed."""
    row, _created = MonthlyOutlook.objects.get_or_create(park=park, year=year)
    return row


def missing_months(months: Any) -> list[int]:
    """The months of the year not among ``months``."""
    return [month for month in range(1, 13) if month not in set(months)]


def missing_months_text(missing: list[int]) -> str:
    """Why the year cannot be assembled yet: "缺少 11、12 月的数据：十二个月齐全后才能汇总为年度数据"."""
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return _(
        "The data of month(s) %(months)s is missing: the months are summed into the year's data once all "
        "twelve are in."
    ) % {"months": separator.join(str(month) for month in missing)}


def assembled_document(park: Park, year: int) -> tuple[dict[str, Any], list[int]]:
    """The park-year's dataset document from its twelve months (``assembly``; the base from the year's
    stored dataset, else only the previous year's park and method settings), and the months it sums;
    ApplicationError without a factor set or with a month missing (a part of the year is no year's data)."""
    current = factor_set_current_version()
    if current is None:
        raise ApplicationError(_("No factor set is loaded yet: the months cannot be assembled."))
    by_month = figures_by_month(park, year)
    if not by_month:
        raise ApplicationError(_("No month has been received for this year yet."))
    missing = missing_months(by_month)
    if missing:
        raise ApplicationError(missing_months_text(missing))
    sums = Sums().add((row for rows in by_month.values() for row in rows), current.factor_set)
    base, _from_year = base_document(park, year, dataset=True)
    return assemble(base, year, sums, current.factor_set), sorted(by_month)


def assembly_label(year: int, months: list[int]) -> str:
    """The assembled year's name in its import history: "Monthly data summed 2026-01–2026-05"."""
    first, last = f"{year}-{min(months):02d}", f"{year}-{max(months):02d}"
    if first == last:
        return _("Monthly data summed %(month)s") % {"month": first}
    return _("Monthly data summed %(first)s–%(last)s") % {"first": first, "last": last}


@transaction.atomic
def year_assemble_preview(*, by: Any, park: Park, year: int, back_url: str = "") -> ImportBatch:
    """Preview the year's dataset assembled from its months as an import of the year's data (the energy
    importer's diff, indicators and data-quality warnings; saved, then undoable, in the park-year's one
    history). Nothing is stored until the preview is saved. ApplicationError (no factor set, a month
    missing), ValidationError or DatasetInputErrors (the assembled document refused): no preview."""
    if not can_edit_park_dataset(by, park):
        raise PermissionDenied
    document, months = assembled_document(park, year)
    return dataset_import_preview(
        by=by,
        park=park,
        year=year,
        document=document,
        file_name=assembly_label(year, months),
        back_url=back_url,
    )
