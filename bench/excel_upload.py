"""Benchmark: reading a large Excel upload (indicators.workbook.read_workbook).

Builds an intake workbook whose 能源消费 sheet has N random but realistic rows (about 300
enterprises × 12 months × several carriers and uses; openpyxl write-only mode, so building it
costs little memory), then times read_workbook — parse with python-calamine, validate every
cell, aggregate with Decimal — and measures its memory two ways: the tracemalloc peak (Python
allocations, in a separate run because tracing slows Python down) and the growth of the process's
peak resident set (ru_maxrss, which also sees calamine's Rust-side buffers). Prints a table.

    .venv/bin/python bench/excel_upload.py [--rows 100000] [--enterprises 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django  # noqa: E402

django.setup()  # error messages go through gettext

from openpyxl import Workbook  # noqa: E402

from indicators.workbook import labels as L  # noqa: E402
from indicators.workbook import read_workbook  # noqa: E402

TARGET_ROWS_PER_S = 20_000
TARGET_PEAK_MB = 500
# (carrier name, unit, uses, quantity range, measured NCV range or None)
CARRIERS: tuple[tuple[str, str, tuple[str, ...], tuple[float, float], tuple[float, float] | None], ...] = (
    ("天然气", "10^4 Nm3", ("终端消费", "火力发电/供热", "用作原料、材料"), (0.5, 400.0), None),
    ("天然气", "Nm3", ("终端消费",), (500.0, 90_000.0), None),
    ("柴油", "t", ("终端消费", "加工转换产出"), (0.1, 60.0), None),
    ("汽油", "t", ("终端消费", "国际航空航海"), (0.1, 30.0), None),
    ("一般烟煤", "t", ("火力发电/供热", "终端消费"), (10.0, 20_000.0), None),
    ("焦炭", "t", ("终端消费",), (5.0, 3_000.0), None),
    ("液化石油气", "kg", ("终端消费", "用作原料、材料"), (100.0, 50_000.0), None),
    ("燃料油", "t", ("终端消费",), (1.0, 500.0), None),
    ("生物质燃料", "t", ("终端消费",), (1.0, 800.0), (13.5, 16.5)),
    ("可再生热力（地热、太阳能热）", "GJ", ("终端消费",), (10.0, 9_000.0), None),
)


def factor_set() -> dict[str, Any]:
    return json.loads((ROOT / "fixtures/factor_sets/cn-2026.1.json").read_text("utf-8"))


def energy_rows(n: int, enterprises: int, rng: random.Random) -> Iterator[list[Any]]:
    names = [f"江西{i:03d}新材料有限公司" for i in range(enterprises)]
    # Each enterprise uses a few fixed carrier/unit/use lines, reported month by month.
    lines = [
        (name, carrier, unit, rng.choice(uses), low, high, ncv)
        for name in names
        for carrier, unit, uses, (low, high), ncv in rng.sample(CARRIERS, 4)
    ]
    for i in range(n):
        name, carrier, unit, use, low, high, ncv = lines[(i // 12) % len(lines)]
        quantity = round(rng.uniform(low, high), rng.choice((0, 1, 2, 3)))
        measured = round(rng.uniform(*ncv), 3) if ncv else None
        yield [name, i % 12 + 1, carrier, quantity, unit, use, measured, None, None]


def build_workbook(rows: int, enterprises: int, seed: int) -> bytes:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    basic = book.create_sheet(L.SHEET_BASIC)
    basic.append([c.header for c in L.BASIC_HEADERS])
    values = {
        "park.name": "基准测试园区",
        "park.park_type": "化工园区",
        "year": 2025,
        L.VERSION_KEY: L.TEMPLATE_VERSION,
    }
    for item in L.BASIC_ROWS:
        basic.append([item.label, values.get(item.key)])
    energy = book.create_sheet(L.SHEET_ENERGY)
    energy.append([c.header for c in L.ENERGY_COLUMNS])
    for row in energy_rows(rows, enterprises, rng):
        energy.append(row)
    electricity = book.create_sheet(L.SHEET_ELECTRICITY)
    electricity.append([c.header for c in L.ELECTRICITY_COLUMNS])
    for month in L.MONTHS:
        electricity.append([month, round(rng.uniform(10_000, 60_000), 1), 2_500, 8_000, 0, 1_200, 0, 0, 0, 0])
    heat = book.create_sheet(L.SHEET_HEAT)
    heat.append([c.header for c in L.HEAT_COLUMNS])
    process = book.create_sheet(L.SHEET_PROCESS)
    process.append([c.header for c in L.PROCESS_COLUMNS])
    direct = book.create_sheet(L.SHEET_DIRECT)
    direct.append([c.header for c in L.DIRECT_COLUMNS])
    offsets = book.create_sheet(L.SHEET_OFFSETS)
    offsets.append([c.header for c in L.OFFSET_HEADERS])
    for item in L.OFFSET_ROWS:
        offsets.append([item.label])
    resources = book.create_sheet(L.SHEET_RESOURCES)
    header: list[Any] = [c.header for c in L.RESOURCE_HEADERS] + [None]
    header += [c.header for c in L.PRODUCT_COLUMNS] + [None] + [c.header for c in L.EXEMPTION_COLUMNS]
    resources.append(header)
    for block in L.RESOURCE_BLOCKS:
        resources.append([block.title])
        for item in block.rows:
            resources.append([item.label, 3 if block.counts else 1000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    fs = factor_set()

    started = time.perf_counter()
    data = build_workbook(args.rows, args.enterprises, args.seed)
    build_s = time.perf_counter() - started
    gc.collect()

    # First read: ru_maxrss growth (the process peak before it is the build, which streams).
    rss_before = maxrss_mb()
    started = time.perf_counter()
    result = read_workbook(data, factor_set=fs)
    times = [time.perf_counter() - started]
    rss_delta = maxrss_mb() - rss_before
    if not result.ok:
        for error in result.errors[:20]:
            print(error)
        print(f"read_workbook reported {len(result.errors)} errors", file=sys.stderr)
        return 1
    assert result.dataset is not None
    aggregated = len(result.dataset["energy"])
    for _ in range(args.repeat - 1):
        gc.collect()
        started = time.perf_counter()
        read_workbook(data, factor_set=fs)
        times.append(time.perf_counter() - started)

    gc.collect()
    tracemalloc.start()
    read_workbook(data, factor_set=fs)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_mb = traced_peak / 1024 / 1024

    best = min(times)
    rate = args.rows / best
    peak = max(traced_mb, rss_delta)
    rows = [
        ("rows on 能源消费", f"{args.rows:,}", ""),
        ("enterprises", f"{args.enterprises:,}", ""),
        ("workbook size", f"{len(data) / 1024 / 1024:.1f} MB", ""),
        ("build (openpyxl write-only)", f"{build_s:.2f} s", ""),
        ("energy rows after aggregation", f"{aggregated:,}", ""),
        (f"read_workbook best of {len(times)}", f"{best:.3f} s", ""),
        ("read_workbook median", f"{statistics.median(times):.3f} s", ""),
        ("throughput", f"{rate:,.0f} rows/s", f">= {TARGET_ROWS_PER_S:,} rows/s"),
        ("peak Python memory (tracemalloc)", f"{traced_mb:.1f} MB", f"< {TARGET_PEAK_MB} MB"),
        ("peak RSS growth (ru_maxrss)", f"{rss_delta:.1f} MB", f"< {TARGET_PEAK_MB} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>16}  target")
    print("-" * (width + 40))
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>16}  {target}")
    ok = rate >= TARGET_ROWS_PER_S and peak < TARGET_PEAK_MB
    print("-" * (width + 40))
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
