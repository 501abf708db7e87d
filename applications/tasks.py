"""Celery wrappers for applications: ids in, one service call, retry on database hiccups."""

from __future__ import annotations

from celery import shared_task

from indicators.tasks import RETRY_POLICY

from . import services


@shared_task(name="applications.calls_close_expired", **RETRY_POLICY)
def calls_close_expired_task() -> int:
    """Close the calls whose deadline has passed (daily); returns how many were closed."""
    return len(services.calls_close_expired())
