"""A dataset document and a result document as a person reads them: every value under its label (never a
document's key), numbers with their units, keyed by a stable path; what a dossier's revision diff and an
import's preview compare."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from parks.models import ParkType

from . import engine
from .engine.dataset import to_decimal
from .models import (
    DATASET_FIELD_LABELS,
    DATASET_PART_LABELS,
    DIRECT_KIND_LABELS,
    ELECTRICITY_LABELS,
    ELECTRICITY_TCE_BASIS_LABELS,
    ENERGY_USE_LABELS,
    GRID_BASIS_LABELS,
    HEAT_LABELS,
    METHOD_SETTING_LABELS,
    ROW_FIELD_LABELS,
    TOTAL_EXTRA_LABELS,
    TOTAL_LABELS,
    indicator_name,
    indicator_status_labels,
    unit_label,
    yes_no,
)
from .selectors import factor_set_current_document, reference_titles
from .templatetags.zc_format import format_number
from .workbook.method import carrier_names


def _call(func: Callable[[], str]) -> str:
    return func()


# ``later(f)``: text computed by ``f`` only when it is printed. One lazy type for every label (``lazy``
# builds a class per call: made per row of a large dataset, that was most of a diff's time).
later = lazy(_call, str)

# A compared part: stable key → (the label a person reads, the value as shown). Either may be lazy: a name
# looked up in the reference data is looked up only when its row has changed and is printed.
Flat = dict[str, tuple[Any, Any]]


class Names:
    """What the diff names codes with, read once and only when a changed row needs it: the carriers of the
    current factor set and the titles of factor sets, methods and schemes."""

    def __init__(self) -> None:
        self._carriers: dict[str, str] | None = None
        self._titles: dict[str, str] | None = None

    def carrier(self, code: str) -> str:
        if self._carriers is None:
            self._carriers = carrier_names(factor_set_current_document())
        return self._carriers.get(code, code)

    def title(self, code: str) -> str:
        if self._titles is None:
            self._titles = reference_titles()
        return self._titles.get(code, code)


# Columns that name a row of a table rather than hold one of its values (the unit goes with the quantity).
ROW_NAME_COLUMNS = ("carrier", "use", "unit", "name", "product", "kind", "source")


@dataclass(frozen=True)
class _Titled:
    """A factor-set (or scheme) code: compared as the code, printed as its title."""

    code: str
    names: Names = field(compare=False)

    def __str__(self) -> str:
        return self.names.title(self.code)


# A dataset's values as the document holds them, by path (see ``dataset_flat``); None: not kept.
Values = dict[str, Any] | None


def _keep(values: Values, path: str, value: Any) -> None:
    if values is not None:
        values[path] = None if value == "" else value


# Keys whose numbers are years or months (never 2,025).
_NOT_QUANTITIES = ("year", "month", "factor_year")


def text(value: Any, key: str = "") -> str:
    """A value as shown: a dash for nothing, yes/no, numbers with thousands separators and their decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if key.rpartition(".")[2] in _NOT_QUANTITIES or not isinstance(value, int | float | str):
        return str(value)
    return format_number(value) if to_decimal(value) is not None else str(value)


def joined(*parts: Any) -> str:
    return " · ".join(str(part) for part in parts if part not in (None, ""))


def _with_unit(label: Any, unit: str) -> str:
    return f"{label} ({unit_label(unit)})" if unit else str(label)


def _method_value(key: str, value: Any) -> str:
    if key == "grid_ef_basis":
        return str(GRID_BASIS_LABELS.get(value, value)) if value else "—"
    if key == "electricity_tce_basis":
        return str(ELECTRICITY_TCE_BASIS_LABELS.get(value, value)) if value else "—"
    return text(value, key)


def _labelled_leaves(value: Any, path: str, label: str, flat: Flat, values: Values) -> None:
    """Leaves the label tables do not name (keys a later schema may add): under their part's label."""
    if isinstance(value, dict):
        for key, item in value.items():
            _labelled_leaves(item, f"{path}.{key}", label, flat, values)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _labelled_leaves(item, f"{path}[{index}]", f"{label} #{index}", flat, values)
    else:
        flat[path] = (str(DATASET_FIELD_LABELS.get(path, label)), text(value, path))
        _keep(values, path, value)


def _rows(
    part: str,
    rows: Any,
    name_of: Callable[[dict[str, Any]], tuple[str, Any]],
    flat: Flat,
    values: Values,
) -> None:
    """A table of the dataset (energy, process, direct emissions, products): one line per column, named by
    the table, the row's own name and the column; a row keeps its key (its codes) while the order changes."""
    seen: dict[str, int] = {}
    for item in rows or []:
        if not isinstance(item, dict):
            continue
        key, name = name_of(item)
        seen[key] = seen.get(key, 0) + 1
        suffix = f" #{seen[key]}" if seen[key] > 1 else ""

        def label(column: str, name: Any = name, suffix: str = suffix) -> Any:
            part_label, column_label = (
                DATASET_PART_LABELS.get(part, part),
                ROW_FIELD_LABELS.get(column, column),
            )
            return later(lambda: f"{joined(part_label, name)}{suffix} · {column_label}")

        for column, value in item.items():
            if column in ROW_NAME_COLUMNS:
                continue
            shown, compared = text(value, column), value
            if part == "energy" and column == "quantity" and value not in (None, ""):
                shown = f"{text(value)} {unit_label(item.get('unit'))}".strip()
                compared = (value, item.get("unit"))
            path = f"{part}[{key}{suffix}].{column}"
            flat[path] = (label(column), shown)
            _keep(values, path, compared)


