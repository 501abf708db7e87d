"""The acceptance report (验收评估报告): its context (reads only), its PDF, and the task's rendering.

``acceptance_report_context`` gathers everything the report shows through the selectors and writes
nothing; ``acceptance_report_pdf`` only renders that context (WeasyPrint, embedded Noto CJK subsets,
"第 X 页 共 Y 页"); ``services.acceptance_report_render`` renders a queued ``AcceptanceReport`` with
them and stores its file. Numbers of the indicator results are
printed as the stored result documents give them (strings), never re-rounded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from applications.analysis import share_pct
from applications.models import BASE_YEAR, SectionCode
from indicators.engine.dataset import to_decimal
from indicators.models import (
    ELECTRICITY_TCE_BASIS_LABELS,
    EMISSION_SOURCE_LABELS,
    GRID_BASIS_LABELS,
    METHOD_SETTING_LABELS,
    FactorSet,
    IndicatorCode,
    emission_sources,
    indicator_status_labels,
    op_symbol,
)
from zcpark.core.pdf import pdf_document
from zcpark.core.svgcharts import RefLine, Series, bar_chart, line_chart

from . import selectors
from .models import (
    AcceptanceEvaluation,
    EvaluationStatus,
    ReviewStatus,
)
from .scoring import SCORE_AREAS

logger = logging.getLogger(__name__)

CORE = IndicatorCode.CARBON_PER_ENERGY
# The experts' average points per area and in total: to 0.01, half up (display only, never stored).
AVERAGE_PLACES = Decimal("0.01")
AVERAGE_ROUNDING = ROUND_HALF_UP
# The provisional rules of the dataset's ``method`` (accounting.md §1–2) and the engine's defaults for a
# factor set that states none.
# The method settings of accounting.md §5.2 a result records in ``factors`` (engine v2), with the
# contract's defaults for a factor set that names none.
METHOD_DEFAULTS: dict[str, Any] = {
    "grid_ef_basis": "national_fossil_fixed",
    "electricity_tce_basis": "equivalent",
    "feedstock_in_energy": True,
    "certificates_as_green_power": True,
    "renewable_export_at_grid_factor": True,
}
# Small-multiple trajectory charts (px): two per row on an A4 page.
SMALL_CHART = {"width": 340, "height": 210}


def report_download_name(evaluation: AcceptanceEvaluation) -> str:
    """The name a downloaded report is saved under: what it is, the park and the assessment year."""
    return f"验收评估报告-{evaluation.project.park.name}-{evaluation.assessment_year}.pdf"


def _note_labels() -> dict[str, str]:
    return {"below_tier": _("Energy use is below the tier the threshold is set for.")}


def _basis_label(basis: str | None) -> str:
    labels = GRID_BASIS_LABELS
    return str(labels.get(basis or "", basis or "—"))


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


# ---- parts of the context ------------------------------------------------------------------------


def _park_facts(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    project = evaluation.project
    park, entry = project.park, project.list_entry
    overview = (
        project.application.sections.filter(code=SectionCode.OVERVIEW).values_list("data", flat=True).first()
    ) or {}
    the_list = entry.construction_list
    return {
        "name": park.name,
        "zone": park.zone.name,
        "zone_level": park.zone.get_level_display(),
        "city": park.zone.city.name,
        "scope": park.get_scope_display(),
        "park_type": park.get_park_type_display(),
        "area_km2": overview.get("area_km2"),
        "managing_body": park.managing_body,
        "period_years": project.period_years,
        "extension_years": project.extension_years,
        "period": f"{BASE_YEAR + 1}–{project.end_year}",
        "final_year": project.final_year,
        "project_status": project.get_status_display(),
        "list_title": the_list.title,
        "list_document_no": the_list.document_no,
        "list_published_at": the_list.published_at,
        "national_recommended": project.national_recommended,
    }


def indicator_rows(document: dict[str, Any], exemptions: dict[str, Any]) -> list[dict[str, Any]]:
    """The result document's indicators as printed: value, threshold, status, exemption reason, notes."""
    labels, notes = indicator_status_labels(), _note_labels()
    rows = []
    for item in document.get("indicators") or []:
        threshold = item.get("threshold") or {}
        status = item.get("status") or ""
        rows.append(
            {
                "code": item.get("code"),
                "name": item.get("name", item.get("code")),
                "core": item.get("category") == "core",
                "value": item.get("value"),
                "unit": item.get("unit", ""),
                "threshold": f"{op_symbol(threshold.get('op', ''))}{threshold.get('value', '')}",
                "threshold_value": threshold.get("value"),
                "status": status,
                "status_label": labels.get(status, status),
                "exemption": exemptions.get(item.get("code")) if status == "exempt" else None,
                "notes": [notes.get(note, note) for note in item.get("notes") or []],
            }
        )
    return rows


