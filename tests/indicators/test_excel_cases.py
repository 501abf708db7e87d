"""The public cases through Excel: exported to the template, read back, computed — same result."""

from __future__ import annotations

import pytest

from indicators.engine import dumps, evaluate, loads
from indicators.workbook import export_workbook, read_workbook
from tests.indicators.cases import CASE_NAMES, ROOT, case, differences, reference_factor_set, reference_scheme

FACTOR_DOC = loads((ROOT / "fixtures/factor_sets/cn-2025.1.json").read_bytes())
VALID = [name for name in CASE_NAMES if case(name)[1]["exit"] == 0]


@pytest.mark.parametrize("name", VALID)
def test_public_case_survives_the_excel_round_trip(name):
    dataset, expected = case(name)
    workbook = export_workbook(dataset=loads(dataset), result=None, factor_set=FACTOR_DOC)
    read = read_workbook(workbook, factor_set=FACTOR_DOC)
    assert read.errors == []
    evaluation = evaluate(
        read.dataset, factor_set=reference_factor_set(), scheme=reference_scheme(expected["scheme"])
    )
    assert differences(expected, loads(dumps(evaluation.document())), 0) == []
