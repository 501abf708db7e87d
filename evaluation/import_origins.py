"""An annual report as the origin of an import (``zcpark.core.import_origins``): a preview of the year's
data uploaded with the report is saved, and such an import undone, only while the report may change —
the same rule and message as the report's own save (``services.annual_reports``)."""

from __future__ import annotations

from zcpark.core.import_origins import register_import_origin

from .models import AnnualReport
from .services.annual_reports import report_check_editable


def register() -> None:
    """The evaluation app's ready()."""
    register_import_origin(AnnualReport, report_check_editable)
