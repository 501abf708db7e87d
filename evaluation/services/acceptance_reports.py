"""Acceptance reports: queueing a rendering when the inputs changed, and storing what was rendered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from parks.models import User
from zcpark.core.models import STALE_ERROR, FileStatus
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import (
    GENERATED_FILE_STALE_AFTER,
    audit_event_record,
    generated_file_build,
    generated_file_store,
)

from .. import reports, selectors
from ..models import AcceptanceEvaluation, AcceptanceReport
from ..permissions import can_supervise
from ..reports import RenderedReport

# The hourly refresh renders a report that failed again, up to this many times for the same inputs; past
# that (a rendering that cannot succeed), only the province's "regenerate" tries again.
AUTO_RENDER_ATTEMPTS = 3


@transaction.atomic
def acceptance_report_schedule(
    evaluation: AcceptanceEvaluation, *, force: bool = False, by: User | None = None
) -> AcceptanceReport | None:
    """Queue a new rendering when the inputs changed since the last report, the last one failed, or its
    rendering has been pending past its time (its job is lost: it is marked failed first, with the message
    the page shows); or ``force``, the province's "regenerate". The task runs after commit. Returns the
    pending report, or None when the latest is current (or has failed AUTO_RENDER_ATTEMPTS times for these
    inputs). A rendering still running for the same inputs is the answer to a second request, however many
    come at once (they queue on the evaluation's row)."""
    if by is not None and not can_supervise(by):
        raise PermissionDenied
    AcceptanceEvaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
    digest = selectors.report_digest(evaluation)
    latest = selectors.report_latest(evaluation)
    if latest is not None and latest.status == FileStatus.PENDING and _lost(latest):
        latest = generated_file_store(AcceptanceReport, latest.pk, error=STALE_ERROR)
    if latest is not None and latest.inputs_digest == digest:
        if latest.status == FileStatus.PENDING:
            return latest if force else None
        if not force and (
            latest.status == FileStatus.READY or _failures(evaluation, digest) >= AUTO_RENDER_ATTEMPTS
        ):
            return None
    report = AcceptanceReport.objects.create(evaluation=evaluation, inputs_digest=digest)
    if by is not None:
        # A person asked (the province's "regenerate"); the system's renderings need no event of their own.
        audit_event_record(actor=by, target=report, action="file_requeued", to_state=FileStatus.PENDING)
    task_enqueue_on_commit("evaluation.acceptance_report_render", report.pk)
    return report


def _failures(evaluation: AcceptanceEvaluation, digest: str) -> int:
    return evaluation.reports.filter(inputs_digest=digest, status=FileStatus.FAILED).count()


def _lost(report: AcceptanceReport) -> bool:
    """Pending past the time the sweep gives a job: its worker died or its message was lost."""
    return report.updated_at < timezone.now() - GENERATED_FILE_STALE_AFTER


@transaction.atomic
def acceptance_report_record(
    evaluation: AcceptanceEvaluation, *, rendered: RenderedReport
) -> AcceptanceReport | None:
    """Store a rendering made outside the queue (the command line) unless the latest report is current and
    ready; a pending one with the same inputs is filled in. Returns the stored report, or None."""
    digest = selectors.report_digest(evaluation)
    latest = selectors.report_latest(evaluation)
    current = latest if latest is not None and latest.inputs_digest == digest else None
    if current is not None and current.status == FileStatus.READY:
        return None
    if current is None or current.status != FileStatus.PENDING:
        current = AcceptanceReport.objects.create(evaluation=evaluation, inputs_digest=digest)
    return _store(current.pk, rendered)


def _stored_fields(report: AcceptanceReport, rendered: RenderedReport) -> tuple[str, bytes, dict[str, Any]]:
    name = f"acceptance-{report.evaluation_id}-{report.pk}.pdf"
    return name, rendered.content, {"page_count": rendered.page_count, "rendered_at": timezone.now()}


def _store(report_id: int, rendered: RenderedReport) -> AcceptanceReport:
    report = AcceptanceReport.objects.get(pk=report_id)
    name, content, fields = _stored_fields(report, rendered)
    return generated_file_store(AcceptanceReport, report_id, name=name, content=content, fields=fields)


def _render(report: AcceptanceReport) -> tuple[str, bytes, dict[str, Any]]:
    return _stored_fields(
        report, reports.acceptance_report_pdf(reports.acceptance_report_context(report.evaluation))
    )


def acceptance_report_render(report_id: int) -> str:
    """Render a queued acceptance report and store it; any error, or the soft time limit, marks it failed
    with a message for the page (the error is logged), so the page stops waiting and the province can
    regenerate it. Idempotent: a report no longer pending (a job delivered twice, or run after another run
    stored the file) is left as it is, with no second file and no second event. Returns its status."""
    report = generated_file_build(AcceptanceReport, report_id, _render)
    return "missing" if report is None else str(report.status)


def acceptance_report_export(
    evaluation: AcceptanceEvaluation,
) -> tuple[RenderedReport, AcceptanceReport | None]:
    """Render the report now (for the command line); store it as a new report when its inputs changed
    since the latest one. Returns the rendering and the stored report (None when nothing changed)."""
    rendered = reports.acceptance_report_pdf(reports.acceptance_report_context(evaluation))
    return rendered, acceptance_report_record(evaluation, rendered=rendered)
