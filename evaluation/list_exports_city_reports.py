"""The province's overview of city progress reports as a sheet (``zcpark.core.sheets``): a report a row,
late ones marked, with the filters the page was shown with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from indicators.models import yes_no
from zcpark.core.sheets import Column, table_workbook

from .list_exports import COUNT, _when, city_label
from .models.city_reports import period_label
from .selectors.city_reports import Overview

OVERVIEW_FILTERS = ("city", "period", "late")


def overview_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The overview's filters from the URL: a city (code), a period (code), late only ("1")."""
    return {
        "city": params.get("city", "").strip()[:12],
        "period": params.get("period", "").strip()[:10],
        "late": "1" if params.get("late") == "1" else "",
    }


def city_reports_workbook(overview: Overview, *, filters: Mapping[str, str]) -> bytes:
    columns = [
        Column(_("City"), width=12),
        Column(_("Period"), width=16),
        Column(_("Due on"), width=12),
        Column(_("Status"), width=16),
        Column(_("Late"), width=8),
        Column(_("Submitted at"), width=18),
        Column(_("Parks"), width=8, decimals=COUNT),
        Column(_("Typical practices"), width=10, decimals=COUNT),
    ]

    def rows() -> Any:
        for city, cells in overview.rows:
            for cell in cells:
                report = cell.report
                if report is None:
                    continue
                yield [
                    city.name,
                    report.period_label,
                    f"{report.due_on:%Y-%m-%d}",
                    report.get_status_display(),
                    yes_no(cell.late),
                    _when(report.submitted_at),
                    len(report.figures),
                    getattr(report, "practice_count", 0),
                ]

    shown = {
        _("City"): city_label(filters.get("city", "")),
        _("Period"): period_label(filters["period"]).render() if filters.get("period") else "",
        _("Late only"): yes_no(True) if filters.get("late") else "",
        _("As of"): f"{overview.today:%Y-%m-%d}",
    }
    return table_workbook(title=_("City progress reports"), columns=columns, rows=rows(), filters=shown)
