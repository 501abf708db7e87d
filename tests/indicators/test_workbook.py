"""The Excel intake: template, upload reader (validation, aggregation) and export round trip. No database."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from indicators.workbook import WorkbookRead, build_template, export_workbook, guard, read_workbook
from indicators.workbook import labels as L

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


# --- template ------------------------------------------------------------------------------------


def test_build_template_has_every_sheet_with_headers_and_frozen_header_row():
    book = template()
    assert book.sheetnames == [L.SHEET_GUIDE, *L.DATA_SHEETS, L.SHEET_LISTS]
    assert L.SHEET_PROCESS in L.DATA_SHEETS
    assert book[L.SHEET_LISTS].sheet_state == "hidden"
    assert [c.value for c in book[L.SHEET_ENERGY][1]] == [c.header for c in L.ENERGY_COLUMNS]
    assert [c.value for c in book[L.SHEET_ELECTRICITY][1]] == [c.header for c in L.ELECTRICITY_COLUMNS]
    assert [c.value for c in book[L.SHEET_HEAT][1]] == [c.header for c in L.HEAT_COLUMNS]
    assert [c.value for c in book[L.SHEET_PROCESS][1]] == [c.header for c in L.PROCESS_COLUMNS]
    assert book[L.SHEET_ENERGY].freeze_panes == "A2"


def test_build_template_carries_its_version_on_the_basic_sheet():
    sheet = template()[L.SHEET_BASIC]
    labels = {sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(2, sheet.max_row + 1)}
    assert labels["模板版本"] == L.TEMPLATE_VERSION == 2
    assert [row.key for row in L.BASIC_ROWS][-1] == L.VERSION_KEY


def test_build_template_lists_every_method_setting_with_the_factor_set_default():
    sheet = template()[L.SHEET_BASIC]
    hints = {sheet.cell(row, 1).value: sheet.cell(row, 3).value for row in range(2, sheet.max_row + 1)}
    method_keys = [row.key.removeprefix("method.") for row in L.BASIC_ROWS if row.key.startswith("method.")]
    assert method_keys == [
        "grid_ef_basis",
        "factor_year",
        "grid_ef_tco2_per_mwh",
        "electricity_tce_basis",
        "feedstock_in_energy",
        "certificates_as_green_power",
        "renewable_export_at_grid_factor",
    ]
    assert set(FACTOR_SET["method_defaults"]) <= set(method_keys)
    assert hints["电网排放因子口径"].endswith("（缺省：全国化石能源电力（核算方法固定值 0.8325））")
    assert hints["电力折标准煤口径"].endswith("（缺省：等价值）")
    assert hints["原料用能计入综合能耗"].endswith("（缺省：是）")
    assert hints["绿证视同绿电"].endswith("（缺省：是）")
    assert "可再生能源送出电量" in hints["可再生能源送出电量按电网排放因子扣减"]
    assert hints["可再生能源送出电量按电网排放因子扣减"].endswith("（缺省：是）")


def test_build_template_guide_states_the_v2_rules():
    guide = "\n".join(str(c.value) for c in template()[L.SHEET_GUIDE]["A"] if c.value)
    assert "外送电量只抵减电网购入电量" not in guide  # the v1 rule
    for text in (
        "模板版本 2",
        "0.8325",
        "不设下限",
        "等价值",
        "0.3007",  # the latest equivalent-value coefficient of the factor set
        "用作原料、材料的能源缺省也计入",
        *L.USES.values(),
        "普通送出电量",
        "可再生能源送出电量",
        "绿电送出电量",
        "工业过程：",
        "旧模板（第 1 版）的“加工转换”已拆分",
    ):
        assert text in guide, text
    # The carrier table says which measured parameters each use needs.
    rows = {row[1]: row[9] for row in template()[L.SHEET_GUIDE].iter_rows(values_only=True) if row[1]}
    assert rows["washed_coal"] == "用作燃料：NCV、CC、OF；加工转换：NCV、CC"
    assert rows["biomass"] == "NCV"
    assert rows["natural_gas"] in ("", None)


def test_build_template_drop_downs_list_the_factor_set_carriers():
    book = template()
    lists = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in book[L.SHEET_ENERGY].data_validations.dataValidation
        if v.type == "list"
    }
    assert set(lists) == {"C2", "E2", "F2"}  # carrier, unit, use
    carriers = [row[0].value for row in book[L.SHEET_LISTS].iter_rows(min_row=2, max_col=1) if row[0].value]
    assert carriers == [c["name"] for c in FACTOR_SET["carriers"]]
    assert lists["C2"] == f"'{L.SHEET_LISTS}'!$A$2:$A${len(carriers) + 1}"
    uses = [row[2].value for row in book[L.SHEET_LISTS].iter_rows(min_row=2, max_col=3) if row[2].value]
    assert uses == [
        "终端消费",
        "火力发电/供热",
        "加工转换投入",
        "加工转换产出",
        "用作原料、材料",
        "国际航空航海",
    ]
    basic = {str(v.sqref): v.type for v in book[L.SHEET_BASIC].data_validations.dataValidation}
    # park type, grid basis, electricity conversion basis and the three yes/no settings
    assert all(basic[cell] == "list" for cell in ("B3", "B5", "B8", "B9", "B10", "B11"))
    assert any(v.type == "list" for v in book[L.SHEET_DIRECT].data_validations.dataValidation)
    assert any(v.type == "list" for v in book[L.SHEET_RESOURCES].data_validations.dataValidation)


def test_build_template_reads_back_as_a_dataset_without_data():
    data = build_template(factor_set=FACTOR_SET, park_name="测试园区", park_type="化工园区", year=2024)
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert read.errors == []
    assert read.dataset == {
        "schema": "zcpark.dataset/2",
        "park": {"name": "测试园区", "park_type": "chemical"},
        "year": 2024,
        "energy": [],
    }


def test_build_template_rejects_unknown_park_type():
    with pytest.raises(ValueError, match="park type"):
        build_template(factor_set=FACTOR_SET, park_type="mixed")


# --- round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_CASES, ids=lambda p: p.name.split(".")[0])
def test_export_workbook_round_trips_public_dataset(path):
    dataset = json.loads(path.read_text("utf-8"))
    read = read_workbook(
        export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET), factor_set=FACTOR_SET
    )
    assert read.errors == []
    assert decimals(read.dataset) == decimals(dataset)


def test_round_trip_covers_the_six_valid_v2_public_cases():
    assert len(PUBLIC_CASES) == 6


def test_export_workbook_writes_a_v1_dataset_as_the_v2_document_it_upgrades_to():
    dataset = json.loads((CASES / "pub-06-v1-upgraded.dataset.json").read_text("utf-8"))
    data = export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET)
    assert openpyxl.load_workbook(io.BytesIO(data))[L.SHEET_ENERGY]["F2"].value == "火力发电/供热"
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert read.errors == []
    upgraded = {**dataset, "schema": "zcpark.dataset/2"}
    upgraded["energy"] = [
        {**row, "use": "power_heat" if row["use"] == "conversion" else row["use"]}
        for row in dataset["energy"]
    ]
    assert decimals(read.dataset) == decimals(upgraded)


# --- aggregation and number text -----------------------------------------------------------------


def test_read_workbook_sums_monthly_rows_per_enterprise_in_first_appearance_order():
    book = template()
    rows = []
    for month in range(1, 13):
        rows.append(["物流公司", month, "柴油", 10, "t", "燃料"])
        rows.append(["热源站", month, "天然气", 2.5, "10^4 Nm3", "燃料"])
    put_rows(book, L.SHEET_ENERGY, rows)
    read = upload(book)
    assert read.errors == []
    assert read.energy_rows_read == 24
    assert read.dataset["energy"] == [
        {"carrier": "diesel", "quantity": "120", "unit": "t", "use": "fuel", "enterprise": "物流公司"},
        {
            "carrier": "natural_gas",
            "quantity": "30.0",
            "unit": "10^4 Nm3",
            "use": "fuel",
            "enterprise": "热源站",
        },
    ]


def test_read_workbook_keeps_rows_apart_when_use_or_measured_ncv_differ():
    book = template()
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            [None, None, "生物质燃料", 100, "t", "燃料", 15.2],
            [None, None, "生物质燃料", 50, "t", "燃料", 14.8],
            [None, None, "生物质燃料", 30, "t", "燃料", "15.20"],
            [None, None, "天然气", 10, "10^4 Nm3", "原料"],
            [None, None, "天然气", 10, "10^4 Nm3", "燃料"],
        ],
    )
    energy = upload(book).dataset["energy"]
    assert [(row["carrier"], row["quantity"], row["use"], row.get("ncv")) for row in energy] == [
        ("biomass", "130", "fuel", "15.2"),
        ("biomass", "50", "fuel", "14.8"),
        ("natural_gas", "10", "feedstock", None),
        ("natural_gas", "10", "fuel", None),
    ]


def test_read_workbook_sums_monthly_electricity_and_heat_rows():
    book = template()
    put_rows(
        book,
        L.SHEET_ELECTRICITY,
        [[month, 1000.1, None, None, 5, None, None, None, None, 2] for month in range(1, 13)],
    )
    put_rows(book, L.SHEET_HEAT, [[1, 300, None, None, None, 0.095], [2, 200.5, None, 10, None, 0.095]])
    dataset = upload(book).dataset
    assert dataset["electricity_mwh"] == {"grid": "12001.2", "certificates": "60", "export_green": "24"}
    assert dataset["heat_gj"] == {"purchased": "500.5", "export": "10", "purchased_ef_tco2_per_gj": "0.095"}


def test_read_workbook_keeps_numbers_as_typed_and_accepts_codes():
    book = template()
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            [None, None, "natural_gas", 12.1, "Nm3", "feedstock"],
            [None, None, "diesel", "0.10", "kg", "bunker"],
        ],
    )
    put_rows(book, L.SHEET_DIRECT, [["工业过程", "水泥熟料", 500.0]])
    dataset = upload(book).dataset
    assert dataset["energy"] == [
        {"carrier": "natural_gas", "quantity": "12.1", "unit": "Nm3", "use": "feedstock"},
        {"carrier": "diesel", "quantity": "0.10", "unit": "kg", "use": "bunker"},
    ]
    assert dataset["direct_emissions"] == [{"kind": "process", "source": "水泥熟料", "tco2": "500"}]


def test_read_workbook_skips_blank_rows_and_rows_without_consumption():
    book = template()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "柴油", 1, "t", "燃料"], ["  ", None, " "], ["某企业", 3]])
    put_rows(book, L.SHEET_ENERGY, [[None, None, "柴油", 2, "t", "燃料"]], first_row=10)
    read = upload(book)
    assert read.errors == []
    assert read.dataset["energy"] == [{"carrier": "diesel", "quantity": "3", "unit": "t", "use": "fuel"}]


def test_read_workbook_accepts_common_unit_and_carrier_spellings():
    book = template()
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            [None, None, "天然气", 3, "万立方米", "燃料"],
            [None, None, "可再生热力(地热、太阳能热)", 9, "吉焦", "燃料"],
        ],
    )
    energy = upload(book).dataset["energy"]
    assert [(row["carrier"], row["unit"]) for row in energy] == [
        ("natural_gas", "10^4 Nm3"),
        ("renewable_heat", "GJ"),
    ]


def test_read_workbook_leaves_blank_resource_blocks_absent():
    book = template()
    sheet = book[L.SHEET_RESOURCES]
    sheet.cell(L.RESOURCE_ROWS[("water_m3", "fresh_intake")], 2, 900000)
    sheet.cell(L.RESOURCE_ROWS[("green_buildings", "")], 2, 0)
    read = upload(book)
    assert read.errors == []
    assert read.dataset["resources"] == {"water_m3": {"fresh_intake": "900000"}, "green_buildings": 0}


# --- the v2 contents: electricity, heat, process, settings, uses ----------------------------------


def test_read_workbook_reads_the_nine_electricity_columns_into_their_keys():
    keys = [column.key for column in L.ELECTRICITY_COLUMNS[1:]]
    assert keys == [
        "grid",
        "green_direct",
        "green_trade",
        "certificates",
        "onsite_renewable",
        "onsite_fossil",
        "export",
        "export_renewable",
        "export_green",
    ]
    book = template()
    put_rows(book, L.SHEET_ELECTRICITY, [[None, *range(101, 110)]])
    assert upload(book).dataset["electricity_mwh"] == {key: str(101 + i) for i, key in enumerate(keys)}


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("export", ("普通送出", "燃料发电", "转送")),
        ("export_renewable", ("可再生能源送出", "未出售绿色属性")),
        ("export_green", ("绿电送出", "连同绿色属性出售")),
        ("onsite_renewable", ("自发自用", "送出的部分不填")),
    ],
)
def test_electricity_headers_say_which_power_each_column_holds(key, words):
    header = next(column.header for column in L.ELECTRICITY_COLUMNS if column.key == key)
    assert all(word in header for word in words), header


def test_read_workbook_reads_the_heat_columns_into_their_keys():
    book = template()
    put_rows(book, L.SHEET_HEAT, [[1, 100, 20, 300, 40, 0.095, 0.1], [2, 100, 20, 300, 40, 0.095, 0.1]])
    assert upload(book).dataset["heat_gj"] == {
        "purchased": "200",
        "purchased_renewable": "40",
        "export": "600",
        "export_renewable": "80",
        "purchased_ef_tco2_per_gj": "0.095",
        "export_ef_tco2_per_gj": "0.1",
    }


def test_read_workbook_wants_one_heat_factor_per_direction_for_the_year():
    book = template()
    put_rows(book, L.SHEET_HEAT, [[1, 100, None, 10, None, None, 0.1], [2, 100, None, 10, None, None, 0.09]])
    read = upload(book)
    assert where(read) == {(L.SHEET_HEAT, "G3", "invalid")}
    assert "G2" in read.errors[0].message


def test_read_workbook_reads_the_process_sheet_into_process_rows():
    book = template()
    put_rows(
        book,
        L.SHEET_PROCESS,
        [
            ["合成氨（天然气制）", 300000, 1.104, "按装置原料气碳平衡测算", "合成氨厂"],
            [None],
            [" 石灰 ", "40000", "0.683", "省清单分产品因子"],
        ],
    )
    read = upload(book)
    assert read.errors == []
    assert read.dataset["process"] == [
        {
            "product": "合成氨（天然气制）",
            "quantity_t": "300000",
            "ef_tco2_per_t": "1.104",
            "basis": "按装置原料气碳平衡测算",
            "enterprise": "合成氨厂",
        },
        {"product": "石灰", "quantity_t": "40000", "ef_tco2_per_t": "0.683", "basis": "省清单分产品因子"},
    ]
    assert read.locate("process[1].ef_tco2_per_t") == (L.SHEET_PROCESS, "C4")


def test_read_workbook_names_the_cell_of_each_process_row_error():
    book = template()
    put_rows(
        book,
        L.SHEET_PROCESS,
        [["石灰", 40000, 0.683, "  "], [None, "四万", -1, "依据"]],
    )
    read = upload(book)
    assert read.dataset is None
    assert where(read) == {
        (L.SHEET_PROCESS, "D2", "required"),
        (L.SHEET_PROCESS, "A3", "required"),
        (L.SHEET_PROCESS, "B3", "not_a_number"),
        (L.SHEET_PROCESS, "C3", "negative"),
    }
    message = next(e.message for e in read.errors if e.cell == "D2")
    assert "排放因子依据" in message


def test_engine_errors_on_the_process_sheet_are_located_at_their_cells():
    from indicators.engine import evaluate
    from tests.indicators.cases import reference_factor_set, reference_scheme

    book = template()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "天然气", 10, "10^4 Nm3", "终端消费"]])
    put_rows(book, L.SHEET_PROCESS, [["石灰", 4e16, 0.683, "省清单分产品因子"]])  # above 10^15
    put_rows(book, L.SHEET_ELECTRICITY, [[None, 1000, None, None, None, None, None, None, None, "2e16"]])
    read = upload(book)
    assert read.ok
    evaluation = evaluate(
        read.dataset, factor_set=reference_factor_set(), scheme=reference_scheme("jiangxi-2025")
    )
    paths = {error["path"] for error in evaluation.document()["errors"]}
    assert paths == {"process[0].quantity_t", "electricity_mwh.export_green"}
    assert read.locate("process[0].quantity_t") == (L.SHEET_PROCESS, "B2")
    assert read.locate("electricity_mwh.export_green") == (L.SHEET_ELECTRICITY, "J2")


def test_read_workbook_reads_every_method_setting():
    book = template()
    sheet = book[L.SHEET_BASIC]
    values = {
        "method.grid_ef_basis": "全国化石能源电力（核算方法固定值 0.8325）",
        "method.factor_year": 2023,
        "method.electricity_tce_basis": "当量值",
        "method.feedstock_in_energy": "否",
        "method.certificates_as_green_power": "是",
        "method.renewable_export_at_grid_factor": "否",
    }
    for offset, row in enumerate(L.BASIC_ROWS):
        if row.key in values:
            sheet.cell(L.BASIC_FIRST_ROW + offset, 2, values[row.key])
    assert upload(book).dataset["method"] == {
        "grid_ef_basis": "national_fossil_fixed",
        "factor_year": 2023,
        "electricity_tce_basis": "calorific",
        "feedstock_in_energy": False,
        "certificates_as_green_power": True,
        "renewable_export_at_grid_factor": False,
    }
    sheet["B5"], sheet["B8"], sheet["B11"] = "national_fossil", "equivalent", "maybe"
    sheet["B6"] = None
    read = upload(book)
    assert where(read) == {(L.SHEET_BASIC, "B11", "invalid")}
    sheet["B11"] = None
    assert upload(book).dataset["method"] == {
        "grid_ef_basis": "national_fossil",
        "electricity_tce_basis": "equivalent",
        "feedstock_in_energy": False,
        "certificates_as_green_power": True,
    }


def test_read_workbook_refuses_the_v1_label_of_the_by_year_fossil_basis_in_a_v2_template():
    # In v2 "全国化石能源电力" alone could mean the fixed 0.8325 or the by-year table.
    book = template()
    book[L.SHEET_BASIC]["B5"] = "全国化石能源电力"
    assert where(upload(book)) == {(L.SHEET_BASIC, "B5", "invalid")}


def test_read_workbook_reads_the_six_uses_by_label_and_code():
    book = template()
    rows = [[None, None, "天然气", 1, "10^4 Nm3", label] for label in L.USES.values()]
    rows += [[None, None, "天然气", 2, "10^4 Nm3", code] for code in L.USES]
    rows += [
        [None, None, "天然气", 3, "10^4 Nm3", spelling] for spelling in ("火力发电、供热", "燃料", "原料")
    ]
    put_rows(book, L.SHEET_ENERGY, rows)
    read = upload(book)
    assert read.errors == []
    # label 1 + code 2, plus 3 for the uses also given by another spelling
    assert [(row["use"], row["quantity"]) for row in read.dataset["energy"]] == [
        ("fuel", "6"),
        ("power_heat", "6"),
        ("transform_in", "3"),
        ("transform_out", "3"),
        ("feedstock", "6"),
        ("bunker", "3"),
    ]


@pytest.mark.parametrize("value", ["加工转换", "conversion"])
def test_read_workbook_refuses_the_v1_use_conversion_in_a_v2_template(value):
    book = template()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "一般烟煤", 1000, "t", value]])
    read = upload(book)
    assert where(read) == {(L.SHEET_ENERGY, "F2", "invalid")}
    message = read.errors[0].message
    assert all(f"{label}（{code}）" in message for code, label in L.USES.items()), message


def test_read_workbook_wants_measured_parameters_by_use():
    # Crude oil has a tce coefficient but no NCV, CC or OF (cn-2026.1): burned it needs all three,
    # in a transform row NCV and CC (OF is fixed at 1), as feedstock none.
    book = template()
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            [None, None, "原油", 100, "t", "加工转换投入", 41.816, 0.02],
            [None, None, "原油", 100, "t", "终端消费", 41.816, 0.02],
            [None, None, "原油", 100, "t", "用作原料、材料"],
            [None, None, "原油", 100, "t", "加工转换产出"],
        ],
    )
    read = upload(book)
    assert where(read) == {
        (L.SHEET_ENERGY, "I3", "required"),
        (L.SHEET_ENERGY, "G5", "required"),
        (L.SHEET_ENERGY, "H5", "required"),
    }


# --- template versions ----------------------------------------------------------------------------

# The headers and rows of the version 1 template, as it made them (before dataset v2).
V1_ELECTRICITY_HEADERS = [
    "月份（选填，1–12；只填年度合计时留空）",
    "电网购入电量（MWh）",
    "绿电交易电量（MWh）",
    "绿电直连电量（MWh）",
    "自发自用可再生能源电量（MWh）",
    "自备化石能源电厂发电量（MWh）",
    "外送电量（MWh）",
    "单独购买绿证对应电量（MWh）",
]
V1_HEAT_HEADERS = [
    "月份（选填，1–12；只填年度合计时留空）",
    "外购热力（GJ）",
    "外供热力（GJ）",
    "供热方排放因子（tCO2/GJ，选填，留空取缺省值）",
]
V1_BASIC_LABELS = [
    "园区名称",
    "园区类型",
    "核算年度",
    "电网排放因子口径",
    "因子年份",
    "自定义电网排放因子（tCO2/MWh）",
    "原料用能计入综合能耗",
    "绿证视同绿电",
]


def v1_workbook() -> Workbook:
    """A workbook laid out like the version 1 template: no 工业过程, no 模板版本, the old headers."""
    book = template()
    del book[L.SHEET_PROCESS]
    basic = book[L.SHEET_BASIC]
    for row in sorted(
        (
            basic_row(basic, "模板版本"),
            basic_row(basic, "可再生能源送出电量按电网排放因子扣减"),
            basic_row(basic, "电力折标准煤口径"),
        ),
        reverse=True,
    ):
        basic.delete_rows(row)
    assert [basic.cell(row, 1).value for row in range(2, basic.max_row + 1)] == V1_BASIC_LABELS
    for sheet, headers in ((L.SHEET_ELECTRICITY, V1_ELECTRICITY_HEADERS), (L.SHEET_HEAT, V1_HEAT_HEADERS)):
        book[sheet].delete_rows(1)
        book[sheet].insert_rows(1)
        for col, header in enumerate(headers, start=1):
            book[sheet].cell(1, col, header)
    return book


def basic_row(sheet, label: str) -> int:
    return next(row for row in range(1, sheet.max_row + 1) if sheet.cell(row, 1).value == label)


def test_v1_layout_is_a_subset_of_v2_with_the_same_keys():
    v1, v2 = L.LAYOUT_V1, L.LAYOUT
    assert set(v1.data_sheets) == set(v2.data_sheets) - {L.SHEET_PROCESS}
    assert {row.key for row in v1.basic_rows} < {row.key for row in v2.basic_rows}
    assert [column.header for column in v1.electricity_columns] == V1_ELECTRICITY_HEADERS
    assert [column.header for column in v1.heat_columns] == V1_HEAT_HEADERS
    assert {c.key for c in v1.electricity_columns} < {c.key for c in v2.electricity_columns}
    assert {c.key for c in v1.heat_columns} < {c.key for c in v2.heat_columns}
    assert set(v1.uses) - set(v2.uses) == {L.RETIRED_USE}


def test_read_workbook_reads_a_v1_workbook_into_a_v1_document_the_engine_upgrades():
    from indicators.engine import evaluate
    from tests.indicators.cases import reference_factor_set, reference_scheme

    book = v1_workbook()
    book[L.SHEET_BASIC]["B5"] = "全国化石能源电力"  # v1's label of the by-year fossil basis
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            ["热电厂", None, "一般烟煤", 180000, "t", "加工转换"],
            [None, None, "天然气", 6500, "10^4 Nm3", "燃料"],
            [None, None, "液化石油气", 42000, "t", "原料"],
            [None, None, "汽油", 10, "t", "bunker"],
        ],
    )
    put_rows(book, L.SHEET_ELECTRICITY, [[None, 920000, 310000, 1000, 45000, 260000, 30000, 5000]])
    put_rows(book, L.SHEET_HEAT, [[None, 40000, 150000, 0.102]])
    read = upload(book)
    assert read.errors == []
    dataset = read.dataset
    assert dataset["schema"] == "zcpark.dataset/1"
    assert dataset["method"] == {"grid_ef_basis": "national_fossil"}
    assert [row["use"] for row in dataset["energy"]] == ["conversion", "fuel", "feedstock", "bunker"]
    assert dataset["electricity_mwh"] == {
        "grid": "920000",
        "green_trade": "310000",
        "green_direct": "1000",
        "onsite_renewable": "45000",
        "onsite_fossil": "260000",
        "export": "30000",
        "certificates": "5000",
    }
    assert dataset["heat_gj"] == {
        "purchased": "40000",
        "export": "150000",
        "purchased_ef_tco2_per_gj": "0.102",
    }
    assert "process" not in dataset
    assert read.locate("electricity_mwh.export") == (L.SHEET_ELECTRICITY, "G2")
    assert read.locate("heat_gj.purchased_ef_tco2_per_gj") == (L.SHEET_HEAT, "D2")
    document = evaluate(
        dataset, factor_set=reference_factor_set(), scheme=reference_scheme("jiangxi-2025")
    ).document()
    assert document["upgraded_from"] == "zcpark.dataset/1"
    assert document["factors"]["grid_ef_basis"] == "national_fossil"
    assert document["totals"]["fuel_use_by_use_tco2"]["power_heat"] != "0.00"  # 加工转换 → power_heat


def test_read_workbook_reads_v1_uses_only_in_a_v1_workbook():
    book = v1_workbook()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "原油", 100, "t", "加工转换投入", 41.8, 0.02]])
    read = upload(book)
    assert where(read) == {(L.SHEET_ENERGY, "F2", "invalid")}
    assert "加工转换（conversion）" in read.errors[0].message


def test_read_workbook_refuses_a_workbook_with_an_unknown_template_version():
    book = template()
    book[L.SHEET_BASIC]["B12"] = 3
    put_rows(book, L.SHEET_ENERGY, [[None, None, "柴油", -1, "t", "燃料"]])  # not looked at
    read = upload(book)
    assert read.dataset is None
    assert where(read) == {(L.SHEET_BASIC, "B12", "template_version")}
    assert "“3”" in read.errors[0].message and "2" in read.errors[0].message


@pytest.mark.parametrize(
    ("change", "part"),
    [
        pytest.param("version-row", "基本信息“电力折标准煤口径”", id="v2-workbook-without-its-version-row"),
        pytest.param("electricity", "电力“可再生能源送出电量”", id="v1-workbook-with-a-v2-electricity-sheet"),
    ],
)
def test_read_workbook_refuses_a_workbook_mixing_the_two_template_versions(change, part):
    if change == "version-row":
        book = template()
        book[L.SHEET_BASIC].delete_rows(basic_row(book[L.SHEET_BASIC], "模板版本"))
    else:
        book = v1_workbook()
        for col, column in enumerate(L.ELECTRICITY_COLUMNS, start=1):
            book[L.SHEET_ELECTRICITY].cell(1, col, column.header)
    read = upload(book)
    assert read.dataset is None
    assert where(read) == {(L.SHEET_BASIC, "", "template_version")}
    assert part in read.errors[0].message and "模板版本" in read.errors[0].message


# --- locating dataset paths ----------------------------------------------------------------------


def test_locate_maps_aggregated_energy_rows_to_their_first_sheet_row():
    book = template()
    put_rows(
        book,
        L.SHEET_ENERGY,
        [
            ["物流公司", 1, "柴油", 10, "t", "燃料"],  # row 2 → energy[0]
            ["热源站", 1, "天然气", 2.5, "10^4 Nm3", "燃料"],  # row 3 → energy[1]
            [None],  # row 4: blank
            ["物流公司", 2, "柴油", 10, "t", "燃料"],  # row 5: summed into energy[0]
            [None, None, "生物质燃料", 100, "t", "燃料", 15.2],  # row 6 → energy[2]
        ],
    )
    read = upload(book)
    assert read.ok and len(read.dataset["energy"]) == 3
    sheet = L.SHEET_ENERGY
    assert read.locate("energy[0].quantity") == (sheet, "D2")
    assert read.locate("energy[0]") == (sheet, "C2")
    assert read.locate("energy[1].unit") == (sheet, "E3")
    assert read.locate("energy[1].ncv") == (sheet, "G3")
    assert read.locate("energy[2].ncv") == (sheet, "G6")
    assert read.locate("energy[2].enterprise") == (sheet, "A6")
    assert read.locate("energy[2].of") == (sheet, "I6")
    assert read.locate("energy") == (sheet, "A1")
    for unknown in ("energy[3].ncv", "energy[0].month", "energy[0].colour", "energy[x]", "nope", ""):
        assert read.locate(unknown) is None


def test_locate_maps_label_rows_and_totals_to_their_cells():
    book = template()
    put_rows(book, L.SHEET_ELECTRICITY, [[month, 1000] for month in L.MONTHS])
    book[L.SHEET_ELECTRICITY]["E5"] = 60  # certificates: a single row gives the total
    book[L.SHEET_ELECTRICITY]["J7"] = 15  # export_green
    put_rows(book, L.SHEET_HEAT, [[None, 300, None, None, None, 0.095]])
    put_rows(book, L.SHEET_PROCESS, [["石灰", 40000, 0.683, "省清单分产品因子"]])
    put_rows(book, L.SHEET_DIRECT, [["工业过程", "水泥熟料", 500]])
    book[L.SHEET_OFFSETS]["B2"] = 10
    resources = book[L.SHEET_RESOURCES]
    utilized = L.RESOURCE_ROWS[("solid_waste_t", "utilized")]
    resources.cell(utilized, 2, 5)
    for col, value in enumerate(["熟料", "GB 16780", 103.5, 107], start=L.PRODUCT_FIRST_COL):
        resources.cell(2, col, value)  # the products table, from column E
    read = upload(book)
    assert read.ok
    assert read.locate("method.factor_year") == (L.SHEET_BASIC, "B6")  # blank, but its cell is known
    assert read.locate("park.park_type") == (L.SHEET_BASIC, "B3")
    assert read.locate("year") == (L.SHEET_BASIC, "B4")
    assert read.locate("offsets_tco2.ccer") == (L.SHEET_OFFSETS, "B2")
    assert read.locate("resources.solid_waste_t.utilized") == (L.SHEET_RESOURCES, f"B{utilized}")
    assert read.locate("resources.freight_t.clean") == (
        L.SHEET_RESOURCES,
        f"B{L.RESOURCE_ROWS[('freight_t', 'clean')]}",
    )
    assert read.locate("resources.public_vehicles.new_energy") == (
        L.SHEET_RESOURCES,
        f"B{L.RESOURCE_ROWS[('public_vehicles', 'new_energy')]}",
    )
    assert read.locate("resources.waste_energy_tce.cold.utilized") == (
        L.SHEET_RESOURCES,
        f"B{L.RESOURCE_ROWS[('waste_energy_tce', 'cold.utilized')]}",
    )
    assert read.locate("resources.green_buildings") == (
        L.SHEET_RESOURCES,
        f"B{L.RESOURCE_ROWS[('green_buildings', '')]}",
    )
    assert read.locate("resources.products[0].value") == (L.SHEET_RESOURCES, "G2")
    assert read.locate("electricity_mwh.grid") == (L.SHEET_ELECTRICITY, "B1")  # summed: the header
    assert read.locate("electricity_mwh.certificates") == (L.SHEET_ELECTRICITY, "E5")
    assert read.locate("electricity_mwh.export_green") == (L.SHEET_ELECTRICITY, "J7")
    assert read.locate("electricity_mwh.export_renewable") == (L.SHEET_ELECTRICITY, "I1")  # blank: header
    assert read.locate("heat_gj.purchased") == (L.SHEET_HEAT, "B2")
    assert read.locate("heat_gj.purchased_ef_tco2_per_gj") == (L.SHEET_HEAT, "F2")
    assert read.locate("heat_gj.export_ef_tco2_per_gj") == (L.SHEET_HEAT, "G1")
    assert read.locate("method.electricity_tce_basis") == (L.SHEET_BASIC, "B8")
    assert read.locate("method.renewable_export_at_grid_factor") == (L.SHEET_BASIC, "B11")
    assert read.locate("process[0].basis") == (L.SHEET_PROCESS, "D2")
    assert read.locate("process[0]") == (L.SHEET_PROCESS, "A2")
    assert read.locate("process") == (L.SHEET_PROCESS, "A1")
    assert read.locate("direct_emissions[0].tco2") == (L.SHEET_DIRECT, "C2")
    for unknown in (
        "resources.solid_waste_t.colour",
        "offsets_tco2.other",
        "resources.products[1].value",
        "process[1].basis",
    ):
        assert read.locate(unknown) is None


# --- errors --------------------------------------------------------------------------------------

ENERGY_ERRORS = [
    pytest.param([None, None, "柴油", "十吨", "t", "燃料"], "D", "not_a_number", id="text-in-number"),
    pytest.param([None, None, "柴油", -5, "t", "燃料"], "D", "negative", id="negative"),
    pytest.param([None, None, "氦气", 1, "t", "燃料"], "C", "unknown", id="unknown-carrier"),
    pytest.param([None, None, "柴油", 1, "桶", "燃料"], "E", "unknown", id="bad-unit"),
    pytest.param([None, None, "柴油", 1, "Nm3", "燃料"], "E", "unit_mismatch", id="unit-wrong-kind"),
    pytest.param([None, 13, "柴油", 1, "t", "燃料"], "B", "invalid", id="bad-month"),
    pytest.param([None, None, "柴油", 1, "t", "烧掉"], "F", "invalid", id="bad-use"),
    pytest.param([None, None, "柴油", None, "t", "燃料"], "D", "required", id="missing-quantity"),
]


@pytest.mark.parametrize(("row", "column", "code"), ENERGY_ERRORS)
def test_read_workbook_names_sheet_and_cell_of_energy_error(row, column, code):
    book = template()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "柴油", 1, "t", "燃料"], row])
    read = upload(book)
    assert read.dataset is None
    assert where(read) == {(L.SHEET_ENERGY, f"{column}3", code)}
    assert read.errors[0].message


def test_read_workbook_reports_every_error_at_once():
    book = template()
    put_rows(book, L.SHEET_ENERGY, [param.values[0] for param in ENERGY_ERRORS])
    put_rows(book, L.SHEET_ELECTRICITY, [[None, "五万"]])
    book[L.SHEET_BASIC]["B4"] = "明年"
    read = upload(book)
    expected = {
        (L.SHEET_ENERGY, f"{p.values[1]}{i}", p.values[2]) for i, p in enumerate(ENERGY_ERRORS, start=2)
    }
    expected |= {(L.SHEET_ELECTRICITY, "B2", "not_a_number"), (L.SHEET_BASIC, "B4", "invalid")}
    assert read.dataset is None
    assert where(read) == expected
    assert all(error.message for error in read.errors)


def test_read_workbook_names_missing_sheet():
    book = template()
    del book[L.SHEET_HEAT]
    read = upload(book)
    assert read.dataset is None
    assert where(read) == {(L.SHEET_HEAT, "", "missing_sheet")}
    assert L.SHEET_HEAT in read.errors[0].message


def test_read_workbook_requires_measured_parameters_for_carrier_without_defaults():
    book = template()
    put_rows(book, L.SHEET_ENERGY, [[None, None, "洗精煤", 8000, "t", "燃料", 26.344]])
    read = upload(book)
    assert where(read) == {(L.SHEET_ENERGY, "H2", "required"), (L.SHEET_ENERGY, "I2", "required")}


def test_read_workbook_rejects_core_indicator_exemption():
    book = template()
    sheet = book[L.SHEET_RESOURCES]
    sheet.cell(2, L.EXEMPTION_FIRST_COL, "单位能耗碳排放")
    sheet.cell(2, L.EXEMPTION_FIRST_COL + 1, "不适用")
    read = upload(book)
    assert where(read) == {(L.SHEET_RESOURCES, "J2", "core_not_exemptible")}


@pytest.mark.parametrize("data", [b"carrier,quantity\ndiesel,10\n", b"", b"PK\x03\x04 truncated"])
def test_read_workbook_rejects_a_file_that_is_not_a_workbook(data):
    read = read_workbook(io.BytesIO(data), factor_set=FACTOR_SET)
    assert read.dataset is None
    assert where(read) == {("", "", "invalid_file")}


# --- export with a result ------------------------------------------------------------------------


def case_document(name: str, kind: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.{kind}.json").read_text("utf-8"))


def exported_with_result(name: str) -> Workbook:
    dataset, result = case_document(name, "dataset"), case_document(name, "expected")["result"]
    return openpyxl.load_workbook(
        io.BytesIO(export_workbook(dataset=dataset, result=result, factor_set=FACTOR_SET))
    )


def test_export_workbook_adds_result_sheets_in_chinese():
    book = exported_with_result("pub-08-units-measured-exemptions")
    for sheet in (
        L.SHEET_RESULT_INDICATORS,
        L.SHEET_RESULT_TOTALS,
        L.SHEET_RESULT_SENSITIVITY,
        L.SHEET_RESULT_TRACE,
    ):
        assert sheet in book.sheetnames
    indicators = list(book[L.SHEET_RESULT_INDICATORS].iter_rows(min_row=2, max_row=12, values_only=True))
    assert indicators[0][:6] == ("单位能耗碳排放", "核心指标", 1.5456, "tCO2/tce", "≤ 0.4", "未达标")
    assert {row[5] for row in indicators} == {"达标", "未达标", "豁免", "无数据"}
    assert book.sheetnames[-1] == L.SHEET_LISTS


def test_export_workbook_shows_the_v2_totals_factors_and_settings():
    book = exported_with_result("pub-03-refinery-transform-process")
    result = case_document("pub-03-refinery-transform-process", "expected")["result"]
    rows = {row[0]: row[1:] for row in book[L.SHEET_RESULT_TOTALS].iter_rows(min_row=2, values_only=True)}
    totals = result["totals"]
    assert rows["年综合能源消费量"] == (float(totals["energy_tce"]), "tce")
    assert rows["碳排放总量（E园区）"][0] == float(totals["emissions_gross_tco2"])
    assert rows["其中：能源活动（E能源活动）"][0] == float(totals["energy_activity_tco2"])
    for key, label in L.SOURCE_LABELS.items():
        assert rows[label] == (float(totals["by_source_tco2"][key]), "tCO2")
    assert rows["能源加工转换（E加工转换）"][0] == float(totals["by_source_tco2"]["transform"])
    for key, label in L.FUEL_USE_LABELS.items():
        assert rows[label][0] == float(totals["fuel_use_by_use_tco2"][key])
    for key, label in L.ENERGY_PART_LABELS.items():
        assert rows[label] == (float(totals["energy_by_part_tce"][key]), "tce")
    assert rows["核算方法"][0] == "cn-2025-trial"
    assert rows["电网排放因子口径"][0] == "全国化石能源电力（核算方法固定值 0.8325）"
    assert rows["电力折标准煤口径"][0] == "等价值"
    assert rows["电力折标系数"] == (0.3007, "tce/MWh")
    assert rows["送出热力排放因子"] == (0.11, "tCO2/GJ")
    assert rows["可再生能源送出电量按电网排放因子扣减"][0] == "是"
    assert rows["原料用能计入综合能耗"][0] == "是"


def test_export_workbook_shows_both_sensitivities_including_the_fixed_basis():
    book = exported_with_result("pub-08-units-measured-exemptions")
    rows = list(book[L.SHEET_RESULT_SENSITIVITY].iter_rows(values_only=True))
    assert rows[1][:5] == ("江西省电力平均", 2022, 0.5752, 1.5456, "本次核算")
    assert rows[2][:4] == ("全国化石能源电力（核算方法固定值 0.8325）", None, 0.8325, 1.9106)
    assert rows[5][:4] == ("全国化石能源电力（按年度）", 2022, 0.8325, 1.9106)
    energy = rows.index(
        (
            "电力折标准煤口径",
            "折标系数年份",
            "电力折标系数（tce/MWh）",
            "年综合能源消费量（tce）",
            "单位能耗碳排放（tCO2/tce）",
            "备注",
        )
    )
    assert rows[energy + 1] == ("等价值", 2022, 0.3007, 133936.52, 1.5456, "本次核算")
    assert rows[energy + 2][:5] == ("当量值", None, 0.1229, 89486.52, 2.3133)


def test_export_workbook_lists_advisories_and_provisional_rules():
    book = exported_with_result("pub-02-national-advisory")
    result = case_document("pub-02-national-advisory", "expected")["result"]
    cells = list(book[L.SHEET_RESULT_INDICATORS].iter_rows(values_only=True))
    firsts = [row[0] for row in cells]
    advisory = cells[firsts.index("绿色电力直接供应比例低于 50%")]
    assert advisory[2:5] == (20.71, "%", "≥ 50")
    assert advisory[6] == result["advisories"][0]["message"]
    heading = firsts.index("本次核算用到的暂行口径")
    texts = {row[0]: row[1] for row in cells[heading + 1 :] if row[0]}
    assert texts == {L.PROVISIONAL_LABELS[item["code"]]: item["text"] for item in result["provisional"]}


def test_export_workbook_names_an_upgraded_dataset():
    book = exported_with_result("pub-06-v1-upgraded")
    values = {row[0]: row[1] for row in book[L.SHEET_RESULT_INDICATORS].iter_rows(values_only=True)}
    assert values["数据集格式"] == "由 zcpark.dataset/1 升级为 zcpark.dataset/2 后核算"
    assert "数据集格式" not in {
        row[0]
        for row in exported_with_result("pub-01-electric-park")[L.SHEET_RESULT_INDICATORS].iter_rows(
            values_only=True
        )
    }


def test_export_workbook_keeps_every_digit_of_long_numbers():
    dataset = {
        "schema": "zcpark.dataset/2",
        "park": {"name": "测试园区", "park_type": "chemical"},
        "year": 2025,
        "energy": [{"carrier": "diesel", "quantity": "123456789.123456789", "unit": "t", "use": "fuel"}],
    }
    read = read_workbook(
        export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET), factor_set=FACTOR_SET
    )
    assert read.dataset == dataset


# --- text that looks like a formula, datasets of the wrong shape ----------------------------------


def test_export_workbook_round_trips_text_that_looks_like_a_formula():
    dataset = {
        "schema": "zcpark.dataset/2",
        "park": {"name": "=SUM(A1)", "park_type": "chemical"},
        "year": 2025,
        "energy": [
            {"carrier": "diesel", "quantity": "10", "unit": "t", "use": "fuel", "enterprise": "-东区"},
            {"carrier": "diesel", "quantity": "5", "unit": "t", "use": "fuel", "enterprise": "@北区"},
            {"carrier": "diesel", "quantity": "1", "unit": "t", "use": "fuel", "enterprise": "#N/A"},
        ],
    }
    data = export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET)
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert read.errors == []
    assert read.dataset == dataset
    cell = openpyxl.load_workbook(io.BytesIO(data))[L.SHEET_BASIC]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(A1)", "s", True)


def test_build_template_writes_a_formula_like_park_name_as_text():
    data = build_template(factor_set=FACTOR_SET, park_name="=1+1", park_type="chemical", year=2025)
    assert read_workbook(data, factor_set=FACTOR_SET).dataset["park"]["name"] == "=1+1"


@pytest.mark.parametrize(
    "dataset",
    [
        {"park": "p", "energy": ["row"]},
        {"park": ["p"], "method": "m", "energy": "rows", "year": [2025]},
        {"park": {"name": {"x": 1}, "park_type": ["chemical"]}, "method": {"grid_ef_basis": {}}},
        {"energy": [None, 3, {"carrier": ["diesel"], "quantity": {"v": 1}, "use": {}, "unit": 7}]},
        {"electricity_mwh": [1], "heat_gj": "h", "direct_emissions": {"kind": 1}, "offsets_tco2": 5},
        {"direct_emissions": ["x", {"kind": ["process"], "tco2": float("nan")}]},
        {"resources": ["water"], "exemptions": ["ind"]},
        {"resources": {"water_m3": [1], "green_buildings": {"n": 1}, "products": "p"}, "exemptions": 1},
        {"resources": {"products": ["p", {"name": ["x"], "value": {}}]}, "exemptions": {"x": ["why"]}},
        {"park": {"name": "园区\x00\x07"}, "method": {"feedstock_in_energy": ["yes"]}},
        {"energy": [{"quantity": "1e999999999", "ncv": "1e-999999999", "cc": 10**30}], "year": "9e99999"},
        "not a mapping",
    ],
)
def test_export_workbook_skips_parts_of_the_wrong_type(dataset):
    data = export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert L.SHEET_ENERGY in book.sheetnames
    read_workbook(data, factor_set=FACTOR_SET)  # reads back (with whatever errors the data has)


def test_export_workbook_keeps_the_good_rows_of_a_partly_broken_dataset():
    dataset = {
        "park": "p",
        "energy": ["row", {"carrier": "diesel", "quantity": "2", "unit": "t", "use": "fuel"}],
    }
    read = read_workbook(
        export_workbook(dataset=dataset, result=None, factor_set=FACTOR_SET), factor_set=FACTOR_SET
    )
    assert read.dataset is None  # no park name or year
    assert read.energy_rows_read == 1


# --- files too large for memory ------------------------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(sheets: dict[str, Any], *, level: int | None = None) -> bytes:
    """A minimal .xlsx written by hand: sheet name → worksheet XML (bytes, or chunks of bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        entries = "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml", f'<workbook {NS} xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>'
        )
        targets = "".join(
            f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{targets}'
            "</Relationships>",
        )
        for i, content in enumerate(sheets.values(), start=1):
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w") as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return buffer.getvalue()


