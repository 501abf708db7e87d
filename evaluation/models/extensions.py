"""Extension requests (延期申请): at the end of its period a park failing the core indicator may be given
more years, on the city's request and the province's decision, instead of removal."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .projects import EXTENSION_YEARS_MAX, ConstructionProject


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested by the city")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected by the province")


class ExtensionRequest(BaseModel):
    """The city asks for ``years`` more of construction for a project at the end of its period."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    years = models.PositiveSmallIntegerField(
        _("extension (years)"), validators=[MinValueValidator(1), MaxValueValidator(EXTENSION_YEARS_MAX)]
    )
    reason = models.TextField(_("reason"))
    # The final year the request was filed for (the period as it stood).
    final_year = models.PositiveSmallIntegerField(_("final year when requested"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_comment = models.TextField(_("the province's opinion"), blank=True)
    decision_document_no = models.CharField(_("document number"), max_length=64, blank=True)

    class Meta:
        ordering = ["project_id", "-requested_at", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExtensionStatus.values), name="extension_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=EXTENSION_YEARS_MAX), name="extension_years_range"
            ),
            # One request waiting for the province per project.
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="requested"), name="one_open_extension_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · +{self.years}"
