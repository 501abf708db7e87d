"""The monthly module's labels: audit actions and each line's name (carriers from the factor set, uses,
electricity and heat keys from ``indicators.models``' label dictionaries)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from indicators import engine
from indicators.models import ELECTRICITY_LABELS, ENERGY_USE_LABELS, HEAT_LABELS

from ..models.monthly import ELECTRICITY, HEAT

MONTHLY_ACTION_LABELS = {
    "monthly_pushed": _("Monthly figures received"),
}
CARRIER_LABELS = {ELECTRICITY: _("Electricity"), HEAT: _("Heat")}


def line_label(carrier: str, use: str, factor_set: engine.FactorSet | None) -> tuple[str, str]:
    """(carrier, use) in words: the factor set's carrier name, the dataset's use or key label."""
    if carrier == ELECTRICITY:
        return str(CARRIER_LABELS[ELECTRICITY]), str(ELECTRICITY_LABELS.get(use, use))
    if carrier == HEAT:
        return str(CARRIER_LABELS[HEAT]), str(HEAT_LABELS.get(use, use))
    known: Any = factor_set.carriers.get(carrier) if factor_set else None
    return (known.name if known else carrier), str(ENERGY_USE_LABELS.get(use, use))
