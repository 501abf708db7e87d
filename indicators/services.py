"""Writes for indicators: factor-set and scheme versions, park-year datasets and their results.

Every change of reference data is a new immutable version made current in one transaction, with
an audit event, and a recomputation of every stored result scheduled after commit. Results are
append-only: ``indicator_results_compute`` keeps a current result the engine reproduces and
otherwise supersedes it, so the history says which result was current when.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import structlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parks.models import Park, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record

from . import engine, selectors
from .models import (
    INDICATOR_UNITS,
    YEAR_MAX,
    YEAR_MIN,
    FactorSet,
    GridBasis,
    IndicatorCode,
    IndicatorResult,
    ParkDataset,
    Scheme,
)
from .permissions import can_edit_park_dataset, can_manage_factors

logger = structlog.get_logger(__name__)

GRID_FACTOR_MAX = Decimal("10")  # tCO2/MWh; no real grid comes near it, so larger is a typo
GRID_FACTOR_MAX_PLACES = 6
# Datasets evaluated per round trip in a bulk recomputation: bounds memory and the IN (...) lists.
RECOMPUTE_CHUNK = 500
ENGINE_ERROR_CODE = "engine_error"
_PLACEHOLDER = "\x00factor-set\x00"


# --- documents -----------------------------------------------------------------------------------


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
    return _json_safe(engine.loads(path.read_text(encoding="utf-8")))


def _decimal_text(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 80.0 → "80", 0.58300 → "0.583"."""
    return format(value.normalize(), "f")


def _next_version(model: type[FactorSet] | type[Scheme], **family: str) -> int:
    return (model.objects.filter(**family).aggregate(top=Max("version"))["top"] or 0) + 1


def _schedule_recompute(reason: str) -> None:
    from .tasks import indicator_results_recompute_task

    # robust: the change is committed; a failing recomputation is logged, not shown as a failed save.
    transaction.on_commit(lambda: indicator_results_recompute_task.delay(reason), robust=True)


def _check_factor_manager(by: User | None) -> None:
    if not can_manage_factors(by):
        raise PermissionDenied


# --- fixtures ------------------------------------------------------------------------------------


