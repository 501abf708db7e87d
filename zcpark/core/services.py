"""Writes shared by every app: the audit trail, notifications and generated files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from .models import AuditEvent, FileStatus, GeneratedFile, Notification
from .outbox import task_enqueue_on_commit

logger = logging.getLogger(__name__)

ERROR_MAX_CHARS = 2000

G = TypeVar("G", bound=GeneratedFile)


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


def audited_update(
    instance: models.Model,
    *,
    data: dict[str, Any],
    allowed: tuple[str, ...],
    actor: Any,
    action: str,
    state_field: str | None = None,
    comment: str = "",
    exclude: list[str] | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Apply ``data`` to a locked ``instance``, validate, save the changed fields and audit them.

    Returns the (old, new) pairs; writes nothing when nothing changed. A change of ``state_field``
    is recorded as the event's from → to. Call it inside the caller's transaction.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields for {type(instance).__name__}: {sorted(unknown)}")
    changes = model_changes(instance, data)
    if not changes:
        return changes
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=exclude)
    update_fields = list(changes)
    if any(f.name == "updated_at" for f in instance._meta.fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    state = changes.get(state_field) if state_field else None
    audit_event_record(
        actor=actor,
        target=instance,
        action=action,
        from_state=str(state[0]) if state else "",
        to_state=str(state[1]) if state else "",
        comment=comment,
        changes=changes,
    )
    return changes


def _jsonable(value: Any) -> Any:
    """JSON values as they are (a GeoJSON dict included); anything else (a model, a Decimal) as text."""
    if value is None or isinstance(value, bool | int | str | dict | list):
        return value
    return str(value)


def notification_send(*, recipients: Any, title: str, body: str = "", url: str = "") -> list[Any]:
    """Create an in-app notification for each active recipient and e-mail those with an address, after commit.

    Call it inside the transaction of the change it announces: a rolled-back change notifies nobody.
    """
    users = [user for user in recipients if user is not None and user.is_active]
    notes = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title[:255], body=body, url=url[:255]) for user in users]
    )
    emails = sorted({user.email for user in users if user.email})
    if emails:
        task_enqueue_on_commit("core.notification_email", title, body, url, emails)
    return notes


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all of them) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now(), updated_at=timezone.now())


# ---- generated files -------------------------------------------------------------------------------


def generated_file_build(
    model: type[G], pk: int, build: Callable[[G], tuple[str, bytes, dict[str, Any]]]
) -> G | None:
    """Build a requested file and store it: ``build`` returns its name, content and the model's other fields
    to set. Any error but the database's marks it failed with the error (logged), so the page stops waiting
    and the user can ask again; a database error is raised for the task to retry. Building takes seconds,
    so no lock is held while it runs. A file already ready is left as it is; a row gone returns None."""
    generated = model._default_manager.filter(pk=pk).first()
    if generated is None or generated.status == FileStatus.READY:
        return generated
    try:
        name, content, fields = build(generated)
    except DatabaseError:
        raise
    except Exception as exc:
        logger.exception("%s %s failed", model._meta.model_name, pk)
        return generated_file_store(model, pk, error=f"{type(exc).__name__}: {exc}")
    return generated_file_store(model, pk, name=name, content=content, fields=fields)


@transaction.atomic
def generated_file_store(
    model: type[G],
    pk: int,
    *,
    name: str = "",
    content: bytes | None = None,
    fields: dict[str, Any] | None = None,
    error: str = "",
) -> G:
    """Record a build: the file, READY and ``fields``; or, without content, FAILED with the error.
    A file already ready is left as it is."""
    generated = model._default_manager.select_for_update().get(pk=pk)
    if generated.status == FileStatus.READY:
        return generated
    if content is None:
        generated.status, generated.error = FileStatus.FAILED, error[:ERROR_MAX_CHARS]
        generated.save(update_fields=["status", "error", "updated_at"])
        return generated
    generated.file.save(name, ContentFile(content), save=False)
    generated.status, generated.error = FileStatus.READY, ""
    for field, value in (fields or {}).items():
        setattr(generated, field, value)
    generated.save(update_fields=["file", "status", "error", *(fields or {}), "updated_at"])
    return generated


# A file still pending this long after it was asked for will not come: its worker died or its message
# was lost (the task's own time limit is 10 minutes).
GENERATED_FILE_STALE_AFTER = timedelta(minutes=20)
STALE_ERROR = "The job did not finish (the worker stopped or its message was lost); ask for it again."


def generated_files_fail_stale(*, now: Any = None) -> int:
    """Mark failed every generated file (export, report) pending past ``GENERATED_FILE_STALE_AFTER``, so
    its page stops waiting and offers to ask again; returns how many."""
    cutoff = (now or timezone.now()) - GENERATED_FILE_STALE_AFTER
    failed = 0
    for model in apps.get_models():
        if issubclass(model, GeneratedFile):
            failed += model._default_manager.filter(status=FileStatus.PENDING, created_at__lt=cutoff).update(
                status=FileStatus.FAILED, error=STALE_ERROR, updated_at=timezone.now()
            )
    return failed
