"""Liveness checks of the services the portal depends on."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import structlog
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

logger = structlog.get_logger(__name__)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    latency_ms: float


def _timed(fn) -> CheckResult:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        detail = fn()
        ok = True
    except Exception as exc:
        # The endpoint is public: it names the failure's kind; the message (hosts, users) goes to the log.
        logger.warning("health_check_failed", check=getattr(fn, "__qualname__", ""), error=str(exc))
        detail, ok = type(exc).__name__, False
    return CheckResult(ok=ok, detail=detail, latency_ms=round((time.perf_counter() - start) * 1000, 1))


def check_database() -> CheckResult:
    def probe() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return connection.vendor

    return _timed(probe)


def check_broker() -> CheckResult:
    """With no broker configured, tasks run eagerly in-process: that is healthy, and says so."""
    if settings.CELERY_BROKER_URL in ("", settings.EAGER_BROKER_URL):
        return CheckResult(ok=True, detail="eager (no broker configured)", latency_ms=0.0)

    def probe() -> str:
        from zcpark.celery import app

        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return conn.transport.driver_name

    return _timed(probe)


# The worker writes this every minute (the outbox relay, scheduled by beat): older than three minutes, no
# worker or no beat is running, and every export, report and e-mail waits.
WORKER_HEARTBEAT_KEY = "zcpark:worker-heartbeat"
WORKER_STALE_AFTER_SECONDS = 180


def worker_heartbeat() -> None:
    cache.set(WORKER_HEARTBEAT_KEY, time.time(), timeout=None)


def check_worker() -> CheckResult:
    """A worker (and beat) ran in the last three minutes; with tasks run eagerly there is none to need."""
    if settings.CELERY_BROKER_URL in ("", settings.EAGER_BROKER_URL):
        return CheckResult(ok=True, detail="eager (no worker needed)", latency_ms=0.0)
    seen = cache.get(WORKER_HEARTBEAT_KEY)
    if seen is None:
        return CheckResult(ok=False, detail="no worker heartbeat", latency_ms=0.0)
    age = round(time.time() - float(seen))
    return CheckResult(ok=age <= WORKER_STALE_AFTER_SECONDS, detail=f"last seen {age} s ago", latency_ms=0.0)


def health_report() -> dict[str, object]:
    checks = {"database": check_database(), "broker": check_broker(), "worker": check_worker()}
    return {
        "status": "ok" if all(c.ok for c in checks.values()) else "error",
        "checks": {name: asdict(result) for name, result in checks.items()},
    }


@dataclass(frozen=True)
class ServiceStatus:
    """One service as the status page shows it: its name, its state in a word, and what that means for a
    user (no vendor, host or error text: the page is public)."""

    key: str
    label: str
    ok: bool
    state: str
    summary: str


def status_components() -> list[ServiceStatus]:
    """The services a person relies on, in words: records (the database) and the jobs that prepare files
    and send e-mail (the broker and its worker)."""
    database, broker, worker = check_database(), check_broker(), check_worker()
    if database.ok:
        records = ServiceStatus(
            "records", _("Records and data"), True, _("Normal"), _("Records open and save as usual.")
        )
    else:
        records = ServiceStatus(
            "records",
            _("Records and data"),
            False,
            _("Unavailable"),
            _("Records cannot be opened or saved for now. Try again in a few minutes."),
        )
    if not broker.ok:
        summary = _(
            "The job queue cannot be reached. What you save is kept; its exports, reports and e-mails "
            "follow once the queue is back."
        )
    elif not worker.ok:
        summary = _(
            "No worker has run recently. Exports, reports and e-mails wait and follow once it is back."
        )
    else:
        summary = _("Exports and reports are prepared and e-mails sent as usual.")
    jobs_ok = broker.ok and worker.ok
    jobs = ServiceStatus(
        "jobs", _("Exports, reports and e-mail"), jobs_ok, _("Normal") if jobs_ok else _("Delayed"), summary
    )
    return [records, jobs]
