"""The list export every list page shares: title, filters, a frozen filterable header with units, exact
numbers shown with thousands separators, text that stays text."""

from __future__ import annotations

import io
from decimal import Decimal
from urllib.parse import unquote

from openpyxl import load_workbook

from zcpark.core.sheets import Column, export_filename, table_workbook, xlsx_response

COLUMNS = [Column("园区"), Column("综合能源消费量", unit="tce", decimals=2), Column("项目数", decimals=0)]


def _sheet(**kwargs):
    content = table_workbook(title="在建园区", columns=COLUMNS, **kwargs)
    return load_workbook(io.BytesIO(content)).active


def test_the_sheet_has_the_title_the_filters_and_a_header_with_units():
    sheet = _sheet(rows=[["东区", Decimal("218234.28"), 3]], filters={"设区市": "南昌市", "状态": ""})
    assert sheet["A1"].value == "在建园区"
    assert "设区市：南昌市" in sheet["A2"].value and "状态" not in sheet["A2"].value
    assert [cell.value for cell in sheet[4]] == ["园区", "综合能源消费量（tce）", "项目数"]
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:C5"


def test_numbers_keep_their_value_and_show_thousands_separators():
    sheet = _sheet(rows=[["东区", Decimal("218234.28"), 3]])
    assert sheet["B5"].value == 218234.28
    assert sheet["B5"].number_format == "#,##0.00"
    assert sheet["C5"].number_format == "#,##0"


def test_text_that_looks_like_a_formula_stays_text():
    sheet = _sheet(rows=[["=HYPERLINK(1)", None, None]])
    assert sheet["A5"].value == "=HYPERLINK(1)"
    assert sheet["A5"].data_type == "s"


def test_an_empty_list_still_has_its_header():
    sheet = _sheet(rows=[])
    assert sheet["A4"].value == "园区"
    assert sheet.max_row == 4


def test_the_download_keeps_a_chinese_file_name():
    response = xlsx_response(b"x", filename=export_filename("在建园区"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "在建园区-" in unquote(disposition) and unquote(disposition).endswith(".xlsx")
