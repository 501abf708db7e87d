"""Writes shared by every app: the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def audit_event_record(
    *,
    actor: Any,
    target: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> AuditEvent:
    """Append one audit event; call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        action=action,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        changes={field: [_jsonable(old), _jsonable(new)] for field, (old, new) in (changes or {}).items()},
    )


def model_changes(instance: models.Model, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The (old, new) pairs of the fields in ``data`` whose value differs on ``instance``."""
    changes = {}
    for field, new in data.items():
        old = getattr(instance, field)
        if old != new:
            changes[field] = (old, new)
    return changes


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | dict | list):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)
