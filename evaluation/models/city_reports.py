"""City progress reports (市级建设进展报告): each city's periodic report on its parks, with typical practices.

The plan: "各设区市发展改革委……及时掌握并定期报送本地区零碳园区建设进展，梳理总结经验". A city reports each
period (half a year by default, ``settings.CITY_REPORT_PERIOD_MONTHS``): its parks' figures, prefilled from
their data while the report is a draft and frozen when it is submitted, a narrative, and its typical
practices (典型场景). Every submission is kept as it was sent (``CityReportSubmission``): a report the
province returns is revised and sent again, the earlier version unchanged. States in
``evaluation/workflow/city_reports.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from zcpark.core.models import BaseModel, Notice

from .projects import ConstructionProject


class CityReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")


# The states in which the city still writes the report.
CITY_REPORT_OPEN_STATUSES = (CityReportStatus.DRAFT, CityReportStatus.RETURNED)


class PracticeScene(models.TextChoices):
    """The scene of a typical practice (典型场景), after the plan's construction tasks."""

    ENERGY = "energy", _("Clean energy supply")
    GREEN_POWER = "green_power", _("Green power direct supply")
    INDUSTRY = "industry", _("Low-carbon industry")
    EFFICIENCY = "efficiency", _("Energy saving and efficiency")
    STORAGE = "storage", _("Energy storage and flexibility")
    CIRCULAR = "circular", _("Circular economy and resources")
    BUILDINGS = "buildings", _("Buildings and transport")
    DIGITAL = "digital", _("Digital carbon management")
    MECHANISM = "mechanism", _("Policies and mechanisms")
    OTHER = "other", _("Other")


def period_label(code: str) -> Notice:
    """A period code as people read it, in the reader's language when shown ("2027-H1" → "2027, first
    half", 2027年上半年; "2027-Q3" → "2027, quarter 3"; "2027-T1" → "2027, January–April"; "2027" →
    "2027, whole year"). The code stays in URLs and filters; a code it does not know is shown as it is."""
    year, _sep, part = code.partition("-")
    if not year.isdigit():
        return Notice(code)
    if not part:
        return Notice(gettext_noop("%(year)s, whole year"), year=int(year))
    letter, number = part[:1], part[1:]
    n = int(number) if number.isdigit() else 0
    if letter == "H" and n in (1, 2):
        msgid = gettext_noop("%(year)s, first half") if n == 1 else gettext_noop("%(year)s, second half")
        return Notice(msgid, year=int(year))
    if letter == "Q" and 1 <= n <= 4:
        return Notice(gettext_noop("%(year)s, quarter %(n)s"), year=int(year), n=n)
    if letter == "T" and 1 <= n <= 3:
        return Notice(
            gettext_noop("%(year)s, months %(first)s–%(last)s"),
            year=int(year),
            first=4 * n - 3,
            last=4 * n,
        )
    return Notice(code)


class CityProgressReport(BaseModel):
    """A city's progress report for one period (e.g. 2027-H1), due ``CITY_REPORT_DUE_DAYS`` after it ends."""

    city = models.ForeignKey(
        "parks.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    period = models.CharField(_("period"), max_length=10)  # "2027-H1", "2027-Q3" or "2027"
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CityReportStatus.choices, default=CityReportStatus.DRAFT
    )
    narrative = models.TextField(_("progress narrative"), blank=True)
    # The city's parks as their data stood (see ``selectors.city_reports.figures_snapshot``): refreshed
    # while the report is written, frozen at submission.
    figures = models.JSONField(_("parks' figures"), default=list, blank=True)
    figures_as_of = models.DateTimeField(_("figures as of"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("reason for return"), blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "city__code"]
        verbose_name = _("city progress report")
        verbose_name_plural = _("city progress reports")
        constraints = [
            models.UniqueConstraint(fields=["city", "period_start"], name="one_city_report_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=CityReportStatus.values), name="city_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="city_report_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="city_report_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.city} {self.period_label}"

    @property
    def period_label(self) -> str:
        """The period as people read it, in the active language (``period_label``)."""
        return period_label(self.period).render()

    @property
    def is_open(self) -> bool:
        """The city still writes it (a draft, or returned for revision)."""
        return self.status in CITY_REPORT_OPEN_STATUSES


def practice_upload_to(instance: TypicalPractice, filename: str) -> str:
    return f"evaluation/city-reports/{instance.report_id}/{filename}"


class TypicalPractice(BaseModel):
    """A typical practice (典型场景) the city reports: what a park did that others can learn from."""

    report = models.ForeignKey(
        CityProgressReport,
        verbose_name=_("city progress report"),
        on_delete=models.CASCADE,
        related_name="practices",
    )
    project = models.ForeignKey(
        ConstructionProject,
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="practices",
    )
    title = models.CharField(_("title"), max_length=200)
    scene = models.CharField(_("scene"), max_length=16, choices=PracticeScene.choices)
    description = models.TextField(_("description"))
    file = models.FileField(
        _("photo or attachment"), upload_to=practice_upload_to, max_length=255, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("typical practice")
        verbose_name_plural = _("typical practices")
        constraints = [
            models.CheckConstraint(condition=Q(scene__in=PracticeScene.values), name="practice_scene_valid")
        ]

    def __str__(self) -> str:
        return self.title


class CityReportSubmission(BaseModel):
    """A report as the city sent it (narrative, figures, practices), one row per submission; never changed."""

    report = models.ForeignKey(
        CityProgressReport,
        verbose_name=_("city progress report"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"narrative": …, "figures": [...], "practices": [{"title", "park", "scene", "description", "file"
    # (the name the city gave it), "file_path" (its name in storage), "sha256"}]}
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("city report submission")
        verbose_name_plural = _("city report submissions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="city_report_submission_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"

    def names_file(self, path: str) -> bool:
        """One of this version's practices has the stored file ``path``."""
        return any(p.get("file_path") == path for p in self.content.get("practices", []))
