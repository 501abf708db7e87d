"""公示 objections: what the public raised against a park on a list on public notice, the province's
answers, and the parks the province dropped from a list before publishing it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel


class ObjectionStatus(models.TextChoices):
    OPEN = "unanswered", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")


def objection_evidence_upload_to(instance: ListObjection, filename: str) -> str:
    folder = f"applications/lists/{instance.construction_list_id}/objections"
    return f"{folder}/{instance.evidence_sha256[:16]}/{filename}"


class ListObjection(BaseModel):
    """An objection to a park on a list on public notice (公示), received by letter, phone or in person and
    recorded by the province, with its answer. An answer once given is final."""

    construction_list = models.ForeignKey(
        "applications.ConstructionList",
        verbose_name=_("construction list"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="list_objections"
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="list_objections",
    )
    raised_by = models.CharField(
        _("raised by"), max_length=128, help_text=_("The person or organisation, as they gave their name.")
    )
    contact = models.CharField(_("contact details"), max_length=128, blank=True)
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("objection"))
    evidence = models.FileField(
        _("evidence"), upload_to=objection_evidence_upload_to, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["construction_list_id", "received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ObjectionStatus.values), name="objection_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} · {self.raised_by} · {self.received_on:%Y-%m-%d}"


class ListDrop(BaseModel):
    """A park the province took off a list while it was on public notice, with the reason: the notice's
    record stays true, and the application (still approved) may go on a later list."""

    construction_list = models.ForeignKey(
        "applications.ConstructionList",
        verbose_name=_("construction list"),
        on_delete=models.CASCADE,
        related_name="drops",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="list_drops",
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="list_drops"
    )
    reason = models.TextField(_("reason"))
    dropped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dropped by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["construction_list_id", "created_at", "id"]
        verbose_name = _("park dropped from a public notice")
        verbose_name_plural = _("parks dropped from a public notice")
        constraints = [
            models.UniqueConstraint(fields=["construction_list", "park"], name="one_drop_per_park_and_list"),
            models.CheckConstraint(condition=~Q(reason=""), name="list_drop_needs_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.construction_list} · {self.park}"
