"""The exemptions table of the dossier's targets section (``dossier.sections.TARGETS``): which guiding
indicators the park asks to be exempted, and why."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import IndicatorCode

from ..dossier.schema import Field, Table

# The plan (三、(二)): "由于客观条件不具备开展相关工作的园区，可在申报材料中说明原因，相关指标将不纳入验收要求".
# Each row asks for one guiding indicator to be exempted; its evidence is an attachment of the kind
# ``exemption`` for that indicator. The city gives its opinion and the province decides on each
# (``applications.exemptions``); only an accepted exemption counts in the park's results.
EXEMPTIONS_TABLE = Table(
    "exemptions",
    gettext_lazy("Guiding indicators asked to be exempted"),
    (
        Field("indicator", gettext_lazy("Indicator"), "choice", choices=tuple(IndicatorCode.choices)),
        Field(
            "reason",
            gettext_lazy("Why the park cannot do the work this indicator needs"),
            "text",
            max_length=2000,
        ),
    ),
    max_rows=len(IndicatorCode.values) - 1,
    help=gettext_lazy(
        "Only where objective conditions rule the work out (the plan, 三、(二)). Attach the evidence for "
        "each under Attachments (type: evidence for an indicator exemption). The city gives its opinion and "
        "the province accepts or rejects each; only an accepted exemption is left out of acceptance. The "
        "core indicator cannot be exempted."
    ),
)


def exemptions_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    """Each row's indicator: a guiding one, once."""
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, row in enumerate(data.get("exemptions") or []):
        code = row.get("indicator")
        if code == IndicatorCode.CARBON_PER_ENERGY:
            errors[f"exemptions.{index + 1}.indicator"] = [
                _("The core indicator %(name)s cannot be exempted; only guiding indicators can.")
                % {"name": IndicatorCode(code).label}
            ]
        elif code in seen:
            errors[f"exemptions.{index + 1}.indicator"] = [_("This indicator already has a row.")]
        seen.add(code)
    return errors
