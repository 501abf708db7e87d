"""Official documents (公文): the PDFs with the 文号 a person entered, issued from a recorded decision.

One model for the five kinds, in the lowest app that knows every issuer (a city, the province) and three of
the five sources (applications, construction lists); the evaluation app registers the other two sources
(rectification orders, acceptance evaluations) in its ready(). The source is a generic relation, so the
model never imports upwards. A document never changes once issued; a corrected number is a new document
that ``supersedes`` the old one, both kept.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel

DOCUMENT_NUMBER_MAX_LENGTH = 50


class DocumentKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation opinion (推荐意见)")
    APPROVAL = "approval", _("Approval (批复)")
    RECTIFICATION = "rectification", _("Rectification notice (整改通知书)")
    ACCEPTANCE = "acceptance", _("Acceptance opinion (验收意见)")
    LIST = "list", _("Construction list notice (建设名单)")


def document_upload_to(instance: OfficialDocument, filename: str) -> str:
    return f"official/{instance.kind}/{instance.year}/{filename}"


class OfficialDocument(BaseModel):
    """An issued official document: what, from which decision, its 文号 and issuer, and the PDF."""

    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(_("source"))
    source = GenericForeignKey("source_type", "source_id")
    # Scope: the park (and its city) the document is about; none for the construction list's notice.
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="official_documents",
    )
    city = models.ForeignKey(
        "parks.City",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("document number (文号)"), max_length=DOCUMENT_NUMBER_MAX_LENGTH)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("issuing authority"), max_length=128)
    issued_on = models.DateField(_("issued on"))
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveSmallIntegerField(_("pages"))
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        indexes = [models.Index(fields=["source_type", "source_id", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DocumentKind.values), name="document_kind_valid"),
            models.UniqueConstraint(
                fields=["issuer", "number"],
                name="document_number_unique_per_issuer",
                violation_error_message=_("This authority has already issued a document with this number."),
            ),
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=Q(supersedes__isnull=True),
                name="one_first_document_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》{self.number}"

    @property
    def generated_at(self) -> datetime:
        return self.created_at

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")
