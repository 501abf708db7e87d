"""Writes shared by every app: the audit trail, notifications and generated files."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from .models import STALE_ERROR, TIMEOUT_ERROR, AuditEvent, FileStatus, GeneratedFile, Notice, Notification
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


def notification_send(
    *, recipients: Any, title: str | Promise | Notice, body: str | Promise | Notice = "", url: str = ""
) -> list[Any]:
    """Create an in-app notification for each active recipient and e-mail those with an address, after commit.

    A ``Notice`` (or a lazy translation) as ``title`` or ``body`` is kept as msgid and parameters and shown in
    each reader's language; the e-mail and the stored text are in the portal's default language. A plain
    string is kept as it is (it is in one language already: a reviewer's opinion, an order's requirements).
    Call it inside the transaction of the change it announces: a rolled-back change notifies nobody.
    """
    title_notice, body_notice = Notice.of(title), Notice.of(body)
    with translation.override(settings.LANGUAGE_CODE):
        title_text = title_notice.render() if title_notice else str(title)
        body_text = body_notice.render() if body_notice else str(body)
    # An integration platform's service user (parks: is_machine) reads no notification.
    users = [
        user
        for user in recipients
        if user is not None and user.is_active and not getattr(user, "is_machine", False)
    ]
    notes = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title_text[:255],
                body=body_text,
                title_message=title_notice.as_json() if title_notice else {},
                body_message=body_notice.as_json() if body_notice else {},
                url=url[:255],
            )
            for user in users
        ]
    )
    emails = sorted({user.email for user in users if user.email})
    if emails:
        task_enqueue_on_commit("core.notification_email", title_text, body_text, url, emails)
    return notes


def notification_mark_read(*, user: Any, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all of them) read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now(), updated_at=timezone.now())


# ---- generated files -------------------------------------------------------------------------------
# A file moves pending → ready or failed once, whatever the broker does: a job is delivered at least once
# (acks_late; a redelivery after a worker died, the relay after a lost send), so every step checks the row's
# status, and the one that stores holds the row's lock.


def generated_file_build(
    model: type[G], pk: int, build: Callable[[G], tuple[str, bytes | File[bytes], dict[str, Any]]]
) -> G | None:
    """Build a requested file and store it: ``build`` returns its name, content and the model's other fields
    to set. Only a pending file is built: one gone returns None, one ready or failed is left as it is (a job
    delivered twice, or after the sweep failed it: the user asks again). Past the task's soft time limit, or
    on any error but the database's, the file is marked failed with a message for the page (the exception
    is logged); a database error is raised for the task to retry. Building takes minutes at most, so no lock
    is held while it runs: a second run of the same job at the same time builds in vain and stores nothing
    (``generated_file_store``)."""
    generated = model._default_manager.filter(pk=pk).first()
    if generated is None or generated.status != FileStatus.PENDING:
        return generated
    try:
        name, content, fields = build(generated)
    except SoftTimeLimitExceeded:
        logger.warning("%s %s stopped at the soft time limit", model._meta.model_name, pk)
        return generated_file_store(model, pk, error=TIMEOUT_ERROR)
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
    content: bytes | File[bytes] | None = None,
    fields: dict[str, Any] | None = None,
    error: str = "",
) -> G:
    """Record a build under the row's lock, with its audit event: the file, READY and ``fields``; or,
    without content, FAILED with the error. A ready file is left as it is (one file, one event however
    many runs store); so is a failed one given another error. A file that comes after the sweep failed its
    row is kept: it is what the user asked for."""
    generated = model._default_manager.select_for_update().get(pk=pk)
    before = generated.status
    if before == FileStatus.READY or (content is None and before == FileStatus.FAILED):
        return generated
    if content is None:
        return _generated_file_fail(generated, error)
    # Bytes (a PDF), or an open file (an archive spooled to disk) streamed into storage.
    generated.file.save(name, ContentFile(content) if isinstance(content, bytes) else content, save=False)
    generated.status, generated.error = FileStatus.READY, ""
    for field, value in (fields or {}).items():
        setattr(generated, field, value)
    generated.save(update_fields=["file", "status", "error", *(fields or {}), "updated_at"])
    audit_event_record(
        actor=None, target=generated, action="file_ready", from_state=before, to_state=FileStatus.READY
    )
    return generated


def _generated_file_fail(generated: G, error: str, *, comment: str = "") -> G:
    """Mark a locked, unfinished file failed with ``error`` (the page shows it), audited."""
    before = generated.status
    generated.status, generated.error = FileStatus.FAILED, error[:ERROR_MAX_CHARS]
    generated.save(update_fields=["status", "error", "updated_at"])
    audit_event_record(
        actor=None,
        target=generated,
        action="file_failed",
        from_state=before,
        to_state=FileStatus.FAILED,
        comment=comment,
    )
    return generated


@transaction.atomic
def generated_file_requeue(model: type[G], pk: int, *, by: Any, task: str) -> G:
    """Ask again for a failed file: the same row goes back to pending (the sweep's 20 minutes start again)
    and its job ``task`` is queued after commit, audited. The caller checks the permission, as for the first
    request. A file not failed (a second click: already asked again) is left as it is."""
    generated = model._default_manager.select_for_update().get(pk=pk)
    if generated.status != FileStatus.FAILED:
        return generated
    generated.status, generated.error = FileStatus.PENDING, ""
    generated.save(update_fields=["status", "error", "updated_at"])
    audit_event_record(
        actor=by,
        target=generated,
        action="file_requeued",
        from_state=FileStatus.FAILED,
        to_state=FileStatus.PENDING,
    )
    task_enqueue_on_commit(task, generated.pk)
    return generated


# A file still pending this long after it was asked for (or asked again) will not come: its worker died or
# its message was lost. It stays above the renderings' hard time limit (6 min) and a wait in the queue.
GENERATED_FILE_STALE_AFTER = timedelta(minutes=20)


def generated_file_pending(files: models.QuerySet[G]) -> G | None:
    """The file of ``files`` still being built, if its job is alive (the answer to a second request for
    it); one pending past ``GENERATED_FILE_STALE_AFTER`` (its job is lost) is marked failed on the way,
    with the message its page shows, and None is the answer. The caller holds the row lock its requests
    queue on."""
    pending = files.filter(status=FileStatus.PENDING).first()
    if pending is None or pending.updated_at >= timezone.now() - GENERATED_FILE_STALE_AFTER:
        return pending
    generated_file_store(type(pending), pending.pk, error=STALE_ERROR)
    return None


def generated_files_fail_stale(*, now: Any = None) -> int:
    """Mark failed every generated file (export, report) pending past ``GENERATED_FILE_STALE_AFTER``, with
    the message its page shows and an audit event, so the page stops waiting and offers to ask again. Rows
    being stored right now are skipped (they are not stale); returns how many failed."""
    cutoff = (now or timezone.now()) - GENERATED_FILE_STALE_AFTER
    failed = 0
    for model in apps.get_models():
        if not issubclass(model, GeneratedFile):
            continue
        with transaction.atomic():
            stale = model._default_manager.select_for_update(skip_locked=True).filter(
                status=FileStatus.PENDING, updated_at__lt=cutoff
            )
            for generated in stale:
                _generated_file_fail(generated, STALE_ERROR, comment=STALE_ERROR)
                failed += 1
    return failed
