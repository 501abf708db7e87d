"""Annual reports and self-assessments as holders of a park's years (``indicators.dataset_holders``): a
submitted report is final, and so is the data it was submitted with; a submitted self-assessment keeps
its assessment year's data as it was judged."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from indicators.dataset_holders import register_dataset_holder

from .models import AnnualReport, ReportStatus, SelfAssessment


def report_holding(park: Any, year: int) -> str | None:
    """Why the park's ``year`` cannot change: its submitted annual report holds it (None: none does)."""
    if AnnualReport.objects.filter(
        project__park_id=park.pk, year=year, status=ReportStatus.SUBMITTED
    ).exists():
        return _("The %(year)s annual report has been submitted: its data can no longer be changed.") % {
            "year": year
        }
    return None


def self_assessment_holding(park: Any, year: int) -> str | None:
    """Why the park's ``year`` cannot change: a submitted self-assessment of that year holds it."""
    if SelfAssessment.objects.filter(
        project__park_id=park.pk, assessment_year=year, submitted_at__isnull=False
    ).exists():
        return _(
            "The %(year)s self-assessment has been submitted: the data it assessed can no longer be changed."
        ) % {"year": year}
    return None


def register() -> None:
    """The evaluation app's ready()."""
    register_dataset_holder(report_holding)
    register_dataset_holder(self_assessment_holding)
