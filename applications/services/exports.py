"""Dossier exports: requesting the PDF or ZIP of an application, and building it in a task."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from parks.models import User

from .. import exports
from ..models import Application, DossierExport, ExportKind, ExportStatus
from ..permissions import can_export_application

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000


@transaction.atomic
def dossier_export_request(*, by: User, application: Application, kind: str) -> DossierExport:
    """A pending export of the application's latest revision (the live dossier if never submitted);
    the file is built by a task once the row is committed."""
    if not can_export_application(by, application):
        raise PermissionDenied
    if kind not in ExportKind.values:
        raise ValidationError({"kind": [_("Choose the PDF or the ZIP archive.")]})
    export = DossierExport(
        application=application, kind=kind, revision_number=application.revision, requested_by=by
    )
    export.full_clean()
    export.save()
    from ..tasks import dossier_export_build_task

    export_id = export.pk
    transaction.on_commit(lambda: dossier_export_build_task.delay(export_id), robust=True)
    return export


def _build(export: DossierExport) -> tuple[str, bytes]:
    """The stored file's name (ASCII; the download gets a readable one) and its content."""
    application, revision = export.application, export.revision_number
    stem = f"dossier-{application.pk}-r{revision}-{export.pk}"
    if export.kind == ExportKind.PDF:
        # Revision 0 is the live dossier of an application never submitted.
        return f"{stem}.pdf", exports.render_dossier_pdf(exports.build_dossier_context(application, revision))
    return f"{stem}.zip", exports.build_archive(application, revision)


def dossier_export_build(*, export: DossierExport) -> DossierExport:
    """Build the export's file and store it, marking it ready; a build error marks it failed with the error.

    Rendering takes seconds, so no transaction or lock is held while it runs; a database error is
    raised (the task retries it) rather than recorded. An export already ready is returned as is.
    """
    if export.status == ExportStatus.READY:
        return export
    try:
        name, content = _build(export)
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("dossier export %s failed", export.pk)
        export.status = ExportStatus.FAILED
        export.error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
        export.save(update_fields=["status", "error", "updated_at"])
        return export
    export.file.save(name, ContentFile(content), save=False)
    export.status, export.error = ExportStatus.READY, ""
    export.save(update_fields=["file", "status", "error", "updated_at"])
    return export
