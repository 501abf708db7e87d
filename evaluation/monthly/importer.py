"""The monthly import (zcpark.core.imports) ``monthly_upload``: an Excel file of monthly figures into a
park-year's months (its ``MonthlyOutlook`` row, the months' own history); content = every month of the year
as it will stand (the file's months replace those months, the others stay), so undo puts the months back as
they were.

The year's dataset assembled from its months is not an import of its own: it is previewed as the energy
import of the park-year (``services.year_assemble_preview``), so a year's data has one history.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.engine.dataset import to_decimal
from indicators.permissions import can_edit_park_dataset
from indicators.selectors import factor_set_current_version
from parks.permissions import can_view_park
from zcpark.core.imports import Importer, register_importer

from ..models.monthly import MonthlyOutlook
from .assembly import Sums, assemble, base_document, text
from .labels import line_label
from .outlook import evaluate_core, figures_by_month
from .rows import MonthRow
from .services import months_set

KIND_UPLOAD = "monthly_upload"


def _may(user: Any, outlook: MonthlyOutlook) -> bool:
    return can_edit_park_dataset(user, outlook.park)


def _sees(user: Any, outlook: MonthlyOutlook) -> bool:
    return can_view_park(user, outlook.park)


def _url(outlook: MonthlyOutlook) -> str:
    return reverse("evaluation:monthly-park", args=[outlook.park_id, outlook.year])


FIELD_LABELS = {
    "quantity": gettext_lazy("Quantity"),
    "unit": gettext_lazy("Unit"),
}


def _field(name: str, old: Any, new: Any) -> dict[str, str]:
    return {
        "field": str(FIELD_LABELS.get(name, name)),
        "old": "" if old is None else str(old),
        "new": "" if new is None else str(new),
    }


def _line(carrier: str, use: str, enterprise: str = "") -> str:
    """A line in words: carrier · use (· enterprise)."""
    current = factor_set_current_version()
    name, use_label = line_label(carrier, use, current.factor_set if current else None)
    return " · ".join(part for part in (name, use_label, enterprise) if part)


def _keyed_diff(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows keyed by their line: added, changed (the fields that differ) and removed."""
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        label = (new or old or {}).get("_label", key)
        fields = sorted(set(old or {}) | set(new or {}) - {"_label"})
        if old is None:
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "change": "added",
                    "fields": [_field(f, None, new[f]) for f in fields if f in new],
                }
            )  # type: ignore[index]
        elif new is None:
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "change": "removed",
                    "fields": [_field(f, old[f], None) for f in fields if f in old],
                }
            )
        else:
            changed = [
                _field(f, old.get(f), new.get(f)) for f in fields if _norm(old.get(f)) != _norm(new.get(f))
            ]
            if changed:
                rows.append({"key": key, "label": label, "change": "changed", "fields": changed})
    return rows


def _norm(value: Any) -> Any:
    number = to_decimal(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    return number.normalize() if number is not None else value


def _core_rows(current: Any, resulting: Any) -> list[dict[str, Any]]:
    rows = []
    for label, key in (
        (_("Core indicator (tCO2/tce)"), "value"),
        (_("Energy consumed (tce)"), "energy_tce"),
        (_("Net emissions (tCO2)"), "emissions_tco2"),
    ):
        rows.append(
            {
                "label": label,
                "current": (getattr(current, key) or "—") if current else "—",
                "resulting": (getattr(resulting, key) or "—") if resulting else "—",
            }
        )
    return rows


# ---- monthly_upload: the year's months ------------------------------------------------------------------


def months_snapshot(outlook: MonthlyOutlook) -> Any:
    """Every month's rows of the park-year, deterministic: {"01": [{carrier, use, enterprise, quantity,
    unit}, …]} (None when no month is stored)."""
    months: dict[str, list[dict[str, str]]] = {}
    for month, rows in sorted(figures_by_month(outlook.park, outlook.year).items()):
        months[f"{month:02d}"] = sorted(
            (
                {
                    "carrier": r.carrier,
                    "use": r.use,
                    "enterprise": r.enterprise,
                    "quantity": text(Decimal(r.quantity)),
                    "unit": r.unit,
                }
                for r in rows
            ),
            key=lambda r: (r["carrier"], r["use"], r["enterprise"]),
        )
    return months or None


def _months_apply(outlook: MonthlyOutlook, content: Any, by: Any) -> None:
    months_set(by=by, outlook_row=outlook, months={int(m): rows for m, rows in (content or {}).items()})


def _month_rows(content: Any) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for month, items in (content or {}).items():
        for r in items:
            enterprise = r.get("enterprise") or ""
            key = f"{month} {r['carrier']} {r['use']} {enterprise}".strip()
            label = _("Month %(month)s: %(line)s") % {
                "month": int(month),
                "line": _line(r["carrier"], r["use"], enterprise),
            }
            rows[key] = {"_label": label, "quantity": r["quantity"], "unit": r["unit"]}
    return rows


def _months_diff(before: Any, after: Any) -> list[dict[str, Any]]:
    return _keyed_diff(_month_rows(before), _month_rows(after))


def _ytd_of(outlook: MonthlyOutlook, months: Any) -> Any:
    current = factor_set_current_version()
    if not months or current is None:
        return None
    rows = [
        MonthRow(r["carrier"], r["use"], r.get("enterprise") or "", Decimal(r["quantity"]), r["unit"])
        for items in months.values()
        for r in items
    ]
    sums = Sums().add(rows, current.factor_set)
    base, _from_year = base_document(outlook.park, outlook.year)
    share = Decimal(len(months)) / Decimal(12)
    return evaluate_core(assemble(base, outlook.year, sums, current.factor_set, annual_share=share))


def _months_indicators(outlook: MonthlyOutlook, content: Any) -> list[dict[str, Any]]:
    return _core_rows(_ytd_of(outlook, months_snapshot(outlook)), _ytd_of(outlook, content))


def register() -> None:
    register_importer(
        Importer(
            kind=KIND_UPLOAD,
            label=gettext_lazy("Monthly figures"),
            snapshot=months_snapshot,
            apply=_months_apply,
            diff=_months_diff,
            may=_may,
            sees=_sees,
            target_url=_url,
            indicators=_months_indicators,
        )
    )
