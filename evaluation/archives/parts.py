"""The parts of a park's archive, in a registry: each part writes its files for one application (and its
construction project, if it was listed) under a folder. One more part (threads, say) is a
function decorated with ``@part("key")``.

Everything is read, nothing written. Generated files are small (JSON, text); stored files (attachments,
evidence, the acceptance report) are copied from storage in chunks by ``ArchiveWriter.copy``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from applications import exports as dossier
from applications.document_models import OfficialDocument
from applications.models import Application, ConstructionList
from indicators.models import IndicatorResult
from zcpark.core.archives import ArchiveWriter, json_bytes, safe_name, unique_name

from .. import selectors
from ..models import (
    AcceptanceEvaluation,
    ConstructionProject,
    EvaluationStatus,
    RectificationOrder,
    ReviewStatus,
)
from ..permissions import (
    ArchiveReader,
    archive_reader,
    can_download_acceptance_report,
    can_see_scores,
)


@dataclass(frozen=True)
class Source:
    """What one folder of the archive holds: an application, its project if listed, and whose copy it is
    (``ArchiveAudience``): its ``reader`` reads in it what that role reads on the pages."""

    application: Application
    project: ConstructionProject | None
    audience: str

    @property
    def reader(self) -> ArchiveReader:
        return archive_reader(self.audience)


@dataclass(frozen=True)
class Part:
    key: str
    write: Callable[[Source, ArchiveWriter, str], None]


PARTS: list[Part] = []


def part(key: str) -> Callable[[Callable[[Source, ArchiveWriter, str], None]], Callable[..., None]]:
    """Register ``write(source, writer, folder)`` as the archive's part ``key`` (in registration order)."""

    def register(write: Callable[[Source, ArchiveWriter, str], None]) -> Callable[..., None]:
        PARTS.append(Part(key, write))
        return write

    return register


def parts_write(source: Source, writer: ArchiveWriter, folder: str) -> None:
    for archive_part in PARTS:
        archive_part.write(source, writer, folder)


def _events(events: Any) -> list[dict[str, Any]]:
    """Events as read (``selectors.timeline_for_reader``): an expert left out reads as "Review expert"."""
    return [
        {
            "created_at": dossier.local_iso(e.created_at),
            "actor": _("Review expert")
            if getattr(e, "redacted", False)
            else (e.actor.username if e.actor else None),
            "action": e.action,
            "action_label": str(e.action_label),
            "from_label": e.from_label if e.from_state else None,
            "to_label": e.to_label if e.to_state else None,
            "comment": e.comment_text,
        }
        for e in events
    ]


# ---- the dossier ----------------------------------------------------------------------------------


@part("dossier")
def dossier_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """The dossier as its ZIP export holds it (``applications.exports.dossier_files_write``): the latest
    submitted revision's 申报书 PDF and attachments (the live dossier's if never submitted), the review
    opinions and decisions, the dossier's timeline and every revision's frozen JSON."""
    dossier.dossier_files_write(source.application, writer, f"{folder}dossier/", None)


# ---- the construction project -----------------------------------------------------------------------


