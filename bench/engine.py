"""Benchmark: the pure engine on 1,000 park-year datasets of 300 energy rows each (one process).

Target (issue 3): ≥ 500 park-years/s. Prints a table.

    .venv/bin/python bench/engine.py [--datasets 1000] [--rows 300]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indicators.engine import FactorSet, Scheme, evaluate  # noqa: E402

CARRIERS = [
    ("natural_gas", "10^4 Nm3"),
    ("natural_gas", "Nm3"),
    ("diesel", "t"),
    ("diesel", "kg"),
    ("gasoline", "t"),
    ("bituminous", "t"),
    ("coke", "t"),
    ("lpg", "t"),
    ("fuel_oil", "t"),
    ("biomass", "t"),
    ("renewable_heat", "GJ"),
]
USES = ["fuel", "fuel", "fuel", "conversion", "feedstock", "bunker"]


def make_dataset(rng: random.Random, rows: int, year: int) -> dict:
    energy = []
    for i in range(rows):
        carrier, unit = CARRIERS[rng.randrange(len(CARRIERS))]
        row = {
            "carrier": carrier,
            "quantity": f"{rng.uniform(1, 50000):.3f}",
            "unit": unit,
            "use": rng.choice(USES),
            "enterprise": f"企业{i % 40}",
        }
        if carrier == "biomass":
            row["ncv"] = "15.2"
        energy.append(row)
    return {
        "schema": "zcpark.dataset/1",
        "park": {"name": "基准园区", "park_type": rng.choice(["chemical", "non_chemical"])},
        "year": year,
        "energy": energy,
        "electricity_mwh": {
            "grid": f"{rng.uniform(1e4, 1e6):.1f}",
            "green_trade": f"{rng.uniform(0, 1e5):.1f}",
            "green_direct": f"{rng.uniform(0, 1e5):.1f}",
            "export": "100",
        },
        "heat_gj": {"purchased": f"{rng.uniform(0, 1e5):.1f}"},
        "offsets_tco2": {"ccer": "10"},
        "resources": {"water_m3": {"fresh_intake": "100", "reused": "300"}, "green_buildings": 1},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    factor_set = FactorSet.from_document(
        json.loads((ROOT / "fixtures/factor_sets/cn-2026.1.json").read_text())
    )
    schemes = {
        n: Scheme.from_document(json.loads((ROOT / f"fixtures/schemes/{n}.json").read_text()))
        for n in ("jiangxi-2025", "national-2025")
    }
    rng = random.Random(2025)
    datasets = [make_dataset(rng, args.rows, rng.choice([2023, 2024, 2025])) for _ in range(args.datasets)]

    print(f"engine: {args.datasets} park-years × {args.rows} energy rows, one process")
    print(f"{'scheme':<16}{'round':>6}{'seconds':>10}{'park-years/s':>14}{'rows/s':>12}{'ok':>6}")
    for name, scheme in schemes.items():
        rates = []
        for round_no in range(1, args.rounds + 1):
            start = time.perf_counter()
            ok = sum(evaluate(d, factor_set=factor_set, scheme=scheme).ok for d in datasets)
            seconds = time.perf_counter() - start
            rate = args.datasets / seconds
            rates.append(rate)
            print(f"{name:<16}{round_no:>6}{seconds:>10.3f}{rate:>14.0f}{rate * args.rows:>12.0f}{ok:>6}")
        print(f"{name:<16}{'median':>6}{'':>10}{statistics.median(rates):>14.0f}")


if __name__ == "__main__":
    main()
