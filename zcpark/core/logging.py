"""Structured logging: one structlog pipeline for our code and for the standard library's loggers."""

from __future__ import annotations

import logging
from typing import Any

import structlog

_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
]


def build_logging(*, level: str, json: bool) -> dict[str, Any]:
    """Return a LOGGING dict rendering every record as JSON (production) or key=value lines (dev)."""
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processor": renderer,
                "foreign_pre_chain": _SHARED_PROCESSORS,
            },
        },
        "filters": {"answered_once": {"()": "zcpark.core.logging.AnsweredOnceFilter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        # WeasyPrint logs every layout step of every page at INFO; fontTools every subset it makes.
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # A 4xx answer is logged once, by the request's own line (see AnsweredOnceFilter).
            "django.request": {"filters": ["answered_once"]},
            "django.security.csrf": {"filters": ["answered_once"]},
            # gunicorn's own lines (start-up, worker timeouts, one per request) as JSON too: named here,
            # its handlers that write plain text are replaced (gunicorn.conf.py passes this dict to it).
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }


def configure_structlog() -> None:
    """Route structlog loggers through the standard library so one formatter renders everything."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


class AnsweredOnceFilter(logging.Filter):
    """Drop Django's own line about a 4xx answer: ``request_finished`` (django_structlog) logs every answer
    once, with its code, path, user and request id, and a refused form's reason (``csrf_failure`` binds it).
    Django's "Forbidden (Permission denied)" would add a second line, with a traceback of an expected refusal.

    Kept for a request that did not reach django_structlog's middleware (answered further out: no request
    line will follow; ``ErrorPagesMiddleware`` marks the ones that did), and always for a 5xx."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        return not getattr(getattr(record, "request", None), REQUEST_LINE_ATTR, False)


# The attribute ErrorPagesMiddleware (zcpark.core.views) sets; named here so settings import no view module.
REQUEST_LINE_ATTR = "zcpark_request_line"