@part("decisions")
def decisions_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """The project's record (period, status, list entry, removal, acceptance decisions, the national
    recommendation) and its timeline as the copy's reader reads it on the project's page (the reviewers'
    internal notes for reviewers, the experts behind their reviews for the province)."""
    project = source.project
    if project is None:
        return
    entry = project.list_entry
    recommendation = getattr(project, "national_recommendation", None)
    record = {
        "park": project.park.name,
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "period": f"{project.report_years[0]}–{project.final_year}",
        "extension_years": project.extension_years,
        "opened_at": dossier.local_iso(project.opened_at),
        "accepted_at": dossier.local_iso(project.accepted_at),
        "removed_at": dossier.local_iso(project.removed_at),
        "meets_national_scheme": project.national_recommended,
        "construction_list": {
            "title": entry.construction_list.title,
            "document_no": entry.construction_list.document_no,
            "removed_on": entry.removed_on,
            "removal_reason": entry.removal_reason,
            "removal_document_no": entry.removal_document_no,
        },
        "acceptance_decisions": [
            {
                "assessment_year": e.assessment_year,
                "decision": e.decision,
                "decision_label": str(e.get_decision_display()) if e.decision else "",
                "document_no": e.decision_document_no,
                "opinion": e.decision_comment,
                "decided_at": dossier.local_iso(e.decided_at),
                "meets_national_thresholds": e.national_passed,
            }
            for e in project.evaluations.order_by("requested_at")
            if e.status == EvaluationStatus.DECIDED
        ],
        "national_recommendation": None
        if recommendation is None
        else {
            "recommended_on": recommendation.recommended_on,
            "document_no": recommendation.document_no,
            "note": recommendation.note,
        },
        "incentives": [
            {
                "granted_on": i.granted_on,
                "description": i.description,
                "amount_wan": i.amount_wan,
                "document_no": i.document_no,
            }
            for i in project.incentives.all()
        ],
    }
    writer.add(f"{folder}decisions/project.json", json_bytes(record))
    events = _events(
        selectors.timeline_for_reader(source.reader, selectors.project_timeline(project).reverse())
    )
    writer.add(f"{folder}decisions/timeline.json", json_bytes(events))
    lines = [
        f"{e['created_at']} {e['actor'] or '—'} {e['action_label']} {e['comment'] or ''}".rstrip()
        for e in events
    ]
    writer.add(f"{folder}decisions/时间线.txt", ("\n".join(lines) + "\n").encode())


@part("annual_reports")
def annual_reports_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """Each submitted annual report with its dataset and its results under every scheme."""
    if source.project is None:
        return
    for report in source.project.annual_reports.select_related("dataset").order_by("year"):
        base = f"{folder}annual-reports/{report.year}/"
        writer.add(
            f"{base}report.json",
            json_bytes(
                {
                    "year": report.year,
                    "status": report.status,
                    "status_label": str(report.get_status_display()),
                    "due_on": report.due_on,
                    "submitted_at": dossier.local_iso(report.submitted_at),
                    "narrative": report.narrative,
                    "key_projects": [
                        {"project": p.key_project.name, "progress_pct": p.progress_pct, "note": p.note}
                        for p in report.progress.select_related("key_project")
                    ],
                }
            ),
        )
        if report.dataset is None:
            continue
        writer.add(f"{base}dataset.json", json_bytes(report.dataset.document))
        for result in (
            IndicatorResult.objects.current().filter(dataset=report.dataset).order_by("scheme_code")
        ):
            writer.add(f"{base}results-{result.scheme_code}.json", json_bytes(result.document))


@part("orders")
def orders_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """Rectification orders with the park's answers."""
    if source.project is None:
        return
    orders = [
        {
            "number": o.number,
            "document_no": o.document_no,
            "title": o.title,
            "requirements": o.requirements,
            "deadline": o.deadline,
            "status_label": str(o.get_status_display()),
            "issued_at": dossier.local_iso(o.issued_at),
            "answer": o.answer,
            "answered_at": dossier.local_iso(o.answered_at),
            "closed_at": dossier.local_iso(o.closed_at),
        }
        for o in source.project.orders.order_by("number")
    ]
    if not orders:
        return
    writer.add(f"{folder}orders/orders.json", json_bytes(orders))
    blocks = [
        f"{o['number']}. {o['title']} {o['document_no']}\n{o['requirements']}\n"
        + _("Deadline: %(date)s") % {"date": o["deadline"]}
        + f" · {o['status_label']}\n"
        + (_("Answer: %(text)s") % {"text": o["answer"]} if o["answer"] else "")
        for o in orders
    ]
    writer.add(f"{folder}orders/整改通知及答复.txt", ("\n\n".join(blocks) + "\n").encode())


