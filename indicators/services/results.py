"""Indicator-result writes: evaluate datasets under the current reference data, append-only.

``indicator_results_compute`` keeps a current result the engine reproduces and otherwise supersedes
it, so the history says which result was current when.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import Any

import structlog
from celery.exceptions import SoftTimeLimitExceeded
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import TIMEOUT_ERROR

from .. import engine, selectors
from ..exemptions import document_for_engine, exemptions_accepted
from ..models import IndicatorResult, ParkDataset
from .recompute import results_recompute_ended

# The package's name, not this module's: log records keep the logger name they had before the split.
logger = structlog.get_logger("indicators.services")

# Datasets evaluated per round trip in a bulk recomputation: bounds memory and the IN (...) lists.
RECOMPUTE_CHUNK = 500
ENGINE_ERROR_CODE = "engine_error"
_PLACEHOLDER = "\x00factor-set\x00"


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


def result_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The numbers of a result document that lists show and sort on, as the engine wrote them:
    ``{"totals": {key: value}, "indicators": {code: {"value": v, "status": s}}}``."""
    totals = document.get("totals") or {}
    return {
        "totals": {key: value for key, value in totals.items() if not isinstance(value, dict | list)},
        "indicators": {
            item["code"]: {"value": item.get("value"), "status": item.get("status")}
            for item in document.get("indicators") or []
            if "code" in item
        },
    }


def _major(version: str) -> int:
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else 0


def _keeps_older_result(
    old: IndicatorResult | None, ok: bool, result: dict[str, Any], engine_version: str
) -> bool:
    """A newer engine that refuses a dataset an older engine computed leaves the older result current
    (marked, not replaced by an errors document): nothing computed before is lost by an engine change."""
    return (
        not ok
        and old is not None
        and old.ok
        and _major(old.engine_version) < _major(engine_version)
        and all(error.get("code") != ENGINE_ERROR_CODE for error in result.get("errors") or [])
    )


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


