"""Celery tasks of the construction period: the daily supervision steps and rendering acceptance reports."""

from __future__ import annotations

import structlog
from celery import shared_task
from django.db import transaction

from .models import AcceptanceEvaluation
from .services import (
    acceptance_report_render,
    acceptance_report_schedule,
    annual_reports_remind,
    orders_mark_overdue,
    projects_advance_ended,
)

logger = structlog.get_logger(__name__)


@shared_task(name="evaluation.orders_mark_overdue")
def orders_mark_overdue_task() -> int:
    marked = orders_mark_overdue()
    logger.info("orders_marked_overdue", count=marked)
    return marked


@shared_task(name="evaluation.daily")
def construction_daily_task() -> dict[str, int]:
    """Report reminders and overdue notices, and projects whose period has ended."""
    reminded, overdue = annual_reports_remind()
    moved = projects_advance_ended()
    logger.info("construction_daily", reminded=reminded, reports_overdue=overdue, periods_ended=moved)
    return {"reminded": reminded, "reports_overdue": overdue, "periods_ended": moved}


@shared_task(name="evaluation.acceptance_report_render")
def acceptance_report_render_task(report_id: int) -> str:
    return acceptance_report_render(report_id)


@shared_task(name="evaluation.acceptance_reports_refresh")
def acceptance_reports_refresh_task() -> int:
    """Safety net: an evaluation whose report inputs changed (a recomputed result after a factor change)
    gets a new report."""
    queued = 0
    for evaluation in AcceptanceEvaluation.objects.all():
        with transaction.atomic():
            queued += acceptance_report_schedule(evaluation) is not None
    return queued
