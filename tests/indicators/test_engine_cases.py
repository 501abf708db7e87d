"""Every public case reproduces exactly through the pure engine."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from indicators.engine import dumps, evaluate, loads
from tests.indicators.cases import (
    CASE_NAMES,
    CASES_DIR,
    case,
    differences,
    reference_factor_set,
    reference_scheme,
)

SHARED_CASES = Path(__file__).resolve().parents[3] / "shared" / "cases"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_engine_reproduces_public_case(name):
    dataset, expected = case(name)
    evaluation = evaluate(
        loads(dataset), factor_set=reference_factor_set(), scheme=reference_scheme(expected["scheme"])
    )
    document = loads(dumps(evaluation.document()))
    assert differences(expected, document, 0 if evaluation.ok else 2) == []


def test_public_cases_are_all_here():
    assert len(CASE_NAMES) >= 6


@pytest.mark.skipif(not SHARED_CASES.is_dir(), reason="the shared cases folder is not beside this checkout")
def test_copied_cases_are_identical_to_the_shared_ones():
    names = sorted(p.name for p in SHARED_CASES.glob("*.json"))
    match, mismatch, errors = filecmp.cmpfiles(SHARED_CASES, CASES_DIR, names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(names)
