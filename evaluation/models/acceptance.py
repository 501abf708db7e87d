"""Self-assessment: the city's assessment of a park whose period has ended, and its evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .projects import ConstructionProject


class Conclusion(models.TextChoices):
    MEETS = "meets", _("Meets the requirements: acceptance recommended")
    FALLS_SHORT = "falls_short", _("Falls short of the requirements")


class SelfAssessment(BaseModel):
    """The city's self-assessment (自评估) of a park whose period has ended, for its assessment year."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    assessment_year = models.PositiveSmallIntegerField(_("assessment year"))
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices, blank=True)
    summary = models.TextField(_("assessment"), blank=True)
    dataset = models.ForeignKey(
        "indicators.ParkDataset",
        verbose_name=_("assessment-year dataset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "-assessment_year"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "assessment_year"], name="one_self_assessment_per_year"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(conclusion=""),
                name="self_assessment_has_conclusion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.assessment_year}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    return f"evaluation/{instance.self_assessment.project_id}/evidence/{filename}"


class Evidence(BaseModel):
    """A file the city attaches to its self-assessment (checked like dossier attachments)."""

    self_assessment = models.ForeignKey(
        SelfAssessment, verbose_name=_("self-assessment"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["self_assessment_id", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title
