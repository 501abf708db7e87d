"""Benchmark: the review queues and the public lists under load, served by gunicorn from PostgreSQL.

Creates a throw-away PostgreSQL database (``zcpark_bench``), fills it with N applications over the 11
cities (statuses mixed: submitted / recommended / approved / listed; every form section, a 2025 dataset
per park with its indicators computed by the real engine, and a published list of ~50 parks), starts
gunicorn on loopback, signs users in (sessions in the database), then for each page:

* counts the SQL queries of one request (in-process Django test client + CaptureQueriesContext);
* drives C concurrent keep-alive clients with wrk for D seconds (a Python thread pool with
  http.client when wrk is missing) and reports requests/s and p50 / p95 / p99 latency.

Stops gunicorn and drops the database at the end, whatever happens. Target: a constant number of
queries per page and p95 < 200 ms at 8 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/review_queues.py [--applications 1000] [--clients 8] [--duration 10]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

import django  # noqa: E402

django.setup()

from benchdb import BENCH_DATABASE, throwaway_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402
from django.utils import timezone  # noqa: E402

HOST, PORT = "127.0.0.1", 8765
# wrk reports 50/75/90/99 only; this hook (results only, no request scripting) prints p95 from its histogram.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %f, "errors": %d, "non2xx": %d, '
    .. '"p50": %f, "p95": %f, "p99": %f}\\n', summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def seed(n_applications: int) -> dict[str, object]:
    """Cities, zones, parks, calls, applications with sections, 2025 datasets and results, one list."""
    from applications.models import (
        Application,
        ApplicationStatus,
        Call,
        CallStatus,
        ConstructionList,
        ConstructionListEntry,
        DossierSection,
        ListStatus,
    )
    from applications.samples import sample_dataset, sample_sections
    from indicators.models import ParkDataset
    from indicators.services import indicator_results_recompute_all
    from indicators.services.reference import factor_set_load_fixture, scheme_load_fixture
    from parks.models import City, DevelopmentZone, Park, Role, User
    from parks.services import cities_load
    from zcpark.core.models import Notification

    rng = random.Random(2025)
    cities_load()
    factor_set_load_fixture(path=settings.FIXTURES_DIR / "factor_sets" / "cn-2026.1.json")
    for code in ("jiangxi-2025", "national-2025"):
        scheme_load_fixture(path=settings.FIXTURES_DIR / "schemes" / f"{code}.json")
    cities = list(City.objects.order_by("code"))
    zones = DevelopmentZone.objects.bulk_create(
        DevelopmentZone(
            name=f"基准开发区{i}",
            city=cities[i % len(cities)],
            level="national" if i % 4 == 0 else "provincial",
            kind="etdz",
        )
        for i in range(n_applications)
    )
    parks = Park.objects.bulk_create(
        Park(name=f"基准园区{i}", zone=zone, park_type="non_chemical", managing_body=f"管委会{i}")
        for i, zone in enumerate(zones)
    )
    deadline = timezone.localdate() + timedelta(days=30)
    calls = [
        Call.objects.create(
            title=f"基准申报批次{n}", deadline=deadline, status=CallStatus.OPEN, quota_per_city=quota
        )
        for n, quota in ((1, 40), (2, None))
    ]
    now = timezone.now()
    statuses = (
        [ApplicationStatus.LISTED] * 50
        + [ApplicationStatus.APPROVED] * 200
        + [ApplicationStatus.RECOMMENDED] * 300
        + [ApplicationStatus.SUBMITTED] * max(n_applications - 550, 0)
    )[:n_applications]
    rng.shuffle(statuses)
    applications = Application.objects.bulk_create(
        Application(
            call=calls[i % 2],
            park=park,
            status=statuses[i],
            revision=1,
            submitted_at=now - timedelta(hours=i),
            decided_at=now if statuses[i] in (ApplicationStatus.APPROVED, ApplicationStatus.LISTED) else None,
            total_investment_wan=Decimal(80000 + rng.randrange(0, 100000)),
            period_years=3 + i % 3,
        )
        for i, park in enumerate(parks)
    )
    sections = []
    for application, park in zip(applications, parks, strict=True):
        for code, data in sample_sections(managing_body=park.managing_body).items():
            if code == "targets":
                data = {**data, "period_years": application.period_years}
            sections.append(DossierSection(application=application, code=code, data=data, is_complete=True))
    DossierSection.objects.bulk_create(sections, batch_size=2000)
    datasets = []
    for park in parks:
        document = sample_dataset(park_name=park.name, park_type=park.park_type, year=2025)
        # Spread the core indicator around its threshold, so the queues show passes and failures.
        document["electricity_mwh"]["grid"] = str(20000 + rng.randrange(0, 60) * 1000)
        datasets.append(ParkDataset(park=park, year=2025, document=document))
    ParkDataset.objects.bulk_create(datasets, batch_size=1000)
    start = time.perf_counter()
    summary = indicator_results_recompute_all(reason="bench")
    print(
        f"engine: {summary.created} results for {summary.datasets} datasets in {time.perf_counter() - start:.1f} s"
    )
    listed = [a for a in applications if a.status == ApplicationStatus.LISTED]
    clist = ConstructionList.objects.create(
        title="第一批省级零碳园区建设名单（基准）",
        document_no="赣发改环资〔2026〕1号",
        status=ListStatus.PUBLISHED,
        objection_deadline=timezone.localdate(),
        noticed_at=now,
        published_at=now,
    )
    ConstructionListEntry.objects.bulk_create(
        ConstructionListEntry(construction_list=clist, application=a, park_id=a.park_id) for a in listed
    )
    # A bulk load leaves the planner without statistics until autovacuum comes by: measure the steady state.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    users = {
        "province": User.objects.create_user("bench_province", password="x", role=Role.PROVINCE_ADMIN),
        "city": User.objects.create_user("bench_city", password="x", role=Role.CITY_REVIEWER, city=cities[0]),
    }
    Notification.objects.bulk_create(
        Notification(recipient=user, title=f"基准通知{i}") for user in users.values() for i in range(30)
    )
    return users


def session_cookie(user: object) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def count_queries(user: object | None, url: str) -> tuple[int, int, int]:
    """(queries, status, bytes) of one request through the in-process test client."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(url)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response.status_code, len(response.content)


