"""The construction period and acceptance (建设期与验收): what follows a park's listing.

A ``ConstructionProject`` opens for each park when its construction list is published. During the
period the park files an ``AnnualReport`` per year (its dataset, a narrative and each key project's
progress), the province issues ``RectificationOrder``s, and may remove the park from the list. When
the period ends the city files its ``SelfAssessment``; the province then runs an
``AcceptanceEvaluation`` with ``ExpertReview``s and records the decision; the ``AcceptanceReport``
(验收评估报告) is the PDF of it. States and who moves them are in ``evaluation/workflow.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import BASE_YEAR, PERIOD_YEARS_MAX, PERIOD_YEARS_MIN
from zcpark.core.models import BaseModel, FileStatus, GeneratedFile

# Most years a not-accepted park can get to finish its work (on top of its period).
EXTENSION_YEARS_MAX = 2


class ProjectStatus(models.TextChoices):
    IN_CONSTRUCTION = "in_construction", _("Under construction")
    UNDER_RECTIFICATION = "under_rectification", _("Under rectification")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    ACCEPTANCE_REVIEW = "acceptance_review", _("Acceptance review")
    ACCEPTED = "accepted", _("Accepted (provincial zero-carbon park)")
    REMOVED = "removed", _("Removed from the list")


# States a project can still move out of (and be removed from).
ACTIVE_PROJECT_STATUSES = (
    ProjectStatus.IN_CONSTRUCTION,
    ProjectStatus.UNDER_RECTIFICATION,
    ProjectStatus.SELF_ASSESSMENT,
    ProjectStatus.ACCEPTANCE_REVIEW,
)
# States in which the park is building (it reports yearly and may be ordered to rectify).
BUILDING_STATUSES = (ProjectStatus.IN_CONSTRUCTION, ProjectStatus.UNDER_RECTIFICATION)


class ConstructionProjectQuerySet(models.QuerySet["ConstructionProject"]):
    def with_places(self) -> ConstructionProjectQuerySet:
        return self.select_related("park", "park__zone", "park__zone__city")

    def active(self) -> ConstructionProjectQuerySet:
        return self.filter(status__in=ACTIVE_PROJECT_STATUSES)


class ConstructionProject(BaseModel):
    """A listed park's construction period (建设期), 3–5 years from the base year 2025."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="projects"
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    list_entry = models.OneToOneField(
        "applications.ConstructionListEntry",
        verbose_name=_("construction list entry"),
        on_delete=models.PROTECT,
        related_name="project",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.IN_CONSTRUCTION
    )
    period_years = models.PositiveSmallIntegerField(
        _("construction period (years)"),
        validators=[MinValueValidator(PERIOD_YEARS_MIN), MaxValueValidator(PERIOD_YEARS_MAX)],
    )
    extension_years = models.PositiveSmallIntegerField(
        _("extension (years)"), default=0, validators=[MaxValueValidator(EXTENSION_YEARS_MAX)]
    )
    # {indicator code: {"2026": "0.38", …}} copied from the dossier's targets when the project opened.
    targets = models.JSONField(_("yearly targets"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    # Set by the acceptance decision: the assessment-year result also passes the national scheme.
    national_recommended = models.BooleanField(_("recommended to the national programme"), default=False)

    objects = ConstructionProjectQuerySet.as_manager()

    class Meta:
        ordering = ["park__zone__city__code", "park__name", "id"]
        verbose_name = _("construction project")
        verbose_name_plural = _("construction projects")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ProjectStatus.values), name="project_status_valid"),
            models.CheckConstraint(
                condition=Q(period_years__gte=PERIOD_YEARS_MIN, period_years__lte=PERIOD_YEARS_MAX),
                name="project_period_range",
            ),
            models.CheckConstraint(
                condition=Q(extension_years__lte=EXTENSION_YEARS_MAX), name="project_extension_range"
            ),
            # One active (or accepted) project per park: a removed park may be listed again later.
            models.UniqueConstraint(
                fields=["park"], condition=~Q(status="removed"), name="one_live_project_per_park"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return str(self.park)

    @property
    def end_year(self) -> int:
        """The period's last year as planned (2025 + period)."""
        return BASE_YEAR + self.period_years

    @property
    def final_year(self) -> int:
        """The last year of construction, extensions included: the assessment year."""
        return self.end_year + self.extension_years

    @property
    def report_years(self) -> range:
        return range(BASE_YEAR + 1, self.final_year + 1)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_PROJECT_STATUSES


class KeyProject(BaseModel):
    """A key project (重点项目) of the dossier, followed through the period with its latest progress."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="key_projects",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("project"), max_length=255)
    implementing_body = models.CharField(_("implementing body"), max_length=255, blank=True)
    investment_wan = models.DecimalField(
        _("investment (10,000 yuan)"), max_digits=14, decimal_places=2, null=True
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True)
    end_year = models.PositiveSmallIntegerField(_("completion year"), null=True)
    progress_pct = models.DecimalField(
        _("progress (%)"),
        max_digits=5,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["project_id", "position"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="key_project_position_unique"),
            models.CheckConstraint(
                condition=Q(progress_pct__gte=0, progress_pct__lte=100), name="key_project_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


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


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    OVERDUE = "overdue", _("Overdue")


# An order is open until the province closes it.
OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.ANSWERED, OrderStatus.OVERDUE)


class RectificationOrder(BaseModel):
    """A rectification order (整改通知): issued with a deadline → answered → closed, or overdue."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="orders",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=200)
    requirements = models.TextField(_("what must be rectified"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.ISSUED
    )
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue at"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "-number"]
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="order_number_per_project"),
            models.CheckConstraint(condition=Q(status__in=OrderStatus.values), name="order_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES


class Incentive(BaseModel):
    """An incentive (激励) the province notes on a project: funding, a title, a policy preference."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="incentives",
    )
    granted_on = models.DateField(_("granted on"))
    description = models.CharField(_("incentive"), max_length=500)
    amount_wan = models.DecimalField(
        _("amount (10,000 yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["project_id", "-granted_on", "-id"]
        verbose_name = _("incentive")
        verbose_name_plural = _("incentives")

    def __str__(self) -> str:
        return self.description


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


class EvaluationStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("Expert review")
    DECIDED = "decided", _("Decided")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    EXTENDED = "extended", _("Not accepted: construction extended")
    REMOVED = "removed", _("Not accepted: removed from the list")


class AcceptanceEvaluation(BaseModel):
    """One acceptance evaluation (评估验收) of a project, opened when acceptance is requested past the gate."""

    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("construction project"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    self_assessment = models.OneToOneField(
        SelfAssessment, verbose_name=_("self-assessment"), on_delete=models.PROTECT, related_name="evaluation"
    )
    assessment_year = models.PositiveSmallIntegerField(_("assessment year"))
    status = models.CharField(
        _("status"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.IN_REVIEW
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
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_comment = models.TextField(_("decision opinion"), blank=True)
    decision_document_no = models.CharField(_("decision document number"), max_length=64, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Whether the assessment-year result passes the national scheme's core indicator (set at decision).
    national_passed = models.BooleanField(_("meets the national thresholds"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("acceptance evaluation")
        verbose_name_plural = _("acceptance evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="in_review", decision="") | (Q(status="decided") & ~Q(decision="")),
                name="evaluation_decided_has_decision",
            ),
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="in_review"), name="one_open_evaluation_per_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.assessment_year}"


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    SUBMITTED = "submitted", _("Submitted")


class ExpertReview(BaseModel):
    """An expert's assignment to an evaluation and, once submitted, its scores and opinion."""

    evaluation = models.ForeignKey(
        AcceptanceEvaluation,
        verbose_name=_("acceptance evaluation"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        related_name="expert_reviews",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    # {area code: "points"} within each area's maximum (evaluation/scoring.py).
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=1, null=True, blank=True)
    recommends_acceptance = models.BooleanField(_("recommends acceptance"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation_id", "id"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="one_review_per_expert"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="review_status_valid"),
            models.CheckConstraint(
                condition=Q(status="assigned") | (Q(total_score__isnull=False) & ~Q(opinion="")),
                name="review_submitted_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.expert}"


class AcceptanceReport(GeneratedFile):
    """The acceptance report (验收评估报告) PDF of an evaluation, rendered by a task from its inputs.

    ``inputs_digest`` fingerprints what the report was built from; a different digest now means the
    stored file is stale and a new one is rendered.
    """

    evaluation = models.ForeignKey(
        AcceptanceEvaluation,
        verbose_name=_("acceptance evaluation"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    page_count = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation_id", "-created_at", "-id"]
        verbose_name = _("acceptance report")
        verbose_name_plural = _("acceptance reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FileStatus.values), name="acceptance_report_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_status_display()}"

    def upload_path(self, filename: str) -> str:
        return f"evaluation/{self.evaluation.project_id}/reports/{filename}"
