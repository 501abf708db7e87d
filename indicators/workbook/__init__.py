"""Excel intake for one park-year dataset: the template, the upload reader and the export.

build_template(factor_set=doc, park_name=..., park_type=..., year=...) -> .xlsx bytes
read_workbook(upload, factor_set=doc) -> WorkbookRead(dataset | None, errors)
export_workbook(dataset=..., result=... | None, factor_set=doc) -> .xlsx bytes

``factor_set`` is the factor-set document (fixtures/factor_sets/*.json or the stored copy), so the
carrier list comes from data. Nothing here touches the database.
"""

from __future__ import annotations

from .export import export_workbook
from .reader import WorkbookError, WorkbookRead, read_workbook
from .template import build_template

__all__ = ["WorkbookError", "WorkbookRead", "build_template", "export_workbook", "read_workbook"]