def result_part(result: Any, dataset_document: dict[str, Any]) -> dict[str, Any] | None:
    """A computed result as the report and the evaluation page show it (None when not computed)."""
    if result is None or not result.ok:
        return None
    document = result.document
    return {
        "scheme": document.get("scheme"),
        "core_passed": bool(document.get("core_passed")),
        "totals": document.get("totals") or {},
        "indicators": indicator_rows(document, dataset_document.get("exemptions") or {}),
        "computed_at": result.computed_at,
    }


def recomputed_since(decided: Any, current: Any, dataset_document: dict[str, Any]) -> dict[str, Any] | None:
    """A decided record's result beside today's: the indicators whose value or status moved since the
    decision, and why (the versions that changed). None when today's result is the decided one."""
    if decided is None or current is None or decided.pk == current.pk or not current.ok:
        return None
    before = {
        row["code"]: row for row in (result_part(decided, dataset_document) or {}).get("indicators", [])
    }
    after = result_part(current, dataset_document) or {"indicators": []}
    rows = [
        {"name": row["name"], "unit": row["unit"], "decided": before[row["code"]], "current": row}
        for row in after["indicators"]
        if row["code"] in before
        and (before[row["code"]]["value"], before[row["code"]]["status"]) != (row["value"], row["status"])
    ]
    why = [
        _("%(what)s %(before)s → %(after)s") % {"what": what, "before": old, "after": new}
        for what, old, new in (
            (_("engine"), decided.engine_version, current.engine_version),
            (_("factor set"), decided.factor_set_name, current.factor_set_name),
            (_("scheme version"), f"v{decided.scheme_version}", f"v{current.scheme_version}"),
        )
        if old != new
    ]
    return {"rows": rows, "why": why, "computed_at": current.computed_at, "decided_at": decided.computed_at}


