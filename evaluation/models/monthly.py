"""Monthly energy and electricity figures a park pushes or uploads, and each park-year's outlook.

Monthly monitoring lives in ``evaluation`` (not ``indicators``): the year's target is the construction
project's (copied from the dossier's targets section) or the dossier's, both above ``indicators``, and
this floor may read them directly.

A ``MonthlyFigure`` is one line of one month: an energy carrier of the factor set with its use (the dataset's
``energy`` rows), or an electricity or heat quantity (the dataset's ``electricity_mwh`` and ``heat_gj`` keys,
carrier ``electricity`` / ``heat`` with the key as the use). A month pushed again replaces all its rows.
``MonthlyOutlook`` keeps each park-year's latest projection status and the last side of the target it was on,
so a crossing of the target is told once (also across a lapse to "not yet projected").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

# The pseudo-carriers of the dataset's electricity and heat blocks (their keys are the row's use).
ELECTRICITY = "electricity"
HEAT = "heat"


class ProjectionBasis(models.TextChoices):
    FULL_YEAR = "full_year", _("All twelve months received")
    LAST_YEAR_MONTHS = "last_year_months", _("This year's months, the rest from last year's months")
    LAST_YEAR_ANNUAL = "last_year_annual", _("This year's months, the rest pro rata from last year's data")
    SCALED = "scaled", _("This year's months scaled to twelve")


class TargetBasis(models.TextChoices):
    PROJECT = "project", _("The construction project's yearly target")
    DOSSIER = "dossier", _("The dossier's yearly target")
    SCHEME = "scheme", _("The scheme's threshold for the park type")


class OutlookStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not yet projected")
    MEETING = "meeting", _("On track to meet the target")
    MISSING = "missing", _("Projected to miss the target")


class MonthlyFigure(BaseModel):
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="monthly_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    carrier = models.CharField(_("carrier"), max_length=40)
    use = models.CharField(_("use"), max_length=40)
    enterprise = models.CharField(_("enterprise"), max_length=200, blank=True, default="")
    quantity = models.DecimalField(_("quantity"), max_digits=30, decimal_places=10)
    unit = models.CharField(_("unit"), max_length=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["park_id", "year", "month", "carrier", "use", "enterprise"]
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["park", "year", "month", "carrier", "use", "enterprise"],
                name="monthly_figure_one_per_line",
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="monthly_figure_month"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="monthly_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.year}-{self.month:02d} {self.carrier}/{self.use}"


class MonthlyOutlook(BaseModel):
    """A park-year's monthly monitoring: the latest projection's status (to tell a crossing once)."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="monthly_outlooks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=16, choices=OutlookStatus.choices, default=OutlookStatus.UNKNOWN
    )
    months = models.JSONField(_("months received"), default=list, blank=True)
    projected = models.CharField(_("projected core indicator"), max_length=40, blank=True, default="")
    target = models.CharField(_("target"), max_length=40, blank=True, default="")
    projection_basis = models.CharField(
        _("projection basis"), max_length=24, choices=ProjectionBasis.choices, blank=True, default=""
    )
    target_basis = models.CharField(
        _("target basis"), max_length=16, choices=TargetBasis.choices, blank=True, default=""
    )
    # The last side of the target the projection was on (meeting or missing; "" before any): a projection
    # that lapses to "not yet projected" and comes back is told only if it comes back on the other side.
    last_side = models.CharField(
        _("last projected side"), max_length=16, choices=OutlookStatus.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["park_id", "-year"]
        verbose_name = _("monthly outlook")
        verbose_name_plural = _("monthly outlooks")
        constraints = [
            models.UniqueConstraint(fields=["park", "year"], name="monthly_outlook_one_per_park_year"),
            models.CheckConstraint(
                condition=Q(status__in=OutlookStatus.values), name="monthly_outlook_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year}"
