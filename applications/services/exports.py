"""Dossier exports: requesting the PDF or ZIP of an application, and building it in a task."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.outbox import task_enqueue_on_commit
from zcpark.core.services import generated_file_build

from .. import exports
from ..models import Application, DossierExport, ExportKind
from ..permissions import can_export_application


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
    task_enqueue_on_commit("applications.dossier_export_build", export.pk)
    return export


def _build(export: DossierExport) -> tuple[str, bytes, dict[str, Any]]:
    """The stored file's name (ASCII; the download gets a readable one) and its content."""
    application, revision = export.application, export.revision_number
    stem = f"dossier-{application.pk}-r{revision}-{export.pk}"
    if export.kind == ExportKind.PDF:
        # Revision 0 is the live dossier of an application never submitted.
        content = exports.render_dossier_pdf(exports.build_dossier_context(application, revision))
        return f"{stem}.pdf", content, {}
    return f"{stem}.zip", exports.build_archive(application, revision), {}


def dossier_export_build(*, export: DossierExport) -> DossierExport:
    """Build the export's file and store it, marking it ready; a build error marks it failed with the error."""
    built = generated_file_build(DossierExport, export.pk, _build)
    return export if built is None else built
