"""Calls for applications, the Annex-1 dossier with its revisions, review opinions and construction lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import IndicatorCode
from zcpark.core.models import BaseModel, FileStatus, GeneratedFile

BASE_YEAR = 2025
# The dossier's energy and emissions history: the three years before and including the base year.
HISTORY_YEARS = (BASE_YEAR - 2, BASE_YEAR - 1, BASE_YEAR)
PERIOD_YEARS_MIN, PERIOD_YEARS_MAX = 3, 5


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Call(BaseModel):
    """A call for applications (申报批次): parks apply only while it is open and before its deadline."""

    title = models.CharField(_("title"), max_length=128, unique=True)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"))
    quota_per_city = models.PositiveSmallIntegerField(
        _("recommendations per city"),
        null=True,
        blank=True,
        help_text=_("How many applications each city may recommend; leave empty for no limit."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_calls",
    )

    class Meta:
        ordering = ["-deadline", "-id"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CallStatus.values), name="call_status_valid"),
            models.CheckConstraint(
                condition=Q(quota_per_city__isnull=True) | Q(quota_per_city__gte=1),
                name="call_quota_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    RECOMMENDED = "recommended", _("Recommended by the city")
    APPROVED = "approved", _("Approved")
    LISTED = "listed", _("On the construction list")
    DECLINED = "declined", _("Declined by the city")
    REJECTED = "rejected", _("Rejected by the province")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the park edits its dossier.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
# States that end an application: the park may start a new one in a later call.
FINAL_STATUSES = (
    ApplicationStatus.LISTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
)
# A city's recommendation is spent once made, whatever the province decides later.
RECOMMENDED_STATUSES = (
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.LISTED,
    ApplicationStatus.REJECTED,
)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def with_places(self) -> ApplicationQuerySet:
        return self.select_related("park", "park__zone", "park__zone__city", "call")

    def in_status(self, *statuses: str) -> ApplicationQuerySet:
        return self.filter(status__in=statuses)


class Application(BaseModel):
    """A park's application (申报书) in one call: the Annex-1 dossier and where it is in the review."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    # How many times it has been submitted; revision N is the dossier as submitted the N-th time.
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    conditions = models.JSONField(_("approval conditions"), default=list, blank=True)
    # Denormalised from the dossier by the services that save it, so queues sort and compare cheaply.
    total_investment_wan = models.DecimalField(
        _("total investment (10k yuan)"), max_digits=16, decimal_places=2, default=0
    )
    period_years = models.PositiveSmallIntegerField(_("construction period (years)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="created_applications",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [models.Index(fields=["status", "call"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.UniqueConstraint(
                fields=["call", "park"],
                condition=~Q(status=ApplicationStatus.WITHDRAWN),
                name="one_live_application_per_park_and_call",
                violation_error_message=_("This park already has an application in this call."),
            ),
            models.CheckConstraint(
                condition=Q(period_years__isnull=True)
                | Q(period_years__gte=PERIOD_YEARS_MIN, period_years__lte=PERIOD_YEARS_MAX),
                name="application_period_3_to_5_years",
            ),
            models.CheckConstraint(
                condition=Q(total_investment_wan__gte=0), name="application_investment_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park} · {self.call}"

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES


class SectionCode(models.TextChoices):
    """The dossier's sections, in Annex 1's order (attachments and declarations last)."""

    OVERVIEW = "overview", _("Park overview")
    INDUSTRY = "industry", _("Industrial development")
    ENERGY = "energy", _("Energy supply and consumption")
    EMISSIONS = "emissions", _("Carbon emissions")
    TARGETS = "targets", _("Construction targets")
    TASKS = "tasks", _("Key tasks")
    PROJECTS = "projects", _("Key projects")
    FEASIBILITY = "feasibility", _("Feasibility analysis")
    ORGANISATION = "organisation", _("Organisation and implementation")
    ATTACHMENTS = "attachments", _("Attachments")
    DECLARATIONS = "declarations", _("Eligibility declarations")


class DossierSection(BaseModel):
    """One section of a dossier as the park last saved it (JSON: Decimals as strings)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("section"), max_length=16, choices=SectionCode.choices)
    data = models.JSONField(_("content"), default=dict, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    # Goes up with every save: a form or an API client sends the version it read, and a save made on top
    # of someone else's answers 409 instead of silently undoing it.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application_id", "code"]
        verbose_name = _("dossier section")
        verbose_name_plural = _("dossier sections")
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="one_section_per_code"),
            models.CheckConstraint(condition=Q(code__in=SectionCode.values), name="section_code_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_code_display()}"


class ApplicationRevision(BaseModel):
    """The dossier exactly as submitted the ``number``-th time: sections, datasets and computed indicators."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    snapshot = models.JSONField(_("snapshot"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application_id", "-number"]
        verbose_name = _("dossier revision")
        verbose_name_plural = _("dossier revisions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_revision_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · r{self.number}"


class ReviewStage(models.TextChoices):
    CITY = "city", _("City review")
    PROVINCE = "province", _("Provincial review")


class ReviewOpinion(BaseModel):
    """A reviewer's written opinion on one revision, with the decision it came with."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="opinions"
    )
    revision_number = models.PositiveSmallIntegerField(_("revision"))
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices)
    action = models.CharField(_("decision"), max_length=16)
    text = models.TextField(_("opinion"))
    checklist = models.JSONField(_("eligibility checklist"), default=dict, blank=True)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="review_opinions",
    )

    class Meta:
        ordering = ["application_id", "created_at", "id"]
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=ReviewStage.values), name="opinion_stage_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_stage_display()} · {self.action}"


class AttachmentKind(models.TextChoices):
    ZONE_APPROVAL = "zone_approval", _("Development-zone approval or catalog entry")
    BOUNDARY_MAP = "boundary_map", _("Boundary map (four borders)")
    STATISTICS = "statistics", _("Energy and carbon statistics capability")
    SAFETY = "safety", _("Safety and environment record")
    ENERGY_DATA = "energy_data", _("Energy statistics reports")
    PROJECT = "project", _("Key-project documents")
    EXEMPTION = "exemption", _("Evidence for an indicator exemption")
    OTHER = "other", _("Other evidence")


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/attachments/{instance.sha256[:16]}/{filename}"


class Attachment(BaseModel):
    """A piece of evidence uploaded with a dossier."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("type"), max_length=16, choices=AttachmentKind.choices)
    # The guiding indicator an exemption's evidence is for (only with kind ``exemption``).
    indicator = models.CharField(
        _("indicator"), max_length=32, blank=True, default="", choices=IndicatorCode.choices
    )
    title = models.CharField(_("title"), max_length=128, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application_id", "kind", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AttachmentKind.values), name="attachment_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=AttachmentKind.EXEMPTION, indicator__in=IndicatorCode.values)
                | (~Q(kind=AttachmentKind.EXEMPTION) & Q(indicator="")),
                name="attachment_indicator_only_for_exemption",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    PUBLISHED = "published", _("Published")


class ConstructionList(BaseModel):
    """The provincial construction list (建设名单): drafted, put on public notice, then published.

    ``version`` counts the published list's changes: removals later in the program bump it and stay
    visible on the entry.
    """

    title = models.CharField(_("title"), max_length=128)
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    objection_deadline = models.DateField(_("objection deadline"), null=True, blank=True)
    noticed_at = models.DateTimeField(_("public notice from"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("construction list")
        verbose_name_plural = _("construction lists")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ListStatus.values), name="list_status_valid"),
            models.CheckConstraint(
                condition=Q(status=ListStatus.DRAFT) | Q(objection_deadline__isnull=False),
                name="list_notice_needs_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConstructionListEntry(BaseModel):
    """A park on a construction list, through its approved application; a removal keeps the row."""

    construction_list = models.ForeignKey(
        ConstructionList,
        verbose_name=_("construction list"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="list_entry"
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="list_entries"
    )
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    removal_document_no = models.CharField(_("removal document number"), max_length=64, blank=True)
    removed_in_version = models.PositiveSmallIntegerField(_("removed in version"), null=True, blank=True)

    class Meta:
        ordering = ["construction_list_id", "park__zone__city__code", "park__name"]
        verbose_name = _("construction list entry")
        verbose_name_plural = _("construction list entries")
        constraints = [
            models.UniqueConstraint(fields=["construction_list", "park"], name="one_entry_per_park_and_list"),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | ~Q(removal_reason=""),
                name="list_removal_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.construction_list} · {self.park}"


class ExportKind(models.TextChoices):
    PDF = "pdf", _("Dossier PDF (申报书)")
    ZIP = "zip", _("Archive (ZIP)")


class DossierExport(GeneratedFile):
    """A generated output of a dossier revision (the PDF 申报书 or the ZIP archive), built by a task."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ExportKind.choices)
    revision_number = models.PositiveSmallIntegerField(_("revision"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["application_id", "-created_at", "-id"]
        verbose_name = _("dossier export")
        verbose_name_plural = _("dossier exports")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExportKind.values), name="export_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=FileStatus.values), name="export_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()} r{self.revision_number}"

    def upload_path(self, filename: str) -> str:
        return f"applications/{self.application_id}/exports/{filename}"


# Official documents live in their own module (this one is long); importing them here registers the model.
from .document_models import DocumentKind, OfficialDocument  # noqa: E402,F401

# The exemption claims live beside the dossier (``applications.exemptions``); imported here so Django sees them.
from .exemptions.models import ExemptionClaim, ExemptionStatus  # noqa: E402, F401

# 公示 objections and dropped parks live beside the lists (kept apart for the module's size).
from .models_objections import ListDrop as ListDrop  # noqa: E402
from .models_objections import ListObjection as ListObjection  # noqa: E402
from .models_objections import ObjectionStatus as ObjectionStatus  # noqa: E402
