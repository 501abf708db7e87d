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
        json.loads((ROOT / "fixtures/factor_sets/cn-2026.1.json").read_text("utf-8"))
    )


@cache
def reference_scheme(name: str) -> Scheme:
    return Scheme.from_document(json.loads((ROOT / f"fixtures/schemes/{name}.json").read_text("utf-8")))


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


def _tree(expected: Any, actual: Any, where: str, diffs: list[str]) -> None:
    """Every key of the expected object is in the actual one with the same value."""
    if isinstance(expected, dict):
        actual = actual if isinstance(actual, dict) else {}
        for key, value in expected.items():
            _tree(value, actual.get(key), f"{where}.{key}", diffs)
    elif not _same(expected, actual):
        diffs.append(f"{where}: {actual!r} != {expected!r}")


SENSITIVITY_FIELDS = {
    "sensitivity": ("grid_ef_basis", "factor_year", "grid_ef_tco2_per_mwh", "carbon_per_energy"),
    "energy_basis_sensitivity": (
        "electricity_tce_basis",
        "electricity_tce_factor_year",
        "electricity_tce_per_mwh",
        "energy_tce",
        "carbon_per_energy",
    ),
}


def differences(expected: dict[str, Any], actual: Any, exit_code: int) -> list[str]:
    """The differences the cases' README names (the rules of shared/tools/compare_result.py)."""
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
    for k in ("schema", "upgraded_from", "scheme", "year", "park_type", "core_passed"):
        if e.get(k) != a.get(k):
            diffs.append(f"{k}: {a.get(k)!r} != {e.get(k)!r}")
    _tree(e["factors"], a.get("factors"), "factors", diffs)
    _tree(e["totals"], a.get("totals"), "totals", diffs)
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
    want_adv = {x["code"]: x for x in e.get("advisories", [])}
    got_adv = {x.get("code"): x for x in a.get("advisories") or []}
    if set(want_adv) != set(got_adv):
        diffs.append(f"advisories {sorted(map(str, got_adv))} != {sorted(want_adv)}")
    for code, x in want_adv.items():
        if code in got_adv and not _same(x["value"], got_adv[code].get("value")):
            diffs.append(f"advisories.{code}.value: {got_adv[code].get('value')!r} != {x['value']!r}")
    want_prov = sorted(x["code"] for x in e.get("provisional", []))
    got_prov = sorted(str(x.get("code")) for x in a.get("provisional") or [])
    if want_prov != got_prov:
        diffs.append(f"provisional {got_prov} != {want_prov}")
    for key, fields in SENSITIVITY_FIELDS.items():
        want_rows = [tuple(s.get(f) for f in fields) for s in e.get(key, [])]
        got_rows = [tuple(s.get(f) for f in fields) for s in a.get(key) or []]
        if len(want_rows) != len(got_rows) or any(
            not all(_same(x, y) for x, y in zip(r1, r2, strict=True))
            for r1, r2 in zip(want_rows, got_rows, strict=True)
        ):
            diffs.append(f"{key} {got_rows} != {want_rows}")
    return diffs
