"""Reads for indicators: the current factor set and schemes as engine objects, pages' lists, results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import QuerySet

from parks.models import Park, ParkType
from parks.permissions import park_visibility
from parks.selectors import province_current
from zcpark.core.models import AuditEvent

from . import engine
from .models import (
    INDICATOR_UNITS,
    METHOD_CONSTANT_LABELS,
    FactorSet,
    GridBasis,
    IndicatorCode,
    IndicatorResult,
    ParkDataset,
    ParkYear,
    Scheme,
    VersionStatus,
    op_symbol,
    unit_label,
)

# Factor-set and scheme versions are immutable, so their parsed engine objects are cached by
# (pk, created_at): the pair also tells apart rows of test databases that reuse a rolled-back pk.
ENGINE_CACHE_SIZE = 64


@dataclass(frozen=True)
class CurrentFactorSet:
    pk: int
    name: str
    factor_set: engine.FactorSet


@dataclass(frozen=True)
class CurrentScheme:
    pk: int
    code: str
    version: int
    scheme: engine.Scheme


@lru_cache(maxsize=ENGINE_CACHE_SIZE)
def _factor_set_engine(pk: int, created_at: datetime) -> engine.FactorSet:
    document = FactorSet.objects.values_list("document", flat=True).get(pk=pk)
    return engine.FactorSet.from_document(document)


@lru_cache(maxsize=ENGINE_CACHE_SIZE)
def _scheme_engine(pk: int, created_at: datetime) -> engine.Scheme:
    document = Scheme.objects.values_list("document", flat=True).get(pk=pk)
    return engine.Scheme.from_document(document)


def factor_set_current_version() -> CurrentFactorSet | None:
    """The factor set results are computed with, parsed for the engine (None before any is loaded).

    Each family has one current version; with several families the most recently created
    current version wins (a new family is published as a fixture, then extended by versions).
    """
    row = (
        FactorSet.objects.filter(is_current=True)
        .order_by("-created_at", "-pk")
        .values_list("pk", "name", "created_at")
        .first()
    )
    if row is None:
        return None
    pk, name, created_at = row
    return CurrentFactorSet(pk=pk, name=name, factor_set=_factor_set_engine(pk, created_at))


def factor_set_current() -> engine.FactorSet:
    """The current factor set as an engine object; FactorSet.DoesNotExist when none is loaded."""
    current = factor_set_current_version()
    if current is None:
        raise FactorSet.DoesNotExist("No factor set is loaded.")
    return current.factor_set


def factor_set_current_record() -> FactorSet | None:
    """The current factor-set row with its document (for the factor page and new versions)."""
    return FactorSet.objects.filter(is_current=True).order_by("-created_at", "-pk").first()


def scheme_current_versions() -> list[CurrentScheme]:
    """Every scheme's current version, parsed for the engine, ordered by code."""
    rows = (
        Scheme.objects.filter(is_current=True)
        .order_by("code")
        .values_list("pk", "code", "version", "created_at")
    )
    return [
        CurrentScheme(pk=pk, code=code, version=version, scheme=_scheme_engine(pk, created_at))
        for pk, code, version, created_at in rows
    ]


def scheme_current(code: str) -> engine.Scheme:
    """The current version of scheme ``code`` as an engine object; Scheme.DoesNotExist if unknown."""
    pk, created_at = Scheme.objects.values_list("pk", "created_at").get(code=code, is_current=True)
    return _scheme_engine(pk, created_at)


def local_scheme_code() -> str:
    """The code of the province's own indicator scheme (its reference data names it: jiangxi-2025)."""
    return province_current().scheme_code


def scheme_title(code: str) -> str:
    """The human title of indicator scheme ``code`` (its newest version's), or the code when it has none:
    what a page says where it names the scheme a value is judged by. One query."""
    row = (
        Scheme.objects.filter(code=code, status=VersionStatus.PUBLISHED)
        .order_by("-version")
        .values_list("title", "document__title")
        .first()
    )
    return (row[0] or row[1] or code) if row else code


def scheme_codes() -> list[str]:
    """The codes of the schemes that have a current version, in order."""
    return list(Scheme.objects.filter(is_current=True).order_by("code").values_list("code", flat=True))


def reference_titles() -> dict[str, str]:
    """The human title of every factor-set version (by name, e.g. cn-2026.1), accounting method (by code)
    and indicator scheme (by code, its newest version's title), for pages and PDFs that must not print
    the codes a result document records. Two queries."""
    titles: dict[str, str] = {}
    for name, title, method_code, method_title in FactorSet.objects.values_list(
        "name", "title", "document__method__code", "document__method__title"
    ):
        titles[name] = title or name
        if method_code and method_title:
            titles[str(method_code)] = str(method_title)
    published = Scheme.objects.filter(status=VersionStatus.PUBLISHED)
    for code, title, document_title in published.order_by("code", "version").values_list(
        "code", "title", "document__title"
    ):
        titles[code] = title or document_title or titles.get(code) or code
    return titles


