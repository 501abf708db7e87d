"""Tasks of the core: a round-trip probe used by the health check tests and operators."""

from __future__ import annotations

from celery import shared_task


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
