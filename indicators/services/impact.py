"""The impact preview of a draft factor-set or scheme version: which stored park-year results it would change.

Every stored park-year (``ParkDataset``) is evaluated by the engine under the draft, as ``results`` computes
it (each park's accepted exemptions, ``exemptions.document_for_engine``): a draft factor set under every
current scheme, a draft scheme version with the current factor set under that scheme only. Each answer is
compared with the stored current result (never recomputed): the core indicator's value, every indicator's
status, ``core_passed``, and whether the evaluation errs. A park-year without a current result for the
scheme is counted, not listed (the sweep computes it first).

The preview is stored on the draft (``impact``) with the time it was computed and what it was compared
against: the current factor set and scheme versions, and a mark of the stored data (datasets and results).
When any of them moved on since, the preview is stale: the draft's page shows it computed again without
storing it (a GET never writes), and ``draft_impact_refresh`` stores it ("Compute the impact again", publish,
discard).
Synchronous: 500 park-years take about a second (bench/impact_preview.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import engine, selectors
from ..models import FactorSet, IndicatorResult, ParkDataset, Scheme
from .results import RECOMPUTE_CHUNK, _engine_documents, _evaluate, result_summary

PASS_TO_FAIL, FAIL_TO_PASS = "pass_to_fail", "fail_to_pass"
ERRORS_APPEARED, ERRORS_DISAPPEARED = "errors_appeared", "errors_disappeared"
ERRORS_SHOWN = 3  # error messages kept per row


@dataclass(frozen=True)
class _Target:
    """What the draft is evaluated with: the factor set, and the schemes (code, core code, engine scheme)."""

    factor_set: engine.FactorSet
    schemes: list[tuple[str, str, engine.Scheme]]


def _against() -> dict[str, Any]:
    """The current versions and the mark of the stored data a preview is compared against."""
    factor_set = selectors.factor_set_current_version()
    datasets = ParkDataset.objects.aggregate(count=Count("id"), updated=Max("updated_at"))
    return {
        "factor_set": factor_set.name if factor_set else None,
        "schemes": {scheme.code: scheme.version for scheme in selectors.scheme_current_versions()},
        "engine": str(engine.ENGINE_VERSION),
        "datasets": datasets["count"],
        "datasets_updated": datasets["updated"].isoformat() if datasets["updated"] else None,
        "results": IndicatorResult.objects.aggregate(top=Max("id"))["top"],
    }


def _target(draft: FactorSet | Scheme) -> _Target:
    current = selectors.factor_set_current_version()
    schemes = selectors.scheme_current_versions()
    if isinstance(draft, FactorSet):
        factor_set = engine.FactorSet.from_document(draft.document)
        return _Target(factor_set, [(s.code, s.scheme.core.code, s.scheme) for s in schemes])
    assert current is not None  # a scheme draft is made only once reference data is loaded
    scheme = engine.Scheme.from_document(draft.document)
    return _Target(current.factor_set, [(draft.code, scheme.core.code, scheme)])


def _state(ok: bool, core_passed: bool | None, summary: dict[str, Any], core_code: str) -> dict[str, Any]:
    indicators = summary.get("indicators") or {}
    return {
        "ok": ok,
        "core_passed": core_passed if ok else None,
        "core_value": (indicators.get(core_code) or {}).get("value"),
        "statuses": {code: item.get("status") for code, item in indicators.items()},
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """What differs between two states: computed or not, core passed, the core value, each status."""
    changes = [
        {"what": key, "old": old[key], "new": new[key]}
        for key in ("ok", "core_passed", "core_value")
        if old[key] != new[key]
    ]
    for code in sorted(set(old["statuses"]) | set(new["statuses"])):
        before, after = old["statuses"].get(code), new["statuses"].get(code)
        if before != after:
            changes.append({"what": "status", "code": code, "old": before, "new": after})
    return changes


def _brief(state: dict[str, Any]) -> dict[str, Any]:
    """A state as a row keeps it: the statuses that changed are in the row's changes already."""
    return {key: state[key] for key in ("ok", "core_passed", "core_value")}


def _flip(old: dict[str, Any], new: dict[str, Any]) -> str:
    if old["ok"] and not new["ok"]:
        return ERRORS_APPEARED
    if new["ok"] and not old["ok"]:
        return ERRORS_DISAPPEARED
    if old["core_passed"] is True and new["core_passed"] is False:
        return PASS_TO_FAIL
    if old["core_passed"] is False and new["core_passed"] is True:
        return FAIL_TO_PASS
    return ""


