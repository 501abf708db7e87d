"""Benchmark: monthly pushes through the API — parks × 12 months × rows, one request per month.

Creates a throw-away database (SQLite in memory by default; PostgreSQL with --database-url or
DATABASE_URL), loads the reference factors, creates the parks and a staff user each, and pushes every
park's twelve months through ``POST /api/v1/parks/<id>/monthly/`` with Django's test Client (the full
stack: middleware, authentication, parsing, checks, the replace-the-month write, the audit event and the
outlook's two engine evaluations). Prints rows/s, requests/s and p50/p95 per request, overall and by
month (a later month reads more months for its projection).

    .venv/bin/python bench/monthly_push.py [--parks 100] [--rows 300] [--months 12]
    .venv/bin/python bench/monthly_push.py --database-url postgres://postgres@127.0.0.1:5432/zcpark_monthly
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--database-url", default="")
    return parser.parse_args()


ARGS = _arguments()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django  # noqa: E402

django.setup()

from benchdb import throwaway_database  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from park_platform import month_rows  # noqa: E402


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def run() -> None:
    from tests.indicators.factories import load_factor_data
    from tests.parks.factories import ParkFactory, UserFactory

    load_factor_data()
    parks = [ParkFactory(name=f"基准园区{i:03d}", park_type="non_chemical") for i in range(ARGS.parks)]
    clients = []
    for park in parks:
        client = Client()
        client.force_login(UserFactory(username=f"bench_staff_{park.pk}", staff=True, park=park))
        clients.append(client)
    rng = random.Random(7)
    bodies = {
        month: [
            json.dumps({"year": ARGS.year, "month": month, "rows": month_rows(rng, month, ARGS.rows)})
            for _park in parks
        ]
        for month in range(1, ARGS.months + 1)
    }
    timings: dict[int, list[float]] = {month: [] for month in bodies}
    started = time.perf_counter()
    for month, month_bodies in bodies.items():
        for park, client, body in zip(parks, clients, month_bodies, strict=True):
            t0 = time.perf_counter()
            response = client.post(f"/api/v1/parks/{park.pk}/monthly/", body, content_type="application/json")
            timings[month].append(time.perf_counter() - t0)
            if response.status_code != 201:
                raise SystemExit(
                    f"park {park.pk} month {month}: {response.status_code} {response.content[:300]!r}"
                )
    total = time.perf_counter() - started
    every = [t for values in timings.values() for t in values]
    requests = len(every)
    print(f"database: {connection.vendor}; {ARGS.parks} parks × {ARGS.months} months × {ARGS.rows} rows")
    print(f"{'':<10}{'requests':>10}{'rows/s':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for month, values in timings.items():
        seconds = sum(values)
        print(
            f"{'month ' + str(month):<10}{len(values):>10}{len(values) * ARGS.rows / seconds:>10.0f}"
            f"{len(values) / seconds:>8.1f}{_percentile(values, 50) * 1000:>9.1f}{_percentile(values, 95) * 1000:>9.1f}"
        )
    print(
        f"{'all':<10}{requests:>10}{requests * ARGS.rows / total:>10.0f}{requests / total:>8.1f}"
        f"{_percentile(every, 50) * 1000:>9.1f}{_percentile(every, 95) * 1000:>9.1f}"
    )
    print(f"total {total:.1f} s")


if __name__ == "__main__":
    if (
        connection.vendor != "sqlite"
    ):  # a name of its own: another bench's throw-away database is not clobbered
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "zcpark_bench_monthly"
    with throwaway_database():
        run()
