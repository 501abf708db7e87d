"""The province's recommendation of an accepted park to the national programme, and the archives built
for a park: its national package (the dossier re-cut to the national outline, its national-scheme results
and the acceptance report) and the archive of everything it filed and was decided."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel, FileStatus, GeneratedFile

from .projects import ConstructionProject


class NationalRecommendation(BaseModel):
    """The province's act recommending an accepted park that meets the national scheme to the national
    zero-carbon park programme (推荐至国家级零碳园区): decided once, never changed."""

    project = models.OneToOneField(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.PROTECT,
        related_name="national_recommendation",
    )
    recommended_on = models.DateField(_("recommended on"))
    document_no = models.CharField(_("document number"), max_length=64)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-recommended_on", "-id"]
        verbose_name = _("national recommendation")
        verbose_name_plural = _("national recommendations")
        constraints = [
            models.CheckConstraint(condition=~Q(document_no=""), name="national_recommendation_document_no"),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.document_no}"


class ArchiveKind(models.TextChoices):
    NATIONAL = "national", _("National package")
    PROJECT = "project", _("Project archive")
    PARK = "park", _("Park archive (all its applications and projects)")


class ArchiveAudience(models.TextChoices):
    """Whose copy an archive is: each reads in it what it reads on the pages (``permissions.archive_reader``)."""

    PROVINCE = "province", _("The province's copy")
    CITY = "city", _("The city's copy")
    PARK = "park", _("The park's copy")


class ParkArchive(GeneratedFile):
    """A ZIP built by a task for a park: the national package, the archive of one construction project, or
    the archive of the whole park. ``audience``: whose copy it is, by the role of who asked: the province's
    holds everything; the city's leaves the experts' names and the scores of evaluations not yet decided
    out; the park's leaves the reviewers' internal notes out as well."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="archives"
    )
    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="archives",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ArchiveKind.choices)
    audience = models.CharField(_("whose copy"), max_length=8, choices=ArchiveAudience.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    size_bytes = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    file_count = models.PositiveIntegerField(_("files"), null=True, blank=True)

    class Meta:
        ordering = ["park_id", "-created_at", "-id"]
        verbose_name = _("park archive")
        verbose_name_plural = _("park archives")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ArchiveKind.values), name="park_archive_kind_valid"),
            models.CheckConstraint(
                condition=Q(audience__in=ArchiveAudience.values), name="park_archive_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FileStatus.values), name="park_archive_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="park") | Q(project__isnull=False), name="park_archive_project_needed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} · {self.get_kind_display()}"

    def upload_path(self, filename: str) -> str:
        return f"evaluation/parks/{self.park_id}/archives/{filename}"
