"""The Excel intake: the template, the upload reader (validation, aggregation) and the round trip. No database."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from indicators.workbook import build_template, export_workbook, read_workbook
from indicators.workbook import labels as L
from tests.indicators.workbook_helpers import (
    CASES,
    FACTOR_SET,
    PUBLIC_CASES,
    decimals,
    put_rows,
    template,
    upload,
)

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
