"""Container health probes (the Dockerfile's HEALTHCHECK, docker-compose.yml). Standard library only: a
probe every 30 seconds costs no Django start-up and opens no connection of its own to the database.

    python -m zcpark.core.probe web    # this container's gunicorn answers /healthz and reaches the database
    python -m zcpark.core.probe beat   # celery beat wrote its schedule file lately

Exit status 0 is healthy, 1 is not; the reason is printed (``docker inspect`` shows it).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
import urllib.error
import urllib.request

# Where docker-compose.yml has beat keep its schedule (the container's own /tmp: it goes with the container).
BEAT_SCHEDULE = "/tmp/celerybeat-schedule"  # noqa: S108


def probe_host(allowed_hosts: str) -> str:
    """A Host header Django accepts: the first of ALLOWED_HOSTS (a ".example.cn" entry allows the domain
    itself). Probing as 127.0.0.1 would answer 400 where ALLOWED_HOSTS names only the public domain."""
    for entry in (part.strip() for part in allowed_hosts.split(",")):
        if entry and entry != "*":
            return entry.lstrip(".")
    return "localhost"


def check_web(url: str, host: str, timeout: float) -> tuple[bool, str]:
    """Healthy when gunicorn answers and the app reaches its database. /healthz also answers 503 when the
    broker or the worker is down; that is the worker's and Redis's own health, and a web container marked
    unhealthy for it would be taken out of service (or restarted) for nothing."""
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (a fixed http URL)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:
        return False, f"no answer from {url}: {exc}"
    try:
        database = json.loads(body)["checks"]["database"]
    except (ValueError, KeyError, TypeError):
        return False, f"{url} answered {status} without a health report"
    if not database.get("ok"):
        return False, f"the database does not answer: {database.get('detail')}"
    return True, f"{url} answered {status}"


def check_fresh_file(path: str, max_age: float) -> tuple[bool, str]:
    """Healthy when a file named ``path`` (dbm adds a suffix on some systems) changed within ``max_age`` s.
    Beat syncs its schedule file at most every 3 minutes while it sends tasks (the relay, every minute)."""
    times = [os.path.getmtime(name) for name in glob.glob(glob.escape(path) + "*")]
    if not times:
        return False, f"{path} does not exist"
    age = time.time() - max(times)
    return age <= max_age, f"{path} written {age:.0f} s ago (limit {max_age:.0f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m zcpark.core.probe", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    web = sub.add_parser("web", help="GET /healthz of this container's gunicorn")
    web.add_argument("--url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz")
    web.add_argument("--timeout", type=float, default=5.0)
    beat = sub.add_parser("beat", help="celery beat's schedule file is fresh")
    beat.add_argument("--schedule", default=BEAT_SCHEDULE)
    beat.add_argument("--max-age", type=float, default=600.0)
    args = parser.parse_args(argv)
    if args.what == "web":
        ok, detail = check_web(args.url, probe_host(os.environ.get("ALLOWED_HOSTS", "")), args.timeout)
    else:
        ok, detail = check_fresh_file(args.schedule, args.max_age)
    print(("healthy: " if ok else "unhealthy: ") + detail)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
