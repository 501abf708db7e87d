"""The acceptance report's PDF: its context rendered to HTML, laid out and written by WeasyPrint.

A4 pages with embedded Noto CJK subsets and "第 X 页 共 Y 页" (``zcpark.core.pdf``); the page count is
returned with the bytes, for the stored report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from zcpark.core.pdf import pdf_document


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
