"""The Excel sheets of the applications app's lists: the city's and the province's review queues, the
applications list, the calls list and the construction lists with their parks.

Each sheet holds the rows the page shows its user (the same scope, filters and order, every page of it),
with Chinese headers naming their units; ``zcpark.core.sheets.table_workbook`` writes it. The builders
read only what the rows carry: the views fetch them with the pages' own selectors, so an export costs
the same few queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import IndicatorCode, indicator_name, indicator_status_labels
from parks.models import Park
from zcpark.core.sheets import Column, table_workbook

from .models import Application, ApplicationStatus, ConstructionList, ConstructionListEntry
from .selectors.calls import CallRow
from .selectors.review import QueueRow

CARBON_UNIT = "tCO₂/tce"


def _when(value: Any, fmt: str = "%Y-%m-%d %H:%M") -> str | None:
    """A stored time as the reader's local time (dates as they are); None stays empty."""
    if value is None:
        return None
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime(fmt)


def _day(value: Any) -> str | None:
    return _when(value, "%Y-%m-%d")


def _status(value: str | None) -> str:
    return indicator_status_labels().get(value, "") if value else ""


def _baseline_columns(*, with_energy: bool) -> list[Column]:
    columns = [
        Column(
            _("%(year)s %(indicator)s") % {"year": 2025, "indicator": indicator_name("carbon_per_energy")},
            CARBON_UNIT,
            18,
            4,
        ),
        Column(_("Core indicator result"), "", 10),
        Column(
            _("%(year)s %(indicator)s") % {"year": 2025, "indicator": indicator_name("clean_energy_share")},
            "%",
            16,
            2,
        ),
    ]
    if with_energy:
        columns += [
            Column(
                _("%(year)s %(indicator)s")
                % {"year": 2025, "indicator": indicator_name("green_power_direct_share")},
                "%",
                16,
                2,
            ),
            Column(_("2025 energy consumption"), "tce", 16, 2),
            Column(_("2025 carbon emissions"), "tCO₂", 16, 2),
        ]
    return columns


def _places(park: Park) -> list[Any]:
    return [park.name, park.zone.city.name, park.zone.name, park.zone.get_level_display()]


def _place_columns() -> list[Column]:
    return [
        Column(_("Park"), "", 24),
        Column(_("City"), "", 10),
        Column(_("Development zone"), "", 26),
        Column(_("Zone level"), "", 8),
    ]


def city_queue_workbook(rows: Iterable[QueueRow], *, filters: Mapping[str, str]) -> bytes:
    """The city reviewer's queue: places, call, state, submission, the 2025 figures and the quota."""
    columns = [
        *_place_columns(),
        Column(_("Call for applications"), "", 24),
        Column(_("Status"), "", 14),
        Column(_("Submitted at"), "", 17),
        Column(_("Revision"), "", 8, 0),
        Column(_("Total investment"), _("10,000 yuan"), 16, 2),
        *_baseline_columns(with_energy=False),
        Column(_("Recommendations used"), "", 10, 0),
        Column(_("Recommendations left"), "", 10, 0),
    ]

    def lines() -> Iterable[list[Any]]:
        for row in rows:
            a, core, clean = row.application, _figure(row, "core"), _figure(row, "clean_share")
            yield [
                *_places(a.park),
                a.call.title,
                a.get_status_display(),
                _when(a.submitted_at),
                a.revision,
                a.total_investment_wan,
                core.value if core else None,
                _status(core.status) if core else "",
                clean.value if clean else None,
                row.quota_used,
                row.quota_left if a.call.quota_per_city is not None else _("No limit"),
            ]

    return table_workbook(title=_("City review queue"), columns=columns, rows=lines(), filters=filters)


def _figure(row: QueueRow, name: str) -> Any:
    return getattr(row.baseline, name) if row.baseline is not None else None


def province_queue_workbook(rows: Iterable[QueueRow], *, filters: Mapping[str, str]) -> bytes:
    """The province's comparison table: the 2025 baseline, the end-of-period targets, investment,
    period and the feasibility projection, as the page compares them."""
    target = _("Target at the end of the period: %(indicator)s")
    columns = [
        *_place_columns(),
        Column(_("Call for applications"), "", 24),
        Column(_("Status"), "", 14),
        *_baseline_columns(with_energy=True),
        Column(target % {"indicator": indicator_name("carbon_per_energy")}, CARBON_UNIT, 18, 4),
        Column(target % {"indicator": indicator_name("clean_energy_share")}, "%", 16, 2),
        Column(target % {"indicator": indicator_name("green_power_direct_share")}, "%", 16, 2),
        Column(_("Total investment"), _("10,000 yuan"), 16, 2),
        Column(_("Construction period"), _("years"), 10, 0),
        Column(_("End year"), "", 8),
        Column(_("Projected carbon per energy at the end"), CARBON_UNIT, 18, 4),
        Column(_("Projection against the target"), "", 14),
    ]

    def lines() -> Iterable[list[Any]]:
        for row in rows:
            a, plan = row.application, row.plan
            baseline = row.baseline
            core, clean, green = (_figure(row, n) for n in ("core", "clean_share", "green_direct_share"))
            targets = plan.targets if plan else {}
            projected = plan.projected_carbon_per_energy if plan else None
            yield [
                *_places(a.park),
                a.call.title,
                a.get_status_display(),
                core.value if core else None,
                _status(core.status) if core else "",
                clean.value if clean else None,
                green.value if green else None,
                baseline.energy_tce if baseline else None,
                baseline.emissions_tco2 if baseline else None,
                targets.get(IndicatorCode.CARBON_PER_ENERGY),
                targets.get(IndicatorCode.CLEAN_ENERGY_SHARE),
                targets.get(IndicatorCode.GREEN_POWER_DIRECT_SHARE),
                a.total_investment_wan,
                a.period_years,
                str(plan.end_year) if plan and plan.end_year else None,
                projected,
                _projection(projected, targets.get(IndicatorCode.CARBON_PER_ENERGY)),
            ]

    title = _("Provincial review: comparison of recommended applications")
    return table_workbook(title=title, columns=columns, rows=lines(), filters=filters)


