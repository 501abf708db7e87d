"""The four dossier tables as importers of the framework (``zcpark.core.imports``).

Target: the application (its dossier). Content: the table's rows as the section stores them. Apply: the
section's own save service for that table alone (``merge``: the section's other fields stay as they are),
so an import is refused exactly as a form save would be — 403 for anyone but the park's own staff, the
existing message when the dossier is not editable (a submitted revision never changes). May: the park's
own staff. Sees: whoever sees the dossier. The diff matches rows by the table's natural key.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.templatetags.zc_format import format_number, format_wan
from parks.models import Role
from parks.permissions import acts_for_park
from zcpark.core.imports import Importer, register_importer

from .. import feasibility
from ..dossier.pages import section_url
from ..models import Application, DossierSection, SectionCode
from ..permissions import can_view_application
from ..services.dossiers import dossier_section_save
from .changes import table_diff, table_warnings
from .specs import TABLE_KINDS, TableKind


def section_data(application: Application, code: str) -> dict[str, Any]:
    section = DossierSection.objects.filter(application_id=application.pk, code=code).first()
    return dict(section.data) if section is not None else {}


def table_rows(application: Application, kind: TableKind) -> list[dict[str, Any]]:
    """The table's rows as stored (read fresh: the framework compares snapshots)."""
    return list(section_data(application, kind.section).get(kind.table) or [])


def may_import(user: Any, application: Application) -> bool:
    """The park's own staff (whether the dossier may change now is the save service's to say)."""
    return acts_for_park(user, Role.PARK_STAFF, application.park_id, lambda: application.park.zone.city_id)


def _apply(kind: TableKind) -> Callable[[Any, Any, Any], None]:
    def apply(application: Application, content: Any, by: Any) -> None:
        dossier_section_save(
            by=by, application=application, code=kind.section, data={kind.table: content or []}, merge=True
        )

    return apply


def _total(rows: list[dict[str, Any]], name: str) -> Decimal:
    return sum((Decimal(str(row[name])) for row in rows if row.get(name) not in (None, "")), Decimal("0"))


Indicators = Callable[[Application, Any, TableKind], list[dict[str, Any]]]


def _sums(*columns: tuple[str, Any, Callable[[Any], str]]) -> Indicators:
    """Indicators that are the row count and the totals of ``columns`` (name, label, format)."""

    def indicators(application: Application, content: Any, kind: TableKind) -> list[dict[str, Any]]:
        current, resulting = table_rows(application, kind), list(content or [])
        found = [{"label": _("Rows"), "current": str(len(current)), "resulting": str(len(resulting))}]
        for name, label, shown in columns:
            found.append(
                {
                    "label": _("Total: %(column)s") % {"column": label},
                    "current": shown(_total(current, name)),
                    "resulting": shown(_total(resulting, name)),
                }
            )
        return found

    return indicators


def _economics(application: Application, rows: list[dict[str, Any]]) -> feasibility.Economics | None:
    rate = section_data(application, SectionCode.FEASIBILITY).get("discount_rate_pct")
    flows = [
        feasibility.CashFlowRow(
            year=int(row["year"]),
            cost_wan=Decimal(str(row.get("cost_wan") or 0)),
            revenue_wan=Decimal(str(row.get("revenue_wan") or 0)),
        )
        for row in rows
        if row.get("year") is not None
    ]
    if rate is None or not flows:
        return None
    try:
        return feasibility.economics(cash_flows=flows, discount_rate_pct=Decimal(str(rate))).rounded()
    except ValueError:  # what the economics cannot compute (a span too long): shown as "—"
        return None


def _cash_flow_indicators(application: Application, content: Any, kind: TableKind) -> list[dict[str, Any]]:
    """The plan's economics (NPV, IRR, payback) now and with the imported cash flows."""
    now, then = _economics(application, table_rows(application, kind)), _economics(application, content or [])

    def pick(economics: feasibility.Economics | None, name: str, unit: str) -> str:
        value = getattr(economics, name, None) if economics is not None else None
        if value is None:
            return ""
        return format_wan(value) if unit == "万元" else f"{format_number(value)} {unit}"

    rows = [
        (_("Net present value"), "npv_wan", "万元"),
        (_("Internal rate of return"), "irr_pct", "%"),
        (_("Payback period"), "payback_years", _("years")),
    ]
    return [
        {"label": label, "current": pick(now, name, unit), "resulting": pick(then, name, unit)}
        for label, name, unit in rows
    ]


INDICATORS: dict[str, Indicators] = {
    "key_projects": _sums(
        ("investment_wan", gettext_lazy("Investment"), format_wan),
        ("co2_reduced_tco2", gettext_lazy("CO2 reduced per year"), lambda v: f"{format_number(v)} tCO2"),
    ),
    "cash_flows": _cash_flow_indicators,
    "key_enterprises": _sums(
        ("output_value_wan", gettext_lazy("Output value"), format_wan),
        ("energy_tce", gettext_lazy("Comprehensive energy consumption"), lambda v: f"{format_number(v)} tce"),
    ),
}


def table_importer(kind: TableKind) -> Importer:
    indicators = INDICATORS.get(kind.kind)
    return Importer(
        kind=kind.kind,
        label=kind.label,
        snapshot=lambda application: table_rows(application, kind),
        apply=_apply(kind),
        diff=lambda before, after: table_diff(kind, before or [], after or []),
        may=may_import,
        sees=can_view_application,
        target_url=lambda application: section_url(application, kind.section),
        indicators=(lambda application, content: indicators(application, content, kind))
        if indicators
        else None,
        warnings=lambda application, content: table_warnings(kind, content or []),
    )


def register_table_importers() -> None:
    """Register the four importers (the applications app's ready())."""
    for kind in TABLE_KINDS.values():
        register_importer(table_importer(kind))
