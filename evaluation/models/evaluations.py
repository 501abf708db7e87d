"""Acceptance evaluations: expert reviews, the decision and the acceptance report PDF."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zcpark.core.models import BaseModel, FileStatus, GeneratedFile

from .acceptance import SelfAssessment
from .projects import ConstructionProject


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
    DECLINED = "declined", _("Declined for a conflict of interest")


# How far back an expert's involvement with a park is a conflict of interest.
CONFLICT_YEARS = 3


class ConflictKind(models.TextChoices):
    """What an expert declares before it reads an assignment."""

    NONE = "none", _("No conflict of interest")
    SAME_CITY = "same_city", _("I work in the park's city")
    INVOLVEMENT = "involvement", _("I was involved with the park in the last three years")
    OTHER = "other", _("Another conflict of interest")


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
    # The expert's declaration, made before it reads the assignment: none, or a conflict (then declined).
    conflict = models.CharField(
        _("conflict of interest"), max_length=16, choices=ConflictKind.choices, blank=True
    )
    conflict_note = models.TextField(_("conflict described"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        ordering = ["evaluation_id", "id"]
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="one_review_per_expert"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="review_status_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["assigned", "declined"])
                | (Q(total_score__isnull=False) & ~Q(opinion="")),
                name="review_submitted_complete",
            ),
            # A declined review names its conflict (opinions submitted before declarations existed have none).
            models.CheckConstraint(
                condition=~Q(status="declined") | (Q(conflict__in=["same_city", "involvement", "other"])),
                name="review_declined_has_conflict",
            ),
        ]

    @property
    def needs_declaration(self) -> bool:
        """Assigned and not yet declared: the expert sees only the declaration form."""
        return self.status == ReviewStatus.ASSIGNED and self.declared_at is None

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
