"""A park's calendar year as the target of its dataset imports: the year may have no dataset yet (a first
import creates it, its undo deletes it again), so imports are recorded on the park-year, not on the
dataset. Kept in its own module (``models`` imports it) so ``models`` stays short."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The years a park's data may be for (the dataset's range; models.py reads them from here).
YEAR_MIN = 2000
YEAR_MAX = 2100


class ParkYear(models.Model):
    """One park and one calendar year: what the year's dataset imports are recorded on."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="import_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["park_id", "-year"]
        verbose_name = _("park-year")
        verbose_name_plural = _("park-years")
        constraints = [
            models.UniqueConstraint(fields=["park", "year"], name="park_year_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name="park_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} {self.year}"
