"""The Excel controls of a form section's tables: for each table that comes from Excel, its template to
download (everyone who sees the dossier), its upload (the park's own staff while the dossier may change)
and its import history with Undo."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zcpark.core.imports import import_history_for

from ..models import Application
from ..permissions import can_edit_dossier
from .importers import may_import
from .specs import kinds_of_section


def table_import_panels(user: Any, application: Application, code: str) -> list[dict[str, Any]]:
    kinds = kinds_of_section(code)
    if not kinds:
        return []
    may = may_import(user, application)
    history = import_history_for(user, application) if may else []
    return [
        {
            "kind": kind.kind,
            "label": kind.label,
            "template_url": reverse("applications:table-template", args=[application.pk, kind.kind]),
            "upload_url": reverse("applications:table-import", args=[application.pk, kind.kind]),
            "can_upload": can_edit_dossier(user, application),
            "batches": [batch for batch in history if batch.kind == kind.kind] if may else None,
        }
        for kind in kinds
    ]
