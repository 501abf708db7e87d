"""Admin pieces every app uses: edits made in the admin are audited like the services' edits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .services import audit_event_record


class AuditedAdminMixin:
    """Edits made in the admin leave the same audit trail as edits made through the services."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        changes = {name: (form.initial.get(name), form.cleaned_data.get(name)) for name in form.changed_data}
        audit_event_record(
            actor=request.user,
            target=obj,
            action="admin_changed" if change else "admin_created",
            changes=changes,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_event_record(actor=request.user, target=obj, action="admin_deleted")
        super().delete_model(request, obj)  # type: ignore[misc]
