"""Benchmark: the scoped parks list (page and API) and the province home with many parks.

Creates a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), fills it
with N parks spread over the 11 cities, and times each page through Django's test client
(in-process: no network, so it measures the view, ORM and template cost). Prints a table.

    .venv/bin/python bench/parks_list.py [--parks 1000] [--repeat 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402


def seed(n_parks: int) -> dict[str, object]:
    from parks.models import City, DevelopmentZone, Park, Role, User
    from parks.services import cities_load

    cities_load()
    cities = list(City.objects.all())
    zones = DevelopmentZone.objects.bulk_create(
        DevelopmentZone(name=f"基准开发区{i}", city=cities[i % len(cities)], level="provincial", kind="other")
        for i in range(n_parks)
    )
    parks = Park.objects.bulk_create(
        Park(name=f"基准园区{i}", zone=zone, park_type="non_chemical", managing_body=f"管委会{i}")
        for i, zone in enumerate(zones)
    )
    users = {
        "province_admin": User.objects.create_user("b_province", password="x", role=Role.PROVINCE_ADMIN),
        "city_reviewer": User.objects.create_user(
            "b_city", password="x", role=Role.CITY_REVIEWER, city=cities[0]
        ),
        "park_staff": User.objects.create_user("b_park", password="x", role=Role.PARK_STAFF, park=parks[0]),
    }
    return users


def measure(client: Client, url: str, repeat: int) -> tuple[list[float], int, int]:
    client.get(url)  # warm up
    queries = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return times, len(queries), len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parks", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    with throwaway_database():
        users = seed(args.parks)
        cases = [
            ("province_admin", "/parks/"),
            ("province_admin", "/parks/?q=基准园区99"),
            ("province_admin", "/api/v1/parks/"),
            ("province_admin", "/home/"),
            ("city_reviewer", "/parks/"),
            ("city_reviewer", "/api/v1/parks/"),
            ("park_staff", "/parks/"),
            ("park_staff", f"/parks/{users['park_staff'].park_id}/"),
        ]
        print(f"database: {connection.vendor}; parks: {args.parks}; requests per row: {args.repeat}")
        print(f"{'role':<16}{'url':<28}{'queries':>8}{'bytes':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        for role, url in cases:
            client = Client()
            client.force_login(users[role])
            times, n_queries, size = measure(client, url, args.repeat)
            q = statistics.quantiles(times, n=20)
            print(
                f"{role:<16}{url:<28}{n_queries:>8}{size:>9}{statistics.median(times):>9.1f}{q[18]:>9.1f}"
                f"{max(times):>9.1f}"
            )


if __name__ == "__main__":
    main()