@transaction.atomic
def factor_set_load_fixture(*, path: Path) -> tuple[FactorSet, bool]:
    """Create the factor-set version a fixture names (``cn-2025.1``) unless it exists; idempotent.

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
        comment=_("Loaded from %(file)s") % {"file": path.name},
    )
    factor_set.full_clean()
    factor_set.save()
    audit_event_record(actor=None, target=factor_set, action="factor_set_loaded", to_state=name)
    if factor_set.is_current:
        _schedule_recompute(f"factor set {name} loaded")
    return factor_set, True


@transaction.atomic
def scheme_load_fixture(*, path: Path) -> tuple[Scheme, bool]:
    """Create version 1 of the scheme a fixture holds unless the scheme exists; idempotent."""
    document = _read_fixture(path)
    code = str(document.get("name", ""))
    existing = Scheme.objects.filter(code=code, version=1).first()
    if existing is not None:
        return existing, False
    _parse_scheme(document)
    scheme = Scheme(
        code=code,
        version=1,
        title=document.get("title", ""),
        document=document,
        is_current=not Scheme.objects.filter(code=code, is_current=True).exists(),
        comment=_("Loaded from %(file)s") % {"file": path.name},
    )
    scheme.full_clean()
    scheme.save()
    audit_event_record(actor=None, target=scheme, action="scheme_loaded", to_state=str(scheme))
    if scheme.is_current:
        _schedule_recompute(f"scheme {scheme} loaded")
    return scheme, True


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


# --- factor sets ---------------------------------------------------------------------------------


def _validate_grid_factor(*, basis: str, year: int, value: Decimal, source: str) -> None:
    errors: dict[str, list[str]] = {}
    if basis not in GridBasis.values:
        errors["basis"] = [_("Choose one of the grid bases.")]
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [_("The year must be between 2000 and 2100.")]
    if not isinstance(value, Decimal) or not value.is_finite():
        errors["value"] = [_("Enter a number.")]
    elif not Decimal(0) < value < GRID_FACTOR_MAX:
        errors["value"] = [_("A grid factor must be above 0 and below 10 tCO2/MWh.")]
    elif -value.as_tuple().exponent > GRID_FACTOR_MAX_PLACES:  # type: ignore[operator]
        errors["value"] = [_("Use at most 6 decimal places.")]
    if not source.strip():
        errors["source"] = [_("Name the source of the value (publication and table).")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def factor_set_add_grid_factor(
    *,
    by: User | None,
    basis: str,
    year: int,
    value: Decimal,
    source: str,
    provisional: bool = False,
    replace: bool = False,
    comment: str = "",
) -> FactorSet:
    """Publish a grid emission factor (tCO2/MWh) as the next version of the current factor set.

    The new version becomes current (the old one stays, no longer current), the change is audited
    from → to, and every stored result is recomputed after commit. An existing (basis, year) value
    is replaced only with ``replace=True``. Province admins only.
    """
    _check_factor_manager(by)
    _validate_grid_factor(basis=basis, year=year, value=value, source=source)
    # Lock the current version: two concurrent additions must not both build on it.
    current = (
        FactorSet.objects.select_for_update().filter(is_current=True).order_by("-created_at", "-pk").first()
    )
    if current is None:
        raise ApplicationError(_("No factor set is loaded yet (run load_factor_data)."))
    document = copy.deepcopy(current.document)
    entry = {
        "basis": basis,
        "year": year,
        "value": _decimal_text(value),
        "source": source.strip(),
        "provisional": provisional,
    }
    old = selectors.grid_factor_lookup(document=document, basis=basis, year=year)
    if old is not None and not replace:
        raise ValidationError(
            {
                "year": [
                    _("%(year)s already has a value for this basis; tick “replace” to change it.")
                    % {"year": year}
                ]
            }
        )
    if (
        old is not None
        and {**old, "year": int(old["year"]), "value": _decimal_text(Decimal(str(old["value"])))} == entry
    ):
        raise ValidationError({"value": [_("This is the value the current factor set already has.")]})
    rows = [row for row in document["grid_factors"] if row is not old] + [entry]
    order = {basis_code: index for index, basis_code in enumerate(GridBasis.values)}
    document["grid_factors"] = sorted(
        rows, key=lambda row: (order.get(row["basis"], len(order)), int(row["year"]))
    )
    factor_set = _factor_set_new_version(current=current, document=document, by=by, comment=comment)
    audit_event_record(
        actor=by,
        target=factor_set,
        action="factor_set_grid_factor_replaced" if old else "factor_set_grid_factor_added",
        from_state=current.name,
        to_state=factor_set.name,
        comment=comment,
        changes={
            f"grid_factor {basis} {year}": (
                None if old is None else f"{old['value']} ({old.get('source', '')})",
                f"{entry['value']} ({entry['source']})",
            )
        },
    )
    _schedule_recompute(f"factor set {factor_set.name}")
    return factor_set


def _factor_set_new_version(
    *, current: FactorSet, document: dict[str, Any], by: User | None, comment: str
) -> FactorSet:
    version = _next_version(FactorSet, family=current.family)
    name = FactorSet.versioned_name(current.family, version)
    document["name"] = name
    if document.get("title"):
        # The fixture's title carries its edition ("第 1 版"); keep it in step with the version.
        document["title"] = re.sub(r"第\s*\d+\s*版", f"第 {version} 版", document["title"])
    _parse_factor_set(document)
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    factor_set = FactorSet(
        family=current.family,
        version=version,
        name=name,
        title=document.get("title", ""),
        document=document,
        is_current=True,
        based_on=current,
        created_by=by if by is not None and by.is_authenticated else None,
        comment=comment,
    )
    factor_set.full_clean()
    factor_set.save()
    return factor_set


# --- schemes -------------------------------------------------------------------------------------


def _validate_threshold(key: str, code: str, value: Any) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError({key: [_("Enter a number of at least 0.")]})
    if INDICATOR_UNITS.get(code) == "%" and value > 100:
        raise ValidationError({key: [_("A percentage cannot exceed 100.")]})
    if code == IndicatorCode.GREEN_BUILDINGS and value != value.to_integral_value():
        raise ValidationError({key: [_("Enter a whole number of buildings.")]})
    return value


@transaction.atomic
def scheme_new_version(
    *, by: User | None, code: str, thresholds: dict[str, Decimal], comment: str = ""
) -> Scheme:
    """Publish new thresholds for scheme ``code`` as its next version, made current.

    ``thresholds`` maps a guiding indicator's code, or ``"<core code>:<tier index>"`` for a tier of
    the core indicator (see ``selectors.scheme_threshold_items``), to its new value; keys left out
    keep their value. Audited from → to; every result is recomputed after commit. Province only.
    """
    _check_factor_manager(by)
    current = Scheme.objects.select_for_update().filter(code=code, is_current=True).first()
    if current is None:
        raise ValidationError({"code": [_("Unknown indicator scheme.")]})
    items = {item.key: item for item in selectors.scheme_threshold_items(document=current.document)}
    unknown = sorted(set(thresholds) - set(items))
    if unknown:
        raise ValidationError({"__all__": [_("Unknown thresholds: %(keys)s") % {"keys": ", ".join(unknown)}]})
    changes: dict[str, tuple[Any, Any]] = {}
    document = copy.deepcopy(current.document)
    core_code = document["core"]["code"]
    for key, value in thresholds.items():
        item = items[key]
        value = _validate_threshold(key, item.code, value)
        if value == item.value:
            continue
        changes[key] = (_decimal_text(item.value), _decimal_text(value))
        if item.category == "core":
            document["core"]["tiers"][int(key.removeprefix(f"{core_code}:"))]["value"] = _decimal_text(value)
        else:
            rule = next(rule for rule in document["guiding"] if rule["code"] == key)
            rule["value"] = _decimal_text(value)
    if not changes:
        raise ValidationError({"__all__": [_("No threshold was changed.")]})
    _parse_scheme(document)
    current.is_current = False
    current.save(update_fields=["is_current", "updated_at"])
    scheme = Scheme(
        code=code,
        version=_next_version(Scheme, code=code),
        title=document.get("title", ""),
        document=document,
        is_current=True,
        based_on=current,
        created_by=by if by is not None and by.is_authenticated else None,
        comment=comment,
    )
    scheme.full_clean()
    scheme.save()
    audit_event_record(
        actor=by,
        target=scheme,
        action="scheme_version_created",
        from_state=str(current),
        to_state=str(scheme),
        comment=comment,
        changes=changes,
    )
    _schedule_recompute(f"scheme {scheme}")
    return scheme


# --- datasets ------------------------------------------------------------------------------------


@transaction.atomic
def park_dataset_save(
    *, by: User | None, park: Park, year: int, document: dict[str, Any], comment: str = ""
) -> ParkDataset:
    """Store a park's dataset document for ``year`` (creating or replacing it) and compute its results
    after commit. The park's own staff and the province may; ``document["year"]`` must be ``year``."""
    if by is not None and not can_edit_park_dataset(by, park):
        raise PermissionDenied
    if not isinstance(document, dict):
        raise ValidationError({"document": [_("The dataset must be a JSON object.")]})
    if str(document.get("year")) != str(year):
        raise ValidationError(
            {
                "year": [
                    _("The document is for %(doc)s, not %(year)s.")
                    % {"doc": document.get("year"), "year": year}
                ]
            }
        )
    stored = _json_safe(document)
    dataset = ParkDataset.objects.select_for_update().filter(park=park, year=year).first()
    created = dataset is None
    if dataset is None:
        dataset = ParkDataset(
            park=park, year=year, created_by=by if by is not None and by.is_authenticated else None
        )
    elif dataset.document == stored:
        return dataset
    dataset.document = stored
    dataset.full_clean()
    dataset.save()
    audit_event_record(
        actor=by, target=dataset, action="dataset_created" if created else "dataset_updated", comment=comment
    )
    from .tasks import indicator_results_compute_task

    dataset_id = dataset.pk
    transaction.on_commit(
        lambda: indicator_results_compute_task.delay(dataset_id, "dataset saved"), robust=True
    )
    return dataset