@part("self_assessment")
def self_assessment_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """The city's self-assessments and their evidence files."""
    if source.project is None:
        return
    for assessment in source.project.self_assessments.order_by("assessment_year"):
        base = f"{folder}self-assessment/{assessment.assessment_year}/"
        writer.add(
            f"{base}self-assessment.json",
            json_bytes(
                {
                    "assessment_year": assessment.assessment_year,
                    "conclusion": assessment.conclusion,
                    "conclusion_label": str(assessment.get_conclusion_display())
                    if assessment.conclusion
                    else "",
                    "assessment": assessment.summary,
                    "submitted_at": dossier.local_iso(assessment.submitted_at),
                }
            ),
        )
        taken: set[str] = set()
        for evidence in assessment.evidence.all():
            with evidence.file.open("rb") as stored:
                writer.copy(f"{base}evidence/{unique_name(safe_name(evidence.original_name), taken)}", stored)


@part("acceptance")
def acceptance_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """Each acceptance evaluation's expert opinions and its latest acceptance report PDF, as the copy's
    reader reads them on the evaluation's page: the experts named for the province only (专家一, 专家二…
    for the others, numbered as the page and the report number them), the opinions and the report of an
    evaluation not yet decided for the province only."""
    if source.project is None:
        return
    reader = source.reader
    for evaluation in source.project.evaluations.order_by("requested_at"):
        base = f"{folder}acceptance/{evaluation.assessment_year}-{evaluation.pk}/"
        reviews = list(evaluation.reviews.select_related("expert").order_by("id"))
        opinions = [
            {
                "expert": name,
                "total_score": r.total_score,
                "recommends_acceptance": r.recommends_acceptance,
                "scores": r.scores,
                "opinion": r.opinion,
                "submitted_at": dossier.local_iso(r.submitted_at),
            }
            for r, name in selectors.reviews_as_read(reader, reviews)
            if r.status == ReviewStatus.SUBMITTED and can_see_scores(reader, evaluation, r, reviews)
        ]
        if opinions:
            writer.add(f"{base}expert-opinions.json", json_bytes(opinions))
            text = "\n\n".join(f"{o['expert']} · {o['total_score']}\n{o['opinion']}" for o in opinions)
            writer.add(f"{base}专家意见.txt", (text + "\n").encode())
        report = selectors.report_ready(evaluation)
        if report is not None and can_download_acceptance_report(reader, evaluation):
            with report.file.open("rb") as stored:
                writer.copy(f"{base}验收评估报告.pdf", stored)


@part("official_documents")
def official_documents_part(source: Source, writer: ArchiveWriter, folder: str) -> None:
    """Every official document issued from this application's decisions, its list, its project's orders and
    acceptance evaluations (superseded ones too, each under its 文号), and a list of them."""

    def of(model: Any, ids: Any) -> Q:
        return Q(source_type=ContentType.objects.get_for_model(model), source_id__in=list(ids))

    wanted = of(Application, [source.application.pk])
    project = source.project
    if project is not None:
        wanted |= of(ConstructionList, [project.list_entry.construction_list_id])
        wanted |= of(RectificationOrder, project.orders.values_list("pk", flat=True))
        wanted |= of(AcceptanceEvaluation, project.evaluations.values_list("pk", flat=True))
    documents = list(OfficialDocument.objects.filter(wanted).order_by("issued_on", "pk"))
    if not documents:
        return
    taken: set[str] = set()
    rows = []
    for document in documents:
        name = unique_name(safe_name(f"{document.get_kind_display()}-{document.number}.pdf"), taken)
        with document.file.open("rb") as stored:
            writer.copy(f"{folder}official-documents/{name}", stored)
        rows.append(
            {
                "file": name,
                "kind": document.kind,
                "kind_label": str(document.get_kind_display()),
                "number": document.number,
                "title": document.title,
                "issuer": document.issuer,
                "issued_on": document.issued_on,
                "superseded": document.is_superseded,
            }
        )
    writer.add(f"{folder}official-documents/documents.json", json_bytes(rows))
