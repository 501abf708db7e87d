"""The Excel intake: errors located at their sheet and cell, the export with a result, formula-like text,
workbooks of the wrong shape and files too large for memory. No database."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from indicators.workbook import build_template, export_workbook, guard, read_workbook
from indicators.workbook import labels as L
from tests.indicators.workbook_helpers import (
    CASES,
    FACTOR_SET,
    put_rows,
    template,
    upload,
    where,
)

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
    assert rows["核算方法"][0] == "零碳园区碳排放核算方法（试行）"
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
