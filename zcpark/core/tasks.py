"""Tasks of the core: a round-trip probe, notification e-mails, the outbox relay, the sweep of generated
files that never ended; and the retry policy every task uses."""

from __future__ import annotations

from typing import Any

from celery import shared_task
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


@shared_task(name="core.echo")
def echo_task(value: str) -> str:
    """Return ``value``: proves a worker picked the task up and a result came back."""
    return value


@shared_task(name="core.notification_email", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email_task(title: str, body: str, url: str, emails: list[str]) -> int:
    """E-mail a notification (the console backend by default); returns the number of messages sent."""
    from django.conf import settings
    from django.core.mail import send_mass_mail

    link = f"{settings.PORTAL_BASE_URL.rstrip('/')}{url}" if url else ""
    text = "\n\n".join(part for part in (body, link) if part)
    subject = f"[{settings.PORTAL_TITLE}] {title}"
    # One message per address: recipients in different parks must not see each other.
    return send_mass_mail([(subject, text, None, [email]) for email in emails])


@shared_task(name="core.outbox_relay")
def outbox_relay_task() -> int:
    """Send the tasks the broker missed (every minute), and say the worker is alive (``/healthz``); returns
    how many went."""
    worker_heartbeat()
    return outbox_relay()


@shared_task(name="core.generated_files_sweep")
def generated_files_sweep_task() -> int:
    """Fail the exports and reports whose job never ended, so their pages stop waiting (every 10 minutes)."""
    return generated_files_fail_stale()