def dataset_flat(document: Any, names: Names, *, values: Values = None) -> Flat:
    """A dataset document's values under human labels with their units (accounting.md §5).

    ``values``, when given, receives each number's value as the document holds it (path → value; an energy
    quantity with its unit), so that a diff compares numbers by value ("1200" is "1200.0")."""
    flat: Flat = {}
    if not isinstance(document, dict):
        return flat
    if "year" in document:
        flat["year"] = (str(DATASET_FIELD_LABELS["year"]), text(document["year"], "year"))
        _keep(values, "year", document["year"])
    park = document.get("park") or {}
    if "name" in park:
        flat["park.name"] = (str(DATASET_FIELD_LABELS["park.name"]), str(park["name"]))
    if "park_type" in park:
        flat["park.park_type"] = (
            str(DATASET_FIELD_LABELS["park.park_type"]),
            str(dict(ParkType.choices).get(park["park_type"], park["park_type"])),
        )
    for key, value in (document.get("method") or {}).items():
        label = METHOD_SETTING_LABELS.get(key) or DATASET_FIELD_LABELS.get(f"method.{key}", key)
        flat[f"method.{key}"] = (joined(DATASET_PART_LABELS["method"], label), _method_value(key, value))
        _keep(values, f"method.{key}", value)

    def energy_name(row: dict[str, Any]) -> tuple[str, Any]:
        def name() -> str:
            carrier = names.carrier(row["carrier"]) if row.get("carrier") else None
            use = ENERGY_USE_LABELS.get(row.get("use", ""), row.get("use"))
            return joined(carrier, use, row.get("enterprise"))

        # Keyed by the row's codes, named by their labels (the carriers are read only if it is printed).
        return joined(row.get("carrier"), row.get("use"), row.get("enterprise")), later(name)

    _rows("energy", document.get("energy"), energy_name, flat, values)
    for key, value in (document.get("electricity_mwh") or {}).items():
        label = _with_unit(
            joined(DATASET_PART_LABELS["electricity_mwh"], ELECTRICITY_LABELS.get(key, key)), "MWh"
        )
        flat[f"electricity_mwh.{key}"] = (label, text(value))
        _keep(values, f"electricity_mwh.{key}", value)
    for key, value in (document.get("heat_gj") or {}).items():
        path = f"heat_gj.{key}"
        label = DATASET_FIELD_LABELS.get(path) or _with_unit(HEAT_LABELS.get(key, key), "GJ")
        flat[path] = (joined(DATASET_PART_LABELS["heat_gj"], label), text(value))
        _keep(values, path, value)
    _rows("process", document.get("process"), lambda row: (joined(row.get("product")),) * 2, flat, values)
    _rows(
        "direct_emissions",
        document.get("direct_emissions"),
        lambda row: (
            joined(row.get("kind"), row.get("source")),
            joined(DIRECT_KIND_LABELS.get(row.get("kind", ""), row.get("kind")), row.get("source")),
        ),
        flat,
        values,
    )
    for key, value in (document.get("offsets_tco2") or {}).items():
        _labelled_leaves(value, f"offsets_tco2.{key}", str(DATASET_PART_LABELS["offsets_tco2"]), flat, values)
    resources = document.get("resources") or {}
    for key, value in resources.items():
        if key == "products":
            _rows("products", value, lambda row: (joined(row.get("name")),) * 2, flat, values)
        else:
            _labelled_leaves(value, f"resources.{key}", str(DATASET_PART_LABELS["resources"]), flat, values)
    for code, reason in (document.get("exemptions") or {}).items():
        label = joined(DATASET_PART_LABELS["exemptions"], indicator_name(code))
        flat[f"exemptions.{code}"] = (label, str(reason or "—"))
    return flat


def result_summary(document: dict[str, Any], names: Names) -> Flat:
    """The numbers a reviewer compares: totals and each indicator's value and status."""
    factors = document.get("factors") or {}
    factor_set = factors.get("set")
    summary: Flat = {
        # Which method and data the numbers come from: a recomputation under a new version shows here.
        "factors.set": (_("Factor set"), _Titled(factor_set, names) if factor_set else "—"),
        "engine_version": (_("Engine version"), str(document.get("engine_version", "—"))),
    }
    labels = {**TOTAL_LABELS, **TOTAL_EXTRA_LABELS}
    for key, value in (document.get("totals") or {}).items():
        if isinstance(value, dict):
            continue
        label, unit = labels.get(key, (key, ""))
        summary[f"totals.{key}"] = (_with_unit(joined(_("Totals"), label), unit), text(value))
    statuses = indicator_status_labels()
    for indicator in document.get("indicators") or []:
        code = indicator.get("code")
        status = indicator.get("status") or ""
        value = indicator.get("value")
        shown = "—" if value is None else f"{text(value)} {unit_label(indicator.get('unit'))}".strip()
        summary[f"indicators.{code or indicator.get('name')}"] = (
            indicator_name(code, indicator.get("name")),
            f"{shown} ({statuses.get(status, status)})" if status else shown,
        )
    return summary


def upgraded(document: Any) -> Any:
    return engine.upgrade(document)[0] if isinstance(document, dict) else document
