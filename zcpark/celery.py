"""The Celery application. Periodic schedules are defined here, in one place."""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.local")

app = Celery("zcpark")
# Every CELERY_* Django setting configures the app (broker, eager mode, time limits).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks (celery beat), all in one place. Later capabilities add their schedules here.
app.conf.beat_schedule = {
    # Tasks whose after-commit send failed (broker down) or never happened are sent once it answers.
    "outbox-relay": {"task": "core.outbox_relay", "schedule": 60},
    # Exports and reports whose job died (worker killed, message lost) fail visibly instead of pending forever.
    "generated-files-sweep": {"task": "core.generated_files_sweep", "schedule": 10 * 60},
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
    # Acceptance reports whose inputs changed (a recomputed result) are rendered again.
    "acceptance-reports-refresh": {"task": "evaluation.acceptance_reports_refresh", "schedule": 60 * 60},
}