def _engine_documents(rows: list[tuple[int, int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """(dataset id, park id, document) rows as the engine computes them: each park's accepted exemptions
    only (``exemptions.document_for_engine``, the one place that decides it; one query per chunk)."""
    accepted = exemptions_accepted({park_id for _pk, park_id, _doc in rows})
    return [(pk, document_for_engine(document, accepted.get(park_id, {}))) for pk, park_id, document in rows]


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
    the superseded rows, then one bulk INSERT (a third marks older results a newer engine refused to
    recompute, see ``_keeps_older_result``); the callers hold the datasets' row locks.
    """
    current = {
        (row.dataset_id, row.scheme_code): row
        for row in IndicatorResult.objects.current()
        .filter(dataset_id__in=[pk for pk, _doc in datasets])
        .only(
            "id",
            "dataset_id",
            "scheme_code",
            "engine_version",
            "factor_set_name",
            "document",
            "ok",
            "not_recomputable_errors",
            "not_recomputable_engine",
        )
    }
    engine_version = str(engine.ENGINE_VERSION)
    new: list[IndicatorResult] = []
    superseded: list[int] = []
    marked: list[IndicatorResult] = []
    unchanged = 0
    for dataset_id, document in datasets:
        for scheme in schemes:
            ok, result = _evaluate(dataset_id, document, factor_set.factor_set, scheme.scheme)
            old = current.get((dataset_id, scheme.code))
            if _keeps_older_result(old, ok, result, engine_version):
                assert old is not None
                unchanged += 1
                errors = result.get("errors") or []
                if (old.not_recomputable_errors, old.not_recomputable_engine) != (errors, engine_version):
                    old.not_recomputable_errors, old.not_recomputable_engine = errors, engine_version
                    marked.append(old)
                continue
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
                    summary=result_summary(result) if ok else {},
                    reason=reason[:255],
                    computed_at=now,
                )
            )
    # Supersede first: the new rows would otherwise collide with the one-current-row constraint.
    # The rows are built here from engine output, so they skip full_clean (a bulk path).
    if superseded:
        IndicatorResult.objects.filter(pk__in=superseded).update(superseded_at=now, updated_at=now)
    IndicatorResult.objects.bulk_create(new)
    if marked:
        IndicatorResult.objects.bulk_update(marked, ["not_recomputable_errors", "not_recomputable_engine"])
        logger.warning("indicator_results_not_recomputable", results=[row.pk for row in marked])
    return new, superseded, unchanged


@transaction.atomic
def indicator_results_compute(*, dataset: ParkDataset, reason: str = "") -> list[IndicatorResult]:
    """Evaluate one dataset under every current scheme with the current factor set.

    A current result the engine reproduces (same engine version, same document up to the factor
    set's name) is kept; any other is superseded by a new row. Returns the current results.
    """
    locked = ParkDataset.objects.select_for_update().only("id", "park_id", "document").get(pk=dataset.pk)
    factor_set, schemes = _current_reference()
    _compute(
        _engine_documents([(locked.pk, locked.park_id, locked.document)]),
        factor_set=factor_set,
        schemes=schemes,
        reason=reason,
        now=timezone.now(),
    )
    return list(IndicatorResult.objects.current().filter(dataset_id=locked.pk).order_by("scheme_code"))


def indicator_results_recompute_all(*, reason: str = "") -> RecomputeSummary:
    """Recompute every dataset's results (after a factor-set, scheme or engine change), and say so to the
    factor page (``recompute``): done, or failed with the error. A database error is raised without
    marking anything: the task retries it, and the page keeps waiting (until the job counts as lost).

    Bulk: datasets are read and locked in chunks of RECOMPUTE_CHUNK (in pk order, so concurrent
    recomputations queue instead of deadlocking); each chunk costs one read of its current
    results, one UPDATE and one INSERT. Every superseded row ends at the same instant.
    """
    started_at = timezone.now()
    try:
        summary = _recompute_all(reason=reason, now=started_at)
    except DatabaseError:
        raise
    except SoftTimeLimitExceeded:
        results_recompute_ended(started_at=started_at, error=TIMEOUT_ERROR)
        raise
    except Exception as exc:
        results_recompute_ended(started_at=started_at, error=f"{type(exc).__name__}: {exc}")
        raise
    results_recompute_ended(started_at=started_at)
    return summary


@transaction.atomic
def _recompute_all(*, reason: str, now: datetime) -> RecomputeSummary:
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
            .values_list("pk", "park_id", "document")
        )
        new, old, same = _compute(
            _engine_documents(chunk), factor_set=factor_set, schemes=schemes, reason=reason, now=now
        )
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


@transaction.atomic
def indicator_results_sweep(*, reason: str = "sweep") -> RecomputeSummary:
    """Compute the datasets that lack a current result for some current scheme, or whose current result
    is older than the dataset (changed since it was computed).

    The safety net behind the after-commit tasks: a save whose task could not be queued or was lost
    (broker down, worker killed) is picked up by the next periodic sweep instead of keeping no results,
    or the results of the data as it was before.
    """
    now = timezone.now()
    engine_version = str(engine.ENGINE_VERSION)
    factor_set, schemes = _current_reference()
    complete = (
        IndicatorResult.objects.current()
        .filter(
            scheme_code__in=[scheme.code for scheme in schemes],
            computed_at__gte=models.F("dataset__updated_at"),
        )
        .values("dataset_id")
        .annotate(schemes=models.Count("id"))
        .filter(schemes=len(schemes))
        .values("dataset_id")
    )
    chunk = list(
        ParkDataset.objects.select_for_update()
        .exclude(pk__in=complete)
        .order_by("pk")
        .values_list("pk", "park_id", "document")
    )
    new, old, same = _compute(
        _engine_documents(chunk), factor_set=factor_set, schemes=schemes, reason=reason, now=now
    )
    summary = RecomputeSummary(
        datasets=len(chunk),
        created=len(new),
        unchanged=same,
        superseded=len(old),
        factor_set=factor_set.name,
        engine_version=engine_version,
    )
    if chunk:
        logger.info("indicator_results_swept", **dataclasses.asdict(summary))
    return summary