# --- results -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RecomputeSummary:
    """What a (re)computation did: datasets evaluated, results written, kept and superseded."""

    datasets: int
    created: int
    unchanged: int
    superseded: int
    factor_set: str
    engine_version: str


def _comparable(document: Any, factor_set_name: str) -> Any:
    """``document`` with its factor set's name masked: a new factor-set version that leaves every
    number of a result alike leaves the result alike (its row keeps the set it was computed with)."""
    pattern = re.compile(re.escape(factor_set_name) + r"(?![0-9])")

    def mask(value: Any) -> Any:
        if isinstance(value, str):
            return pattern.sub(_PLACEHOLDER, value)
        if isinstance(value, dict):
            return {key: mask(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mask(item) for item in value]
        return value

    return mask(document)


def _evaluate(
    dataset_id: int, document: dict[str, Any], factor_set: engine.FactorSet, scheme: engine.Scheme
) -> tuple[bool, dict[str, Any]]:
    try:
        evaluation = engine.evaluate(document, factor_set=factor_set, scheme=scheme)
        return evaluation.ok, json.loads(engine.dumps(evaluation.document()))
    except Exception:  # an engine defect must not stop the other datasets' recomputation
        logger.exception("indicator_engine_failed", dataset_id=dataset_id, scheme=scheme.name)
        message = _("The calculation failed unexpectedly; the administrators have been notified.")
        return False, {"errors": [{"path": "", "code": ENGINE_ERROR_CODE, "message": message}]}


def _current_reference() -> tuple[selectors.CurrentFactorSet, list[selectors.CurrentScheme]]:
    factor_set = selectors.factor_set_current_version()
    schemes = selectors.scheme_current_versions()
    if factor_set is None or not schemes:
        raise ApplicationError(_("No factor set or indicator scheme is loaded yet (run load_factor_data)."))
    return factor_set, schemes


def _compute(
    datasets: list[tuple[int, dict[str, Any]]],
    *,
    factor_set: selectors.CurrentFactorSet,
    schemes: list[selectors.CurrentScheme],
    reason: str,
    now: datetime,
) -> tuple[list[IndicatorResult], list[int], int]:
    """Evaluate (dataset id, document) pairs under every current scheme; write what changed.

    Returns (new results, superseded ids, unchanged count). Two statements write: one UPDATE for
    the superseded rows, then one bulk INSERT; the callers hold the datasets' row locks.
    """
    current = {
        (row.dataset_id, row.scheme_code): row
        for row in IndicatorResult.objects.current()
        .filter(dataset_id__in=[pk for pk, _doc in datasets])
        .only("id", "dataset_id", "scheme_code", "engine_version", "factor_set_name", "document")
    }
    engine_version = str(engine.ENGINE_VERSION)
    new: list[IndicatorResult] = []
    superseded: list[int] = []
    unchanged = 0
    for dataset_id, document in datasets:
        for scheme in schemes:
            ok, result = _evaluate(dataset_id, document, factor_set.factor_set, scheme.scheme)
            old = current.get((dataset_id, scheme.code))
            if (
                old is not None
                and old.engine_version == engine_version
                and _comparable(old.document, old.factor_set_name) == _comparable(result, factor_set.name)
            ):
                unchanged += 1
                continue
            if old is not None:
                superseded.append(old.pk)
            new.append(
                IndicatorResult(
                    dataset_id=dataset_id,
                    scheme_code=scheme.code,
                    scheme_version=scheme.version,
                    factor_set_name=factor_set.name,
                    engine_version=engine_version,
                    ok=ok,
                    core_passed=bool(result.get("core_passed")) if ok else None,
                    document=result,
                    reason=reason[:255],
                    computed_at=now,
                )
            )
    # Supersede first: the new rows would otherwise collide with the one-current-row constraint.
    # The rows are built here from engine output, so they skip full_clean (a bulk path).
    if superseded:
        IndicatorResult.objects.filter(pk__in=superseded).update(superseded_at=now, updated_at=now)
    IndicatorResult.objects.bulk_create(new)
    return new, superseded, unchanged


@transaction.atomic
def indicator_results_compute(*, dataset: ParkDataset, reason: str = "") -> list[IndicatorResult]:
    """Evaluate one dataset under every current scheme with the current factor set.

    A current result the engine reproduces (same engine version, same document up to the factor
    set's name) is kept; any other is superseded by a new row. Returns the current results.
    """
    locked = ParkDataset.objects.select_for_update().only("id", "document").get(pk=dataset.pk)
    factor_set, schemes = _current_reference()
    _compute(
        [(locked.pk, locked.document)],
        factor_set=factor_set,
        schemes=schemes,
        reason=reason,
        now=timezone.now(),
    )
    return list(IndicatorResult.objects.current().filter(dataset_id=locked.pk).order_by("scheme_code"))


@transaction.atomic
def indicator_results_recompute_all(*, reason: str = "") -> RecomputeSummary:
    """Recompute every dataset's results (after a factor-set, scheme or engine change).

    Bulk: datasets are read and locked in chunks of RECOMPUTE_CHUNK (in pk order, so concurrent
    recomputations queue instead of deadlocking); each chunk costs one read of its current
    results, one UPDATE and one INSERT. Every superseded row ends at the same instant.
    """
    now = timezone.now()
    engine_version = str(engine.ENGINE_VERSION)
    ids = list(ParkDataset.objects.order_by("pk").values_list("pk", flat=True))
    if not ids:
        return RecomputeSummary(0, 0, 0, 0, factor_set="", engine_version=engine_version)
    factor_set, schemes = _current_reference()
    created = unchanged = superseded = 0
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = list(
            ParkDataset.objects.select_for_update()
            .filter(pk__in=ids[start : start + RECOMPUTE_CHUNK])
            .order_by("pk")
            .values_list("pk", "document")
        )
        new, old, same = _compute(chunk, factor_set=factor_set, schemes=schemes, reason=reason, now=now)
        created, superseded, unchanged = created + len(new), superseded + len(old), unchanged + same
    summary = RecomputeSummary(
        datasets=len(ids),
        created=created,
        unchanged=unchanged,
        superseded=superseded,
        factor_set=factor_set.name,
        engine_version=engine_version,
    )
    logger.info("indicator_results_recomputed", reason=reason, **dataclasses.asdict(summary))
    return summary
