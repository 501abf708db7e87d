"""The shared steps of a new reference-data version: parsing, numbering, publishing and recomputing.

A factor set or a scheme changes only by a new immutable version: the document is parsed by the
engine first (``_parse_factor_set`` / ``_parse_scheme``), numbered after the family's highest
version, saved as current while the one it is based on is retired (``_publish_version``), and every
stored result is recomputed after commit (``_schedule_recompute``). Used by ``reference`` (fixtures),
``factor_edits`` and ``schemes``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from parks.models import User
from zcpark.core.outbox import task_enqueue_on_commit

from .. import engine
from ..models import FactorSet, Scheme, VersionedDocument
from ..permissions import can_manage_factors
from .recompute import RECOMPUTE_TASK, results_recompute_asked

_Version = TypeVar("_Version", bound=VersionedDocument)  # a FactorSet or a Scheme


def _decimal_text(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 80.0 → "80", 0.58300 → "0.583"."""
    return format(value.normalize(), "f")


def _next_version(model: type[FactorSet] | type[Scheme], **family: str) -> int:
    return (model.objects.filter(**family).aggregate(top=Max("version"))["top"] or 0) + 1


def _schedule_recompute(reason: str) -> None:
    # After commit, robust: a failing recomputation is logged, not shown as a failed save. Marked asked for
    # first, so the factor page follows it (``recompute``), even when it runs in-process right after commit.
    results_recompute_asked()
    task_enqueue_on_commit(RECOMPUTE_TASK, reason)


def _check_factor_manager(by: User | None) -> None:
    if not can_manage_factors(by):
        raise PermissionDenied


def _parse_factor_set(document: dict[str, Any]) -> engine.FactorSet:
    try:
        return engine.FactorSet.from_document(document)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            {"document": _("Not a valid factor-set document: %(error)s") % {"error": exc}}
        ) from exc


def _parse_scheme(document: dict[str, Any]) -> engine.Scheme:
    try:
        return engine.Scheme.from_document(document)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationError(
            {"document": _("Not a valid scheme document: %(error)s") % {"error": exc}}
        ) from exc


def _publish_version(
    current: _Version, new: _Version, *, document: dict[str, Any], by: User | None, comment: str
) -> _Version:
    """Retire ``current`` and save ``new`` (a FactorSet or Scheme) as the current version after it."""
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    new.title = document.get("title", "")
    new.document = document
    new.is_current = True
    new.based_on = current
    new.created_by = by if by is not None and by.is_authenticated else None
    new.comment = comment
    new.full_clean()
    new.save()
    return new
