"""Construction projects: the listed park's period, its statuses and its key projects."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import BASE_YEAR, PERIOD_YEARS_MAX, PERIOD_YEARS_MIN
from zcpark.core.models import BaseModel

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
    # Set by the acceptance decision: the assessment-year result also passes the national scheme (automatic;
    # the recommendation to the national programme is the province's act, ``NationalRecommendation``).
    national_recommended = models.BooleanField(_("meets the national scheme"), default=False)

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
