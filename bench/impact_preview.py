"""Benchmark: the impact preview of a draft factor-set or scheme version over every stored park-year.

Creates a throw-away database (SQLite in memory by default; PostgreSQL with --database-url or DATABASE_URL,
in a database of its own, zcpark_impact_bench), stores N park-year datasets with varied quantities
(bench/recompute.py's generator: 100 parks × 5 years by default), computes their current results, then for
each draft times the impact preview (``draft_impact_compute``: every park-year evaluated under the draft and
compared with its stored current results), then discards the draft:

  constant   the fixed national fossil-fuel power factor 0.8325 → 0.80 (every core value moves)
  grid       a 2024 national_fossil grid factor (only the sensitivity figures move: no core value)
  threshold  jiangxi-2025's non-chemical core threshold 0.4 → 1.2 (the generated parks, 0.8–1.9, flip)

Target: 500 park-years ≤ 5 s.

    .venv/bin/python bench/impact_preview.py [--parks 100] [--years 5] [--rows 50]
    .venv/bin/python bench/impact_preview.py --database-url postgres://postgres@127.0.0.1:5432/zcpark
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parks", type=int, default=100)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rows", type=int, default=50, help="energy rows per dataset")
    parser.add_argument("--database-url", default="", help="PostgreSQL, e.g. postgres://postgres@127.0.0.1/x")
    return parser.parse_args()


ARGS = _arguments()
if ARGS.database_url:
    os.environ["DATABASE_URL"] = ARGS.database_url

import django  # noqa: E402

django.setup()

from benchdb import throwaway_database  # noqa: E402
from django.db import connection  # noqa: E402

IMPACT_BENCH_DATABASE = "zcpark_impact_bench"


def main() -> None:
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = IMPACT_BENCH_DATABASE
    with throwaway_database():
        from recompute import seed

        from indicators.services import (
            draft_impact_compute,
            factor_set_add_grid_factor,
            factor_set_correct_constant,
            indicator_results_recompute_all,
            reference_draft_discard,
            scheme_new_version,
        )

        province = seed(parks=ARGS.parks, years=ARGS.years, rows=ARGS.rows)
        start = time.perf_counter()
        indicator_results_recompute_all(reason="bench: current results")
        first = time.perf_counter() - start
        count = ARGS.parks * ARGS.years
        drafts = [
            (
                "constant",
                lambda: factor_set_correct_constant(
                    by=province,
                    key="national_fossil_fixed_tco2_per_mwh",
                    value=Decimal("0.80"),
                    source="bench",
                ),
            ),
            (
                "grid",
                lambda: factor_set_add_grid_factor(
                    by=province, basis="national_fossil", year=2024, value=Decimal("0.81"), source="bench"
                ),
            ),
            (
                "threshold",
                lambda: scheme_new_version(
                    by=province, code="jiangxi-2025", thresholds={"carbon_per_energy:1": Decimal("1.2")}
                ),
            ),
        ]
        print(
            f"database: {connection.vendor}; park-years: {count} ({ARGS.parks} parks × {ARGS.years} years, "
            f"{ARGS.rows} energy rows each); current results computed in {first:.2f} s"
        )
        header = ("draft", "park-years", "evaluated", "changed", "pass→fail", "fail→pass", "seconds")
        print(f"{header[0]:<11}" + "".join(f"{h:>11}" for h in header[1:]))
        for name, make in drafts:
            draft = make()  # saved with its preview; timed again alone below
            start = time.perf_counter()
            impact = draft_impact_compute(draft)
            seconds = time.perf_counter() - start
            counts = impact["counts"]
            cells = (
                counts["checked"],
                counts["evaluations"],
                counts["changed"],
                counts["pass_to_fail"],
                counts["fail_to_pass"],
            )
            print(f"{name:<11}" + "".join(f"{c:>11}" for c in cells) + f"{seconds:>11.2f}")
            reference_draft_discard(draft=draft, by=province)


if __name__ == "__main__":
    main()
