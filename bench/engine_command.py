"""Benchmark: `manage.py evaluate_dataset` on 1,000 files against the plain engine (bench/plain_engine.py).

Generates (seeded) 1,000 v2 dataset files of 300 energy rows each in a temp dir, sets up a fresh SQLite
database (`migrate` + `load_factor_data`), then times, as separate subprocesses, each --repeat times:

    (a) python manage.py evaluate_dataset <all files>        (one process, Django start-up included)
    (b) python bench/plain_engine.py <all files>             (one process, Jiangxi scheme like (a))

both with stdout to /dev/null. Target: (a) ≤ 1.5 × (b). Prints a table and whether (a) and (b) agree on
the first 50 files (carbon_per_energy value strings, and every total).

    .venv/bin/python bench/engine_command.py [--files 1000] [--rows 300] [--repeat 3] [--seed 2026]
                                             [--profile] [--keep]

--profile also runs (a) once under cProfile and prints where its time goes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import plain_engine  # noqa: E402

PYTHON = sys.executable
SCHEME = "jiangxi-2025"
AGREEMENT_FILES = 50
TARGET_RATIO = 1.5
CPU_SECONDS: list[float] = []  # user + system seconds of every subprocess run, in order

# Measured parameters: carriers without defaults get them always, the others sometimes (value ≈ default).
MEASURED = {
    "washed_coal": ("26.344", "0.02541", "0.93"),
    "crude_oil": ("41.816", "0.0200", "0.98"),
    "kerosene": ("44.75", "0.0196", "0.98"),
    "refinery_gas": ("45.998", "0.0182", "0.99"),
}
NON_FOSSIL_NCV = {"biomass": "15.2", "biogas": "209.0"}
# (carrier, unit, low, high) of a row's quantity, by use.
MIX = {
    "fuel": [
        ("natural_gas", "10^4 Nm3", 5, 800),
        ("natural_gas", "Nm3", 50_000, 8_000_000),
        ("natural_gas", "m3", 50_000, 8_000_000),
        ("diesel", "t", 5, 3_000),
        ("diesel", "kg", 5_000, 900_000),
        ("gasoline", "t", 5, 1_500),
        ("lpg", "t", 5, 2_000),
        ("fuel_oil", "t", 10, 5_000),
        ("bituminous", "t", 100, 40_000),
        ("anthracite", "t", 100, 20_000),
        ("lignite", "t", 100, 20_000),
        ("washed_coal", "t", 100, 10_000),
        ("coke", "t", 50, 10_000),
        ("coke_oven_gas", "10^4 Nm3", 10, 3_000),
        ("blast_furnace_gas", "10^4 Nm3", 100, 30_000),
        ("converter_gas", "10^4 Nm3", 50, 5_000),
        ("kerosene", "t", 5, 500),
        ("biomass", "t", 100, 20_000),
        ("biogas", "10^4 Nm3", 1, 300),
        ("green_hydrogen", "kg", 1_000, 200_000),
        ("renewable_heat", "GJ", 1_000, 200_000),
        ("renewable_heat", "TJ", 1, 200),
    ],
    "power_heat": [
        ("bituminous", "t", 5_000, 200_000),
        ("anthracite", "t", 2_000, 80_000),
        ("lignite", "t", 2_000, 80_000),
        ("natural_gas", "10^4 Nm3", 100, 5_000),
        ("coke_oven_gas", "10^4 Nm3", 100, 8_000),
        ("blast_furnace_gas", "10^4 Nm3", 1_000, 60_000),
        ("refinery_gas", "t", 1_000, 30_000),
        ("biomass", "t", 1_000, 50_000),
    ],
    "transform_in": [
        ("crude_oil", "t", 5_000, 100_000),
        ("crude_oil", "10^4 t", 1, 10),
        ("washed_coal", "t", 5_000, 80_000),
        ("natural_gas", "10^4 Nm3", 100, 3_000),
    ],
    "transform_out": [
        ("gasoline", "t", 1_000, 25_000),
        ("diesel", "t", 1_000, 30_000),
        ("kerosene", "t", 500, 8_000),
        ("lpg", "t", 500, 6_000),
        ("fuel_oil", "t", 500, 10_000),
        ("refinery_gas", "t", 500, 6_000),
        ("coke", "t", 2_000, 40_000),
        ("coke_oven_gas", "10^4 Nm3", 100, 2_000),
    ],
    "feedstock": [
        ("natural_gas", "10^4 Nm3", 100, 5_000),
        ("lpg", "t", 500, 20_000),
        ("crude_oil", "t", 1_000, 20_000),
        ("coke", "t", 500, 10_000),
        ("bituminous", "t", 1_000, 30_000),
        ("biomass", "t", 100, 5_000),
    ],
    "bunker": [
        ("diesel", "t", 10, 2_000),
        ("fuel_oil", "t", 10, 5_000),
        ("kerosene", "t", 10, 1_000),
        ("gasoline", "t", 10, 500),
    ],
}
USE_WEIGHTS = {
    "fuel": 45,
    "power_heat": 15,
    "transform_in": 7,
    "transform_out": 11,
    "feedstock": 17,
    "bunker": 5,
}
PRODUCTS = [
    ("水泥熟料", "GB 16780", "107"),
    ("平板玻璃", "GB 21340", "12.0"),
    ("电解铝", "GB 21346", "13200"),
    ("多晶硅", "GB 29447", "60"),
    ("合成氨", "GB 21344", "1350"),
    ("粗钢", "GB 21256", "560"),
]
PROCESS = [
    ("水泥熟料", "0.538", "GB/T 32151.8 熟料分产品因子"),
    ("石灰", "0.683", "江西省温室气体清单石灰分产品因子"),
    ("合成氨（天然气制）", "1.104", "按合成氨装置原料天然气碳平衡测算"),
    ("电石", "1.154", "质量平衡法：石灰石、焦炭投入与电石产出含碳差"),
    ("平板玻璃", "0.21", "纯碱、石灰石分解排放按配料比测算"),
]


# --- datasets -----------------------------------------------------------------------------------------


def number(rng: random.Random, low: float, high: float, places: int = 3) -> str | float | int:
    """A quantity, mostly a JSON string, sometimes a JSON number (integer or with a fraction)."""
    value = round(rng.uniform(low, high), places)
    roll = rng.random()
    if roll < 0.1:
        return int(value)
    if roll < 0.2:
        return value
    return f"{value:.{places}f}"


def near(rng: random.Random, default: str, spread: float) -> str:
    places = len(default.split(".")[1]) + 1 if "." in default else 3
    return f"{float(default) * rng.uniform(1 - spread, 1 + spread):.{places}f}"


def energy_row(rng: random.Random, use: str, index: int, factor_set: dict[str, Any]) -> dict[str, Any]:
    carrier, unit, low, high = rng.choice(MIX[use])
    row: dict[str, Any] = {
        "carrier": carrier,
        "quantity": number(rng, low, high),
        "unit": unit,
        "use": use,
        "enterprise": f"企业{index % 60:02d}",
    }
    if carrier in NON_FOSSIL_NCV:
        row["ncv"] = near(rng, NON_FOSSIL_NCV[carrier], 0.1)
    elif carrier in MEASURED:
        ncv, cc, of = MEASURED[carrier]
        row["ncv"], row["cc"] = near(rng, ncv, 0.03), near(rng, cc, 0.02)
        if use in plain_engine.FUEL_USES:
            row["of"] = near(rng, of, 0.01)
    elif carrier != "renewable_heat" and carrier != "green_hydrogen" and rng.random() < 0.15:
        defaults = plain_engine.find_carrier(factor_set, carrier)
        row["ncv"] = near(rng, defaults["ncv_gj_per_unit"], 0.04)
        row["cc"] = near(rng, defaults["cc_tc_per_gj"], 0.02)
        if use in plain_engine.FUEL_USES:
            row["of"] = f"{min(1.0, float(defaults['of']) * rng.uniform(0.97, 1.02)):.3f}"
    if use in ("transform_in", "transform_out") and rng.random() < 0.2:
        row["of"] = rng.choice(["1", 1, "1.0"])
    return row


def make_dataset(rng: random.Random, rows: int, factor_set: dict[str, Any]) -> dict[str, Any]:
    year = rng.choice([2023, 2024, 2025])
    uses = list(USE_WEIGHTS)
    chosen = uses + rng.choices(uses, weights=list(USE_WEIGHTS.values()), k=max(0, rows - len(uses)))
    rng.shuffle(chosen)
    energy = [energy_row(rng, use, i, factor_set) for i, use in enumerate(chosen[:rows])]

    method: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.15:
        method["grid_ef_basis"] = rng.choice(["national_average", "national_fossil", "provincial"])
        if rng.random() < 0.3:
            method["factor_year"] = 2022
    elif roll < 0.2:
        method["grid_ef_basis"] = "custom"
        method["grid_ef_tco2_per_mwh"] = near(rng, "0.58", 0.1)
    if rng.random() < 0.1:
        method["electricity_tce_basis"] = "calorific"
    if rng.random() < 0.1:
        method["feedstock_in_energy"] = False
    if rng.random() < 0.1:
        method["renewable_export_at_grid_factor"] = False
    if rng.random() < 0.05:
        method["certificates_as_green_power"] = False

    grid = rng.uniform(50_000, 1_500_000)
    onsite_fossil = rng.uniform(0, 600_000)
    electricity = {
        "grid": f"{grid:.1f}",
        "green_direct": f"{rng.uniform(0, 400_000):.1f}",
        "green_trade": f"{rng.uniform(0, 400_000):.1f}",
        "certificates": f"{rng.uniform(0, grid * (1.2 if rng.random() < 0.1 else 0.3)):.1f}",
        "onsite_renewable": f"{rng.uniform(0, 200_000):.1f}",
        "onsite_fossil": f"{onsite_fossil:.1f}",
        "export": f"{rng.uniform(0, onsite_fossil * 0.5):.1f}",
        "export_renewable": f"{rng.uniform(0, 30_000):.1f}" if rng.random() < 0.4 else "0",
        "export_green": f"{rng.uniform(0, 30_000):.1f}" if rng.random() < 0.3 else "0",
    }
    heat: dict[str, Any] = {
        "purchased": f"{rng.uniform(0, 800_000):.1f}",
        "purchased_renewable": f"{rng.uniform(0, 100_000):.1f}",
        "export": f"{rng.uniform(0, 200_000):.1f}",
        "export_renewable": f"{rng.uniform(0, 20_000):.1f}",
        "purchased_ef_tco2_per_gj": near(rng, "0.11", 0.1) if rng.random() < 0.3 else None,
        "export_ef_tco2_per_gj": near(rng, "0.11", 0.1) if rng.random() < 0.2 else None,
    }
    process = []
    for product, ef, basis in rng.sample(PROCESS, rng.randint(0, 3)):
        process.append(
            {
                "product": product,
                "quantity_t": number(rng, 10_000, 500_000),
                "ef_tco2_per_t": ef,
                "basis": basis,
            }
        )
    direct = []
    if rng.random() < 0.3:
        direct.append(
            {"kind": "conversion", "source": "催化裂化烧焦（实测）", "tco2": number(rng, 1_000, 60_000)}
        )
    if rng.random() < 0.2:
        direct.append({"kind": "process", "source": "质量平衡法测算", "tco2": number(rng, 1_000, 90_000)})

    generated = rng.uniform(10_000, 300_000)
    storage = rng.uniform(0, 10_000)
    resources: dict[str, Any] = {
        "solid_waste_t": {
            "generated": f"{generated:.1f}",
            "utilized": f"{rng.uniform(0.5, 1.0) * (generated + storage):.1f}",
            "utilized_from_storage": f"{storage:.1f}",
        },
        "water_m3": {
            "fresh_intake": f"{rng.uniform(1e5, 5e6):.0f}",
            "reused": f"{rng.uniform(1e5, 2e7):.0f}",
        },
        "waste_energy_tce": {},
        "freight_t": {},
        "public_vehicles": {},
        "green_buildings": rng.randint(0, 6),
        "products": [],
    }
    for kind in ("heat", "cold", "pressure"):
        recoverable = rng.uniform(0, 50_000) if rng.random() < 0.85 else 0.0
        resources["waste_energy_tce"][kind] = {
            "recoverable": f"{recoverable:.1f}",
            "utilized": f"{recoverable * rng.uniform(0.2, 0.9):.1f}",
        }
    total = rng.uniform(1e5, 5e6)
    resources["freight_t"] = {"clean": f"{total * rng.uniform(0.3, 1):.0f}", "total": f"{total:.0f}"}
    vehicles = rng.randint(10, 400)
    resources["public_vehicles"] = {"new_energy": rng.randint(0, vehicles), "total": vehicles}
    for name, standard, limit in rng.sample(PRODUCTS, rng.randint(1, 5)):
        value = float(limit) * rng.uniform(0.85, 1.08)
        resources["products"].append(
            {"name": name, "standard": standard, "value": f"{value:.2f}", "grade2_limit": limit}
        )
    for key in ("freight_t", "public_vehicles", "waste_energy_tce"):
        if rng.random() < 0.05:
            del resources[key]
    exemptions = {}
    if rng.random() < 0.1:
        exemptions["clean_transport_share"] = "园区无大宗货物运输"

    document: dict[str, Any] = {
        "schema": "zcpark.dataset/2",
        "park": {
            "name": f"基准园区{rng.randint(1, 999):03d}",
            "park_type": rng.choice(["chemical", "non_chemical"]),
        },
        "year": year,
        "method": method,
        "energy": energy,
        "electricity_mwh": electricity,
        "heat_gj": heat,
        "process": process,
        "direct_emissions": direct,
        "offsets_tco2": {"ccer": "0"},
        "resources": resources,
        "exemptions": exemptions,
    }
    # CCER: a few percent of the emissions (the plain engine gives E_gross), never above them. The plain
    # engine raises on an invalid dataset (e.g. energy_tce ≤ 0): the caller then draws another one.
    result = plain_engine.evaluate(document, factor_set, plain_engine.load_scheme(SCHEME))
    gross = Decimal(result["totals"]["emissions_gross_tco2"])
    if gross > 0 and rng.random() < 0.6:
        document["offsets_tco2"]["ccer"] = f"{float(gross) * rng.uniform(0, 0.08):.2f}"
    return document


def write_datasets(directory: Path, count: int, rows: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    factor_set = plain_engine.load_factor_set()
    paths = []
    for i in range(count):
        while True:
            try:
                document = make_dataset(rng, rows, factor_set)
            except ValueError:
                continue
            break
        path = directory / f"dataset-{i:04d}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


# --- running ------------------------------------------------------------------------------------------


def django_env(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["DJANGO_SETTINGS_MODULE"] = "zcpark.settings.local"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run(
    argv: list[str], env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL
) -> tuple[float, Any]:
    """Wall seconds and stdout of a subprocess, which must exit 0; its CPU seconds go to CPU_SECONDS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, stdout=stdout, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])} … exited {done.returncode}:\n{done.stderr.decode()[-3000:]}")
    return seconds, done.stdout


