"""Helpers of the review screen tests: an application in a given state without a dossier."""

from __future__ import annotations

from django.utils import timezone

from applications.models import ApplicationStatus
from tests.applications.factories import ApplicationFactory

S = ApplicationStatus


def _bare(world, status, park=None, **kwargs):
    """An application in ``status`` without a dossier (the panel and queues only read its state)."""
    submitted = timezone.now() if status != S.DRAFT else None
    return ApplicationFactory(park=park or world.park_a, status=status, submitted_at=submitted, **kwargs)
