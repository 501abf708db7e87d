"""Every import previews, then commits; a committed import can be undone.

An app registers an ``Importer`` for each kind of file it takes (the energy workbook, the zone catalog, a
dossier's table): how to read its target's current content (``snapshot``), how to write content to it
(``apply``), how two contents differ row by row (``diff``), who may see and import into a target, and,
optionally, the indicators the new content would give and its data-quality warnings. A kind's upload view
parses its file (cell errors: nothing is stored), then ``import_preview`` records an ``ImportBatch`` with
what would change, and the preview page offers to commit or discard it. ``import_commit`` applies the
content if the target still holds what the preview was computed from; ``import_rollback`` restores what the
target held before the latest committed import of that kind (``apply(target, None, by)`` restores
"nothing": the importer deletes what the import created). Imports of different kinds into one target (a
dossier's tables) are undone independently: an undo still refuses when that kind's data changed since.
An import made from a record (``origin``: a dossier, an annual report) is saved or undone only while that
record accepts changes (``zcpark.core.import_origins``).

The floor knows no role and no app: an importer's ``may`` and ``sees`` say who acts on and who sees a target.
The batch's states move by the ``import_batch`` machine (``zcpark.core.machines``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import ApplicationError
from .import_origins import origin_check, origin_fields, origin_refusal
from .machines import Machine, Step, Transition, register_machines, transition_apply
from .models_imports import ImportBatch as ImportBatch
from .models_imports import ImportStatus as ImportStatus
from .services import audit_event_record

# The one role of the import machine: whoever the batch's importer says may import into its target.
IMPORTER_ROLE = "importer"

STALE_MESSAGE = gettext_lazy("The data changed since this preview; preview again.")
CHANGED_SINCE_MESSAGE = gettext_lazy(
    "The data changed since this import was saved; undoing it would overwrite those changes."
)
NOT_LATEST_MESSAGE = gettext_lazy(
    "Only the latest saved import of this kind of data can be undone; undo that one first."
)
NOTHING_MESSAGE = gettext_lazy("The file changes nothing: there is nothing to save.")

DIFF_CHANGES = ("added", "changed", "removed")


@dataclass(frozen=True)
class Importer:
    kind: str  # "energy_workbook", "monthly", "zone_catalog", "key_projects", …
    label: Any  # lazy text: gettext_lazy("Key projects")
    snapshot: Callable[[Any], Any]  # target -> its current content, JSON-safe (None: nothing yet)
    # (target, content, by) writes content (None: restores "nothing") inside the framework's transaction;
    # raises ValidationError / ApplicationError / PermissionDenied to refuse (nothing is then saved).
    apply: Callable[[Any, Any, Any], None]
    # (before, after) -> [{"key", "label", "change": added|changed|removed, "fields": [{field, old, new}]}]
    diff: Callable[[Any, Any], list[dict[str, Any]]]
    may: Callable[[Any, Any], bool]  # (user, target): may import into / undo on this target (else 403)
    sees: Callable[[Any, Any], bool]  # (user, target): may see this target (else 404)
    target_url: Callable[[Any], str]  # the target's page
    # (target, content) -> [{"label", "current", "resulting"}]
    indicators: Callable[[Any, Any], list[dict[str, Any]]] | None = None
    # (target, content) -> [{"severity": info|warning|serious, "message"}], never blocking
    warnings: Callable[[Any, Any], list[dict[str, Any]]] | None = None


IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    IMPORTERS[importer.kind] = importer


def importer_of(batch: ImportBatch) -> Importer:
    return IMPORTERS[batch.kind]


def as_json(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (Decimals and dates as text, tuples as lists), so a
    snapshot taken now compares equal to one stored before when the data is the same."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _target_locked(batch: ImportBatch) -> Any:
    """The batch's target, its row locked (imports into one target are serialized)."""
    model = batch.target_type.model_class()
    assert model is not None  # an importer's target is a model of an installed app
    target = model._default_manager.select_for_update().filter(pk=batch.target_id).first()
    if target is None:
        raise ApplicationError(_("What this import was for no longer exists."))
    return target


def _latest_committed(batch: ImportBatch) -> ImportBatch | None:
    """The latest committed import of the batch's kind into its target."""
    return (
        ImportBatch.objects.filter(
            target_type_id=batch.target_type_id,
            target_id=batch.target_id,
            kind=batch.kind,
            status=ImportStatus.COMMITTED,
        )
        .order_by("-committed_at", "-id")
        .first()
    )


# ---- the machine's steps -------------------------------------------------------------------------------