def command_argv(paths: list[Path]) -> list[str]:
    return [PYTHON, "manage.py", "evaluate_dataset", *map(str, paths), "--scheme", SCHEME]


def plain_argv(paths: list[Path]) -> list[str]:
    return [PYTHON, str(ROOT / "bench" / "plain_engine.py"), *map(str, paths), "--scheme", SCHEME]


def agreement(paths: list[Path], env: dict[str, str]) -> tuple[int, int, list[str]]:
    """(carbon_per_energy agreeing, totals agreeing, first differences) of (a) and (b) on these files."""
    _, command_out = run(command_argv(paths), env, subprocess.PIPE)
    _, plain_out = run(plain_argv(paths), None, subprocess.PIPE)
    command_docs = [json.loads(line) for line in command_out.decode().splitlines() if line.strip()]
    plain_docs = [json.loads(line) for line in plain_out.decode().splitlines() if line.strip()]
    if len(command_docs) != len(paths) or len(plain_docs) != len(paths):
        raise SystemExit(f"expected {len(paths)} documents, got {len(command_docs)} and {len(plain_docs)}")
    same_core = same_totals = 0
    diffs = []
    for path, a, b in zip(paths, command_docs, plain_docs, strict=True):
        core_a = a["indicators"][0]["value"]
        core_b = b["indicators"][0]["value"]
        if core_a == core_b:
            same_core += 1
        else:
            diffs.append(f"{path.name}: carbon_per_energy {core_a!r} (command) != {core_b!r} (plain)")
        if a["totals"] == b["totals"]:
            same_totals += 1
        else:
            keys = [k for k in b["totals"] if a["totals"].get(k) != b["totals"][k]]
            diffs.append(f"{path.name}: totals differ in {keys}")
    return same_core, same_totals, diffs


