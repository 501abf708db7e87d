"""The dossier's outputs: the printable 申报书 (context, then PDF) and the ZIP archive of an application.

``build_dossier_context`` only reads (from the revision's snapshot, so a PDF of revision N always shows
what was submitted the N-th time); ``render_dossier_pdf`` only renders; ``archive_write`` puts the PDF,
the evidence files (copied from storage in chunks), the opinions, the timeline and every revision
snapshot in one ZIP with a manifest of SHA-256 digests. The services in ``services.exports`` store them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.engine.dataset import to_decimal
from indicators.models import indicator_name, indicator_status_labels, op_symbol, unit_label
from indicators.selectors import factor_set_current_record
from parks.models import ParkScope, ParkType, ZoneLevel
from zcpark.core.archives import ArchiveWriter, json_bytes, unique_name, zip_entry
from zcpark.core.events import events_visible
from zcpark.core.models import AuditEvent, FileStatus
from zcpark.core.pdf import pdf_document

from . import selectors
from .dossier.schema import Table, display_value
from .dossier.sections import FORM_SECTIONS
from .models import (
    BASE_YEAR,
    HISTORY_YEARS,
    Application,
    ApplicationRevision,
    Attachment,
    AttachmentKind,
    DossierExport,
    SectionCode,
)
from .selectors import analysis, feasibility_page
from .workflow import ACTION_LABELS

ZERO = Decimal("0")
PDF_NAME = "申报书.pdf"
EXPORTS_SHOWN = 10
# Tables with more columns than this print as one block per row (A4 portrait, 9pt).
CARD_COLUMNS = 7
NUMERIC = ("decimal", "int")


# ---- reads -------------------------------------------------------------------------------------


def dossier_export_list(application: Application) -> QuerySet[DossierExport]:
    """The application's latest exports, newest first."""
    return application.exports.select_related("requested_by").order_by("-created_at", "-id")[:EXPORTS_SHOWN]


def dossier_export_get(*, pk: int) -> DossierExport | None:
    """One export with its application, park and call loaded (for the task that builds it)."""
    return (
        DossierExport.objects.select_related(
            "application", "application__park", "application__park__zone__city", "application__call"
        )
        .filter(pk=pk)
        .first()
    )


def dossier_export_get_ready(*, application: Application, pk: int) -> DossierExport:
    """One ready export of ``application``, or 404 (a pending or failed one has nothing to download)."""
    export = application.exports.filter(pk=pk, status=FileStatus.READY).exclude(file="").first()
    if export is None:
        raise Http404
    return export


def export_download_name(export: DossierExport) -> str:
    """The name a downloaded file is saved under: what it is, the park and the revision."""
    stem = f"{'申报书' if export.kind == 'pdf' else '申报材料'}-{export.application.park.name}"
    return f"{stem}-r{export.revision_number}.{export.kind}"


def _revision(application: Application, revision_number: int | None) -> ApplicationRevision | None:
    """None → the latest revision (or None if never submitted); 0 → the live dossier; N → revision N."""
    if revision_number == 0:
        return None
    revisions = application.revisions.order_by("-number")
    if revision_number is None:
        return revisions.first()
    return revisions.get(number=revision_number)


# ---- the 申报书 context ---------------------------------------------------------------------------