def worksheet(rows: str, *, dimension: str | None = None) -> bytes:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{head}<sheetData>{rows}</sheetData></worksheet>'.encode()


WIDE_ROWS = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    '<row r="1000000"><c r="ZZ1000000"><v>1</v></c></row>'
)


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(worksheet(WIDE_ROWS, dimension="A1:ZZ1000000"), id="dimension"),
        pytest.param(worksheet(WIDE_ROWS), id="no-dimension"),
        pytest.param(worksheet(WIDE_ROWS, dimension="A1"), id="lying-dimension"),
        pytest.param(
            worksheet('<row r="1"><c r="A1"><v>1</v></c></row>', dimension="A1:ZZ1000000"),
            id="only-dimension",
        ),
        pytest.param(worksheet("<row>" + "<c><v>1</v></c>" * 41 + "</row>"), id="cells-without-address"),
        pytest.param(worksheet('<row r="200001"><c r="A200001"><v>1</v></c></row>'), id="rows"),
        pytest.param(worksheet('<x:row r="5"><x:c r="AO5"><x:v>1</x:v></x:c></x:row>'), id="prefixed"),
    ],
)
def test_read_workbook_refuses_a_sheet_spanning_too_many_cells(sheet):
    # One cell in A1 and one in ZZ1000000: calamine would reserve ~22 GB and abort the process.
    data = xlsx({L.SHEET_ENERGY: sheet})
    assert len(data) < 5_000
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert where(read) == {(L.SHEET_ENERGY, "", "too_large")}
    assert "200,000" in read.errors[0].message and "40" in read.errors[0].message


