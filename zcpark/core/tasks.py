"""Tasks of the core (a round-trip probe, notification e-mails), the retry policy every task uses, and
queueing a task by its name after commit."""

from __future__ import annotations

from typing import Any

from celery import current_app, shared_task
from django.db import OperationalError, transaction

# Tasks that read or write the database retry a hiccup (a lost connection, a lock timeout).
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def task_enqueue_on_commit(name: str, *args: Any) -> None:
    """Queue the task registered as ``name`` once the transaction commits (never for a rolled-back change).

    Services name the task instead of importing it: the tasks call the services, so imports go one way.
    Each app's ``ready()`` imports its tasks module, so every task is registered in every process."""
    transaction.on_commit(lambda: current_app.tasks[name].delay(*args), robust=True)


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
