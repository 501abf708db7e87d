"""gunicorn's configuration: `gunicorn -c gunicorn.conf.py zcpark.wsgi` (the image and docker-compose.yml do).

Every number comes from the environment, so one image fits a small and a large host; docs/operations.md
says how to size them."""

from __future__ import annotations

import os

from zcpark.core.logging import build_logging


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cores() -> int:
    """The cores this process may run on (a container's cpuset), not the host's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


# Every address of the container: the reverse proxy in front is what the outside reaches.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gunicorn's rule of thumb (2 × cores + 1), capped: each worker holds ~150 MB and, for CONN_MAX_AGE, one
# PostgreSQL connection per thread, and the worker and beat need connections too (max_connections 100).
workers = _int("GUNICORN_WORKERS", min(2 * _cores() + 1, 8))
# More than one thread serves more slow clients per worker (the gthread worker); pages hold no thread state.
threads = _int("GUNICORN_THREADS", 1)
# A request may wait 30 s on a statement (DB_STATEMENT_TIMEOUT_MS) before it answers "busy": give it room
# to answer, then kill a worker that hangs past this.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (the jitter keeps them from all restarting at once): what a
# library leaks never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The proxies whose X-Forwarded-Proto/-For gunicorn believes (the province's reverse proxy's address);
# "*" only where nothing but the proxy can reach the container.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The workers' heartbeat files on tmpfs (gunicorn's advice for Docker): on an overlay disk a slow write can
# get a healthy worker killed. Only gunicorn writes there; its files are made private to this user.
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# gunicornc's control socket is of no use in a container (and $HOME/.gunicorn is not writable there).
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
# gunicorn's own lines through the same structlog formatter as Django's (JSON unless LOG_JSON=false).
logconfig_dict = build_logging(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    json=os.environ.get("LOG_JSON", "true").strip().lower() in ("1", "true", "yes", "on"),
)