def start_gunicorn(workers: int, log: Path, static_root: Path) -> subprocess.Popen[bytes]:
    """gunicorn with the production settings (JSON logs, manifest static files), on plain HTTP."""
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "zcpark.settings.production",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root),
        # The sessions are signed in this process: the server must share its key.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "LOG_LEVEL": "WARNING",
        # The public API's anonymous throttle would turn a load test into 429s.
        "API_ANON_THROTTLE": "10000000/minute",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "zcpark.wsgi:application",
        "--bind",
        f"{HOST}:{PORT}",
        "--workers",
        str(workers),
        "--chdir",
        str(ROOT),
    ]
    # The manifest storage needs the collected files (and their hashes) before the first page.
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{PORT}/public/lists/", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
        if process.poll() is not None:
            break
    stop_gunicorn(process)
    raise SystemExit(f"gunicorn did not come up; see {log}")


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def preflight(path: str, cookie: str | None) -> tuple[int, int]:
    """(status, bytes) of one request to the server: a signed-out redirect must not pass for a fast page."""
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body)


def print_results(
    rows: list[tuple[str, str, int, int, dict[str, float]]], *, page_width: int, target_p95_ms: float
) -> None:
    """The results table (who, page, queries, size, req/s, latency percentiles, errors) and the verdict."""
    header = (
        f"{'who':<16}{'page':<{page_width}}{'queries':>8}{'KiB':>7}{'req/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for role, url, queries, size, r in rows:
        errors = int(r["errors"] + r["non2xx"])
        print(
            f"{role:<16}{url:<{page_width}}{queries:>8}{size / 1024:>7.0f}{r['rps']:>8.1f}{r['p50']:>8.1f}"
            f"{r['p95']:>8.1f}{r['p99']:>8.1f}{errors:>7}"
        )
    slow = [url for _role, url, _q, _s, r in rows if r["p95"] >= target_p95_ms]
    print(f"\ntarget p95 < {target_p95_ms:g} ms: {'met' if not slow else 'missed on ' + ', '.join(slow)}")


def load_wrk(url: str, cookie: str | None, clients: int, seconds: int, script: Path) -> dict[str, float]:
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(clients),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
    ]
    if cookie:
        command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    report = json.loads(output.strip().splitlines()[-1])
    report["rps"] = report["requests"] / report["seconds"]
    return report


