"""Benchmark: recomputing every stored park-year result (engine + database), as after a factor change.

Creates a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), stores N
park-year datasets (100 parks × 5 years by default) and times, end to end:

  first      indicator_results_recompute_all with no stored results (every result inserted)
  unchanged  the same again: every result reproduced and kept, nothing written
  factor     a province admin publishes a 2024 national_fossil grid factor; the recomputation it
             schedules runs eagerly after commit (the sensitivity of the 2024+ datasets changes)
  method     a province admin adds the 2023 equivalent-value coefficient (等价值): 2024+ datasets change
  threshold  a new jiangxi-2025 threshold (every jiangxi result changes, national ones are kept)

Each park-year is evaluated under both schemes. Target: 500 park-years ≤ 5 s on PostgreSQL.

    .venv/bin/python bench/recompute.py [--parks 100] [--years 5] [--rows 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zcpark .venv/bin/python bench/recompute.py
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402
from django.db import connection  # noqa: E402

CARRIERS = [
    ("natural_gas", "10^4 Nm3"),
    ("diesel", "t"),
    ("gasoline", "t"),
    ("bituminous", "t"),
    ("coke", "t"),
    ("lpg", "t"),
    ("fuel_oil", "t"),
]
FIRST_YEAR = 2022  # the first year with an equivalent-value coefficient (2021's) in cn-2026.1
USES = ("fuel", "fuel", "fuel", "power_heat", "feedstock", "bunker")


def make_document(rng: random.Random, *, year: int, rows: int) -> dict:
    energy = []
    for i in range(rows):
        carrier, unit = CARRIERS[rng.randrange(len(CARRIERS))]
        energy.append(
            {
                "carrier": carrier,
                "quantity": f"{rng.uniform(1, 500):.3f}",
                "unit": unit,
                "use": USES[rng.randrange(len(USES))],
                "enterprise": f"企业{i % 20}",
            }
        )
    return {
        "schema": "zcpark.dataset/2",
        "park": {"name": "基准园区", "park_type": rng.choice(["chemical", "non_chemical"])},
        "year": year,
        "energy": energy,
        "electricity_mwh": {
            "grid": f"{rng.uniform(1e4, 1e5):.1f}",
            "green_trade": f"{rng.uniform(0, 1e5):.1f}",
            "green_direct": f"{rng.uniform(0, 1e5):.1f}",
            "export": f"{rng.uniform(0, 1e3):.1f}",
            "export_renewable": f"{rng.uniform(0, 1e3):.1f}",
        },
        "heat_gj": {"purchased": f"{rng.uniform(0, 1e4):.1f}", "export": f"{rng.uniform(0, 1e3):.1f}"},
        "process": [{"product": "水泥熟料", "quantity_t": "1000", "ef_tco2_per_t": "0.52", "basis": "基准"}],
        "resources": {"water_m3": {"fresh_intake": "100", "reused": "300"}, "green_buildings": 1},
    }


def seed(*, parks: int, years: int, rows: int):  # type: ignore[no-untyped-def]
    from indicators.models import ParkDataset
    from indicators.services import factor_set_load_fixture, scheme_load_fixture
    from parks.models import City, DevelopmentZone, Park, Role, User
    from parks.services import cities_load

    root = Path(__file__).resolve().parents[1] / "fixtures"
    factor_set_load_fixture(path=root / "factor_sets" / "cn-2026.1.json")
    for code in ("jiangxi-2025", "national-2025"):
        scheme_load_fixture(path=root / "schemes" / f"{code}.json")
    cities_load()
    cities = list(City.objects.all())
    zones = DevelopmentZone.objects.bulk_create(
        DevelopmentZone(name=f"基准开发区{i}", city=cities[i % len(cities)], level="provincial", kind="other")
        for i in range(parks)
    )
    park_rows = Park.objects.bulk_create(
        Park(name=f"基准园区{i}", zone=zone, park_type="non_chemical", managing_body=f"管委会{i}")
        for i, zone in enumerate(zones)
    )
    rng = random.Random(2025)
    ParkDataset.objects.bulk_create(
        ParkDataset(park=park, year=year, document=make_document(rng, year=year, rows=rows))
        for park in park_rows
        for year in range(FIRST_YEAR, FIRST_YEAR + years)
    )
    return User.objects.create_user("b_province", password="x", role=Role.PROVINCE_ADMIN)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rows", type=int, default=50, help="energy rows per dataset")
    args = parser.parse_args()

    with throwaway_database():
        from indicators.models import IndicatorResult
        from indicators.services import (
            factor_set_add_equivalent_coefficient,
            factor_set_add_grid_factor,
            indicator_results_recompute_all,
            scheme_new_version,
        )

        province = seed(parks=args.parks, years=args.years, rows=args.rows)
        count = args.parks * args.years

        def counts() -> tuple[int, int]:
            return IndicatorResult.objects.count(), IndicatorResult.objects.filter(
                superseded_at__isnull=False
            ).count()

        scenarios = [
            ("first", lambda: indicator_results_recompute_all(reason="bench: first")),
            ("unchanged", lambda: indicator_results_recompute_all(reason="bench: unchanged")),
            (
                "factor",
                lambda: factor_set_add_grid_factor(
                    publish=True,
                    by=province,
                    basis="national_fossil",
                    year=2024,
                    value=Decimal("0.8100"),
                    source="bench",
                ),
            ),
            (
                "method",
                lambda: factor_set_add_equivalent_coefficient(
                    publish=True, by=province, year=2023, value=Decimal("0.3001"), source="bench"
                ),
            ),
            (
                "threshold",
                lambda: scheme_new_version(
                    publish=True, by=province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("85")}
                ),
            ),
        ]
        print(
            f"database: {connection.vendor}; park-years: {count} ({args.parks} parks × {args.years} years, "
            f"{args.rows} energy rows each); 2 schemes per park-year"
        )
        print(
            f"{'scenario':<11}{'park-years':>11}{'inserted':>10}{'superseded':>11}{'seconds':>9}{'park-years/s':>14}"
        )
        for name, run in scenarios:
            rows_before, superseded_before = counts()
            start = time.perf_counter()
            run()
            seconds = time.perf_counter() - start
            rows_after, superseded_after = counts()
            print(
                f"{name:<11}{count:>11}{rows_after - rows_before:>10}{superseded_after - superseded_before:>11}"
                f"{seconds:>9.2f}{count / seconds:>14.0f}"
            )


if __name__ == "__main__":
    main()
