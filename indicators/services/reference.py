"""Reference data from the fixtures: factor-set and scheme versions loaded from ``fixtures/``.

Every change is a new immutable version made current in one transaction, with an audit event, and a
recomputation of every stored result scheduled after commit (the shared steps are in ``versions``).

The province's own edits live beside this module and are re-exported here, so
``indicators.services.reference.<name>`` keeps working: ``factor_edits`` (grid factors,
equivalent-value coefficients and constants of the current factor set) and ``schemes`` (new
thresholds of a scheme).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import structlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zcpark.core.services import audit_event_record

from .. import engine
from ..models import FactorSet, Scheme, VersionStatus
from .factor_edits import (
    CONSTANT_RANGES,
    EQUIVALENT_COEFFICIENT_MAX,
    GRID_FACTOR_MAX,
    GRID_FACTOR_MAX_PLACES,
    factor_set_add_equivalent_coefficient,
    factor_set_add_grid_factor,
    factor_set_correct_constant,
)
from .schemes import scheme_new_version
from .versions import _next_version, _parse_factor_set, _parse_scheme, _publish_version, _schedule_recompute

__all__ = [
    "CONSTANT_RANGES",
    "EQUIVALENT_COEFFICIENT_MAX",
    "GRID_FACTOR_MAX",
    "GRID_FACTOR_MAX_PLACES",
    "factor_set_add_equivalent_coefficient",
    "factor_set_add_grid_factor",
    "factor_set_correct_constant",
    "factor_set_load_fixture",
    "logger",
    "scheme_load_fixture",
    "scheme_new_version",
]

logger = structlog.get_logger("indicators.services")


# --- documents -----------------------------------------------------------------------------------


def _loaded_comment(document: dict[str, Any]) -> str:
    """What a version loaded with the reference data says of itself: where its values come from (the
    document's source, else its title), never the file or version code it was read from."""
    source = str(document.get("source") or document.get("title") or "").strip()
    if not source:
        return str(_("Loaded with the reference data"))
    return _("Loaded with the reference data: %(source)s") % {"source": source}


def _json_safe(value: Any) -> Any:
    """A JSON-storable copy of ``value``: Decimals and floats become strings, so none is ever rounded
    through float on the way back (the engine reads numeric strings as exact Decimals)."""
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    return value


def _read_fixture(path: Path) -> dict[str, Any]:
    # A fixture file holds one JSON object (a factor-set or scheme document); JSON parses untyped.
    return cast("dict[str, Any]", _json_safe(engine.loads(path.read_text(encoding="utf-8"))))


# --- fixtures ------------------------------------------------------------------------------------


@transaction.atomic
def factor_set_load_fixture(*, path: Path) -> tuple[FactorSet, bool]:
    """Create the factor-set version a fixture names (``cn-2026.1``) unless it exists; idempotent.

    The new version becomes current only if its family has no current version yet. Returns the
    row and whether it was created.
    """
    document = _read_fixture(path)
    name = str(document.get("name", ""))
    family, _sep, version_text = name.rpartition(".")
    if not family or not version_text.isdigit():
        raise ValidationError(
            {"name": _("A factor-set name must read <family>.<version>: %(name)s") % {"name": name}}
        )
    existing = FactorSet.objects.filter(name=name).first()
    if existing is not None and existing.status != VersionStatus.PUBLISHED:
        # A draft (or a discarded draft) took this version's name: "already loaded" would silently drop the
        # fixture, and loading it would collide with the name the draft holds.
        message = (
            _(
                "Factor set %(name)s cannot be loaded: a draft made on the factor pages holds that version. "
                "Publish or discard the draft, then give the fixture the next version number."
            )
            if existing.status == VersionStatus.DRAFT
            else _(
                "Factor set %(name)s cannot be loaded: that version was a draft that was discarded, and a "
                "version number is never given again. Give the fixture the next version number."
            )
        )
        raise ValidationError({"name": message % {"name": name}})
    if existing is not None:
        return existing, False
    _parse_factor_set(document)
    factor_set = FactorSet(
        family=family,
        version=int(version_text),
        name=name,
        title=document.get("title", ""),
        document=document,
        is_current=not FactorSet.objects.filter(family=family, is_current=True).exists(),
        comment=_loaded_comment(document),
    )
    factor_set.full_clean()
    factor_set.save()
    audit_event_record(actor=None, target=factor_set, action="factor_set_loaded", to_state=name)
    if factor_set.is_current:
        _schedule_recompute(f"factor set {name} loaded")
    return factor_set, True


@transaction.atomic
def scheme_load_fixture(*, path: Path) -> tuple[Scheme, bool]:
    """Create version 1 of the scheme a fixture holds unless the scheme exists; a changed fixture becomes the
    next version while the province has published none (``_scheme_fixture_update``); idempotent."""
    document = _read_fixture(path)
    code = str(document.get("name", ""))
    existing = Scheme.objects.filter(code=code, version=1).first()
    if existing is not None:
        return _scheme_fixture_update(code=code, document=document, path=path)
    _parse_scheme(document)
    scheme = Scheme(
        code=code,
        version=1,
        title=document.get("title", ""),
        document=document,
        is_current=not Scheme.objects.filter(code=code, is_current=True).exists(),
        comment=_loaded_comment(document),
    )
    scheme.full_clean()
    scheme.save()
    audit_event_record(actor=None, target=scheme, action="scheme_loaded", to_state=str(scheme))
    if scheme.is_current:
        _schedule_recompute(f"scheme {scheme} loaded")
    return scheme, True


def _scheme_fixture_update(*, code: str, document: dict[str, Any], path: Path) -> tuple[Scheme, bool]:
    """A scheme fixture that changed since it was loaded (e.g. the national scheme's advisory of contract v2)
    is published as the next version, when the current version is still one loaded from a fixture; a
    version the province published is never overridden (the difference is logged)."""
    current = Scheme.objects.select_for_update().get(code=code, is_current=True)
    if current.document == document:
        return current, False
    if current.created_by_id is not None:
        logger.warning("scheme_fixture_not_applied", scheme=str(current), reason="the province published it")
        return current, False
    _parse_scheme(document)
    scheme = _publish_version(
        current,
        Scheme(code=code, version=_next_version(Scheme, code=code)),
        document=document,
        by=None,
        comment=_loaded_comment(document),
    )
    audit_event_record(
        actor=None, target=scheme, action="scheme_loaded", from_state=str(current), to_state=str(scheme)
    )
    _schedule_recompute(f"scheme {scheme} loaded")
    return scheme, True