def scheme_current_records() -> QuerySet[Scheme]:
    """The current scheme rows with their documents (for the threshold forms)."""
    return Scheme.objects.filter(is_current=True).order_by("code")


def scheme_current_record(*, code: str) -> Scheme | None:
    """The current version of scheme ``code`` with its document, or None."""
    return Scheme.objects.filter(code=code, is_current=True).first()


@dataclass(frozen=True)
class SchemeThresholds:
    core: dict[str, Decimal]  # park type → the core indicator's threshold (its lowest tier)
    guiding: dict[str, Decimal]  # indicator code → threshold


def scheme_thresholds(code: str | None = None) -> SchemeThresholds:
    """The thresholds of the current version of scheme ``code`` (default: the province's), for pages that
    compare plans with them before any result is computed; empty before the scheme is loaded."""
    record = scheme_current_record(code=code or local_scheme_code())
    document = record.document if record is not None else {}
    core: dict[str, Decimal] = {}
    tiers = (document.get("core") or {}).get("tiers") or []
    for tier in sorted(tiers, key=lambda t: Decimal(str(t.get("min_energy_tce", "0")))):
        core.setdefault(tier["park_type"], Decimal(str(tier["value"])))
    guiding = {
        item["code"]: Decimal(str(item["value"]))
        for item in document.get("guiding") or []
        if item.get("value") is not None
    }
    return SchemeThresholds(core=core, guiding=guiding)


def factor_set_current_document() -> dict[str, Any]:
    """The current factor set's document (carriers, units) for reading and writing Excel workbooks; an empty
    one before any factor set is loaded."""
    record = factor_set_current_record()
    return record.document if record is not None else {"carriers": []}


def factor_set_list() -> QuerySet[FactorSet]:
    """Every published factor-set version, newest first per family, without the (large) documents."""
    return (
        FactorSet.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("created_by", "based_on")
        .defer("document", "impact", "based_on__document", "based_on__impact")
    )


def scheme_list() -> QuerySet[Scheme]:
    """Every published scheme version, newest first per code, without the documents."""
    return (
        Scheme.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("created_by", "based_on")
        .defer("document", "impact", "based_on__document", "based_on__impact")
    )


def reference_open_drafts() -> list[FactorSet | Scheme]:
    """The open drafts (factor sets, then schemes), without their documents or previews."""
    drafts: list[FactorSet | Scheme] = list(
        FactorSet.objects.filter(status=VersionStatus.DRAFT).defer("document", "impact").order_by("family")
    )
    drafts += list(
        Scheme.objects.filter(status=VersionStatus.DRAFT).defer("document", "impact").order_by("code")
    )
    return drafts


@dataclass(frozen=True)
class GridFactorCell:
    basis: str
    year: int
    value: str
    source: str
    provisional: bool


@dataclass(frozen=True)
class GridFactorRow:
    basis: str
    label: str
    cells: list[GridFactorCell | None]


@dataclass(frozen=True)
class GridFactorTable:
    years: list[int]
    rows: list[GridFactorRow]


def grid_factor_table(*, document: dict[str, Any]) -> GridFactorTable:
    """A factor-set document's grid factors as basis × year (every basis, years ascending)."""
    cells = {
        (row["basis"], int(row["year"])): GridFactorCell(
            basis=row["basis"],
            year=int(row["year"]),
            value=str(row["value"]),
            source=row.get("source", ""),
            provisional=bool(row.get("provisional")),
        )
        for row in document.get("grid_factors", [])
    }
    years = sorted({year for _, year in cells})
    rows = [
        GridFactorRow(basis=basis, label=str(label), cells=[cells.get((basis, year)) for year in years])
        for basis, label in GridBasis.choices
    ]
    return GridFactorTable(years=years, rows=rows)


@dataclass(frozen=True)
class ThresholdItem:
    """One editable threshold of a scheme: a guiding indicator's, or one tier of the core indicator."""

    key: str  # the guiding indicator's code, or "<core code>:<tier index>"
    code: str
    category: str  # core | guiding
    op: str
    value: Decimal
    unit: str  # as printed (栋 / buildings)
    park_type: str | None = None
    min_energy_tce: Decimal | None = None

    @property
    def label(self) -> str:
        """The indicator's name, and for a core tier its park type and energy floor."""
        label = str(IndicatorCode(self.code).label) if self.code in IndicatorCode.values else self.code
        parts = []
        if self.park_type in ParkType.values:
            parts.append(str(ParkType(self.park_type).label))
        if self.min_energy_tce:
            parts.append(f"≥ {self.min_energy_tce:,} tce")
        return f"{label} ({', '.join(parts)})" if parts else label

    @property
    def operator(self) -> str:
        return op_symbol(self.op)


