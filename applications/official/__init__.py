"""Official documents: what each kind says (``kinds``), which apps register sources, and the PDF (``render``)."""

from __future__ import annotations

from .kinds import (
    SPECS,
    DocumentContent,
    DocumentSpec,
    city_authority,
    document_spec,
    managing_body,
    province_authority,
    register_document_spec,
    text_lines,
)
from .render import RenderedDocument, document_pdf

__all__ = [
    "SPECS",
    "DocumentContent",
    "DocumentSpec",
    "RenderedDocument",
    "city_authority",
    "document_pdf",
    "document_spec",
    "managing_body",
    "province_authority",
    "register_document_spec",
    "text_lines",
]
