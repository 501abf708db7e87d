"""Celery wrappers for applications: ids in, one service call, retry on database hiccups."""

from __future__ import annotations

from celery import shared_task

from zcpark.core.tasks import RENDER_TIME_LIMITS, RETRY_POLICY

from . import services
from .exports import dossier_export_get
from .services.exports import dossier_export_build


@shared_task(name="applications.calls_close_expired", **RETRY_POLICY)
def calls_close_expired_task() -> int:
    """Close the calls whose deadline has passed (daily); returns how many were closed."""
    return len(services.calls_close_expired())


@shared_task(name="applications.dossier_export_build", **RETRY_POLICY, **RENDER_TIME_LIMITS)
def dossier_export_build_task(export_id: int) -> str:
    """Build one requested PDF or ZIP export; returns its status ("" if the row is gone). A second delivery
    of the same job (acks_late) finds the export no longer pending and changes nothing."""
    export = dossier_export_get(pk=export_id)
    if export is None:
        return ""
    return str(dossier_export_build(export=export).status)
