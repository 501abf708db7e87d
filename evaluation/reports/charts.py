"""The acceptance report's charts: the indicators' trajectory, the core indicator and the emissions.

Drawn as inline SVG by ``zcpark.core.svgcharts`` (which escapes every label), so they are marked safe
for the template.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from applications.models import BASE_YEAR
from applications.selectors.analysis import share_pct
from indicators.engine.dataset import to_decimal
from indicators.models import (
    EMISSION_SOURCE_LABELS,
    emission_sources,
    indicator_status_labels,
    op_symbol,
    unit_label,
)
from zcpark.core.svgcharts import RefLine, Series, bar_chart, line_chart

from .. import selectors
from ..models import AcceptanceEvaluation
from .results import CORE

# Small-multiple trajectory charts (px): two per row on an A4 page.
SMALL_CHART = {"width": 340, "height": 210}


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
        unit = unit_label(row.unit)
        rows.append(
            {"code": row.code, "label": row.label, "unit": unit, "op": op_symbol(row.op), "cells": cells}
        )
        if row.code == CORE:
            continue  # drawn larger, with its threshold, by _core_chart
        series = [Series(name=_("Value"), values=[p.value for p in points])]
        if any(p.target is not None for p in points):
            series.append(Series(name=_("Target"), values=[p.target for p in points], dashed=True))
        # The label goes in the page's caption, where a long one wraps; the SVG would clip it.
        svg = line_chart(categories=[str(y) for y in years], series=series, y_label=unit, **SMALL_CHART)
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
