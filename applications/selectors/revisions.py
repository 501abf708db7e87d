"""Submitted revisions: the frozen snapshot of a dossier, the list, and what changed between two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicators.dataset_flat import Flat, Names, dataset_flat, joined, result_summary, upgraded

from ..dossier.schema import flatten_section
from ..dossier.sections import FORM_SECTIONS
from ..models import (
    HISTORY_YEARS,
    Application,
    ApplicationRevision,
    AttachmentKind,
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
            {
                "kind": a.kind,
                "name": a.original_name,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
                **({"indicator": a.indicator} if a.indicator else {}),
            }
            for a in application.attachments.all()
        ],
    }


@dataclass(frozen=True)
class DiffRow:
    group: str
    label: str
    old: str
    new: str


def _diff(group: str, before: Flat, after: Flat) -> list[DiffRow]:
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        label = (after.get(key) or before[key])[0]
        old, new = before.get(key, ("", "—"))[1], after.get(key, ("", "—"))[1]
        if old != new:
            rows.append(DiffRow(group=group, label=str(label), old=str(old), new=str(new)))
    return rows


def _attachments(snapshot: dict[str, Any]) -> Flat:
    kinds = dict(AttachmentKind.choices)
    return {
        f"{a['kind']}:{a['name']}": (joined(kinds.get(a["kind"], a["kind"]), a["name"]), a["sha256"][:12])
        for a in snapshot.get("attachments", [])
    }


def revision_diff(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    """What changed between two snapshots: every section value, dataset number and computed indicator,
    each under the label a person reads (never a document's key) and numbers with their units."""
    rows: list[DiffRow] = []
    for code, spec in FORM_SECTIONS.items():
        before = flatten_section(spec, old.get("sections", {}).get(code, {}))
        after = flatten_section(spec, new.get("sections", {}).get(code, {}))
        rows.extend(_diff(str(spec.title), before, after))
    names = Names()
    for year in map(str, HISTORY_YEARS):
        rows.extend(
            _diff(
                _("Energy data %(year)s") % {"year": year},
                # A v1 snapshot is compared as its v2 equivalent: the upgrade itself is no change.
                dataset_flat(upgraded(old.get("datasets", {}).get(year)), names),
                dataset_flat(upgraded(new.get("datasets", {}).get(year)), names),
            )
        )
        rows.extend(
            _diff(
                _("Indicators %(year)s") % {"year": year},
                result_summary(old.get("results", {}).get(year) or {}, names),
                result_summary(new.get("results", {}).get(year) or {}, names),
            )
        )
    rows.extend(_diff(_("Attachments"), _attachments(old), _attachments(new)))
    return rows


def revision_list(application: Application) -> QuerySet[ApplicationRevision]:
    return application.revisions.select_related("submitted_by").order_by("-number")
