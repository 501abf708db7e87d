"""What the dossier pages show beside the data: each energy year's state and summary, the indicators year
by year, the emissions analysis, the base-year values; thresholds from the province's scheme."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, TypedDict

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indicators.engine.dataset import to_decimal
from indicators.models import (
    ELECTRICITY_CERTIFICATE_LABELS,
    ELECTRICITY_RECEIVED_LABELS,
    ELECTRICITY_SELF_LABELS,
    ELECTRICITY_SENT_LABELS,
    EMISSION_SOURCE_LABELS,
    ENERGY_USE_LABELS,
    ENERGY_USE_V1,
    HEAT_LABELS,
    IndicatorCode,
    IndicatorResult,
    ParkDataset,
    emission_sources,
)
from indicators.selectors import scheme_thresholds
from parks.models import ParkType
from zcpark.core.svgcharts import RefLine, Series, bar_chart, line_chart, responsive

from .. import selectors
from ..models import BASE_YEAR, HISTORY_YEARS, Application

SHARE_PLACES = Decimal("0.1")
ZERO = Decimal("0")


class EmissionsYear(TypedDict):
    """One energy year of ``emissions_analysis``: tCO2 and tce as Decimals, None where not computed."""

    year: int
    computed: bool
    by_source: dict[str, Decimal | None]
    gross: Decimal | None
    offsets: Decimal | None
    net: Decimal | None
    energy_tce: Decimal | None
    carbon_per_energy: Decimal | None
    status: str | None


class EmissionsStructureRow(TypedDict):
    """One source of the base year's emission structure."""

    key: str
    label: str
    tco2: Decimal
    share_pct: Decimal | None


def share_pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def _indicator(document: Mapping[str, Any] | None, code: str) -> dict[str, Any] | None:
    for item in (document or {}).get("indicators") or []:
        if item.get("code") == code:
            return dict(item)
    return None


# --- Energy years -------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearState:
    """One of the dossier's energy years: what is stored and what the engine made of it."""

    year: int
    state: str  # "missing" | "pending" | "errors" | "computed"
    dataset: ParkDataset | None
    result: IndicatorResult | None
    energy_tce: str | None = None
    emissions_net_tco2: str | None = None
    core: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)


def year_state(year: int, dataset: ParkDataset | None, result: IndicatorResult | None) -> YearState:
    """The state of one energy year from its stored dataset and current jiangxi result."""
    if dataset is None:
        return YearState(year=year, state="missing", dataset=None, result=None)
    if result is None or result.computed_at < dataset.updated_at:
        return YearState(year=year, state="pending", dataset=dataset, result=result)
    if not result.ok:
        errors = list(result.document.get("errors") or [])
        return YearState(year=year, state="errors", dataset=dataset, result=result, errors=errors)
    totals = result.document.get("totals") or {}
    return YearState(
        year=year,
        state="computed",
        dataset=dataset,
        result=result,
        energy_tce=totals.get("energy_tce"),
        emissions_net_tco2=totals.get("emissions_net_tco2"),
        core=_indicator(result.document, IndicatorCode.CARBON_PER_ENERGY),
    )


def energy_years(application: Application) -> list[YearState]:
    """2023, 2024 and 2025 with their state (two queries)."""
    datasets = selectors.history_datasets(application)
    results = selectors.history_results(application)
    return [year_state(year, datasets[year], results[year]) for year in HISTORY_YEARS]


