"""Dossier tables from Excel, the pure part: the template prefilled with the dossier's rows reads back
unchanged, and every problem of an upload is reported at its sheet and cell with the column's name,
by the section's own rules (nothing is read when there is one)."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import load_workbook

from applications.tables.formats import is_percent_format
from applications.tables.reader import read_table, split_choices
from applications.tables.specs import TABLE_KINDS, choice_lookup
from tests.applications.table_excel_helpers import ROWS, edited, template, with_cached_formula, workbook

PROJECTS, TARGETS, CASH, ENTERPRISES = (TABLE_KINDS[k] for k in ROWS)


def _read(kind, data, **kwargs):
    with translation.override("en"):
        return read_table(data, kind, file_name="table.xlsx", **kwargs)


def _errors(result):
    assert result.rows is None
    return [(e.sheet, e.cell, e.message) for e in result.errors]


@pytest.mark.parametrize("kind", list(ROWS))
def test_the_prefilled_template_reads_back_as_the_rows_it_was_made_from(kind):
    result = _read(TABLE_KINDS[kind], template(kind))
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows == ROWS[kind]
    assert result.row_numbers == [3, 4]


def test_the_template_is_bilingual_with_units_and_label_drop_downs():
    book = load_workbook(io.BytesIO(template("key_projects")))
    assert book.sheetnames[0] == "重点项目"
    assert book.sheetnames[1].endswith("Instructions")  # 说明 Instructions once translated
    sheet = book["重点项目"]
    assert sheet["D1"].value == "投资额（万元）"
    assert sheet["D2"].value == "Investment (10,000 yuan)"
    assert sheet["K1"].value == "年新增绿电量（MWh）"
    # Choices are written and offered as labels, never as codes.
    assert sheet["H3"].value == "清洁能源消费占比；超低能耗、近零能耗、高星级绿色建筑数量"
    assert book["选项"].sheet_state == "hidden"
    options = [c.value for c in book["选项"]["A"][1:]]
    assert "单位能耗碳排放" in options and "carbon_per_energy" not in options
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert {str(v.sqref) for v in lists} == {"H3:H302", "I3:I302"}
    numbers = [v for v in sheet.data_validations.dataValidation if v.type == "decimal"]
    assert any(str(v.sqref) == "D3:D302" and v.formula1 == "0" for v in numbers)


def test_the_targets_template_lists_every_indicator_when_the_dossier_has_none():
    book = load_workbook(io.BytesIO(template("targets", [])))
    sheet = book.worksheets[0]
    assert sheet.title == "分年度目标"
    assert sheet["A3"].value == "单位能耗碳排放"
    assert sheet["B3"].value == "tCO2/tce"  # the unit column, shown and not read
    assert sheet["C1"].value == "2026 年目标值"
    assert sheet.max_row == 2 + 11


def test_columns_may_be_reordered_and_english_headers_are_read():
    rows = [
        ["Revenue (10,000 yuan)", "Year", "Cost (10,000 yuan)", "Cost structure and revenue sources"],
        [5, 2026, 10, ""],
        [6, 2027, 11, "note"],
    ]
    result = _read(CASH, workbook(rows, title="现金流量"))
    assert result.rows == [
        {"year": 2026, "cost_wan": "10", "revenue_wan": "5", "note": None},
        {"year": 2027, "cost_wan": "11", "revenue_wan": "6", "note": "note"},
    ]


def test_choices_are_read_by_chinese_or_english_label_and_by_code():
    data = edited(
        template("targets"),
        {"A3": "Carbon emissions per unit of energy consumed", "A4": "clean_energy_share"},
    )
    assert _read(TARGETS, data).rows[:2] == ROWS["targets"]
    data = edited(
        template("key_projects"), {"H3": "清洁能源消费占比、 Industrial water reuse rate", "I3": "reform"}
    )
    row = _read(PROJECTS, data).rows[0]
    assert row["supports_indicators"] == ["clean_energy_share", "water_reuse"]
    assert row["supports_tasks"] == ["reform"]


def test_a_label_holding_a_separator_is_matched_whole():
    lookup = choice_lookup(PROJECTS.columns[7])
    codes, unknown = split_choices("超低能耗、近零能耗、高星级绿色建筑数量、余热/余冷/余压综合利用率", lookup)
    assert codes == ["green_buildings", "waste_energy_utilization"] and unknown == []
    assert split_choices("清洁能源消费占比；火星基地", lookup) == (["clean_energy_share"], ["火星基地"])


@pytest.mark.parametrize(
    ("cells", "where", "message"),
    [
        ({"D3": "八千"}, "D3", "Investment: Enter a number."),
        ({"D4": -1}, "D4", "Investment: Must be at least 0."),
        ({"D3": "1.234"}, "D3", "Investment: At most 2 decimal places."),
        ({"D3": 200000000}, "D3", "Investment: Must be at most 100000000."),
        ({"E3": 2026.5}, "E3", "Start year: Enter a whole number."),
        ({"F4": 2099}, "F4", "Completion year: Must be at most 2040."),
        ({"A4": None}, "A4", "Project: required: it identifies the row."),
        ({"C3": "长" * 1001}, "C3", "Construction content: At most 1000 characters."),
        ({"E3": 2028, "F3": 2027}, "F3", "Completion year: Must not be before the start year."),
    ],
)
def test_each_cell_error_names_its_sheet_cell_and_column(cells, where, message):
    assert _errors(_read(PROJECTS, edited(template("key_projects"), cells))) == [("重点项目", where, message)]


def test_an_unknown_choice_lists_the_labels():
    errors = _errors(_read(PROJECTS, edited(template("key_projects"), {"I4": "能源低碳转型；造火箭"})))
    assert len(errors) == 1
    sheet, cell, message = errors[0]
    assert (sheet, cell) == ("重点项目", "I4")
    assert message.startswith(
        "Tasks supported: “造火箭” is not one of the choices: 能源低碳转型、产业结构优化"
    )


def test_every_error_is_reported_at_once_and_in_chinese_by_default():
    data = edited(template("key_enterprises"), {"C3": "abc", "D4": -2, "A5": None, "B5": "纺织"})
    with translation.override("zh-hans"):
        result = read_table(data, ENTERPRISES, file_name="t.xlsx")
    assert [(e.sheet, e.cell) for e in result.errors] == [
        ("重点企业", "C3"),
        ("重点企业", "D4"),
        ("重点企业", "A5"),
    ]
    shown = [str(e) for e in result.errors]
    assert shown[0].startswith("重点企业!C3：产值") and shown[0].endswith("请输入数字。")
    assert shown[1].startswith("重点企业!D4：综合能源消费量") and shown[1].endswith("不能小于 0。")
    assert shown[2].startswith("重点企业!A5：企业名称")


@pytest.mark.parametrize(
    ("kind", "cells", "where", "message"),
    [
        ("cash_flows", {"A4": 2026}, "A4", "Year: This year already has a row."),
        ("targets", {"A4": "单位能耗碳排放"}, "A4", "Indicator: This indicator already has a row."),
        ("targets", {"C3": -0.5}, "C3", "Target 2026: Must be at least 0."),
    ],
)
def test_the_sections_checks_across_rows_point_at_the_cell(kind, cells, where, message):
    kind_spec = TABLE_KINDS[kind]
    errors = _errors(_read(kind_spec, edited(template(kind), cells)))
    assert errors == [(kind_spec.sheet_name(), where, message)]


def test_the_header_must_keep_every_column_once():
    data = edited(template("cash_flows"), {"C1": "成本（万元）"})
    errors = _errors(_read(CASH, data))
    assert ("现金流量", "C1", "The column “成本（万元）” appears twice (also in column B).") in errors
    assert (
        "现金流量",
        "A1",
        "The column “收益（万元）” is missing: keep every column of the template.",
    ) in errors


def test_a_workbook_without_the_tables_sheet_is_refused():
    errors = _errors(_read(CASH, workbook([["年度"]], title="Sheet1")))
    assert errors == [
        (
            "",
            "",
            "The workbook has no sheet named “现金流量”. Download the template and fill in its first sheet.",
        )
    ]


def test_more_rows_than_the_table_allows_are_refused():
    rows = [["指标", *(f"{y} 年目标值" for y in range(2026, 2031))]] + [["单位能耗碳排放", 1]] * 12
    errors = _errors(_read(TARGETS, workbook(rows, title="分年度目标")))
    assert ("分年度目标", "", "Yearly targets has at most 11 rows.") in errors


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers():
    data = edited(template("cash_flows"), {"A6": 2030, "B6": 1, "C6": 2})
    result = _read(CASH, data)
    assert result.row_numbers == [3, 4, 6]
    assert result.rows[-1] == {"year": 2030, "cost_wan": "1", "revenue_wan": "2", "note": None}


def test_the_section_as_stored_takes_part_in_the_checks():
    # The other fields of the section are kept; their own rules still hold (here: a stored exemption of
    # the core indicator, which the section refuses).
    stored = {"exemptions": [{"indicator": "carbon_per_energy", "reason": "x"}]}
    errors = _errors(_read(TARGETS, template("targets"), section=stored))
    assert errors and errors[0][1] == ""


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("table.csv", b"a,b\n1,2\n", "Upload an Excel workbook (.xlsx)"),
        ("table.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Upload an Excel workbook (.xlsx)"),
        (
            "table.xlsx",
            b"%PDF-1.7 not a workbook",
            "The file could not be read as an Excel workbook (.xlsx).",
        ),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(name, data, message):
    with translation.override("en"):
        result = read_table(data, CASH, file_name=name)
    assert result.rows is None and result.errors[0].message.startswith(message)


def test_a_50_mb_file_is_refused_before_it_is_opened():
    data = b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024)
    result = _read(CASH, data)
    assert _errors(result) == [("", "", "The file is larger than 5.0\xa0MB.")]


@override_settings(TABLE_IMPORT_MAX_BYTES=1000)
def test_the_size_limit_is_a_setting():
    assert _read(CASH, template("cash_flows")).errors[0].message.startswith("The file is larger than")


def test_a_sheet_reaching_far_beyond_any_table_is_refused_before_it_is_opened():
    data = edited(template("cash_flows"), {"A6000": 2030})
    errors = _errors(_read(CASH, data))
    assert len(errors) == 1 and errors[0][0] == "现金流量"
    assert "spans too many rows or columns" in errors[0][2]


# --- percentages: row 3 of the targets template is the core indicator (tCO2/tce), row 4 the clean-energy
# share (%). Excel stores a cell typed "80%" as 0.8 shown ×100: it is read as the 80 the user sees.


def _target(cells, formats=None, row=1):
    result = _read(TARGETS, edited(template("targets"), cells, formats=formats))
    assert result.ok, [str(e) for e in result.errors]
    return result.rows[row]["y2026"]


@pytest.mark.parametrize(
    ("value", "number_format", "stored"),
    [
        (0.8, "0%", "80"),
        (0.125, "0.00%", "12.5"),
        (1, "0%", "100"),
        (0.123456, "#,##0.0000%", "12.3456"),
        (0.8, "General", "0.8"),  # a plain number is the percentage as typed
        (80, '0"%"', "80"),  # a literal per-cent sign does not scale the number
        ("80%", "@", "80"),  # typed as text with its sign
        ("80％", "@", "80"),
    ],
)
def test_a_percentage_target_is_read_as_the_number_excel_shows(value, number_format, stored):
    assert _target({"C4": value}, {"C4": number_format}) == stored


def test_a_percent_format_on_a_row_that_is_not_a_percentage_changes_nothing():
    assert _target({"C3": 0.5}, {"C3": "0%"}, row=0) == "0.5"
    errors = _errors(_read(TARGETS, edited(template("targets"), {"C3": "50%"})))
    assert errors == [("分年度目标", "C3", "Target 2026: Enter a number.")]


@pytest.mark.parametrize(
    ("cells", "formats", "message"),
    [
        ({"C4": 1.5}, {"C4": "0%"}, "Target 2026: Must be at most 100."),
        ({"D4": 150}, {}, "Target 2027: Must be at most 100."),
        ({"C4": 0.123456789}, {"C4": "0.00%"}, "Target 2026: At most 4 decimal places."),
    ],
)
def test_a_percentage_over_100_or_too_precise_is_refused_at_its_cell(cells, formats, message):
    errors = _errors(_read(TARGETS, edited(template("targets"), cells, formats=formats)))
    assert errors == [("分年度目标", next(iter(cells)), message)]


def test_a_count_target_may_exceed_100():
    result = _read(TARGETS, edited(template("targets"), {"A5": "green_buildings", "C5": 150}))
    assert result.ok and result.rows[2] == {
        "indicator": "green_buildings",
        "y2026": "150",
        **dict.fromkeys(("y2027", "y2028", "y2029", "y2030")),
    }


@pytest.mark.parametrize(
    ("number_format", "scales"),
    [
        ("0%", True),
        ("0.00%", True),
        ("#,##0.0%;[Red]-#,##0.0%", True),
        ('0"%"', False),
        ("0\\%", False),
        ("General", False),
        ("[Red]0.0", False),
        (None, False),
    ],
)
def test_only_an_unquoted_per_cent_sign_makes_a_percent_format(number_format, scales):
    assert is_percent_format(number_format) is scales


def test_a_formulas_cached_value_is_read_at_excels_precision():
    data = with_cached_formula(template("targets"), "C3", "0.1+0.2", "0.30000000000000004")
    result = _read(TARGETS, data)
    assert result.ok, [str(e) for e in result.errors]
    assert result.rows[0]["y2026"] == "0.3"
