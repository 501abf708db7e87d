"""A dossier as the holder of a park's energy years (``indicators.dataset_holders``): once submitted, the
dossier's years (2023–2025) change only through the dossier, while it is a draft or returned — not
through the park's API, an import of the year nor its undo. A declined, rejected or withdrawn dossier no
longer holds them (the park may apply again in a later call, with a new draft)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from indicators.dataset_holders import register_dataset_holder

from .models import HISTORY_YEARS, Application, ApplicationStatus

# The dossier was submitted and is not ended: what it was reviewed on stays as it was.
HOLDING_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.LISTED,
)


def dossier_holding(park: Any, year: int) -> str | None:
    """Why the park's ``year`` cannot change: a submitted dossier of the park holds it (None: none does)."""
    if year not in HISTORY_YEARS:
        return None
    application = (
        Application.objects.filter(park_id=park.pk, status__in=HOLDING_STATUSES)
        .select_related("call")
        .order_by("-id")
        .first()
    )
    if application is None:
        return None
    return _(
        "The %(year)s data is part of the dossier in “%(call)s”, which is %(status)s: it can be changed "
        "only through the dossier while it is a draft or returned."
    ) % {"year": year, "call": application.call.title, "status": application.get_status_display()}


def register() -> None:
    """The applications app's ready()."""
    register_dataset_holder(dossier_holding)
