"""Tasks of the core: a round-trip probe, notification e-mails, the outbox relay, the sweep of generated
files that never ended; and the retry policy and time limits every task uses.

Every task ends: the settings give each a soft time limit (540 s) under its hard one (600 s), a rendering
tighter ones (``RENDER_TIME_LIMITS``); a transient error (a lost database connection, a lock timeout; an SMTP
server away for e-mails) is retried with a growing, jittered back-off, five times at most."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from .health import worker_heartbeat
from .outbox import outbox_relay
from .services import generated_files_fail_stale

# Tasks that read or write the database retry a hiccup (a lost connection, a lock timeout).
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}

# A PDF or an archive: past the soft limit its file is marked failed with a message for the page (the
# task returns; it is not retried: the same inputs would take as long), the hard limit kills it.
RENDER_TIME_LIMITS: dict[str, int] = {
    "soft_time_limit": settings.RENDER_SOFT_TIME_LIMIT,
    "time_limit": settings.RENDER_TIME_LIMIT,
}


@shared_task(name="core.echo", ignore_result=False)
def echo_task(value: str) -> str:
    """Return ``value``: proves a worker picked the task up and a result came back."""
    return value


@shared_task(name="core.notification_email", **{**RETRY_POLICY, "autoretry_for": (OSError,)})
def notification_email_task(title: str, body: str, url: str, emails: list[str]) -> int:
    """E-mail a notification (the console backend by default); returns the number of messages sent."""
    from django.conf import settings
    from django.core.mail import send_mass_mail

    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url else ""
    text = "\n\n".join(part for part in (body, link) if part)
    subject = f"[{settings.PORTAL_TITLE}] {title}"
    # One message per address: recipients in different parks must not see each other.
    return send_mass_mail([(subject, text, None, [email]) for email in emails])


@shared_task(name="core.outbox_relay", **RETRY_POLICY)
def outbox_relay_task() -> int:
    """Send the tasks the broker missed (every minute), and say the worker is alive (``/healthz``); returns
    how many went."""
    worker_heartbeat()
    return outbox_relay()


@shared_task(name="core.generated_files_sweep", **RETRY_POLICY)
def generated_files_sweep_task() -> int:
    """Fail the exports and reports whose job never ended, so their pages stop waiting (every 10 minutes)."""
    return generated_files_fail_stale()


@shared_task(name="core.idempotency_records_expire", **RETRY_POLICY)
def idempotency_records_expire_task() -> int:
    """Forget the API's idempotency records past IDEMPOTENCY_TTL_HOURS (hourly); returns how many."""
    from .idempotency import idempotency_records_expire

    return idempotency_records_expire()
