"""Celery tasks of the construction period: the daily supervision steps and rendering acceptance reports.
Each retries a database hiccup with back-off; the rendering has the renderings' time limits."""

from __future__ import annotations

import structlog
from celery import shared_task

from zcpark.core.tasks import RENDER_TIME_LIMITS, RETRY_POLICY

from .models import AcceptanceEvaluation
from .services import (
    acceptance_report_render,
    acceptance_report_schedule,
    annual_reports_remind,
    orders_mark_overdue,
    projects_advance_ended,
)
from .services.city_reports import city_reports_daily
from .services.national import park_archive_build

logger = structlog.get_logger(__name__)


@shared_task(name="evaluation.orders_mark_overdue", **RETRY_POLICY)
def orders_mark_overdue_task() -> int:
    marked = orders_mark_overdue()
    logger.info("orders_marked_overdue", count=marked)
    return marked


@shared_task(name="evaluation.daily", **RETRY_POLICY)
def construction_daily_task() -> dict[str, int]:
    """Report reminders and overdue notices, and projects whose period has ended. A retry (or a second
    beat) notifies nobody twice: each notice claims its report first."""
    reminded, overdue = annual_reports_remind()
    moved = projects_advance_ended()
    logger.info("construction_daily", reminded=reminded, reports_overdue=overdue, periods_ended=moved)
    return {"reminded": reminded, "reports_overdue": overdue, "periods_ended": moved}


@shared_task(name="evaluation.acceptance_report_render", **RETRY_POLICY, **RENDER_TIME_LIMITS)
def acceptance_report_render_task(report_id: int) -> str:
    """Render one queued report; a second delivery of the same job changes nothing (see the service)."""
    return acceptance_report_render(report_id)


@shared_task(name="evaluation.acceptance_reports_refresh", **RETRY_POLICY)
def acceptance_reports_refresh_task() -> int:
    """Safety net: an evaluation whose report inputs changed (a recomputed result after a factor change),
    whose report failed, or whose rendering has been pending past its time, gets a new report."""
    queued = 0
    for evaluation in AcceptanceEvaluation.objects.all():
        queued += acceptance_report_schedule(evaluation) is not None
    return queued


@shared_task(name="evaluation.city_reports_daily", **RETRY_POLICY)
def city_reports_daily_task() -> dict[str, int]:
    """City progress reports: the current period's are planned (idempotent) and each late one is announced
    once to its city and the province (a retry notifies nobody twice: each notice claims its report)."""
    planned, overdue = city_reports_daily()
    logger.info("city_reports_daily", planned=planned, overdue=overdue)
    return {"planned": planned, "overdue": overdue}


@shared_task(name="evaluation.park_archive_build", **RETRY_POLICY, **RENDER_TIME_LIMITS)
def park_archive_build_task(archive_id: int) -> str:
    """Build one requested park archive; a second delivery of the same job changes nothing."""
    return park_archive_build(archive_id)
