"""A plain, deliberately unoptimised implementation of contract v2 (docs/accounting.md) for valid datasets.

It is a second, independent reading of the contract, used as the baseline of bench/engine_command.py and
as a cross-check of the engine: one loop over the energy rows, every number read with ``Decimal(str(x))``,
60 significant digits, no grouping of rows, no caching, nothing precomputed. The factor set and scheme
JSON documents (fixtures/) are read directly. Bad input is not reported the way the engine does (§7): it
raises ``ValueError`` at the first problem it notices.

    .venv/bin/python bench/plain_engine.py FILE... [--scheme jiangxi-2025|national-2025]
        one result document per line (JSON Lines) on stdout
    .venv/bin/python bench/plain_engine.py --check
        every valid public case of tests/cases against its expected result (the cases' README rules)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from plain_engine_evaluation import evaluate, upgrade
from plain_engine_indicators import compare, core_indicator, guiding_indicator, guiding_values, ratio
from plain_engine_reading import (
    CASES_DIR,
    ELECTRICITY_KEYS,
    FACTOR_SET_PATH,
    FUEL_USES,
    HEAT_KEYS,
    INDICATOR_ORDER,
    LIMIT,
    NAMES,
    PRECISION,
    ROOT,
    SCHEMES_DIR,
    SENSITIVITY_BASES,
    UNITS,
    USES,
    amount,
    block,
    boolean_setting,
    constant,
    dataset_num,
    default_param,
    electricity_coefficient,
    find_carrier,
    grid_factor,
    load_factor_set,
    load_scheme,
    num,
    read_json,
    rounded,
    setting,
    text,
)

# The engine is split by concept: plain_engine_reading (vocabulary, numbers, rounding, factor set),
# plain_engine_evaluation (a dataset into its result) and plain_engine_indicators (§3). Every name is
# re-exported here: bench/engine_command.py reads the plain engine as one module.
__all__ = [
    "CASES_DIR",
    "ELECTRICITY_KEYS",
    "FACTOR_SET_PATH",
    "FUEL_USES",
    "HEAT_KEYS",
    "INDICATOR_ORDER",
    "LIMIT",
    "NAMES",
    "PRECISION",
    "ROOT",
    "SCHEMES_DIR",
    "SENSITIVITY_BASES",
    "UNITS",
    "USES",
    "amount",
    "block",
    "boolean_setting",
    "check",
    "compare",
    "constant",
    "core_indicator",
    "dataset_num",
    "default_param",
    "electricity_coefficient",
    "evaluate",
    "find_carrier",
    "grid_factor",
    "guiding_indicator",
    "guiding_values",
    "load_factor_set",
    "load_scheme",
    "main",
    "num",
    "ratio",
    "read_json",
    "rounded",
    "setting",
    "text",
    "upgrade",
]


# --- command line -------------------------------------------------------------------------------------


def check() -> int:
    """Every valid public case against its expected result; returns the number of failing cases."""
    sys.path.insert(0, str(ROOT))
    from tests.indicators.cases import differences

    factor_set = load_factor_set()
    failing = 0
    checked = 0
    for expected_path in sorted(CASES_DIR.glob("*.expected.json")):
        expected = read_json(expected_path)
        name = expected_path.name.removesuffix(".expected.json")
        if expected["exit"] != 0:
            print(f"{name}: skipped (an input-error case)")
            continue
        checked += 1
        dataset = read_json(CASES_DIR / f"{name}.dataset.json")
        actual = evaluate(dataset, factor_set, load_scheme(expected["scheme"]))
        diffs = differences(expected, json.loads(json.dumps(actual)), 0)
        failing += bool(diffs)
        print(f"{name} ({expected['scheme']}): {'OK' if not diffs else 'DIFFERS'}")
        for diff in diffs:
            print(f"    {diff}")
    print(f"{checked - failing}/{checked} valid cases agree")
    return failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--scheme", default="jiangxi-2025")
    parser.add_argument("--check", action="store_true", help="compare with the public cases")
    args = parser.parse_args(argv)
    if args.check:
        return 1 if check() else 0
    factor_set = load_factor_set()
    scheme = load_scheme(args.scheme)
    out = sys.stdout
    for path in args.files:
        result = evaluate(read_json(path), factor_set, scheme)
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
