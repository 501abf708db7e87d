"""What the dossier computes rather than asks for: the energy years, the emissions history and the
feasibility analysis, as plain dicts for the dossier pages and the PDF 申报书.

    energy_years(application)          -> [YearState]  (each of 2023–2025: missing / pending / errors / computed)
    energy_year_summary(document, …)   -> dict          (one stored dataset: energy by carrier and use, power)
    emissions_context(application)     -> dict          (by year and source, 单位能耗碳排放 vs threshold, charts)
    feasibility_context(application)   -> dict          (trajectory vs targets, supply mix, economics, charts)
    indicator_history(results)         -> [dict]        (the indicator table of 2023–2025)

Read-only: everything comes through ``selectors`` (stored sections, datasets and engine results) and the
pure ``feasibility`` module; nothing here writes. Charts are inline SVG strings from
``zcpark.core.svgcharts`` (every label escaped there), returned marked safe so templates and WeasyPrint
can embed them as they are. Labels are translated when the function runs, so call it with the reader's
language active.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.safestring import mark_safe
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
from parks.models import ParkType
from zcpark.core.svgcharts import RefLine, Series, bar_chart, line_chart

from . import feasibility, selectors
from .dossier.sections import TARGET_YEARS
from .models import BASE_YEAR, HISTORY_YEARS, PERIOD_YEARS_MAX, Application, SectionCode

# The jiangxi-2025 scheme's thresholds (the plan's Annex 2), used only where no computed result carries
# its own: the core indicator by park type, and the two supply-mix indicators of the feasibility page.
CORE_THRESHOLD_BY_PARK_TYPE = {ParkType.CHEMICAL: Decimal("0.6"), ParkType.NON_CHEMICAL: Decimal("0.4")}
CLEAN_SHARE_MIN_PCT = Decimal("80")
DIRECT_GREEN_SHARE_MIN_PCT = Decimal("30")
SHARE_PLACES = Decimal("0.1")
ZERO = Decimal("0")


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


def _core_threshold(park_type: str, documents: Sequence[Mapping[str, Any] | None]) -> Decimal:
    """The core threshold the first computed result carries, else the jiangxi-2025 one of the park type."""
    for document in documents:
        core = _indicator(document, IndicatorCode.CARBON_PER_ENERGY)
        value = to_decimal((core or {}).get("threshold", {}).get("value"))
        if value is not None:
            return value
    return CORE_THRESHOLD_BY_PARK_TYPE.get(park_type, CORE_THRESHOLD_BY_PARK_TYPE[ParkType.NON_CHEMICAL])


def _result_documents(application: Application) -> dict[int, dict[str, Any] | None]:
    """Each energy year's computed jiangxi-2025 result document (None where missing or in error)."""
    results = selectors.history_results(application)
    return {year: (r.document if r is not None and r.ok else None) for year, r in results.items()}


def emissions_context(application: Application) -> dict[str, Any]:
    """``emissions_analysis`` of the application's current results."""
    return emissions_analysis(results=_result_documents(application), park_type=application.park.park_type)


def emissions_analysis(*, results: Mapping[int, Mapping[str, Any] | None], park_type: str) -> dict[str, Any]:
    """The computed emissions section (Annex 1, 1(4)) from the result documents of 2023–2025 (None for a
    year not computed; a revision snapshot's ``results`` work as well, keyed by int year).

    Returns ``years`` (per year: by_source, gross, offsets, net, energy_tce, carbon_per_energy, status;
    Decimals or None), ``source_rows`` (per source: label and the three years' values), ``threshold``, ``structure`` (the 2025 sources with their share of the total, %),
    ``missing_years`` and three SVG charts: ``by_source_chart`` (stacked bars), ``intensity_chart``
    (单位能耗碳排放 against the threshold) and ``structure_chart`` (2025; "" when not computed).
    """
    threshold = _core_threshold(park_type, [results.get(y) for y in sorted(HISTORY_YEARS, reverse=True)])
    years = []
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
    by_source_chart = bar_chart(
        categories=categories,
        series=[
            Series(name=str(label), values=[row["by_source"][key] for row in years])
            for key, label in EMISSION_SOURCE_LABELS.items()
        ],
        stacked=True,
        title=_("CO2 emissions by source"),
        y_label="tCO2",
    )
    intensity_chart = line_chart(
        categories=categories,
        series=[
            Series(name=_("Carbon per unit of energy"), values=[row["carbon_per_energy"] for row in years])
        ],
        title=_("Carbon emissions per unit of energy consumed"),
        y_label="tCO2/tce",
        reference_lines=[RefLine(value=threshold, label=_threshold_label(threshold))],
        zero_based=True,
    )
    base = years[-1]
    structure = []
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
    structure_chart = (
        bar_chart(
            categories=[row["label"] for row in structure],
            series=[Series(name=str(BASE_YEAR), values=[row["tco2"] for row in structure])],
            title=_("Emission structure %(year)s") % {"year": BASE_YEAR},
            y_label="tCO2",
        )
        if structure
        else ""
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
        # svgcharts escapes every label and value, so its output is safe to embed as it is.
        "by_source_chart": mark_safe(by_source_chart),  # noqa: S308
        "intensity_chart": mark_safe(intensity_chart),  # noqa: S308
        "structure_chart": mark_safe(structure_chart),  # noqa: S308
    }


