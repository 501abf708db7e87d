"""The indicator results as the acceptance report and the evaluation pages print them.

A stored result document's indicators become rows (value, threshold, status, exemption reason and
notes), printed as the document gives them (strings), never re-rounded; ``recomputed_since`` sets a
decided record's result beside today's.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from indicators.exemptions import exemptions_accepted, exemptions_counted
from indicators.models import IndicatorCode, indicator_name, indicator_status_labels, op_symbol, unit_label
from indicators.selectors import reference_titles

CORE = IndicatorCode.CARBON_PER_ENERGY


def _note_labels() -> dict[str, str]:
    return {"below_tier": _("Energy use is below the tier the threshold is set for.")}


def indicator_rows(document: dict[str, Any], exemptions: dict[str, Any]) -> list[dict[str, Any]]:
    """The result document's indicators as printed: value, threshold, status, exemption reason, notes."""
    labels, notes = indicator_status_labels(), _note_labels()
    rows = []
    for item in document.get("indicators") or []:
        threshold = item.get("threshold") or {}
        status = item.get("status") or ""
        rows.append(
            {
                "code": item.get("code"),
                "name": indicator_name(item.get("code"), item.get("name")),
                "core": item.get("category") == "core",
                "value": item.get("value"),
                "unit": unit_label(item.get("unit", "")),
                "threshold": f"{op_symbol(threshold.get('op', ''))}{threshold.get('value', '')}",
                "threshold_value": threshold.get("value"),
                "status": status,
                "status_label": labels.get(status, status),
                "exemption": exemptions.get(item.get("code")) if status == "exempt" else None,
                "notes": [notes.get(note, note) for note in item.get("notes") or []],
            }
        )
    return rows


# A guiding indicator that is not met: below (or above) its threshold, or with no data to show it is met.
SHORTFALL_STATUSES = ("fail", "no_data")


def guiding_shortfalls(part: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The guiding indicators of a result (``result_part``) that fail or have no data without an accepted
    exemption: each row with its name, value and threshold. A park's results count only the exemptions the
    province accepted (``indicators.exemptions``), so an indicator exempted without that acceptance is here."""
    if part is None:
        return []
    return [row for row in part["indicators"] if not row["core"] and row["status"] in SHORTFALL_STATUSES]


def as_counted(park_id: int, dataset_document: dict[str, Any]) -> dict[str, Any]:
    """The dataset with the exemptions its results counted (the accepted ones, with the data's reason or
    the accepted claim's): what the rows print as each exempt indicator's reason."""
    accepted = exemptions_accepted([park_id]).get(park_id, {})
    return {**dataset_document, "exemptions": exemptions_counted(dataset_document, accepted)}


def result_part(result: Any, dataset_document: dict[str, Any]) -> dict[str, Any] | None:
    """A computed result as the report and the evaluation page show it (None when not computed)."""
    if result is None or not result.ok:
        return None
    document = result.document
    scheme = document.get("scheme")
    return {
        "scheme": scheme,
        # What a person reads: the scheme's title, never its code.
        "scheme_title": reference_titles().get(scheme, scheme) if scheme else "",
        "core_passed": bool(document.get("core_passed")),
        "totals": document.get("totals") or {},
        "indicators": indicator_rows(document, dataset_document.get("exemptions") or {}),
        "computed_at": result.computed_at,
    }


def recomputed_since(decided: Any, current: Any, dataset_document: dict[str, Any]) -> dict[str, Any] | None:
    """A decided record's result beside today's: the indicators whose value or status moved since the
    decision, and why (the versions that changed). None when today's result is the decided one."""
    if decided is None or current is None or decided.pk == current.pk or not current.ok:
        return None
    before = {
        row["code"]: row for row in (result_part(decided, dataset_document) or {}).get("indicators", [])
    }
    after = result_part(current, dataset_document) or {"indicators": []}
    rows = [
        {"name": row["name"], "unit": row["unit"], "decided": before[row["code"]], "current": row}
        for row in after["indicators"]
        if row["code"] in before
        and (before[row["code"]]["value"], before[row["code"]]["status"]) != (row["value"], row["status"])
    ]
    titles = reference_titles()
    why = [
        _("%(what)s %(before)s → %(after)s") % {"what": what, "before": old, "after": new}
        for what, old, new in (
            (_("engine"), decided.engine_version, current.engine_version),
            (
                _("factor set"),
                titles.get(decided.factor_set_name, decided.factor_set_name),
                titles.get(current.factor_set_name, current.factor_set_name),
            ),
            (_("scheme version"), f"v{decided.scheme_version}", f"v{current.scheme_version}"),
        )
        if old != new
    ]
    return {"rows": rows, "why": why, "computed_at": current.computed_at, "decided_at": decided.computed_at}
