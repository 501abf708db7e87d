"""The Celery application. Periodic schedules are defined here, in one place."""

from __future__ import annotations

import logging.config
import os
from typing import Any

import structlog
from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging, task_postrun
from django.dispatch import receiver
from django_structlog.celery import signals as structlog_signals
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.local")

app = Celery("zcpark")
# Every CELERY_* Django setting configures the app (broker, eager mode, time limits).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each task's log lines carry its task_id (and the request_id of the web request that queued it), and its
# start, success, retry and failure are logged (django-structlog's worker integration).
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _log_through_django(**kwargs: Any) -> None:
    """Worker and beat log through Django's LOGGING (structlog: JSON lines in production), as the web does,
    instead of Celery's own text format. A receiver here makes Celery leave logging alone entirely, so the
    worker's ``--loglevel`` is not used: LOG_LEVEL decides, for every process alike."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@receiver(structlog_signals.bind_extra_task_metadata)
def _bind_task_name(sender: Any, task: Any = None, **kwargs: Any) -> None:
    """Name the task on every line it logs (django-structlog binds only its id): a log search by task."""
    structlog.contextvars.bind_contextvars(task_name=task.name)


@task_postrun.connect
def _unbind_task(task: Any = None, **kwargs: Any) -> None:
    """On a worker, a task's id and name end with it: what the process logs next is not the task's. A task
    run eagerly (in a web request) leaves the request's own context (request_id, user) alone."""
    if task is not None and not task.request.is_eager:
        structlog.contextvars.clear_contextvars()


# Periodic tasks (celery beat), all in one place. Later capabilities add their schedules here.
app.conf.beat_schedule = {
    # Tasks whose after-commit send failed (broker down) or never happened are sent once it answers.
    "outbox-relay": {"task": "core.outbox_relay", "schedule": 60},
    # Exports and reports whose job died (worker killed, message lost) fail visibly instead of pending forever.
    "generated-files-sweep": {"task": "core.generated_files_sweep", "schedule": 10 * 60},
    # Idempotency keys of API writes are remembered IDEMPOTENCY_TTL_HOURS, then forgotten.
    "idempotency-records-expire": {"task": "core.idempotency_records_expire", "schedule": 60 * 60},
    # Safety net for results whose after-commit task could not be queued.
    "indicator-results-sweep": {"task": "indicators.results_sweep", "schedule": 15 * 60},
    # A call stops accepting on its deadline anyway; closing it freezes its drafts and says so on its page.
    "calls-close-expired": {
        "task": "applications.calls_close_expired",
        "schedule": crontab(hour=0, minute=5),
    },
    # Rectification orders past their deadline become overdue and the park, city and province are told.
    "orders-mark-overdue": {
        "task": "evaluation.orders_mark_overdue",
        "schedule": crontab(hour=0, minute=10),
    },
    # Annual-report reminders and overdue notices; projects whose period has ended go to self-assessment.
    "construction-daily": {"task": "evaluation.daily", "schedule": crontab(hour=0, minute=20)},
    # City progress reports: each city's report of the current period is planned; late ones are announced.
    "city-reports-daily": {"task": "evaluation.city_reports_daily", "schedule": crontab(hour=0, minute=30)},
    # Acceptance reports whose inputs changed (a recomputed result) are rendered again.
    "acceptance-reports-refresh": {"task": "evaluation.acceptance_reports_refresh", "schedule": 60 * 60},
}
