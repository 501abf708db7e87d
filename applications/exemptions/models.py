"""An exemption claim: a guiding indicator the park asks to leave out of acceptance, and its review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import IndicatorCode
from zcpark.core.models import BaseModel

CORE_INDICATOR = IndicatorCode.CARBON_PER_ENERGY


class ExemptionStatus(models.TextChoices):
    DECLARED = "declared", _("Declared, awaiting the city's opinion")
    CITY_REVIEWED = "city_reviewed", _("City's opinion given, awaiting the province")
    # Values apart from the other machines' (the timeline reads every state by its value).
    ACCEPTED = "granted", _("Exemption accepted")
    REJECTED = "refused", _("Exemption rejected")
    WITHDRAWN = "superseded", _("Replaced by a later revision")
    # The dossier ended undecided (declined, rejected, withdrawn) with the claim still open.
    CLOSED = "dossier_closed", _("Closed with the dossier")


# A claim still asking someone to act.
OPEN_STATUSES = (ExemptionStatus.DECLARED, ExemptionStatus.CITY_REVIEWED)


class ExemptionClaim(BaseModel):
    """One guiding indicator a submitted dossier revision asks to exempt, with its reason (its evidence is
    the dossier's ``exemption`` attachments for the indicator), the city's opinion and the province's
    decision. Written when the dossier is submitted; each opinion and the decision are final once given."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="exemption_claims",
    )
    revision_number = models.PositiveSmallIntegerField(_("revision"))
    indicator = models.CharField(_("indicator"), max_length=32, choices=IndicatorCode.choices)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExemptionStatus.choices, default=ExemptionStatus.DECLARED
    )
    city_agrees = models.BooleanField(_("the city agrees"), null=True, blank=True)
    city_opinion = models.TextField(_("city's opinion"), blank=True)
    city_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("city reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    city_at = models.DateTimeField(_("city's opinion given at"), null=True, blank=True)
    province_opinion = models.TextField(_("province's decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["application_id", "-revision_number", "id"]
        verbose_name = _("exemption claim")
        verbose_name_plural = _("exemption claims")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExemptionStatus.values), name="exemption_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(indicator__in=IndicatorCode.values) & ~Q(indicator=CORE_INDICATOR),
                name="exemption_guiding_indicator_only",
                violation_error_message=_("Only a guiding indicator can be exempted."),
            ),
            models.UniqueConstraint(
                fields=["application", "indicator"],
                condition=~Q(status=ExemptionStatus.WITHDRAWN),
                name="one_live_exemption_per_application_indicator",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=(ExemptionStatus.DECLARED, ExemptionStatus.WITHDRAWN, ExemptionStatus.CLOSED)
                )
                | Q(city_agrees__isnull=False),
                name="exemption_reviewed_has_city_opinion",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(ExemptionStatus.ACCEPTED, ExemptionStatus.REJECTED))
                | Q(decided_at__isnull=False),
                name="exemption_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_indicator_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