def energy_year_summary(document: Mapping[str, Any], *, carrier_names: Mapping[str, str]) -> dict[str, Any]:
    """A stored dataset as Annex 1, 1(3) describes it: energy consumed by carrier and use (quantities
    summed per carrier, use and unit), electricity purchased vs self-supplied, heat, and the rest."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in document.get("energy") or []:
        if not isinstance(row, Mapping):
            continue
        use = str(row.get("use", ""))
        key = (str(row.get("carrier", "")), ENERGY_USE_V1.get(use, use), str(row.get("unit", "")))
        group = groups.setdefault(
            key,
            {
                "carrier": key[0],
                "carrier_name": carrier_names.get(key[0], key[0]),
                "use": key[1],
                "use_label": str(ENERGY_USE_LABELS.get(key[1], key[1])),
                "unit": key[2],
                "quantity": ZERO,
                "rows": 0,
                "enterprises": [],
            },
        )
        group["quantity"] += to_decimal(row.get("quantity")) or ZERO
        group["rows"] += 1
        enterprise = row.get("enterprise")
        if enterprise and enterprise not in group["enterprises"]:
            group["enterprises"].append(enterprise)
    electricity = document.get("electricity_mwh") or {}
    heat = document.get("heat_gj") or {}

    def lines(labels: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": str(label), "mwh": to_decimal(electricity.get(key)) or ZERO}
            for key, label in labels.items()
        ]

    purchased, self_supplied = lines(ELECTRICITY_RECEIVED_LABELS), lines(ELECTRICITY_SELF_LABELS)
    sent = lines(ELECTRICITY_SENT_LABELS)
    return {
        "energy": list(groups.values()),
        "purchased": purchased,
        "purchased_total_mwh": sum((line["mwh"] for line in purchased), ZERO),
        "self_supplied": self_supplied,
        "self_supplied_total_mwh": sum((line["mwh"] for line in self_supplied), ZERO),
        "sent": sent,
        "sent_total_mwh": sum((line["mwh"] for line in sent), ZERO),
        "other_electricity": lines(ELECTRICITY_CERTIFICATE_LABELS),
        "heat": [
            {"key": key, "label": str(label), "gj": to_decimal(heat.get(key)) or ZERO}
            for key, label in HEAT_LABELS.items()
        ],
        "process": [row for row in document.get("process") or [] if isinstance(row, Mapping)],
        "direct_emissions": [e for e in document.get("direct_emissions") or [] if isinstance(e, Mapping)],
        "offsets_ccer_tco2": to_decimal((document.get("offsets_tco2") or {}).get("ccer")),
        "grid_ef_basis": (document.get("method") or {}).get("grid_ef_basis"),
    }


# --- Indicators and emissions -------------------------------------------------------------------


def indicator_history(results: Mapping[int, IndicatorResult | None]) -> list[dict[str, Any]]:
    """One row per indicator (the scheme's order) with each year's value, unit, threshold and status.

    Only computed results count; a year without one shows as None in ``years``.
    """
    documents = {year: r.document for year, r in results.items() if r is not None and r.ok}
    rows: dict[str, dict[str, Any]] = {}
    for year in sorted(results):
        for item in (documents.get(year) or {}).get("indicators") or []:
            row = rows.setdefault(
                item["code"],
                {
                    "code": item["code"],
                    "name": item.get("name", item["code"]),
                    "category": item.get("category"),
                    "unit": item.get("unit", ""),
                    "threshold": item.get("threshold") or {},
                    "years": dict.fromkeys(sorted(results)),
                },
            )
            row["years"][year] = item
    return [
        {**row, "cells": [(year, row["years"][year]) for year in sorted(results)]} for row in rows.values()
    ]


def _core_threshold(park_type: str, documents: Sequence[Mapping[str, Any] | None]) -> Decimal | None:
    """The core threshold the first computed result carries, else the province's scheme's for the park type
    (None before any scheme is loaded)."""
    for document in documents:
        core = _indicator(document, IndicatorCode.CARBON_PER_ENERGY)
        value = to_decimal((core or {}).get("threshold", {}).get("value"))
        if value is not None:
            return value
    core = scheme_thresholds().core
    return core.get(park_type, core.get(ParkType.NON_CHEMICAL))


def _result_documents(application: Application) -> dict[int, dict[str, Any] | None]:
    """Each energy year's computed result document under the province's scheme (None where missing or in
    error)."""
    results = selectors.history_results(application)
    return {year: (r.document if r is not None and r.ok else None) for year, r in results.items()}


def emissions_context(application: Application) -> dict[str, Any]:
    """``emissions_analysis`` of the application's current results, its charts drawn for a page."""
    return emissions_analysis(
        results=_result_documents(application), park_type=application.park.park_type, page=True
    )


def drawn(draw: Callable[..., str], *, page: bool) -> SafeString:
    """A chart as a PDF embeds it (one SVG at svgcharts' default size) or, for a page, drawn at each card
    size (svgcharts.responsive: the page shows the one that fits). svgcharts escapes every label and value,
    so its output is safe to embed as it is."""
    return mark_safe(responsive(draw) if page else draw())  # noqa: S308


def emissions_analysis(
    *, results: Mapping[int, dict[str, Any] | None], park_type: str, page: bool = False
) -> dict[str, Any]:
    """The computed emissions section (Annex 1, 1(4)) from the result documents of 2023–2025 (None for a
    year not computed; a revision snapshot's ``results`` work as well, keyed by int year).

    Returns ``years`` (per year: by_source, gross, offsets, net, energy_tce, carbon_per_energy, status;
    Decimals or None), ``source_rows`` (per source: label and the three years' values), ``threshold``, ``structure`` (the 2025 sources with their share of the total, %),
    ``missing_years`` and three SVG charts: ``by_source_chart`` (stacked bars), ``intensity_chart``
    (单位能耗碳排放 against the threshold) and ``structure_chart`` (2025; "" when not computed) — each
    one SVG, or with ``page`` the HTML of ``svgcharts.responsive``.
    """
    threshold = _core_threshold(park_type, [results.get(y) for y in sorted(HISTORY_YEARS, reverse=True)])
    years: list[EmissionsYear] = []
    for year in HISTORY_YEARS:
        document = results.get(year)
        totals = (document or {}).get("totals") or {}
        core = _indicator(document, IndicatorCode.CARBON_PER_ENERGY) or {}
        by_source = emission_sources(document)
        years.append(
            {
                "year": year,
                "computed": document is not None,
                "by_source": {key: to_decimal(by_source.get(key)) for key in EMISSION_SOURCE_LABELS},
                "gross": to_decimal(totals.get("emissions_gross_tco2")),
                "offsets": to_decimal(totals.get("offsets_tco2")),
                "net": to_decimal(totals.get("emissions_net_tco2")),
                "energy_tce": to_decimal(totals.get("energy_tce")),
                "carbon_per_energy": to_decimal(core.get("value")),
                "status": core.get("status"),
            }
        )
    categories = [str(row["year"]) for row in years]
    by_source_chart = partial(
        bar_chart,
        categories=categories,
        series=[
            Series(name=str(label), values=[row["by_source"][key] for row in years])
            for key, label in EMISSION_SOURCE_LABELS.items()
        ],
        stacked=True,
        title=_("CO2 emissions by source"),
        y_label="tCO2",
    )
    intensity_chart = partial(
        line_chart,
        categories=categories,
        series=[
            Series(name=_("Carbon per unit of energy"), values=[row["carbon_per_energy"] for row in years])
        ],
        title=_("Carbon emissions per unit of energy consumed"),
        y_label="tCO2/tce",
        reference_lines=threshold_lines(threshold),
        zero_based=True,
    )
    base = years[-1]
    structure: list[EmissionsStructureRow] = []
    if base["computed"]:
        values = {key: ZERO if v is None else v for key, v in base["by_source"].items()}
        whole = sum((v for v in values.values() if v > 0), ZERO)
        structure = [
            {
                "key": key,
                "label": str(label),
                "tco2": values[key],
                "share_pct": share_pct(values[key], whole),
            }
            for key, label in EMISSION_SOURCE_LABELS.items()
        ]
    structure_chart = partial(
        bar_chart,
        categories=[row["label"] for row in structure],
        series=[Series(name=str(BASE_YEAR), values=[row["tco2"] for row in structure])],
        title=_("Emission structure %(year)s") % {"year": BASE_YEAR},
        y_label="tCO2",
    )
    base_document = results.get(BASE_YEAR) or {}
    return {
        "years": years,
        # What would make the base year's failing core indicator pass (the engine's `to_pass`, v2 results).
        "to_pass": base_document.get("to_pass"),
        "source_rows": [
            {"key": key, "label": str(label), "values": [row["by_source"][key] for row in years]}
            for key, label in EMISSION_SOURCE_LABELS.items()
        ],
        "threshold": threshold,
        "structure": structure,
        "missing_years": [row["year"] for row in years if not row["computed"]],
        "by_source_chart": drawn(by_source_chart, page=page),
        "intensity_chart": drawn(intensity_chart, page=page),
        "structure_chart": drawn(structure_chart, page=page) if structure else mark_safe(""),
    }


def threshold_lines(threshold: Decimal | None) -> list[RefLine]:
    """The core threshold as a chart's reference line (none when there is no threshold yet)."""
    if threshold is None:
        return []
    return [RefLine(value=threshold, label=_("≤%(value)s (core threshold)") % {"value": threshold})]


def baseline_indicators(application: Application) -> dict[str, dict[str, Any]]:
    """The 2025 (base-year) value of each indicator under the province's scheme, by code; empty when not computed."""
    result = selectors.history_results(application)[BASE_YEAR]
    if result is None or not result.ok:
        return {}
    return {item["code"]: item for item in result.document.get("indicators") or []}


# --- Feasibility --------------------------------------------------------------------------------
