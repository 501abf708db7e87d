"""An import's record (``ImportBatch``): what a file would change on its target, previewed before anything is
saved, then committed or discarded; a committed one can be rolled back to what the target held before.
The services and the machine are in ``zcpark.core.imports``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed, not saved")
    COMMITTED = "committed", _("Saved")
    DISCARDED = "discarded", _("Discarded")
    ROLLED_BACK = "rolled_back", _("Undone")


class ImportBatch(models.Model):
    """One import into one target (a park-year's dataset, the zone catalog, a dossier's table).

    ``content`` is what the import writes, ``before`` the target's content when it was previewed (None: the
    target held nothing), ``after`` its content once committed (what an undo checks is still there).
    ``diff``, ``indicators`` and ``warnings`` are what the preview showed. ``origin``: the record the import
    was made from (a dossier, an annual report), none for an import made on its target's own page."""

    # The fields of ``models.BaseModel``, written out: that module imports this one.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("imported into"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    # The page the import was made from (a dossier's energy year): where its preview leads back (else the
    # importer's target page).
    back_url = models.CharField(_("back to"), max_length=255, blank=True)
    # The record the import was made from (a dossier, an annual report), when it has one: its commit and
    # undo are refused once that record no longer accepts changes (``zcpark.core.import_origins``).
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    origin_id = models.CharField(max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    content = models.JSONField(_("imported content"), null=True, blank=True)
    before = models.JSONField(_("content before"), null=True, blank=True)
    after = models.JSONField(_("content after"), null=True, blank=True)
    diff = models.JSONField(_("changes"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    discarded_at = models.DateTimeField(_("discarded at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rolled_back_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "status", "-committed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="import_batch_status_valid"
            )
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.target_repr} · {self.file_name or self.kind}"

    @property
    def counts(self) -> dict[str, int]:
        """How many rows the import adds, changes and removes."""
        found = {"added": 0, "changed": 0, "removed": 0}
        for row in self.diff or []:
            if row.get("change") in found:
                found[row["change"]] += 1
        return found