def scheme_threshold_items(*, document: dict[str, Any]) -> list[ThresholdItem]:
    """The thresholds of a scheme document in display order: core tiers first, then guiding."""
    core = document["core"]
    items = [
        ThresholdItem(
            key=f"{core['code']}:{index}",
            code=core["code"],
            category="core",
            op=core["op"],
            value=Decimal(str(tier["value"])),
            unit=unit_label(INDICATOR_UNITS.get(core["code"], "")),
            park_type=tier.get("park_type"),
            min_energy_tce=Decimal(str(tier["min_energy_tce"])),
        )
        for index, tier in enumerate(core["tiers"])
    ]
    items += [
        ThresholdItem(
            key=rule["code"],
            code=rule["code"],
            category="guiding",
            op=rule["op"],
            value=Decimal(str(rule["value"])),
            unit=unit_label(INDICATOR_UNITS.get(rule["code"], "")),
        )
        for rule in document["guiding"]
    ]
    return items


def park_dataset_get(*, pk: int) -> ParkDataset | None:
    """One dataset with its park, or None (a task whose dataset was deleted meanwhile)."""
    return ParkDataset.objects.select_related("park").filter(pk=pk).first()


def park_dataset_for(*, park: Park, year: int) -> ParkDataset | None:
    """The park's dataset for ``year``, or None."""
    return ParkDataset.objects.filter(park=park, year=year).first()


def park_dataset_list_visible_to(*, user: Any) -> QuerySet[ParkDataset]:
    """The datasets of the parks ``user`` may see, with park, zone and city joined."""
    return ParkDataset.objects.select_related("park", "park__zone", "park__zone__city").filter(
        park__in=Park.objects.filter(park_visibility(user))
    )


def indicator_result_current(*, dataset: ParkDataset, scheme_code: str) -> IndicatorResult | None:
    """The dataset's current result under ``scheme_code`` (None before the first computation)."""
    return IndicatorResult.objects.current().filter(dataset=dataset, scheme_code=scheme_code).first()


def indicator_result_history(*, dataset: ParkDataset, scheme_code: str) -> QuerySet[IndicatorResult]:
    """Every result the dataset had under ``scheme_code``, newest first.

    Each row was the current one during ``[computed_at, superseded_at)``.
    """
    return IndicatorResult.objects.filter(dataset=dataset, scheme_code=scheme_code).order_by(
        "-computed_at", "-id"
    )


def indicator_result_at(*, dataset: ParkDataset, scheme_code: str, at: datetime) -> IndicatorResult | None:
    """The result that was current at instant ``at`` (None if none had been computed yet)."""
    return (
        IndicatorResult.objects.current_at(at)
        .filter(dataset=dataset, scheme_code=scheme_code)
        .order_by("-computed_at")
        .first()
    )


def results_not_recomputable(limit: int = 200) -> list[IndicatorResult]:
    """Current results a newer engine refused to recompute (kept current, with the newer engine's input
    errors), for the province's factor page: park, year, scheme and why."""
    return list(
        IndicatorResult.objects.current()
        .exclude(not_recomputable_engine="")
        .select_related("dataset__park")
        .only(
            "id",
            "scheme_code",
            "engine_version",
            "factor_set_name",
            "computed_at",
            "not_recomputable_errors",
            "not_recomputable_engine",
            "dataset__year",
            "dataset__park__name",
        )
        .order_by("dataset__park__name", "dataset__year", "scheme_code")[:limit]
    )


@dataclass(frozen=True)
class MethodValue:
    """A constant or a yearly coefficient of the accounting method as the factor page shows it."""

    label: str
    unit: str
    value: str
    source: str
    provisional: bool


def method_values(*, document: dict[str, Any]) -> dict[str, Any]:
    """A factor-set document's method (code, title, source), its constants and its equivalent-value
    coefficients by year, labelled (accounting.md §4.1, §4.3)."""
    constants = document.get("constants") or {}
    return {
        "method": document.get("method") or {},
        "constants": [
            MethodValue(
                label=str(label),
                unit=unit,
                value=str(constants[key]["value"]),
                source=constants[key].get("source", ""),
                provisional=bool(constants[key].get("provisional")),
            )
            for key, (label, unit) in METHOD_CONSTANT_LABELS.items()
            if key in constants
        ],
        "coefficients": [
            MethodValue(
                label=str(row["year"]),
                unit="tce/MWh",
                value=str(row["value"]),
                source=row.get("source", ""),
                provisional=bool(row.get("provisional")),
            )
            for row in sorted(document.get("electricity_equivalent") or [], key=lambda row: int(row["year"]))
        ],
    }


def version_changes(version: FactorSet | Scheme) -> list[tuple[str, Any, Any]]:
    """What a version changes against the one it was based on (key, old, new), as the audit event of its
    creation recorded it; empty for a version loaded from a fixture."""
    event = AuditEvent.objects.for_object(version).order_by("pk").first()
    return [(key, old, new) for key, (old, new) in ((event.changes if event else None) or {}).items()]


def park_year_find(*, park_id: int, year: int) -> ParkYear | None:
    """The park-year a year's imports are recorded on; None before its first import."""
    return ParkYear.objects.filter(park_id=park_id, year=year).select_related("park").first()
