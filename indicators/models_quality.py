"""Data-quality rules (issue 15): warnings beside the engine's hard errors, never blocking.

The kinds of rule are code (``QualityRuleKind``: what each compares is in ``QUALITY_RULE_DESCRIPTIONS``);
whether a rule is on, its severity and its threshold are data the province maintains (one ``QualityRule``
row per kind, seeded by a data migration). ``indicators.quality`` applies them to dataset documents.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel


class QualityRuleKind(models.TextChoices):
    ENERGY_CHANGE = "energy_change", _("Year-on-year change of total energy consumed")
    EMISSIONS_CHANGE = "emissions_change", _("Year-on-year change of total emissions")
    CORE_CHANGE = "core_indicator_change", _("Year-on-year change of the core indicator")
    ENTERPRISES_VS_PARK = "enterprises_vs_park", _("Key enterprises' energy against the park total")
    ELECTRICITY_VS_PURCHASES = "electricity_vs_purchases", _("Electricity used against electricity purchased")
    SHARE_JUMP = "share_jump_to_full", _("A share jumping to 100 %")


QUALITY_RULE_DESCRIPTIONS = {
    QualityRuleKind.ENERGY_CHANGE: _(
        "The year's total energy consumed (tce) differs from the previous year's by more than the threshold."
    ),
    QualityRuleKind.EMISSIONS_CHANGE: _(
        "The year's total emissions (tCO2, before CCER offsets) differ from the previous year's by more than "
        "the threshold."
    ),
    QualityRuleKind.CORE_CHANGE: _(
        "The core indicator (carbon per energy, tCO2/tce, under the province's scheme) differs from the "
        "previous year's by more than the threshold."
    ),
    QualityRuleKind.ENTERPRISES_VS_PARK: _(
        "The energy of the dossier's key enterprises (tce, summed) exceeds the park's total energy consumed "
        "by more than the threshold: a part cannot be larger than the whole."
    ),
    QualityRuleKind.ELECTRICITY_VS_PURCHASES: _(
        "Electricity used (MWh: received, generated on site and consumed, less sent out) differs from "
        "the electricity purchased (from the public network, by direct green supply and by green-power "
        "trading) by more than the threshold."
    ),
    QualityRuleKind.SHARE_JUMP: _(
        "A percentage indicator reaches 100 % although it was below the threshold the year before."
    ),
}


class QualitySeverity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    SERIOUS = "serious", _("Serious")


class ThresholdUnit(models.TextChoices):
    PERCENT = "percent", "%"
    RATIO = "ratio", _("times")


# The unit of each kind's threshold, and the largest threshold that is not a typing mistake.
QUALITY_RULE_UNITS = dict.fromkeys(QualityRuleKind, ThresholdUnit.PERCENT)
THRESHOLD_MAX = {ThresholdUnit.PERCENT: Decimal("1000"), ThresholdUnit.RATIO: Decimal("100")}
# The share rule's threshold is the previous year's value, a percentage of at most 100.
THRESHOLD_MAX_BY_KIND = {QualityRuleKind.SHARE_JUMP: Decimal("100")}
THRESHOLD_PLACES = 2


class QualityRule(BaseModel):
    """One data-quality rule: its kind (code), whether it is on, its severity and threshold (data)."""

    kind = models.CharField(_("rule"), max_length=32, choices=QualityRuleKind.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    severity = models.CharField(
        _("severity"), max_length=16, choices=QualitySeverity.choices, default=QualitySeverity.WARNING
    )
    threshold = models.DecimalField(_("threshold"), max_digits=9, decimal_places=THRESHOLD_PLACES)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("data-quality rule")
        verbose_name_plural = _("data-quality rules")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=0), name="quality_rule_threshold_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def unit(self) -> str:
        known = self.kind in QualityRuleKind.values
        return QUALITY_RULE_UNITS[QualityRuleKind(self.kind)] if known else ThresholdUnit.PERCENT

    @property
    def unit_label(self) -> str:
        return str(ThresholdUnit(self.unit).label)

    @property
    def threshold_text(self) -> str:
        """The threshold as typed: 30.00 → 30, 0.50 → 0.5."""
        text = format(self.threshold, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    @property
    def description(self) -> str:
        known = self.kind in QualityRuleKind.values
        return str(QUALITY_RULE_DESCRIPTIONS[QualityRuleKind(self.kind)]) if known else ""

    @property
    def threshold_max(self) -> Decimal:
        default = THRESHOLD_MAX[ThresholdUnit(self.unit)]
        known = self.kind in QualityRuleKind.values
        return THRESHOLD_MAX_BY_KIND.get(QualityRuleKind(self.kind), default) if known else default
