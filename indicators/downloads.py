"""The files a park's year of data is downloaded as: the Excel template, and a stored dataset (JSON or Excel).

Pages of the dossier and of the annual reports serve the same files the same way.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from . import engine
from .selectors import factor_set_current_document
from .workbook import build_template, export_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def template_response(*, park_name: str, park_type: str, year: int) -> HttpResponse:
    """The Excel template with the park's name, type and the year filled in."""
    content = build_template(
        factor_set=factor_set_current_document(), park_name=park_name, park_type=park_type, year=year
    )
    return _attachment(content, content_type=XLSX, filename=f"{park_name}-{year}-模板.xlsx")


def dataset_response(document: dict[str, Any], *, stem: str, as_xlsx: bool) -> HttpResponse:
    """A stored dataset document as JSON, or as the Excel template filled in (to edit and upload again)."""
    if as_xlsx:
        content = export_workbook(dataset=document, result=None, factor_set=factor_set_current_document())
        return _attachment(content, content_type=XLSX, filename=f"{stem}.xlsx")
    return _attachment(
        engine.dumps(document, indent=2), content_type="application/json", filename=f"{stem}.json"
    )
