"""The feasibility page's analysis: the key projects' effects, the trajectory to the target year, the
supply mix against the province's scheme, and the economics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any, TypedDict

from django.utils.translation import gettext as _

from indicators.engine.dataset import to_decimal
from indicators.models import (
    IndicatorCode,
)
from indicators.selectors import scheme_thresholds
from zcpark.core.svgcharts import Series, line_chart

from .. import feasibility, selectors
from ..dossier.sections import TARGET_YEARS
from ..models import BASE_YEAR, PERIOD_YEARS_MAX, Application, SectionCode
from .analysis import _core_threshold, _result_documents, drawn, threshold_lines

ZERO = Decimal("0")


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


class TrajectoryRow(TypedDict):
    """One year of the projected trajectory as reported, with its target and verdict (None without)."""

    row: feasibility.YearProjection
    target: Decimal | None
    verdict: feasibility.Achievement | None


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
    threshold: Decimal | None,
    notes: list[str],
    page: bool,
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
    rows: list[TrajectoryRow] = [
        {"row": row.rounded(), "target": targets.get(row.year), "verdict": verdicts.get(row.year)}
        for row in trajectory
    ]
    chart = partial(
        line_chart,
        categories=[str(r["row"].year) for r in rows],
        series=[
            Series(name=_("Projected"), values=[r["row"].carbon_per_energy for r in rows]),
            Series(name=_("Target"), values=[r["target"] for r in rows], dashed=True),
        ],
        title=_("Carbon per unit of energy: projection and targets"),
        y_label="tCO2/tce",
        reference_lines=threshold_lines(threshold),
        zero_based=True,
    )
    return {
        "trajectory": rows,
        "achievements": achievements,
        "trajectory_chart": drawn(chart, page=page),
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
    guiding = scheme_thresholds().guiding
    clean_min = guiding.get(IndicatorCode.CLEAN_ENERGY_SHARE)
    direct_min = guiding.get(IndicatorCode.GREEN_POWER_DIRECT_SHARE)
    checks = [
        {
            "label": _("Clean energy share"),
            "value": shares.clean_share_pct,
            "threshold": clean_min,
            "meets": shares.clean_share_pct is not None
            and clean_min is not None
            and shares.clean_share_pct >= clean_min,
        },
        {
            "label": _("Directly supplied green power share"),
            "value": shares.direct_green_share_pct,
            "threshold": direct_min,
            "meets": shares.direct_green_share_pct is not None
            and direct_min is not None
            and shares.direct_green_share_pct >= direct_min,
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
        page=True,
    )


def feasibility_analysis(
    *,
    sections: Mapping[str, Mapping[str, Any]],
    result_2025: Mapping[str, Any] | None,
    park_type: str,
    page: bool = False,
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
      ``threshold`` Decimal (the core threshold; None before a scheme is loaded);
      ``trajectory`` [{"row": YearProjection (rounded), "target": Decimal | None,
      "verdict": Achievement | None}]; ``achievements`` [Achievement]; ``trajectory_chart`` SVG ("" when
      there is no trajectory; with ``page`` the HTML of ``svgcharts.responsive``);
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
    guiding = scheme_thresholds().guiding
    threshold = _core_threshold(park_type, [result_2025])
    feas = sections.get(SectionCode.FEASIBILITY) or {}
    return {
        "baseline": baseline,
        "end_year": end_year,
        "threshold": threshold,
        **_trajectory(baseline, sections, end_year, threshold, notes, page),
        **_supply(feas, notes),
        "economics": _economics(feas, notes),
        "notes": notes,
        "clean_share_min_pct": guiding.get(IndicatorCode.CLEAN_ENERGY_SHARE),
        "direct_green_share_min_pct": guiding.get(IndicatorCode.GREEN_POWER_DIRECT_SHARE),
    }