def load_python(url: str, cookie: str | None, clients: int, seconds: int) -> dict[str, float]:
    """Fallback: keep-alive clients in threads, each timing its own requests."""
    path = url.split(f"{PORT}", 1)[1]
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(worker) for _ in range(clients)]:
            future.result()
    elapsed = time.monotonic() - started
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "errors": 0,
        "non2xx": errors[0],
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--workers", type=int, default=3, help="as docker-compose.yml runs it")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://…/postgres")

    load_before = os.getloadavg()[0]
    if load_before > os.cpu_count():
        print(
            f"warning: load average {load_before:.2f} on {os.cpu_count()} cores: latencies will be inflated"
        )
    tmp = Path(tempfile.mkdtemp(prefix="zcpark-bench-"))
    script = tmp / "report.lua"
    script.write_text(WRK_REPORT)
    tool = "wrk" if shutil.which("wrk") else "python"
    with throwaway_database():
        assert connection.settings_dict["NAME"] == BENCH_DATABASE
        start = time.perf_counter()
        users = seed(args.applications)
        print(f"seeded {args.applications} applications in {time.perf_counter() - start:.1f} s")
        cases = [
            ("city reviewer", users["city"], "/review/city/"),
            ("city reviewer", users["city"], "/review/city/?sort=-core"),
            ("province admin", users["province"], "/review/province/"),
            ("province admin", users["province"], "/review/province/?sort=core"),
            ("anonymous", None, "/public/lists/"),
        ]
        try:
            resolve("/api/v1/public/lists/")
            cases.append(("anonymous", None, "/api/v1/public/lists/"))
        except Resolver404:
            print("/api/v1/public/lists/ does not exist yet: left out")
        measured = []
        for role, user, url in cases:
            queries, status, size = count_queries(user, url)
            assert status == 200, (url, status)
            measured.append((role, user, url, queries, size))
        process = start_gunicorn(args.workers, tmp / "gunicorn.log", tmp / "static")
        rows = []
        try:
            for role, user, url, queries, size in measured:
                cookie = session_cookie(user) if user is not None else None
                status, served = preflight(url, cookie)
                if status != 200 or abs(served - size) > size // 10:
                    raise SystemExit(f"{url}: the server answered {status} with {served} bytes, not the page")
                full = f"http://{HOST}:{PORT}{url}"
                if tool == "wrk":
                    load_wrk(full, cookie, args.clients, 2, script)  # warm every worker
                    report = load_wrk(full, cookie, args.clients, args.duration, script)
                else:
                    load_python(full, cookie, args.clients, 2)
                    report = load_python(full, cookie, args.clients, args.duration)
                rows.append((role, url, queries, size, report))
        finally:
            stop_gunicorn(process)
    shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nPostgreSQL, {args.applications} applications; gunicorn {args.workers} workers on {HOST}:{PORT}; "
        f"{args.clients} concurrent clients, {args.duration} s per page, load tool: {tool}; "
        f"load average before: {load_before:.2f}"
    )
    print_results(rows, page_width=30, target_p95_ms=200)


if __name__ == "__main__":
    main()
