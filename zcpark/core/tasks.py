"""Tasks of the core: a round-trip probe used by the health check tests and operators."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="core.echo")
def echo_task(value: str) -> str:
    """Return ``value``: proves a worker picked the task up and a result came back."""
    return value