def _may(user: Any, batch: Any, role: str) -> bool:
    if role != IMPORTER_ROLE or batch.kind not in IMPORTERS:
        return False
    target = batch.target
    return target is not None and IMPORTERS[batch.kind].may(user, target)


def _check_origin(step: Step) -> None:
    """The record the import was made from (if any) still accepts changes (its row locked)."""
    origin_check(step.obj)


def _check_fresh(step: Step) -> None:
    """The target still holds what the preview compared the file with."""
    target = _target_locked(step.obj)
    step.params["target"] = target
    if as_json(importer_of(step.obj).snapshot(target)) != step.obj.before:
        raise ApplicationError(str(STALE_MESSAGE), errors={"__all__": [str(STALE_MESSAGE)]})
    if not step.obj.diff:
        raise ApplicationError(str(NOTHING_MESSAGE), errors={"__all__": [str(NOTHING_MESSAGE)]})


def _write_commit(step: Step) -> None:
    batch, importer, target = step.obj, importer_of(step.obj), step.params["target"]
    importer.apply(target, batch.content, step.by)
    batch.after = as_json(importer.snapshot(target))
    batch.committed_by = step.by if getattr(step.by, "is_authenticated", False) else None
    step.audit_comment = batch.file_name


def _check_undoable(step: Step) -> None:
    """The batch is its kind's latest saved import into its target, which still holds what it wrote."""
    batch = step.obj
    target = _target_locked(batch)
    step.params["target"] = target
    latest = _latest_committed(batch)
    if latest is not None and latest.pk != batch.pk:
        raise ApplicationError(str(NOT_LATEST_MESSAGE), errors={"__all__": [str(NOT_LATEST_MESSAGE)]})
    if as_json(importer_of(batch).snapshot(target)) != batch.after:
        raise ApplicationError(str(CHANGED_SINCE_MESSAGE), errors={"__all__": [str(CHANGED_SINCE_MESSAGE)]})


def _write_rollback(step: Step) -> None:
    batch = step.obj
    importer_of(batch).apply(step.params["target"], batch.before, step.by)
    batch.rolled_back_by = step.by if getattr(step.by, "is_authenticated", False) else None
    step.audit_comment = step.comment or batch.file_name


def _write_discard(step: Step) -> None:
    step.audit_comment = step.comment or step.obj.file_name


def import_url(batch: Any) -> str:
    return reverse("core:import-preview", args=[batch.pk])


def import_back_url(batch: ImportBatch, target: Any) -> str:
    """Where the preview leads back: the page the import was made from, else the target's page."""
    return batch.back_url or importer_of(batch).target_url(target)


IMPORT_BATCH = Machine(
    name="import_batch",
    model=ImportBatch,
    may=_may,
    audit_prefix="import_",
    url=import_url,
    description="数据导入 · An import: previewed, then saved or discarded; a saved one can be undone",
    transitions=(
        Transition(
            "commit",
            (ImportStatus.PREVIEWED,),
            ImportStatus.COMMITTED,
            gettext_lazy("Import saved"),
            gettext_lazy("Save the import"),
            (IMPORTER_ROLE,),
            checks=(_check_origin, _check_fresh),
            stamps=("committed_at",),
            writes=(_write_commit,),
            refusal=gettext_lazy("Only a preview can be saved; this import is “%(status)s”."),
        ),
        Transition(
            "discard",
            (ImportStatus.PREVIEWED,),
            ImportStatus.DISCARDED,
            gettext_lazy("Import discarded"),
            gettext_lazy("Discard"),
            (IMPORTER_ROLE,),
            stamps=("discarded_at",),
            writes=(_write_discard,),
            refusal=gettext_lazy("Only a preview can be discarded; this import is “%(status)s”."),
        ),
        Transition(
            "rollback",
            (ImportStatus.COMMITTED,),
            ImportStatus.ROLLED_BACK,
            gettext_lazy("Import undone"),
            gettext_lazy("Undo"),
            (IMPORTER_ROLE,),
            checks=(_check_origin, _check_undoable),
            stamps=("rolled_back_at",),
            writes=(_write_rollback,),
            refusal=gettext_lazy("Only a saved import can be undone; this import is “%(status)s”."),
        ),
    ),
)

ACTION_LABELS = {
    "import_previewed": gettext_lazy("Import previewed"),
    **{IMPORT_BATCH.audit_action(t): t.label for t in IMPORT_BATCH.transitions},
}


def imports_ready() -> None:
    """Register the machine and its labels (the core app's ready())."""
    from .models import register_action_labels, register_state_labels

    register_machines(IMPORT_BATCH)
    register_action_labels(ACTION_LABELS)
    register_state_labels(dict(ImportStatus.choices))


