"""Helpers of the Excel intake tests: the reference factor set, the public cases, a fresh template and
an upload of an edited workbook."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.workbook.workbook import Workbook

from indicators.workbook import WorkbookRead, build_template, read_workbook

ROOT = Path(__file__).resolve().parents[2]
FACTOR_SET = json.loads((ROOT / "fixtures/factor_sets/cn-2026.1.json").read_text("utf-8"))
CASES = ROOT / "tests/cases"
# The valid public cases that are /2 documents (pub-06 is a /1 document, pub-07 has input errors).
PUBLIC_CASES = sorted(
    path
    for path in CASES.glob("pub-*.dataset.json")
    if json.loads(path.read_text("utf-8"))["schema"] == "zcpark.dataset/2"
    and json.loads(path.with_name(path.name.replace(".dataset.", ".expected.")).read_text("utf-8"))["exit"]
    == 0
)
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def template() -> Workbook:
    """A fresh template with the park filled in, opened with openpyxl for editing."""
    data = build_template(factor_set=FACTOR_SET, park_name="测试园区", park_type="non_chemical", year=2025)
    return openpyxl.load_workbook(io.BytesIO(data))


def upload(book: Workbook) -> WorkbookRead:
    buffer = io.BytesIO()
    book.save(buffer)
    return read_workbook(buffer.getvalue(), factor_set=FACTOR_SET)


def put_rows(book: Workbook, sheet: str, rows: list[list[Any]], *, first_row: int = 2) -> None:
    for number, row in enumerate(rows, start=first_row):
        for col, value in enumerate(row, start=1):
            book[sheet].cell(number, col, value)


def where(read: WorkbookRead) -> set[tuple[str, str, str]]:
    return {(e.sheet, e.cell, e.code) for e in read.errors}


def decimals(value: Any) -> Any:
    """Numbers (ints and numeric strings) as Decimal, recursively, so "12.0" equals "12"."""
    if isinstance(value, dict):
        return {k: decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decimals(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and NUMBER.fullmatch(value):
        return Decimal(value)
    return value
