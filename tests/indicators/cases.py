"""The public worked cases (tests/cases, identical copies of the shared cases) and their comparison.

`differences(expected, actual, exit_code)` follows the cases' README: numbers compare as decimals,
trace, names, messages and notes order are free; every error must have a message.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from indicators.engine import FactorSet, Scheme

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "cases"
CASE_NAMES = sorted(p.name.removesuffix(".dataset.json") for p in CASES_DIR.glob("*.dataset.json"))


def case(name: str) -> tuple[bytes, dict[str, Any]]:
    """(dataset bytes, expected document) of a case."""
    dataset = (CASES_DIR / f"{name}.dataset.json").read_bytes()
    expected = json.loads((CASES_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
    return dataset, expected


@cache
def reference_factor_set() -> FactorSet:
    return FactorSet.from_document(
        json.loads((ROOT / "fixtures/factor_sets/cn-2025.1.json").read_text("utf-8"))
    )


@cache
def reference_scheme(name: str) -> Scheme:
    return Scheme.from_document(json.loads((ROOT / f"fixtures/schemes/{name}.json").read_text("utf-8")))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


def differences(expected: dict[str, Any], actual: Any, exit_code: int) -> list[str]:
    diffs = []
    if exit_code != expected["exit"]:
        diffs.append(f"exit {exit_code}, expected {expected['exit']}")
    if expected["exit"] != 0:
        want = {(e["path"], e["code"]) for e in expected["errors"]}
        errors = actual.get("errors", []) if isinstance(actual, dict) else []
        got = {(e.get("path"), e.get("code")) for e in errors}
        diffs += [f"missing error {p}" for p in sorted(want - got)]
        diffs += [f"unexpected error {p}" for p in sorted(got - want)]
        diffs += ["an error has no message" for e in errors if not e.get("message")]
        return diffs
    e, a = expected["result"], actual
    for k in ("schema", "scheme", "year", "park_type", "core_passed"):
        if e.get(k) != a.get(k):
            diffs.append(f"{k}: {a.get(k)!r} != {e.get(k)!r}")
    af = a.get("factors") or {}
    for k in ("grid_ef_basis", "factor_year"):
        if e["factors"].get(k) != af.get(k):
            diffs.append(f"factors.{k}: {af.get(k)!r} != {e['factors'].get(k)!r}")
    for k in ("grid_ef_tco2_per_mwh", "heat_ef_tco2_per_gj"):
        if not _same(e["factors"].get(k), af.get(k)):
            diffs.append(f"factors.{k}: {af.get(k)!r} != {e['factors'].get(k)!r}")
    at = a.get("totals") or {}
    for k, v in e["totals"].items():
        pairs = v.items() if k == "by_source_tco2" else [(None, v)]
        for sub, value in pairs:
            got = (at.get(k) or {}).get(sub) if sub else at.get(k)
            if not _same(value, got):
                diffs.append(f"totals.{k}{'.' + sub if sub else ''}: {got!r} != {value!r}")
    indicators = a.get("indicators") or []
    if [i["code"] for i in e["indicators"]] != [i.get("code") for i in indicators]:
        diffs.append(f"indicator order {[i.get('code') for i in indicators]}")
    by_code = {i.get("code"): i for i in indicators}
    for i in e["indicators"]:
        x = by_code.get(i["code"], {})
        for k in ("category", "status"):
            if i[k] != x.get(k):
                diffs.append(f"{i['code']}.{k}: {x.get(k)!r} != {i[k]!r}")
        if not _same(i["value"], x.get("value")):
            diffs.append(f"{i['code']}.value: {x.get('value')!r} != {i['value']!r}")
        th = x.get("threshold") or {}
        if th.get("op") != i["threshold"]["op"] or not _same(th.get("value"), i["threshold"]["value"]):
            diffs.append(f"{i['code']}.threshold: {th!r} != {i['threshold']!r}")
        if sorted(i["notes"]) != sorted(x.get("notes") or []):
            diffs.append(f"{i['code']}.notes: {x.get('notes')!r} != {i['notes']!r}")
    es = [(s["grid_ef_basis"], s["carbon_per_energy"]) for s in e["sensitivity"]]
    got_s = [(s.get("grid_ef_basis"), s.get("carbon_per_energy")) for s in a.get("sensitivity") or []]
    if len(es) != len(got_s) or any(
        x[0] != y[0] or not _same(x[1], y[1]) for x, y in zip(es, got_s, strict=False)
    ):
        diffs.append(f"sensitivity {got_s} != {es}")
    return diffs