def test_read_workbook_reads_sheets_up_to_the_limits():
    energy = worksheet('<row r="199999"><c r="A199999"><v>1</v></c></row>', dimension="A199999")
    electricity = worksheet('<row r="1"><c r="AN1"><v>1</v></c></row>', dimension="AN1")
    read = read_workbook(
        xlsx({L.SHEET_ENERGY: energy, L.SHEET_ELECTRICITY: electricity}), factor_set=FACTOR_SET
    )
    assert read.errors and "too_large" not in {error.code for error in read.errors}
    assert (L.SHEET_BASIC, "", "missing_sheet") in where(read)


def test_read_workbook_ignores_the_size_of_sheets_it_does_not_read():
    data = xlsx({L.SHEET_GUIDE: worksheet(WIDE_ROWS), L.SHEET_ENERGY: worksheet("")})
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert read.errors and "too_large" not in {error.code for error in read.errors}


def test_read_workbook_refuses_a_zip_bomb():
    # 300 MB of empty rows, packed to about 1.4 MB.
    head, tail = worksheet("").split(b"<sheetData>")
    rows = b"<row/>" * (1 << 20)
    data = xlsx({L.SHEET_ENERGY: [head, b"<sheetData>", *[rows] * 50, tail]}, level=1)
    read = read_workbook(data, factor_set=FACTOR_SET)
    assert where(read) == {("", "", "too_large")}


def test_read_workbook_refuses_a_workbook_too_large_once_unpacked(monkeypatch):
    monkeypatch.setattr(guard, "MAX_TOTAL_BYTES", 1024 * 1024)
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 40_000))
    read = read_workbook(xlsx({L.SHEET_ENERGY: worksheet(rows)}), factor_set=FACTOR_SET)
    assert where(read) == {("", "", "too_large")}
    assert "1 MB" in read.errors[0].message


def zipfile_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), id="ole"),
        pytest.param(zipfile_bytes({"content.xml": "<x/>", "mimetype": "x"}), id="zip-not-xlsx"),
    ],
)
def test_read_workbook_rejects_a_file_that_is_not_an_xlsx_package(data):
    assert where(read_workbook(data, factor_set=FACTOR_SET)) == {("", "", "invalid_file")}