def _error_messages(result: dict[str, Any]) -> list[str]:
    return [str(error.get("message", "")) for error in (result.get("errors") or [])[:ERRORS_SHOWN]]


def draft_impact_compute(draft: FactorSet | Scheme) -> dict[str, Any]:
    """The impact of ``draft`` on every stored park-year (see the module): rows of what would change, sorted
    flips first, and the counts. Reads only; ``draft_impact_refresh`` stores it."""
    against = _against()
    target = _target(draft)
    codes = [code for code, _core, _scheme in target.schemes]
    rows: list[dict[str, Any]] = []
    changed_datasets: set[int] = set()
    counts = {"checked": 0, "evaluations": 0, "without_result": 0}
    counts.update({PASS_TO_FAIL: 0, FAIL_TO_PASS: 0, ERRORS_APPEARED: 0, ERRORS_DISAPPEARED: 0})
    ids = list(ParkDataset.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RECOMPUTE_CHUNK):
        chunk = list(
            ParkDataset.objects.filter(pk__in=ids[start : start + RECOMPUTE_CHUNK])
            .order_by("pk")
            .values_list("pk", "park_id", "document", "year", "park__name", "park__zone__city__name")
        )
        about = {pk: (year, park, city) for pk, _park_id, _doc, year, park, city in chunk}
        park_ids = {pk: park_id for pk, park_id, *_rest in chunk}
        current = {
            (row["dataset_id"], row["scheme_code"]): row
            for row in IndicatorResult.objects.current()
            .filter(dataset_id__in=list(about), scheme_code__in=codes)
            .values("dataset_id", "scheme_code", "ok", "core_passed", "summary")
        }
        documents = _engine_documents([(pk, park_id, doc) for pk, park_id, doc, *_rest in chunk])
        counts["checked"] += len(documents)
        for dataset_id, document in documents:
            for code, core_code, scheme in target.schemes:
                counts["evaluations"] += 1
                ok, result = _evaluate(dataset_id, document, target.factor_set, scheme)
                old_row = current.get((dataset_id, code))
                if old_row is None:
                    counts["without_result"] += 1
                    continue
                old = _state(old_row["ok"], old_row["core_passed"], old_row["summary"] or {}, core_code)
                summary = result_summary(result) if ok else {}
                new = _state(ok, bool(result.get("core_passed")) if ok else None, summary, core_code)
                changes = _changes(old, new)
                if not changes:
                    continue
                flip = _flip(old, new)
                if flip:
                    counts[flip] += 1
                changed_datasets.add(dataset_id)
                year, park, city = about[dataset_id]
                rows.append(
                    {
                        "dataset": dataset_id,
                        "park_id": park_ids[dataset_id],
                        "park": park,
                        "city": city or "",
                        "year": year,
                        "scheme": code,
                        "core_code": core_code,
                        "flip": flip,
                        "old": _brief(old),
                        "new": _brief(new),
                        "changes": changes,
                        "errors": [] if ok else _error_messages(result),
                    }
                )
    rows.sort(key=lambda row: (not row["flip"], row["city"], row["park"], row["year"], row["scheme"]))
    counts["changed"] = len(changed_datasets)
    counts["rows"] = len(rows)
    return {"computed_at": timezone.now().isoformat(), "against": against, "counts": counts, "rows": rows}


def draft_impact_stale(draft: FactorSet | Scheme) -> bool:
    """Whether the draft's stored preview is missing or was compared against versions or data since changed."""
    impact = draft.impact
    return not isinstance(impact, dict) or impact.get("against") != _against()


def draft_impact_computed_at(draft: FactorSet | Scheme | dict[str, Any]) -> Any:
    """When the preview (a draft's stored one, or a preview as computed) was computed; None if never."""
    impact = draft if isinstance(draft, dict) else draft.impact if isinstance(draft.impact, dict) else {}
    return parse_datetime(impact["computed_at"]) if impact.get("computed_at") else None


@transaction.atomic
def draft_impact_refresh(*, draft: FactorSet | Scheme, force: bool = False) -> dict[str, Any]:
    """The draft's impact preview, computed again and stored when it is stale (or ``force``). A preview is
    derived data, kept with the draft for the page: it is not a change of state, so it is not audited."""
    locked = type(draft).objects.select_for_update().get(pk=draft.pk)
    if force or draft_impact_stale(locked):
        locked.impact = draft_impact_compute(locked)
        locked.save(update_fields=["impact", "updated_at"])
    draft.impact = locked.impact
    assert isinstance(locked.impact, dict)
    return locked.impact