def _form_section(code: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """A form section's items as the reader sees them: labelled values, and tables as rows of cells."""
    items: list[dict[str, Any]] = []
    for item in FORM_SECTIONS[code].items:
        value = data.get(item.name)
        if isinstance(item, Table):
            columns = [str(column.label) for column in item.columns]
            rows = [
                [{"text": display_value(c, row.get(c.name)), "num": c.kind in NUMERIC} for c in item.columns]
                for row in value or []
            ]
            items.append(
                {
                    # A table too wide for an A4 column prints as one labelled block per row.
                    "kind": "cards" if len(columns) > CARD_COLUMNS else "table",
                    "label": str(item.label),
                    "columns": columns,
                    "rows": rows,
                    "records": [
                        [(label, cell["text"]) for label, cell in zip(columns, row, strict=True)]
                        for row in rows
                    ],
                }
            )
        elif not item.required and value in (None, "", [], False):
            # Blank optional fields (a task's "why not applicable" when it applies) only add noise on paper.
            continue
        elif item.kind == "textarea":
            items.append({"kind": "textarea", "label": str(item.label), "value": display_value(item, value)})
        else:
            # Consecutive short fields share one label/value table.
            if not items or items[-1]["kind"] != "fields":
                items.append({"kind": "fields", "pairs": []})
            items[-1]["pairs"].append((str(item.label), display_value(item, value)))
    return items


def _energy_rows(summaries: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Energy by carrier, use and unit (rows) and year (columns), from each year's summary."""
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for year, summary in summaries.items():
        for group in summary["energy"]:
            key = (group["carrier"], group["use"], group["unit"])
            # The unit as a person reads it (10^4 Nm3 → 万Nm³), the row still keyed by the stored code.
            row = rows.setdefault(
                key, {**group, "unit": unit_label(group["unit"]), "values": dict.fromkeys(HISTORY_YEARS)}
            )
            row["values"][year] = group["quantity"]
    return [{**row, "values": [row["values"][y] for y in HISTORY_YEARS]} for row in rows.values()]


def _electricity_rows(summaries: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Electricity received, self-supplied, sent out and the certificates (rows) by year (columns), in MWh;
    kinds no year uses are left out."""
    rows: dict[str, dict[str, Any]] = {}
    for year, summary in summaries.items():
        for line in (
            summary["purchased"] + summary["self_supplied"] + summary["sent"] + summary["other_electricity"]
        ):
            row = rows.setdefault(
                line["key"], {"label": line["label"], "values": dict.fromkeys(HISTORY_YEARS)}
            )
            row["values"][year] = line["mwh"]
    return [
        {"label": row["label"], "values": [row["values"][y] for y in HISTORY_YEARS]}
        for row in rows.values()
        if any(row["values"].values())
    ]


def _indicator_rows(results: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per indicator of the scheme (in its order) with its value and status in each computed year."""
    rows: dict[str, dict[str, Any]] = {}
    labels = indicator_status_labels()
    for year, document in results.items():
        for item in document.get("indicators") or []:
            threshold = item.get("threshold") or {}
            row = rows.setdefault(
                item["code"],
                {
                    "name": indicator_name(item["code"], item.get("name")),
                    "category": item.get("category", ""),
                    "unit": unit_label(item.get("unit", "")),
                    "threshold": f"{op_symbol(threshold.get('op', ''))}{threshold.get('value', '')}",
                    "cells": dict.fromkeys(results),
                },
            )
            status = item.get("status")
            row["cells"][year] = {
                "value": to_decimal(item.get("value")),
                "status": status,
                "label": labels.get(status),
            }
    return [{**row, "cells": list(row["cells"].values())} for row in rows.values()]


def _emissions(results: dict[int, dict[str, Any]], park_type: str) -> dict[str, Any]:
    """The emissions analysis (shared with the dossier pages) with the totals rows the PDF table adds."""
    emissions = analysis.emissions_analysis(results=results, park_type=park_type)
    years = emissions["years"]
    totals = [
        {"label": label, "values": [row[key] for row in years], "total": True}
        for key, label in (
            ("gross", _("Gross emissions")),
            ("offsets", _("Offsets")),
            ("net", _("Net emissions")),
        )
    ]
    emissions["rows"] = [{**row, "total": False} for row in emissions["source_rows"]] + totals
    return emissions


def _feasibility(
    sections: dict[str, Any], result_2025: dict[str, Any] | None, park_type: str
) -> dict[str, Any]:
    """The feasibility analysis (shared with the dossier pages) with each trajectory year's verdict label."""
    result = feasibility_page.feasibility_analysis(
        sections=sections, result_2025=result_2025, park_type=park_type
    )
    labels = indicator_status_labels()
    result["trajectory"] = [
        {
            **t,
            "status": t["verdict"].status if t["verdict"] else "",
            "label": labels.get(t["verdict"].status, ""),
        }
        if t["verdict"]
        else {**t, "status": "", "label": ""}
        for t in result["trajectory"]
    ]
    return result


def _park(park: dict[str, Any]) -> dict[str, Any]:
    return {
        **park,
        "zone_level_label": str(
            dict(ZoneLevel.choices).get(park.get("zone_level"), park.get("zone_level", ""))
        ),
        "scope_label": str(dict(ParkScope.choices).get(park.get("scope"), park.get("scope", ""))),
        "park_type_label": str(dict(ParkType.choices).get(park.get("park_type"), park.get("park_type", ""))),
    }


def _carrier_names() -> dict[str, str]:
    record = factor_set_current_record()
    carriers = (record.document if record else {}).get("carriers") or []
    return {c["code"]: c.get("name", c["code"]) for c in carriers if "code" in c}


def build_dossier_context(application: Application, revision_number: int | None = None) -> dict[str, Any]:
    """Everything the 申报书 shows, from revision ``revision_number``'s snapshot (reads only).

    None takes the latest revision, or the live dossier when it was never submitted; 0 forces the
    live dossier. Raises ApplicationRevision.DoesNotExist for a revision that does not exist.
    """
    revision = _revision(application, revision_number)
    snapshot = revision.snapshot if revision else selectors.snapshot_build(application)
    stored_sections, park = snapshot.get("sections") or {}, _park(snapshot.get("park") or {})
    results = {y: doc for y in HISTORY_YEARS if (doc := (snapshot.get("results") or {}).get(str(y)))}
    datasets = snapshot.get("datasets") or {}
    carriers = _carrier_names()
    summaries = {
        y: analysis.energy_year_summary(datasets[str(y)], carrier_names=carriers)
        for y in HISTORY_YEARS
        if str(y) in datasets
    }
    kinds = dict(AttachmentKind.choices)
    attachments = [
        {**a, "kind_label": str(kinds.get(a["kind"], a["kind"]))} for a in snapshot.get("attachments") or []
    ]
    sections = []
    for number, (code, title) in enumerate(SectionCode.choices, start=1):
        section = {"code": code, "number": number, "title": str(title), "anchor": f"section-{code}"}
        if code in FORM_SECTIONS:
            section["form_items"] = _form_section(code, stored_sections.get(code) or {})
        sections.append(section)
    projects = (stored_sections.get("projects") or {}).get("projects") or []
    totals = {y: results.get(y, {}).get("totals") or {} for y in HISTORY_YEARS}
    return {
        "title": _("Zero-Carbon Park Construction Application"),
        "application": application,
        "call_title": application.call.title,
        "park": park,
        "revision_number": revision.number if revision else 0,
        "submitted_at": revision.created_at if revision else None,
        "generated_on": timezone.localdate(),
        "sections": sections,
        "history_years": HISTORY_YEARS,
        "missing_dataset_years": [y for y in HISTORY_YEARS if y not in summaries],
        "energy_rows": _energy_rows(summaries),
        "electricity_rows": _electricity_rows(summaries),
        "energy_tce": [to_decimal(totals[y].get("energy_tce")) for y in HISTORY_YEARS],
        "clean_tce": [to_decimal(totals[y].get("clean_tce")) for y in HISTORY_YEARS],
        "result_years": list(results),
        "indicator_rows": _indicator_rows(results),
        "emissions": _emissions(results, park.get("park_type", "")),
        "feasibility": _feasibility(stored_sections, results.get(BASE_YEAR), park.get("park_type", "")),
        "total_investment_wan": sum((to_decimal(p.get("investment_wan")) or ZERO for p in projects), ZERO),
        "attachments": attachments,
    }


def render_dossier_html(context: dict[str, Any]) -> str:
    return render_to_string("applications/dossier_pdf.html", context)


def render_dossier_document(context: dict[str, Any]) -> Any:
    """The laid-out document (weasyprint.Document): pages, boxes and PDF output."""
    return pdf_document(render_dossier_html(context))


def render_dossier_pdf(context: dict[str, Any]) -> bytes:
    """The 申报书 as PDF bytes (A4, embedded Noto CJK subsets)."""
    return render_dossier_document(context).write_pdf()


# ---- the archive -------------------------------------------------------------------------------


def local_iso(value: Any) -> str | None:
    """A moment as local ISO 8601 text (None stays None)."""
    return timezone.localtime(value).isoformat() if value else None


def opinion_rows(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "revision": o.revision_number,
            "stage": o.stage,
            "stage_label": str(o.get_stage_display()),
            "action": o.action,
            "action_label": str(ACTION_LABELS.get(o.action, o.action)),
            "author": o.author.get_full_name() or o.author.username if o.author else None,
            "created_at": local_iso(o.created_at),
            "text": o.text,
            "checklist": o.checklist,
            "conditions": o.conditions,
        }
        for o in selectors.opinion_list(application)
    ]


def timeline_rows(application: Application) -> list[dict[str, Any]]:
    # The park downloads the export too: no internal notes.
    events = events_visible(AuditEvent.objects.for_object(application), internal=False)
    events = events.order_by("created_at", "id")
    return [
        {
            "created_at": local_iso(e.created_at),
            "actor": e.actor.username if e.actor else None,
            "action": e.action,
            "action_label": e.action_label,
            "from": e.from_state,
            "to": e.to_state,
            "from_label": e.from_label if e.from_state else None,
            "to_label": e.to_label if e.to_state else None,
            "comment": e.comment,
            "comment_text": e.comment_text,
            "changes": e.changes,
        }
        for e in events
    ]


def opinions_text(opinions: list[dict[str, Any]]) -> str:
    blocks = [
        f"[{_('Revision %(n)s') % {'n': o['revision']}}] {o['created_at']} {o['stage_label']} · "
        f"{o['action_label']} · {o['author'] or '—'}\n{o['text']}"
        + ("".join(f"\n- {c}" for c in o["conditions"]) if o["conditions"] else "")
        for o in opinions
    ]
    return "\n\n".join(blocks) + "\n" if blocks else _("No review opinions yet.") + "\n"


def timeline_text(events: list[dict[str, Any]]) -> str:
    lines = []
    for e in events:
        states = f" {e['from_label'] or '—'} → {e['to_label'] or '—'}" if e["from"] or e["to"] else ""
        comment = f" · {e['comment_text']}" if e["comment"] else ""
        lines.append(f"{e['created_at']} {e['actor'] or '—'} {e['action_label']}{states}{comment}")
    return "\n".join(lines) + "\n"


def attachment_entries(application: Application, revision_number: int) -> Iterable[tuple[str, Attachment]]:
    """The stored evidence files and their names in the archive: those of the revision's snapshot when
    archiving a revision."""
    attachments = list(selectors.attachment_list(application))
    if revision_number:
        snapshot = application.revisions.get(number=revision_number).snapshot
        digests = {a["sha256"] for a in snapshot.get("attachments") or []}
        attachments = [a for a in attachments if a.sha256 in digests]
    taken: set[str] = set()
    for attachment in attachments:
        name = f"{attachment.kind}-{attachment.original_name}".replace("/", "_").replace("\\", "_")
        yield f"attachments/{unique_name(name, taken)}", attachment


def dossier_files_write(
    application: Application, writer: ArchiveWriter, folder: str, revision: int | None
) -> dict[str, Any]:
    """Write the dossier's files under ``folder`` (``""`` or ending in ``/``): 申报书.pdf of ``revision``
    (None: the latest submitted one, or the live dossier if never submitted), that revision's attachments,
    the opinions, the timeline and every revision's snapshot. Attachments are copied from storage in
    chunks. Returns the dossier's context (what the PDF shows)."""
    context = build_dossier_context(application, revision)
    opinions, events = opinion_rows(application), timeline_rows(application)
    writer.add(f"{folder}{PDF_NAME}", render_dossier_pdf(context))
    for name, attachment in attachment_entries(application, context["revision_number"]):
        with attachment.file.open("rb") as source:
            writer.copy(f"{folder}{name}", source)
    writer.add(f"{folder}opinions.json", json_bytes(opinions))
    writer.add(f"{folder}审核意见.txt", opinions_text(opinions).encode())
    writer.add(f"{folder}timeline.json", json_bytes(events))
    writer.add(f"{folder}时间线.txt", timeline_text(events).encode())
    for snapshot in application.revisions.order_by("number"):
        writer.add(f"{folder}revisions/r{snapshot.number}.json", json_bytes(snapshot.snapshot))
    return context


def archive_write(application: Application, revision_number: int | None, target: IO[bytes]) -> None:
    """Write the ZIP of an application into ``target`` (a seekable binary file): the dossier's files
    (``dossier_files_write``), and README.txt / manifest.json listing each file's size and SHA-256.
    Memory stays bounded whatever the attachments weigh; the export task writes into a temporary file
    that spills to disk."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = ArchiveWriter(archive)
        context = dossier_files_write(application, writer, "", revision_number)
        manifest = writer.manifest
        header = {
            "park": context["park"].get("name"),
            "call": context["call_title"],
            "application": application.pk,
            "revision": context["revision_number"],
            "generated_at": local_iso(timezone.now()),
        }
        readme = "\n".join(
            [
                f"{context['title']} · {header['park']} · {header['call']} · "
                + _("Revision %(n)s") % {"n": header["revision"]},
                _("Generated at %(when)s.") % {"when": header["generated_at"]},
                _("SHA-256 of each file (check with: sha256sum -c README.txt):"),
                "",
                *(f"{m['sha256']}  {m['name']}" for m in manifest),
                "",
            ]
        )
        archive.writestr(zip_entry("manifest.json"), json_bytes({**header, "files": manifest}))
        archive.writestr(zip_entry("README.txt"), readme.encode())


def build_archive(application: Application, revision_number: int | None = None) -> bytes:
    """The ZIP of an application as bytes, for small dossiers (tests, the PDF benchmark); the export task
    streams it through ``archive_write`` instead."""
    buffer = io.BytesIO()
    archive_write(application, revision_number, buffer)
    return buffer.getvalue()
