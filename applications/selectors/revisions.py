"""Submitted revisions: the frozen snapshot of a dossier, the list, and what changed between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicators import engine

from ..dossier.schema import flatten_section
from ..dossier.sections import FORM_SECTIONS
from ..models import (
    HISTORY_YEARS,
    Application,
    ApplicationRevision,
)
from .applications import history_datasets, history_results, section_map


def snapshot_build(application: Application) -> dict[str, Any]:
    """The dossier as it stands, for a revision: sections, datasets, computed indicators, attachments."""
    sections = section_map(application)
    datasets = history_datasets(application)
    results = history_results(application)
    park = application.park
    return {
        "park": {
            "name": park.name,
            "zone": park.zone.name,
            "zone_level": park.zone.level,
            "city": park.zone.city.name,
            "scope": park.scope,
            "park_type": park.park_type,
            "boundary_text": park.boundary_text,
        },
        "sections": {code: sections[code].data for code in FORM_SECTIONS if code in sections},
        "datasets": {str(year): d.document for year, d in datasets.items() if d is not None},
        "results": {str(year): r.document for year, r in results.items() if r is not None and r.ok},
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "size_bytes": a.size_bytes, "sha256": a.sha256}
            for a in application.attachments.all()
        ],
    }


@dataclass(frozen=True)
class DiffRow:
    group: str
    label: str
    old: str
    new: str


def _flatten_json(value: Any, prefix: str = "") -> dict[str, str]:
    """Leaves of a JSON document under dotted paths (list items by index, or by a name they carry)."""
    flat: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(_flatten_json(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            name = None
            if isinstance(item, dict):
                name = item.get("code") or item.get("name")
                if name and item.get("carrier"):
                    name = f"{item.get('carrier')}/{item.get('use')}/{name}"
                elif item.get("carrier"):
                    name = f"{item.get('carrier')}/{item.get('use')}/#{index + 1}"
            flat.update(_flatten_json(item, f"{prefix}[{name or index + 1}]"))
    else:
        flat[prefix] = "—" if value is None else str(value)
    return flat


def _result_summary(document: dict[str, Any]) -> dict[str, str]:
    """The numbers a reviewer compares: totals and each indicator's value and status."""
    factors = document.get("factors") or {}
    summary = {
        # Which method and data the numbers come from: a recomputation under a new version shows here.
        _("Factor set"): str(factors.get("set", "—")),
        _("Engine version"): str(document.get("engine_version", "—")),
        **{
            f"{_('Totals')} · {key}": str(value)
            for key, value in (document.get("totals") or {}).items()
            if not isinstance(value, dict)
        },
    }
    for indicator in document.get("indicators") or []:
        summary[f"{indicator.get('name')}"] = (
            f"{indicator.get('value')} {indicator.get('unit', '')} ({indicator.get('status')})"
        )
    return summary


def _upgraded(document: Any) -> Any:
    return engine.upgrade(document)[0] if isinstance(document, dict) else document


def _diff(group: str, before: dict[str, str], after: dict[str, str]) -> list[DiffRow]:
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, "—"), after.get(key, "—")
        if old != new:
            rows.append(DiffRow(group=group, label=key, old=old, new=new))
    return rows


def revision_diff(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    """What changed between two snapshots: every section value, dataset number and computed indicator."""
    rows: list[DiffRow] = []
    for code, spec in FORM_SECTIONS.items():
        before = dict(flatten_section(spec, old.get("sections", {}).get(code, {})).values())
        after = dict(flatten_section(spec, new.get("sections", {}).get(code, {})).values())
        rows.extend(_diff(str(spec.title), before, after))
    for year in map(str, HISTORY_YEARS):
        rows.extend(
            _diff(
                _("Energy data %(year)s") % {"year": year},
                # A v1 snapshot is compared as its v2 equivalent: the upgrade itself is no change.
                _flatten_json(_upgraded(old.get("datasets", {}).get(year))),
                _flatten_json(_upgraded(new.get("datasets", {}).get(year))),
            )
        )
        rows.extend(
            _diff(
                _("Indicators %(year)s") % {"year": year},
                _result_summary(old.get("results", {}).get(year) or {}),
                _result_summary(new.get("results", {}).get(year) or {}),
            )
        )
    before = {f"{a['kind']}:{a['name']}": a["sha256"][:12] for a in old.get("attachments", [])}
    after = {f"{a['kind']}:{a['name']}": a["sha256"][:12] for a in new.get("attachments", [])}
    rows.extend(_diff(_("Attachments"), before, after))
    return rows


def revision_list(application: Application) -> QuerySet[ApplicationRevision]:
    return application.revisions.select_related("submitted_by").order_by("-number")
