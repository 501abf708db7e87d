"""Benchmark: an energy-workbook import's preview, commit and undo with many energy lines.

Creates a throw-away database with the reference data and one park, stores a year of ROWS energy lines
(one per enterprise and carrier), then times, for a file that changes every tenth line, removes some and
adds some:

  preview   dataset_import_preview: the checks a save runs, the row diff, the engine on both documents
  commit    import_commit: the stale check, park_dataset_save, the snapshot after
  undo      import_rollback: the latest-import check and the previous document restored

Target: the preview of a 300-line year under 2 s, so the upload page answers while the park waits.

    .venv/bin/python bench/import_preview.py [--rows 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402

TARGET_S = 2.0
CARRIERS = (("natural_gas", "10^4 Nm3"), ("diesel", "t"), ("gasoline", "t"))


def _document(rows: int, *, changed: bool) -> dict[str, Any]:
    from tests.indicators.factories import dataset_document

    energy = []
    for i in range(rows):
        carrier, unit = CARRIERS[i % len(CARRIERS)]
        if changed and i % 17 == 0:
            continue  # removed lines
        quantity = str(10 + i + (5 if changed and i % 10 == 0 else 0))
        energy.append(
            {
                "carrier": carrier,
                "quantity": quantity,
                "unit": unit,
                "use": "fuel",
                "enterprise": f"企业{i:04d}",
            }
        )
    if changed:
        energy += [
            {"carrier": "diesel", "quantity": "3", "unit": "t", "use": "fuel", "enterprise": f"新企业{i}"}
            for i in range(rows // 20)
        ]
    return dataset_document(year=2025, energy=energy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from indicators.services.dataset_imports import dataset_import_preview, park_dataset_push
    from parks.models import Park
    from tests.indicators.factories import load_factor_data
    from tests.parks.factories import ParkFactory, UserFactory
    from zcpark.core.imports import import_commit, import_rollback

    results: dict[str, list[float]] = {"preview": [], "commit": [], "undo": []}
    with throwaway_database():
        load_factor_data()
        park: Park = ParkFactory()
        staff = UserFactory(username="bench_staff", staff=True, park=park)
        park_dataset_push(by=staff, park=park, year=2025, document=_document(args.rows, changed=False))
        changed = _document(args.rows, changed=True)
        for _ in range(args.repeat):
            start = time.perf_counter()
            batch = dataset_import_preview(
                by=staff, park=park, year=2025, document=changed, file_name="bench.json"
            )
            results["preview"].append(time.perf_counter() - start)
            start = time.perf_counter()
            batch = import_commit(batch=batch, by=staff)
            results["commit"].append(time.perf_counter() - start)
            start = time.perf_counter()
            import_rollback(batch=batch, by=staff)
            results["undo"].append(time.perf_counter() - start)
        rows = len(batch.diff)

    print(f"energy lines: {args.rows}; diff rows: {rows}; runs: {args.repeat}")
    print(f"{'step':<10}{'min s':>9}{'median s':>10}{'max s':>9}")
    for name, times in results.items():
        print(f"{name:<10}{min(times):>9.3f}{statistics.median(times):>10.3f}{max(times):>9.3f}")
    verdict = "OK" if statistics.median(results["preview"]) <= TARGET_S else "SLOW"
    print(f"preview target ≤ {TARGET_S} s: {verdict}")


if __name__ == "__main__":
    main()
