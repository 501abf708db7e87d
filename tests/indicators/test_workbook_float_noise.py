"""Excel's float noise: a number cell is read at Excel's precision (15 significant digits), so a formula's
cached 0.30000000000000004 is the 0.3 Excel shows, never the binary noise of its stored double."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from indicators.workbook import labels as L
from indicators.workbook import read_workbook
from indicators.workbook.cells import cell_text, float_text, number_text
from tests.indicators.workbook_helpers import FACTOR_SET, put_rows, template


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1 + 0.2, "0.3"),
        (0.1 + 0.7, "0.8"),
        (12.1, "12.1"),
        (500.0, "500"),
        (-2.5, "-2.5"),
        (-0.0, "0"),
        (1e20, "100000000000000000000"),
        (1.5e-7, "0.00000015"),
        (218234.28, "218234.28"),
        (123456789012345678.0, "123456789012346000"),  # Excel keeps 15 digits
    ],
)
def test_a_float_is_written_at_excels_precision_without_exponent(value, text):
    assert float_text(value) == text
    assert number_text(value) == text and cell_text(value) == text


def _with_formula(data: bytes, marker: str, formula: str, cached: str) -> bytes:
    """The workbook with the number cell holding ``marker`` turned into ``formula`` with its cached value
    as Excel writes it (openpyxl writes formulas without a cached value)."""
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        found = 0
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and marker.encode() in content:
                content, count = re.subn(
                    rf"<v>{re.escape(marker)}</v>".encode(),
                    f"<f>{formula}</f><v>{cached}</v>".encode(),
                    content,
                )
                found += count
            zout.writestr(item, content)
    assert found == 1
    return target.getvalue()


def test_a_formulas_cached_float_noise_reads_as_the_value_excel_shows():
    book = template()
    put_rows(book, L.SHEET_ELECTRICITY, [[1, 777.125, None, None, None, None, None, None, None, None]])
    buffer = io.BytesIO()
    book.save(buffer)
    data = _with_formula(buffer.getvalue(), "777.125", "0.1+0.2", "0.30000000000000004")
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert not read.errors
    assert read.dataset["electricity_mwh"] == {"grid": "0.3"}
