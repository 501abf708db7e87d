"""The Excel intake of dataset v2: electricity, heat, process rows, method settings and uses, and reading or
refusing a workbook of template version 1. No database."""

from __future__ import annotations

import pytest
from openpyxl.workbook.workbook import Workbook

from indicators.workbook import labels as L
from tests.indicators.workbook_helpers import (
    put_rows,
    template,
    upload,
    where,
)

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
