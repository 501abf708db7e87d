"""Helpers shared by the dossier page tests: page URLs, a draft, computed results and a submitted dossier."""

from __future__ import annotations

from django.urls import reverse

from applications import selectors
from applications.models import ApplicationStatus
from indicators.services import indicator_results_compute
from tests.applications.factories import ApplicationFactory


def _url(name, application, *args):
    return reverse(name, args=[application.pk, *args])


def _draft(world):
    return ApplicationFactory(park=world.park_a)


def _computed(application):
    """Compute the stored energy years' results now (on_commit does not run inside a test)."""
    for dataset in selectors.history_datasets(application).values():
        if dataset is not None:
            indicator_results_compute(dataset=dataset, reason="test")
    return application


def _submitted(application, world):
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    return application
