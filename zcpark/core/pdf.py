"""Laying out an HTML page as a PDF document with WeasyPrint, the one way every report does it."""

from __future__ import annotations

from typing import Any


def pdf_document(html: str) -> Any:
    """The laid-out document (weasyprint.Document: pages, boxes, ``write_pdf()``) of ``html``.

    Templates inline everything they need (fonts come from the system, charts are inline SVG): text typed
    by users must never make the renderer fetch, so only ``data:`` URLs are allowed.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).render()
