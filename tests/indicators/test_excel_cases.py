"""The public cases through Excel: exported to the template, read back, computed — same result."""

from __future__ import annotations

import copy

import pytest

from indicators.engine import dumps, evaluate, loads
from indicators.workbook import export_workbook, read_workbook
from tests.indicators.cases import CASE_NAMES, ROOT, case, differences, reference_factor_set, reference_scheme

FACTOR_DOC = loads((ROOT / "fixtures/factor_sets/cn-2026.1.json").read_bytes())
VALID = [name for name in CASE_NAMES if case(name)[1]["exit"] == 0]


@pytest.mark.parametrize("name", VALID)
def test_public_case_survives_the_excel_round_trip(name):
    dataset, expected = case(name)
    document = loads(dataset)
    workbook = export_workbook(dataset=document, result=None, factor_set=FACTOR_DOC)
    read = read_workbook(workbook, factor_set=FACTOR_DOC)
    assert read.errors == []
    assert read.dataset["schema"] == "zcpark.dataset/2"
    if document["schema"] == "zcpark.dataset/1":
        # The export always writes the current template, so a /1 document (pub-06) comes back as the
        # /2 document the engine would upgrade it to (accounting.md §5.3): its result has
        # upgraded_from null instead of "zcpark.dataset/1". Every other part must still be the same.
        expected = copy.deepcopy(expected)
        expected["result"]["upgraded_from"] = None
    evaluation = evaluate(
        read.dataset, factor_set=reference_factor_set(), scheme=reference_scheme(expected["scheme"])
    )
    assert differences(expected, loads(dumps(evaluation.document())), 0) == []
