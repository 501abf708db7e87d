"""The acceptance report (验收评估报告): its context (reads only), its PDF, and the task's rendering.

``acceptance_report_context`` gathers everything the report shows through the selectors and writes
nothing; ``acceptance_report_pdf`` only renders that context (WeasyPrint, embedded Noto CJK subsets,
"第 X 页 共 Y 页"); ``services.acceptance_report_render`` renders a queued ``AcceptanceReport`` with
them and stores its file. Numbers of the indicator results are
printed as the stored result documents give them (strings), never re-rounded.

Split by concept and re-exported here, so ``evaluation.reports.<name>`` keeps working: ``context``
(the report's context), ``results`` (indicator results as printed, also on the evaluation pages),
``charts`` (trajectory, core and emission charts), ``method`` (factors, method settings,
sensitivity) and ``pdf`` (rendering). The services look ``acceptance_report_context`` and
``acceptance_report_pdf`` up on this package when they run, so a test may replace them here.
"""

from __future__ import annotations

import logging

from .charts import SMALL_CHART
from .context import AVERAGE_PLACES, AVERAGE_ROUNDING, acceptance_report_context, report_download_name
from .pdf import RenderedReport, acceptance_report_document, acceptance_report_html, acceptance_report_pdf
from .results import CORE, as_counted, guiding_shortfalls, indicator_rows, recomputed_since, result_part

logger = logging.getLogger(__name__)

__all__ = [
    "AVERAGE_PLACES",
    "AVERAGE_ROUNDING",
    "CORE",
    "SMALL_CHART",
    "RenderedReport",
    "acceptance_report_context",
    "acceptance_report_document",
    "acceptance_report_html",
    "acceptance_report_pdf",
    "as_counted",
    "guiding_shortfalls",
    "indicator_rows",
    "logger",
    "recomputed_since",
    "report_download_name",
    "result_part",
]