def _threshold_label(threshold: Decimal) -> str:
    return _("≤%(value)s (core threshold)") % {"value": threshold}


def baseline_indicators(application: Application) -> dict[str, dict[str, Any]]:
    """The 2025 (base-year) value of each indicator under jiangxi-2025, by code; empty when not computed."""
    result = selectors.history_results(application)[BASE_YEAR]
    if result is None or not result.ok:
        return {}
    return {item["code"]: item for item in result.document.get("indicators") or []}


# --- Feasibility --------------------------------------------------------------------------------


def _rows(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    return [row for row in data.get(name) or [] if isinstance(row, Mapping)]


def project_effects(
    projects: Sequence[Mapping[str, Any]], notes: list[str]
) -> list[feasibility.ProjectEffect]:
    """The key-projects rows as projection inputs; rows that cannot count are left out with a note."""
    effects = []
    for index, row in enumerate(projects, start=1):
        name = str(row.get("name") or _("row %(n)s") % {"n": index})
        start, end = row.get("start_year"), row.get("end_year")
        if start is None or end is None:
            notes.append(_("%(project)s has no start or completion year: left out.") % {"project": name})
            continue
        if end < BASE_YEAR or end < start:
            notes.append(
                _("%(project)s is completed before %(year)s (its effect is in the baseline): left out.")
                % {"project": name, "year": BASE_YEAR}
            )
            continue
        effects.append(
            feasibility.ProjectEffect(
                name=name,
                start_year=int(start),
                end_year=int(end),
                energy_saved_tce=to_decimal(row.get("energy_saved_tce")) or ZERO,
                green_power_added_mwh=to_decimal(row.get("green_power_added_mwh")) or ZERO,
                co2_reduced_tco2=to_decimal(row.get("co2_reduced_tco2")) or ZERO,
            )
        )
    return effects


def _carbon_targets(targets_data: Mapping[str, Any]) -> dict[int, Decimal]:
    for row in _rows(targets_data, "targets"):
        if row.get("indicator") == IndicatorCode.CARBON_PER_ENERGY:
            found = {year: to_decimal(row.get(f"y{year}")) for year in TARGET_YEARS}
            return {year: value for year, value in found.items() if value is not None}
    return {}


def _trajectory(
    baseline: feasibility.Baseline | None,
    sections: Mapping[str, Mapping[str, Any]],
    end_year: int,
    threshold: Decimal,
    notes: list[str],
) -> dict[str, Any]:
    """The projected trajectory with its targets, verdicts and chart (empty without a baseline)."""
    if baseline is None:
        return {"trajectory": [], "achievements": [], "trajectory_chart": ""}
    feas = sections.get(SectionCode.FEASIBILITY) or {}
    effects = project_effects(_rows(sections.get(SectionCode.PROJECTS) or {}, "projects"), notes)
    targets = _carbon_targets(sections.get(SectionCode.TARGETS) or {})
    try:
        trajectory = feasibility.project_trajectory(
            baseline=baseline,
            projects=effects,
            end_year=end_year,
            growth_pct=to_decimal(feas.get("growth_pct")) or ZERO,
        )
    except ValueError as exc:
        notes.append(_("The trajectory could not be projected: %(error)s") % {"error": exc})
        return {"trajectory": [], "achievements": [], "trajectory_chart": ""}
    achievements = feasibility.achievability(trajectory=trajectory, targets=targets)
    verdicts = {a.year: a for a in achievements}
    rows = [
        {"row": row.rounded(), "target": targets.get(row.year), "verdict": verdicts.get(row.year)}
        for row in trajectory
    ]
    chart = line_chart(
        categories=[str(r["row"].year) for r in rows],
        series=[
            Series(name=_("Projected"), values=[r["row"].carbon_per_energy for r in rows]),
            Series(name=_("Target"), values=[r["target"] for r in rows], dashed=True),
        ],
        title=_("Carbon per unit of energy: projection and targets"),
        y_label="tCO2/tce",
        reference_lines=[RefLine(value=threshold, label=_threshold_label(threshold))],
        zero_based=True,
    )
    return {
        "trajectory": rows,
        "achievements": achievements,
        "trajectory_chart": mark_safe(chart),  # noqa: S308 - svgcharts escapes every label
    }


def _supply(feas: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    rows = [
        feasibility.SupplyRow(
            source=str(row.get("source") or ""),
            quantity_mwh=to_decimal(row.get("quantity_mwh")) or ZERO,
            is_clean=bool(row.get("is_clean")),
            is_direct_green=bool(row.get("is_direct_green")),
        )
        for row in _rows(feas, "supply_mix")
    ]
    if not rows:
        return {"supply": None, "supply_rows": rows, "supply_checks": []}
    try:
        shares = feasibility.supply_mix_shares(rows=rows).rounded()
    except ValueError as exc:
        notes.append(_("The supply mix could not be analysed: %(error)s") % {"error": exc})
        return {"supply": None, "supply_rows": rows, "supply_checks": []}
    checks = [
        {
            "label": _("Clean energy share"),
            "value": shares.clean_share_pct,
            "threshold": CLEAN_SHARE_MIN_PCT,
            "meets": shares.clean_share_pct is not None and shares.clean_share_pct >= CLEAN_SHARE_MIN_PCT,
        },
        {
            "label": _("Directly supplied green power share"),
            "value": shares.direct_green_share_pct,
            "threshold": DIRECT_GREEN_SHARE_MIN_PCT,
            "meets": shares.direct_green_share_pct is not None
            and shares.direct_green_share_pct >= DIRECT_GREEN_SHARE_MIN_PCT,
        },
    ]
    return {"supply": shares, "supply_rows": rows, "supply_checks": checks}


def _economics(feas: Mapping[str, Any], notes: list[str]) -> feasibility.Economics | None:
    rate = to_decimal(feas.get("discount_rate_pct"))
    flows = [
        feasibility.CashFlowRow(
            year=int(row["year"]),
            cost_wan=to_decimal(row.get("cost_wan")) or ZERO,
            revenue_wan=to_decimal(row.get("revenue_wan")) or ZERO,
        )
        for row in _rows(feas, "cash_flows")
        if row.get("year") is not None
    ]
    if rate is None or not flows:
        return None
    try:
        return feasibility.economics(cash_flows=flows, discount_rate_pct=rate).rounded()
    except ValueError as exc:
        notes.append(_("The economics could not be computed: %(error)s") % {"error": exc})
        return None


def feasibility_context(application: Application) -> dict[str, Any]:
    """``feasibility_analysis`` of the dossier as it is stored now (sections and the current 2025 result)."""
    sections = {code: section.data for code, section in selectors.section_map(application).items()}
    return feasibility_analysis(
        sections=sections,
        result_2025=_result_documents(application)[BASE_YEAR],
        park_type=application.park.park_type,
    )


def feasibility_analysis(
    *,
    sections: Mapping[str, Mapping[str, Any]],
    result_2025: Mapping[str, Any] | None,
    park_type: str,
) -> dict[str, Any]:
    """The computed feasibility analysis (Annex 1, 5) from stored section data and the base-year result.

    Works on the live dossier (``feasibility_context``) and on a revision snapshot alike:
    ``feasibility_analysis(sections=snapshot["sections"], result_2025=snapshot["results"].get("2025"),
    park_type=snapshot["park"]["park_type"])``.

    Inputs: the 2025 jiangxi-2025 result (baseline energy_tce and net emissions), the projects section
    (each project's yearly effects, counted from the year after completion), the targets section (the
    carbon_per_energy row and the period), and the feasibility section (business-as-usual growth, the
    supply mix, the discount rate and cash flows). A missing input leaves its part empty with a note.

    Returns a dict:
      ``baseline`` feasibility.Baseline | None; ``end_year`` int (2025 + period; 2030 without a period);
      ``threshold`` Decimal (the core threshold);
      ``trajectory`` [{"row": YearProjection (rounded), "target": Decimal | None,
      "verdict": Achievement | None}]; ``achievements`` [Achievement]; ``trajectory_chart`` SVG ("" when
      there is no trajectory);
      ``supply`` SupplyShares (rounded) | None; ``supply_rows`` [SupplyRow];
      ``supply_checks`` [{"label", "value", "threshold", "meets"}] against 80 % clean / 30 % direct green;
      ``clean_share_min_pct``, ``direct_green_share_min_pct`` the two thresholds;
      ``economics`` Economics (rounded) | None; ``notes`` [str] (what was left out and why).
    """
    notes: list[str] = []
    totals = (result_2025 or {}).get("totals") or {}
    energy, emissions = to_decimal(totals.get("energy_tce")), to_decimal(totals.get("emissions_net_tco2"))
    baseline = (
        feasibility.Baseline(energy_tce=energy, emissions_tco2=emissions, year=BASE_YEAR)
        if energy is not None and emissions is not None
        else None
    )
    if baseline is None:
        notes.append(
            _("The %(year)s energy data is not computed yet: the trajectory starts from it.")
            % {"year": BASE_YEAR}
        )
    period = (sections.get(SectionCode.TARGETS) or {}).get("period_years") or PERIOD_YEARS_MAX
    end_year = BASE_YEAR + int(period)
    threshold = _core_threshold(park_type, [result_2025])
    feas = sections.get(SectionCode.FEASIBILITY) or {}
    return {
        "baseline": baseline,
        "end_year": end_year,
        "threshold": threshold,
        **_trajectory(baseline, sections, end_year, threshold, notes),
        **_supply(feas, notes),
        "economics": _economics(feas, notes),
        "notes": notes,
        "clean_share_min_pct": CLEAN_SHARE_MIN_PCT,
        "direct_green_share_min_pct": DIRECT_GREEN_SHARE_MIN_PCT,
    }
