"""Benchmark: the data-quality warnings of a park-year (issue 15), as an upload page and a reviewer's page
compute them.

On a throw-away SQLite database with the reference data loaded, a park with the sample dataset for every
year 2022–2025 (300 energy rows each, an enterprise per row), it times:

  one year      dataset_warnings(park, 2025, document): rules, previous year, two engine evaluations
  three years   years_warnings(park, {2023, 2024, 2025}): the dossier's energy section (four evaluations)

and counts the queries of each (constant: the rules, the current scheme, the current factor set, the
previous year). Target: a page adds at most 0.1 s for one year.

    .venv/bin/python bench/quality_warnings.py [--repeat 20] [--rows 300]
"""

from __future__ import annotations

import argparse
import copy
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

TARGET_S = 0.1


def _document(year: int, rows: int) -> dict:
    from applications.samples import sample_dataset

    document = sample_dataset(park_name="基准园区", park_type="non_chemical", year=year)
    template = document["energy"][1]
    document["energy"] = [
        {**copy.deepcopy(template), "quantity": str(10 + n % 7 + year - 2022), "enterprise": f"企业{n:03d}"}
        for n in range(rows)
    ]
    return document


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rows", type=int, default=300)
    args = parser.parse_args()
    with throwaway_database():
        from indicators.models import ParkDataset
        from indicators.quality import dataset_warnings, years_warnings
        from tests.indicators.factories import load_factor_data
        from tests.parks.factories import ParkFactory

        load_factor_data()
        park = ParkFactory()
        documents = {year: _document(year, args.rows) for year in range(2022, 2026)}
        for year, document in documents.items():
            ParkDataset.objects.create(park=park, year=year, document=document)
        dossier = {year: documents[year] for year in (2023, 2024, 2025)}
        cases = {
            "one year": lambda: dataset_warnings(park, 2025, documents[2025]),
            "three years": lambda: years_warnings(park, dossier),
        }
        print(f"{'case':<12} {'queries':>7} {'median s':>9} {'max s':>7} {'warnings':>8}")
        for name, run in cases.items():
            run()  # the engine's reference data parsed and cached once, as in a running server
            with CaptureQueriesContext(connection) as queries:
                found = run()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
            count = len(found) if isinstance(found, list) else sum(len(v) for v in found.values())
            print(
                f"{name:<12} {len(queries):>7} {statistics.median(times):>9.4f} {max(times):>7.4f} {count:>8}"
            )
        print(f"target: one year ≤ {TARGET_S} s")


if __name__ == "__main__":
    main()
