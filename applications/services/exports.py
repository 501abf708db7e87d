"""Dossier exports: requesting the PDF or ZIP of an application, and building it in a task."""

from __future__ import annotations

import tempfile
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.archives import ARCHIVE_SPOOL_BYTES
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import generated_file_build, generated_file_pending, generated_file_requeue

from .. import exports
from ..models import Application, DossierExport, ExportKind
from ..permissions import can_export_application

BUILD_TASK = "applications.dossier_export_build"


def _pending_export(application: Application, kind: str, revision: int) -> DossierExport | None:
    """The export of ``kind`` and ``revision`` still being prepared, if its job is alive (one whose job is
    lost is marked failed on the way). The caller holds the application's row lock."""
    return generated_file_pending(
        DossierExport.objects.filter(application=application, kind=kind, revision_number=revision)
    )


@transaction.atomic
def dossier_export_request(*, by: User, application: Application, kind: str) -> DossierExport:
    """A pending export of the application's latest revision (the live dossier if never submitted);
    the file is built by a task once the row is committed. An export of the same kind and revision still
    being prepared is the answer to a second request (a double click, two tabs, two reviewers): requests
    queue on the application's row, so however many come at once, one file is built. One pending past
    the time a job gets (its job is lost) is marked failed first, and a new one is asked for."""
    if not can_export_application(by, application):
        raise PermissionDenied
    if kind not in ExportKind.values:
        raise ValidationError({"kind": [_("Choose the PDF or the ZIP archive.")]})
    revision = (
        Application.objects.select_for_update().values_list("revision", flat=True).get(pk=application.pk)
    )
    pending = _pending_export(application, kind, revision)
    if pending is not None:
        return pending
    export = DossierExport(application=application, kind=kind, revision_number=revision, requested_by=by)
    export.full_clean()
    export.save()
    task_enqueue_on_commit(BUILD_TASK, export.pk)
    return export


@transaction.atomic
def dossier_export_retry(*, by: User, export: DossierExport) -> DossierExport:
    """Ask again for a failed export (its job failed, took too long or was lost): the same export goes back
    to pending and is built by a task, audited. Whoever may ask for an export may ask again; an export not
    failed (a second click) is left as it is, and one of the same kind and revision already being prepared
    (asked for since) is the answer instead."""
    if not can_export_application(by, export.application):
        raise PermissionDenied
    Application.objects.select_for_update().filter(pk=export.application_id).values_list("pk").first()
    pending = _pending_export(export.application, export.kind, export.revision_number)
    if pending is not None and pending.pk != export.pk:
        return pending
    return generated_file_requeue(DossierExport, export.pk, by=by, task=BUILD_TASK)


def _build(export: DossierExport, spool: IO[bytes]) -> tuple[str, bytes | File[bytes], dict[str, Any]]:
    """The stored file's name (ASCII; the download gets a readable one) and its content: the PDF as bytes,
    the ZIP written into ``spool``, a temporary file."""
    application, revision = export.application, export.revision_number
    stem = f"dossier-{application.pk}-r{revision}-{export.pk}"
    if export.kind == ExportKind.PDF:
        # Revision 0 is the live dossier of an application never submitted.
        content = exports.render_dossier_pdf(exports.build_dossier_context(application, revision))
        return f"{stem}.pdf", content, {}
    exports.archive_write(application, revision, spool)
    spool.flush()
    spool.seek(0)
    return f"{stem}.zip", File(spool, name=f"{stem}.zip"), {}


def dossier_export_build(*, export: DossierExport) -> DossierExport:
    """Build the export's file and store it, marking it ready; a build error marks it failed with the error.
    A ZIP is streamed into storage from a temporary file that spills to disk past ``ARCHIVE_SPOOL_BYTES``,
    so a worker's memory stays bounded whatever the attachments weigh."""
    with tempfile.SpooledTemporaryFile(
        max_size=ARCHIVE_SPOOL_BYTES, dir=settings.FILE_UPLOAD_TEMP_DIR
    ) as spool:
        built = generated_file_build(DossierExport, export.pk, lambda pending: _build(pending, spool))
    return export if built is None else built