def _trajectory(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """The indicators from 2025 to the assessment year (value and target per year) with their charts."""
    years = list(range(BASE_YEAR, evaluation.assessment_year + 1))
    labels = indicator_status_labels()
    rows, charts = [], []
    for row in selectors.trajectory(evaluation.project, selectors.results_as_of(evaluation)):
        points = [p for p in row.points if p.year <= evaluation.assessment_year]
        cells = [
            {
                "value": p.value,
                "target": p.target,
                "status": p.status or "",
                "label": labels.get(p.status or "", ""),
                "lagging": p.lagging,
            }
            for p in points
        ]
        rows.append(
            {"code": row.code, "label": row.label, "unit": row.unit, "op": op_symbol(row.op), "cells": cells}
        )
        if row.code == CORE:
            continue  # drawn larger, with its threshold, by _core_chart
        series = [Series(name=_("Value"), values=[p.value for p in points])]
        if any(p.target is not None for p in points):
            series.append(Series(name=_("Target"), values=[p.target for p in points], dashed=True))
        # The label goes in the page's caption, where a long one wraps; the SVG would clip it.
        svg = line_chart(categories=[str(y) for y in years], series=series, y_label=row.unit, **SMALL_CHART)
        charts.append({"label": row.label, "svg": mark_safe(svg)})  # noqa: S308 - svgcharts escapes labels
    return {"years": years, "rows": rows, "charts": charts}


def _emissions(document: dict[str, Any], year: int) -> dict[str, Any]:
    """The assessment year's emissions by source (tCO2 as stored, share of the gross in %) and its chart."""
    by_source = emission_sources(document)
    values = {key: to_decimal(by_source.get(key)) for key in EMISSION_SOURCE_LABELS}
    whole = sum((v for v in values.values() if v is not None and v > 0), Decimal(0))
    rows = [
        {
            "label": str(label),
            "tco2": by_source.get(key),
            "share_pct": share_pct(values[key], whole) if values[key] is not None else None,
        }
        for key, label in EMISSION_SOURCE_LABELS.items()
    ]
    chart = bar_chart(
        categories=[row["label"] for row in rows],
        series=[Series(name=str(year), values=[values[key] for key in EMISSION_SOURCE_LABELS])],
        title=_("Emission structure %(year)s") % {"year": year},
        y_label="tCO2",
    )
    return {"rows": rows, "chart": mark_safe(chart)}  # noqa: S308 - svgcharts escapes every label


def _core_chart(trajectory: dict[str, Any], local: dict[str, Any] | None) -> str:
    """The core indicator against its yearly targets and the threshold, larger than the others."""
    core = next((row for row in trajectory["rows"] if row["code"] == CORE), None)
    if core is None:
        return ""
    core_item = next((item for item in (local or {}).get("indicators") or [] if item["core"]), {})
    threshold = to_decimal(core_item.get("threshold_value"))
    series = [
        Series(name=_("Value"), values=[c["value"] for c in core["cells"]]),
        Series(name=_("Target"), values=[c["target"] for c in core["cells"]], dashed=True),
    ]
    lines = [RefLine(value=threshold, label=core_item["threshold"])] if threshold is not None else []
    chart = line_chart(
        categories=[str(y) for y in trajectory["years"]],
        series=series,
        title=core["label"],
        y_label=core["unit"],
        reference_lines=lines,
        zero_based=True,
    )
    return mark_safe(chart)  # noqa: S308 - svgcharts escapes every label


def _factors(document: dict[str, Any]) -> dict[str, Any]:
    factors = document.get("factors") or {}
    return {**factors, "basis_label": _basis_label(factors.get("grid_ef_basis"))}


def _setting_text(key: str, value: Any) -> str:
    if key == "grid_ef_basis":
        return str(_basis_label(value))
    if key == "electricity_tce_basis":
        return str(ELECTRICITY_TCE_BASIS_LABELS.get(value, value))
    return str(_yes_no(value))


def _method_defaults(factor_set_name: str | None) -> dict[str, Any]:
    """The method defaults of the factor set the result used (the contract's where it names none)."""
    document = (
        FactorSet.objects.filter(name=factor_set_name).values_list("document", flat=True).first()
        if factor_set_name
        else None
    ) or {}
    given = document.get("method_defaults") or {}
    return {key: (given.get(key) or {}).get("value", value) for key, value in METHOD_DEFAULTS.items()}


def _method_rules(
    dataset_document: dict[str, Any], local_doc: dict[str, Any], national_doc: dict[str, Any]
) -> dict[str, Any]:
    """Every setting and provisional rule the result rests on: the settings as applied (a v2 result
    records them in ``factors``; for a v1 result, the dataset's or the factor set's default) and the
    engine's list of provisional rules of both schemes."""
    method = dataset_document.get("method") or {}
    factors = local_doc.get("factors") or {}
    labels = METHOD_SETTING_LABELS
    defaults = _method_defaults(factors.get("set"))
    settings_rows = []
    for key, default in defaults.items():
        given = method.get(key)
        if key in factors:
            value = factors[key]
        elif given is not None:
            value = given
        else:
            continue  # a v1 result that did not know the setting
        settings_rows.append(
            {
                "key": key,
                "label": labels[key],
                "value": _setting_text(key, value),
                "default": _setting_text(key, default),
                "from_dataset": given is not None,
            }
        )
    rules: list[str] = []
    for doc in (local_doc, national_doc):
        texts = [str(item.get("text") or item.get("code")) for item in doc.get("provisional") or []]
        texts += [str(rule) for rule in doc.get("provisional_rules") or []]  # a stored v1 result
        rules += [text for text in texts if text not in rules]
    return {"settings": settings_rows, "rules": rules}


def _sensitivity(document: dict[str, Any]) -> list[dict[str, Any]]:
    factors = document.get("factors") or {}
    core = next((i for i in document.get("indicators") or [] if i.get("category") == "core"), {})
    rows = [
        {
            "basis": factors.get("grid_ef_basis"),
            "basis_label": _basis_label(factors.get("grid_ef_basis")),
            "grid_ef": factors.get("grid_ef_tco2_per_mwh"),
            "carbon_per_energy": core.get("value"),
            "used": True,
        }
    ]
    rows += [
        {
            "basis": row.get("grid_ef_basis"),
            "basis_label": _basis_label(row.get("grid_ef_basis")),
            "grid_ef": row.get("grid_ef_tco2_per_mwh"),
            "carbon_per_energy": row.get("carbon_per_energy"),
            "used": False,
        }
        for row in document.get("sensitivity") or []
    ]
    return rows


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(AVERAGE_PLACES, rounding=AVERAGE_ROUNDING)


def _reviews(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """The experts' opinions (submitted ones in full, the others as not yet submitted) and the score table:
    points per area and expert, with each area's and the total's average."""
    reviews = list(evaluation.reviews.select_related("expert").order_by("id"))
    submitted = [r for r in reviews if r.status == ReviewStatus.SUBMITTED]
    areas = []
    for area in SCORE_AREAS:
        points = [to_decimal(r.scores.get(area.code)) for r in submitted]
        areas.append(
            {
                "label": str(area.label),
                "max_points": area.max_points,
                "points": points,
                "average": _average([p for p in points if p is not None]),
            }
        )
    return {
        "all": [
            {
                "name": r.expert.get_full_name() or r.expert.username,
                "submitted": r.status == ReviewStatus.SUBMITTED,
                "submitted_at": r.submitted_at,
                "total": r.total_score,
                "recommends": r.recommends_acceptance,
                "opinion": r.opinion,
            }
            for r in reviews
        ],
        "submitted_names": [r.expert.get_full_name() or r.expert.username for r in submitted],
        "areas": areas,
        "totals": [r.total_score for r in submitted],
        "total_average": _average([r.total_score for r in submitted if r.total_score is not None]),
        "max_total": sum(area.max_points for area in SCORE_AREAS),
        "pending": len(reviews) - len(submitted),
        "recommending": sum(1 for r in submitted if r.recommends_acceptance),
    }


def _self_assessment(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    self_assessment = evaluation.self_assessment
    return {
        "conclusion": self_assessment.get_conclusion_display(),
        "meets": self_assessment.conclusion == "meets",
        "summary": self_assessment.summary,
        "submitted_at": self_assessment.submitted_at,
        "evidence": [e.title for e in self_assessment.evidence.all()],
    }


def acceptance_report_context(evaluation: AcceptanceEvaluation) -> dict[str, Any]:
    """Everything the acceptance report shows, read through the selectors (no writes)."""
    evaluation = (
        AcceptanceEvaluation.objects.select_related(
            "project__park__zone__city",
            "project__list_entry__construction_list",
            "project__application",
            "self_assessment",
            "decided_by",
        )
        .prefetch_related("self_assessment__evidence")
        .get(pk=evaluation.pk)
    )
    project, year = evaluation.project, evaluation.assessment_year
    # A decided evaluation shows the results it was decided on, whatever was recomputed since.
    results = selectors.assessment_results(project, year, selectors.results_as_of(evaluation))
    dataset_doc = results.dataset.document if results.dataset else {}
    local = result_part(results.local, dataset_doc)
    national = result_part(results.national, dataset_doc)
    local_doc = results.local.document if results.local and results.local.ok else {}
    national_doc = results.national.document if results.national and results.national.ok else {}
    trajectory = _trajectory(evaluation)
    decided = evaluation.status == EvaluationStatus.DECIDED
    return {
        "title": _("Acceptance Evaluation Report"),
        "generated_on": timezone.localdate(),
        "evaluation": evaluation,
        "year": year,
        "decided": decided,
        "decision": evaluation.get_decision_display() if decided else _("Pending: in expert review"),
        "park": _park_facts(evaluation),
        "key_projects": list(selectors.key_projects(project)),
        "orders": list(selectors.orders(project)),
        "local": local,
        "national": national,
        "trajectory": trajectory,
        "core_chart": _core_chart(trajectory, local),
        "emissions": _emissions(local_doc, year) if local_doc else None,
        "factors": _factors(local_doc) if local_doc else None,
        "method": _method_rules(dataset_doc, local_doc, national_doc),
        "sensitivity": _sensitivity(local_doc) if local_doc else [],
        "self_assessment": _self_assessment(evaluation),
        "reviews": _reviews(evaluation),
        "national_recommended": project.national_recommended,
    }


# ---- rendering -------------------------------------------------------------------------------------


def acceptance_report_html(context: dict[str, Any]) -> str:
    return render_to_string("evaluation/report_pdf.html", context)


def acceptance_report_document(context: dict[str, Any]) -> Any:
    """The laid-out report (weasyprint.Document): pages, boxes and PDF output."""
    return pdf_document(acceptance_report_html(context))


@dataclass(frozen=True)
class RenderedReport:
    content: bytes
    page_count: int


def acceptance_report_pdf(context: dict[str, Any]) -> RenderedReport:
    """The report as PDF bytes (A4, embedded Noto CJK subsets) with its page count."""
    document = acceptance_report_document(context)
    return RenderedReport(content=document.write_pdf(), page_count=len(document.pages))
