"""Annual reports: the park's yearly report and each key project's progress in it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

from .projects import ConstructionProject, KeyProject


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")


class AnnualReport(BaseModel):
    """The park's report for one year of its construction period (年度报告)."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    narrative = models.TextField(_("progress narrative"), blank=True)
    dataset = models.ForeignKey(
        "indicators.ParkDataset",
        verbose_name=_("dataset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_reports",
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
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "year"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_report_per_project_year"),
            models.CheckConstraint(condition=Q(status__in=ReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(status="due") | Q(submitted_at__isnull=False), name="report_submitted_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class ReportProgress(BaseModel):
    """A key project's progress as an annual report gives it."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.CASCADE, related_name="progress"
    )
    key_project = models.ForeignKey(
        KeyProject, verbose_name=_("key project"), on_delete=models.CASCADE, related_name="reports"
    )
    progress_pct = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["report_id", "key_project__position"]
        verbose_name = _("key project progress")
        verbose_name_plural = _("key project progress")
        constraints = [
            models.UniqueConstraint(fields=["report", "key_project"], name="one_progress_per_report_project"),
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0, progress_pct__lte=100), name="report_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key_project} {self.progress_pct}%"