def profile(paths: list[Path], env: dict[str, str], directory: Path) -> None:
    out = directory / "command.prof"
    argv = [PYTHON, "-m", "cProfile", "-o", str(out), "manage.py", "evaluate_dataset", *map(str, paths)]
    seconds, _ = run([*argv, "--scheme", SCHEME], env)
    print(f"\ncProfile of (a), one run: {seconds:.2f} s wall (profiler overhead included)")
    for key in ("tottime", "cumulative"):
        buffer = io.StringIO()
        pstats.Stats(str(out), stream=buffer).strip_dirs().sort_stats(key).print_stats(25)
        lines = buffer.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\n-- top 25 by {key} --")
        print("\n".join(lines[start : start + 26]))
    # Start-up alone: (a) on one file, with and without Django's system checks (which import the URLconf).
    one = [str(paths[0]), "--scheme", SCHEME]
    for label, extra in (("default", []), ("--skip-checks", ["--skip-checks"])):
        walls = [run([PYTHON, "manage.py", "evaluate_dataset", *extra, *one], env)[0] for _ in range(3)]
        print(f"(a) on one file, {label}: median {statistics.median(walls):.2f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="also profile (a) once with cProfile")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (datasets, database)")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="zcpark-bench-command-"))
    try:
        start = time.perf_counter()
        paths = write_datasets(directory, args.files, args.rows, args.seed)
        size = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"{len(paths)} datasets × {args.rows} energy rows ({size:.1f} MB) in {directory}, "
            f"{time.perf_counter() - start:.1f} s"
        )

        env = django_env(directory / "bench.sqlite3")
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "load_factor_data"], env)
        print(f"fresh SQLite database {env['DATABASE_URL']}: migrated, factor data loaded")

        times: dict[str, list[float]] = {"command": [], "plain": []}
        cpu: dict[str, list[float]] = {"command": [], "plain": []}
        for _ in range(args.repeat):  # interleaved, so that drift affects both alike
            times["command"].append(run(command_argv(paths), env)[0])
            cpu["command"].append(CPU_SECONDS[-1])
            times["plain"].append(run(plain_argv(paths))[0])
            cpu["plain"].append(CPU_SECONDS[-1])

        plain_median = statistics.median(times["plain"])
        labels = {"command": "(a) manage.py evaluate_dataset", "plain": "(b) plain_engine.py"}
        print(
            f"\n{'variant':<32}{'files':>6}{'rows/file':>10}{'median s':>10}{'min s':>8}{'max s':>8}"
            f"{'files/s':>9}{'ratio to plain':>16}{'CPU s median':>14}"
        )
        for key, label in labels.items():
            median = statistics.median(times[key])
            print(
                f"{label:<32}{len(paths):>6}{args.rows:>10}{median:>10.2f}{min(times[key]):>8.2f}"
                f"{max(times[key]):>8.2f}{len(paths) / median:>9.1f}{median / plain_median:>16.2f}"
                f"{statistics.median(cpu[key]):>14.2f}"
            )
        ratio = statistics.median(times["command"]) / plain_median
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(
            f"target (a) ≤ {TARGET_RATIO} × (b): {verdict} ({ratio:.2f} ×); runs: "
            + "; ".join(f"{k} " + ", ".join(f"{t:.2f}" for t in v) for k, v in times.items())
        )

        first = paths[:AGREEMENT_FILES]
        same_core, same_totals, diffs = agreement(first, env)
        print(
            f"\nagreement on the first {len(first)} files: carbon_per_energy {same_core}/{len(first)}, "
            f"totals {same_totals}/{len(first)}"
        )
        for line in diffs[:20]:
            print(f"    {line}")

        if args.profile:
            profile(paths, env, directory)
    finally:
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
