"""Where an import was made from, and whether that record still accepts changes.

An import previewed from a record (a dossier's energy year or table, an annual report's upload) carries it
as its ``origin``. A submitted record never changes: saving such a preview, or undoing such an import, is
refused once the record no longer accepts changes — whatever the target's own permission says. The floor
knows no app: each app registers, for its record's model, a check that raises ``ApplicationError`` with the
record's own message (``register_import_origin``, in the app's ready()).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from .exceptions import ApplicationError
from .models_imports import ImportBatch

# origin object (its row locked) -> None, or ApplicationError with why it no longer accepts changes.
OriginCheck = Callable[[Any], None]

ORIGIN_CHECKS: dict[type[models.Model], OriginCheck] = {}


def register_import_origin(model: type[models.Model], check: OriginCheck) -> None:
    """``check`` says whether a record of ``model`` (a concrete model) still accepts changes."""
    ORIGIN_CHECKS[model._meta.concrete_model or model] = check


def origin_fields(origin: models.Model | None) -> dict[str, Any]:
    """The batch's origin columns for ``origin`` (a model with a registered check; None: no origin)."""
    if origin is None:
        return {"origin_type": None, "origin_id": ""}
    if type(origin)._meta.concrete_model not in ORIGIN_CHECKS:
        raise ValueError(f"no import origin check registered for {type(origin).__name__}")
    return {"origin_type": ContentType.objects.get_for_model(origin), "origin_id": str(origin.pk)}


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, errors={"__all__": [message]})


def origin_refusal(batch: ImportBatch, *, lock: bool = False) -> ApplicationError | None:
    """Why the record ``batch`` was made from no longer accepts changes (None: it does, or there is none).
    ``lock``: its row is locked first (a commit or an undo, serialized with the record's own moves)."""
    if batch.origin_type_id is None:
        return None
    model = ContentType.objects.get_for_id(batch.origin_type_id).model_class()
    check = ORIGIN_CHECKS.get(model) if model is not None else None
    if model is None or check is None:  # fail closed: no one says the record still accepts changes
        return _refuse(_("What this import was made from no longer accepts changes."))
    manager = model._default_manager
    origin = (manager.select_for_update() if lock else manager).filter(pk=batch.origin_id).first()
    if origin is None:
        return _refuse(_("What this import was made from no longer exists."))
    try:
        check(origin)
    except ApplicationError as exc:
        return _refuse(str(exc.message))
    return None


def origin_check(batch: ImportBatch) -> None:
    """Raise the refusal of the record ``batch`` was made from (its row locked), if any."""
    refusal = origin_refusal(batch, lock=True)
    if refusal is not None:
        raise refusal
