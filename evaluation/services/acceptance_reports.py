"""Acceptance reports: queueing a rendering when the inputs changed, and storing what was rendered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from parks.models import User

from .. import selectors
from ..models import AcceptanceEvaluation, AcceptanceReport, RenderStatus
from ..permissions import can_supervise

if TYPE_CHECKING:
    from ..reports import RenderedReport

ERROR_MAX_CHARS = 2000


@transaction.atomic
def acceptance_report_schedule(
    evaluation: AcceptanceEvaluation, *, force: bool = False, by: User | None = None
) -> AcceptanceReport | None:
    """Queue a new rendering when the inputs changed since the last report (or ``force``, the province's
    "regenerate"); the task runs after commit. Returns the pending report, or None when the latest is current."""
    if by is not None and not can_supervise(by):
        raise PermissionDenied
    from ..tasks import acceptance_report_render_task

    digest = selectors.report_digest(evaluation)
    latest = selectors.report_latest(evaluation)
    if (
        not force
        and latest is not None
        and latest.inputs_digest == digest
        and latest.status != RenderStatus.FAILED
    ):
        return None
    report = AcceptanceReport.objects.create(evaluation=evaluation, inputs_digest=digest)
    report_id = report.pk
    transaction.on_commit(lambda: acceptance_report_render_task.delay(report_id), robust=True)
    return report


@transaction.atomic
def acceptance_report_store(
    report_id: int, *, rendered: RenderedReport | None, error: str = ""
) -> AcceptanceReport:
    """Record a rendering: the file, READY, its pages and time; or FAILED with the error. A report already
    ready is left as it is."""
    report = AcceptanceReport.objects.select_for_update().get(pk=report_id)
    if report.status == RenderStatus.READY:
        return report
    if rendered is None:
        report.status, report.error = RenderStatus.FAILED, error[:ERROR_MAX_CHARS]
        report.save(update_fields=["status", "error", "updated_at"])
        return report
    name = f"acceptance-{report.evaluation_id}-{report.pk}.pdf"
    report.file.save(name, ContentFile(rendered.content), save=False)
    report.status, report.error = RenderStatus.READY, ""
    report.page_count, report.rendered_at = rendered.page_count, timezone.now()
    report.save(update_fields=["file", "status", "error", "page_count", "rendered_at", "updated_at"])
    return report


@transaction.atomic
def acceptance_report_record(
    evaluation: AcceptanceEvaluation, *, rendered: RenderedReport
) -> AcceptanceReport | None:
    """Store a rendering made outside the queue (the command line) unless the latest report is current and
    ready; a pending one with the same inputs is filled in. Returns the stored report, or None."""
    digest = selectors.report_digest(evaluation)
    latest = selectors.report_latest(evaluation)
    current = latest is not None and latest.inputs_digest == digest
    if current and latest.status == RenderStatus.READY:
        return None
    if not current or latest.status != RenderStatus.PENDING:
        latest = AcceptanceReport.objects.create(evaluation=evaluation, inputs_digest=digest)
    return acceptance_report_store(latest.pk, rendered=rendered)
