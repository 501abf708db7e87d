"""The energy workbook as an import (``zcpark.core.imports``): a park-year's dataset document is the
content; the diff lists the document's rows (energy lines by carrier, use and enterprise; electricity,
heat, process, resources…) added, changed and removed; the indicators are the engine's results for the
stored and for the new document under the current factor set and the province's scheme."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.permissions import can_view_park
from zcpark.core.imports import Importer, register_importer

from . import engine
from .dataset_flat import Flat, Names, dataset_flat, result_summary, upgraded
from .engine.numbers import to_decimal
from .exemptions import park_document_for_engine, park_exemptions
from .models import DATASET_FIELD_LABELS, DATASET_PART_LABELS, ROW_FIELD_LABELS, ParkDataset, ParkYear, Scheme
from .permissions import can_edit_park_dataset
from .selectors import factor_set_current_version, local_scheme_code, scheme_current
from .services.dataset_imports import ENERGY_KIND, park_dataset_delete
from .services.datasets import park_dataset_save


def _snapshot(park_year: ParkYear) -> Any:
    """The year's document as it was sent (a /1 document is kept as sent beside its upgrade, and saving it
    again upgrades it the same way); None when the year has no data."""
    row = (
        ParkDataset.objects.filter(park_id=park_year.park_id, year=park_year.year)
        .values_list("document", "original_document")
        .first()
    )
    if row is None:
        return None
    document, original = row
    return original if original is not None else document


def _apply(park_year: ParkYear, content: Any, by: Any) -> None:
    if content is None:
        park_dataset_delete(by=by, park=park_year.park, year=park_year.year, comment=_("Import undone"))
    else:
        park_dataset_save(by=by, park=park_year.park, year=park_year.year, document=content)


# The tables of a dataset document: one diff row per table row (keyed by its codes, e.g. carrier · use ·
# enterprise for an energy line).
TABLES = ("energy", "process", "direct_emissions", "products")


def _row_of(path: str, label: str) -> tuple[str, str, str]:
    """(row key, row label, field label) of a flattened value: a table's row with its column, or a part of
    the document (electricity, heat, method…) with its value."""
    if path.split("[", 1)[0] in TABLES and "]." in path:
        row, _sep, column = path.rpartition("].")
        column_label = str(ROW_FIELD_LABELS.get(column, column))
        return row + "]", label.removesuffix(f" · {column_label}"), column_label
    part = path.split(".", 1)[0]
    part_label = DATASET_PART_LABELS.get(part) or DATASET_FIELD_LABELS.get(part) or part
    return part, str(part_label), label


def _same(was: Any, now: Any) -> bool:
    """Whether two values of a path are the same: numbers by value (1200 is 1200.0; a quantity with its
    unit), anything else as shown."""
    if isinstance(was, tuple) and isinstance(now, tuple) and len(was) == len(now):
        return all(_same(a, b) for a, b in zip(was, now, strict=True))
    if (old := _number(was)) is not None and (new := _number(now)) is not None:
        return old == new
    return str(was) == str(now)


def _number(value: Any) -> Decimal | None:
    return None if isinstance(value, bool) else to_decimal(value)


def dataset_diff(before: Any, after: Any) -> list[dict[str, Any]]:
    """The rows of two dataset documents that differ (a /1 document compared as its /2 upgrade); numbers
    are compared by value, so "1200" against "1200.0" is no change."""
    names = Names()
    old_values: dict[str, Any] = {}
    new_values: dict[str, Any] = {}
    old = dataset_flat(upgraded(before), names, values=old_values)
    new = dataset_flat(upgraded(after), names, values=new_values)
    rows: dict[str, dict[str, Any]] = {}
    for path in list(old) + [p for p in new if p not in old]:
        label = str((new.get(path) or old[path])[0])
        was, now = old.get(path, ("", None))[1], new.get(path, ("", None))[1]
        row_key, row_label, field_label = _row_of(path, label)
        row = rows.setdefault(
            row_key, {"key": row_key, "label": row_label, "old": False, "new": False, "fields": []}
        )
        row["old"] |= path in old
        row["new"] |= path in new
        same = (
            _same(old_values[path], new_values[path])
            if path in old_values and path in new_values
            else str(was) == str(now)
        )
        if not same:
            shown = {"field": field_label, "old": "" if was is None else str(was)}
            row["fields"].append({**shown, "new": "" if now is None else str(now)})
    found = []
    for row in rows.values():
        if not row["fields"]:
            continue
        change = "added" if not row["old"] else "removed" if not row["new"] else "changed"
        found.append({"key": row["key"], "label": row["label"], "change": change, "fields": row["fields"]})
    return found


def _summary(document: Any, names: Names, exemptions: Mapping[str, str] | None) -> Flat:
    """The engine's totals and indicators for ``document`` as the park's stored results compute it (its
    accepted ``exemptions`` only); empty when there is none or it has errors."""
    factor_set = factor_set_current_version()
    if not isinstance(document, Mapping) or factor_set is None:
        return {}
    try:
        scheme = scheme_current(local_scheme_code())
    except Scheme.DoesNotExist:  # no scheme loaded yet: nothing to compare
        return {}
    evaluation = engine.evaluate(
        park_document_for_engine(document, exemptions), factor_set=factor_set.factor_set, scheme=scheme
    )
    if evaluation.result is None:
        return {}
    summary = result_summary(evaluation.document(), names)
    return {key: value for key, value in summary.items() if key.startswith(("totals.", "indicators."))}


def dataset_indicators(park_year: ParkYear, content: Any) -> list[dict[str, Any]]:
    """Each total and indicator: the stored document's value against the new one's, each as the park's
    stored results compute it (an exemption counts only once the province accepted it)."""
    names = Names()
    exemptions = park_exemptions(park_year.park_id)
    current = _summary(_snapshot(park_year), names, exemptions)
    resulting = _summary(content, names, exemptions)
    rows = []
    for key in list(resulting) + [k for k in current if k not in resulting]:
        label = (resulting.get(key) or current[key])[0]
        rows.append(
            {
                "label": str(label),
                "current": str(current[key][1]) if key in current else "",
                "resulting": str(resulting[key][1]) if key in resulting else "",
            }
        )
    return rows


def dataset_warnings(park_year: ParkYear, content: Any) -> list[dict[str, Any]]:
    """The data-quality warnings of the new document (``indicators.quality``)."""
    from . import quality  # deferred: quality reads the engine's reference data, heavy at import time

    if not isinstance(content, dict):
        return []
    found = quality.dataset_warnings(park_year.park, park_year.year, content)
    return [{"severity": w["severity"], "message": str(w["message"])} for w in found]


def _may(user: Any, park_year: ParkYear) -> bool:
    return can_edit_park_dataset(user, park_year.park)


def _sees(user: Any, park_year: ParkYear) -> bool:
    return can_view_park(user, park_year.park)


def _url(park_year: ParkYear) -> str:
    return reverse("parks:park-detail", args=[park_year.park_id])


ENERGY_IMPORTER = Importer(
    kind=ENERGY_KIND,
    label=gettext_lazy("Energy and emissions data of a year"),
    snapshot=_snapshot,
    apply=_apply,
    diff=dataset_diff,
    may=_may,
    sees=_sees,
    target_url=_url,
    indicators=dataset_indicators,
    warnings=dataset_warnings,
)


def dataset_imports_ready() -> None:
    register_importer(ENERGY_IMPORTER)