# ---- services ------------------------------------------------------------------------------------------


def _rows(diff: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The importer's diff as stored: text everywhere, an unknown change refused (a programming error)."""
    rows = as_json(diff or [])
    for row in rows:
        if row.get("change") not in DIFF_CHANGES:
            raise ValueError(f"diff row with change {row.get('change')!r}")
    return list(rows)


def import_preview(
    *,
    kind: str,
    target: models.Model,
    content: Any,
    by: Any,
    file_name: str = "",
    back_url: str = "",
    origin: models.Model | None = None,
) -> ImportBatch:
    """Record what importing ``content`` into ``target`` would change: the rows added, changed and removed,
    the indicators it would give against the current ones and its warnings. Nothing of the target changes.
    ``back_url``: the page the import was made from (where the preview leads back; else the target's).
    ``origin``: the record the import is made from (its model registered by ``register_import_origin``):
    the import is saved or undone only while it accepts changes."""
    importer = IMPORTERS[kind]
    if not importer.may(by, target):
        raise PermissionDenied
    with transaction.atomic():
        before = as_json(importer.snapshot(target))
        content = as_json(content)
        batch = ImportBatch.objects.create(
            kind=kind,
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            target_id=str(target.pk),
            target_repr=str(target)[:255],
            file_name=(file_name or "")[:255],
            back_url=back_url if _local(back_url) else "",
            **origin_fields(origin),
            content=content,
            before=before,
            diff=_rows(importer.diff(before, content)),
            indicators=as_json(importer.indicators(target, content)) if importer.indicators else [],
            warnings=as_json(importer.warnings(target, content)) if importer.warnings else [],
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_event_record(
            actor=by,
            target=batch,
            action="import_previewed",
            to_state=ImportStatus.PREVIEWED,
            comment=batch.file_name,
        )
    return batch


def _local(url: str) -> bool:
    """A path on this site (never another host's: the preview redirects to it)."""
    return len(url) <= 255 and url.startswith("/") and not url.startswith(("//", "/\\"))


def import_commit(*, batch: ImportBatch, by: Any, comment: str = "") -> ImportBatch:
    """Write the previewed content to the target, if it still holds what the preview was computed from."""
    return transition_apply(IMPORT_BATCH, batch, "commit", by=by, comment=comment)


def import_discard(*, batch: ImportBatch, by: Any, comment: str = "") -> ImportBatch:
    return transition_apply(IMPORT_BATCH, batch, "discard", by=by, comment=comment)


def import_rollback(*, batch: ImportBatch, by: Any, comment: str = "") -> ImportBatch:
    """Restore what the target held before ``batch`` (the latest committed import of its kind there)."""
    return transition_apply(IMPORT_BATCH, batch, "rollback", by=by, comment=comment)


def import_direct(
    *,
    kind: str,
    target: models.Model,
    content: Any,
    by: Any,
    file_name: str = "",
    origin: models.Model | None = None,
) -> ImportBatch | None:
    """A machine's push: previewed and committed at once, so its history shows it and it can be undone.
    None when the content changes nothing (no batch is kept). ``origin`` as for ``import_preview``."""
    importer = IMPORTERS[kind]
    if not importer.may(by, target):
        raise PermissionDenied
    with transaction.atomic():
        if not importer.diff(as_json(importer.snapshot(target)), as_json(content)):
            return None
        batch = import_preview(
            kind=kind, target=target, content=content, by=by, file_name=file_name, origin=origin
        )
        return import_commit(batch=batch, by=by)


def import_history(target: models.Model) -> QuerySet[ImportBatch]:
    """The imports into ``target``, newest first."""
    return ImportBatch.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
    ).select_related("created_by", "committed_by", "rolled_back_by")


def import_history_for(user: Any, target: models.Model, limit: int = 20) -> list[ImportBatch]:
    """The history a target's page shows ``user``: each batch with ``can_undo`` (the latest committed one
    of its kind, to whoever may import into the target, while the record it was made from accepts
    changes)."""
    batches = list(import_history(target).exclude(status=ImportStatus.DISCARDED)[:limit])
    latest: dict[str, ImportBatch | None] = {}
    for batch in batches:
        if batch.kind not in latest:
            latest[batch.kind] = _latest_committed(batch)
    for batch in batches:
        newest = latest[batch.kind]
        batch.can_undo = bool(  # type: ignore[attr-defined]
            newest is not None
            and batch.pk == newest.pk
            and batch.kind in IMPORTERS
            and IMPORTERS[batch.kind].may(user, target)
            and origin_refusal(batch) is None
        )
    return batches