def _projection(projected: Decimal | None, target: Decimal | None) -> str:
    if projected is None or target is None:
        return ""
    return _("meets the target") if projected <= target else _("misses the target")


def application_list_workbook(applications: Iterable[Application], *, filters: Mapping[str, str]) -> bytes:
    """The applications list as the user sees it: place, call, state, revision, dates, investment."""
    columns = [
        *_place_columns(),
        Column(_("Call for applications"), "", 24),
        Column(_("Deadline"), "", 12),
        Column(_("Status"), "", 14),
        Column(_("Revision"), "", 8, 0),
        Column(_("Submitted at"), "", 17),
        Column(_("Decided at"), "", 17),
        Column(_("Total investment"), _("10,000 yuan"), 16, 2),
        Column(_("Last change"), "", 17),
    ]
    rows = (
        [
            *_places(a.park),
            a.call.title,
            _day(a.call.deadline),
            a.get_status_display(),
            a.revision or None,
            _when(a.submitted_at),
            _when(a.decided_at),
            a.total_investment_wan,
            _when(a.updated_at),
        ]
        for a in applications
    )
    return table_workbook(title=_("Applications"), columns=columns, rows=rows, filters=filters)


def call_list_workbook(call_rows: Iterable[CallRow], *, filters: Mapping[str, str]) -> bytes:
    """The calls with their applications counted by state (the states the user's scope shows)."""
    states = list(ApplicationStatus)
    columns = [
        Column(_("Call for applications"), "", 30),
        Column(_("Status"), "", 10),
        Column(_("Deadline"), "", 12),
        Column(_("Recommendations per city"), "", 12, 0),
        Column(_("Number of applications"), "", 10, 0),
        *(Column(str(state.label), "", 12, 0) for state in states),
    ]

    def lines() -> Iterable[list[Any]]:
        for row in call_rows:
            call, counts = row.call, {status: n for status, _label, n in row.counts}
            quota = call.quota_per_city if call.quota_per_city is not None else _("No limit")
            yield [
                call.title,
                call.get_status_display(),
                _day(call.deadline),
                quota,
                row.total,
                *(counts.get(state.value, 0) for state in states),
            ]

    return table_workbook(title=_("Calls for applications"), columns=columns, rows=lines(), filters=filters)


def construction_lists_workbook(lists: Iterable[ConstructionList], *, filters: Mapping[str, str]) -> bytes:
    columns = [
        Column(_("Title"), "", 30),
        Column(_("Document number"), "", 18),
        Column(_("Status"), "", 10),
        Column(_("Number of parks"), "", 8, 0),
        Column(_("Objection deadline"), "", 12),
        Column(_("Published on"), "", 12),
        Column(_("Version"), "", 8, 0),
    ]
    rows = (
        [
            c.title,
            c.document_no or None,
            c.get_status_display(),
            getattr(c, "park_count", None),
            _day(c.objection_deadline),
            _day(c.published_at),
            c.version,
        ]
        for c in lists
    )
    return table_workbook(title=_("Construction lists"), columns=columns, rows=rows, filters=filters)


def list_entries_workbook(
    construction_list: ConstructionList,
    entries: Iterable[ConstructionListEntry],
    *,
    filters: Mapping[str, str],
) -> bytes:
    """The parks on one construction list, removed ones with their date and reason."""
    columns = [
        *_place_columns(),
        Column(_("Scope"), "", 12),
        Column(_("Application status"), "", 14),
        Column(_("Removed on"), "", 12),
        Column(_("Reason for removal"), "", 30),
    ]
    rows = (
        [
            *_places(entry.park),
            entry.park.get_scope_display(),
            entry.application.get_status_display(),
            _day(entry.removed_on),
            entry.removal_reason or None,
        ]
        for entry in entries
    )
    title = construction_list.title
    if construction_list.document_no:
        title = f"{title}（{construction_list.document_no}）"
    return table_workbook(title=title, columns=columns, rows=rows, filters=filters)
