"""Sheet names, headers, row labels and Chinese value labels shared by the template, reader and export.

The layout lives here once so that the template the park downloads, the reader that parses the
upload and the export that fills a dataset back in can never drift apart. Carrier names are not
here: they come from the factor-set document.

Headers and row labels are recognised by their *token*: the text before the first bracket with
whitespace removed (``header_token("消费量（按计量单位）") == "消费量"``), so the unit and hint text in
brackets may change between template versions without breaking older uploads.

Template versions: version 2 (``TEMPLATE_VERSION``, dataset ``zcpark.dataset/2``) carries the row
模板版本 = 2 on 基本信息. Version 1 (the template before dataset v2, no such row) is still read, into a
``zcpark.dataset/1`` document that the engine upgrades (accounting.md §5.3): every column and row it
has is a v2 key of the same meaning (``LAYOUT_V1``), only a few headers and the uses were spelled
differently.

The Chinese labels of values (units, uses, bases, result statuses and totals) are in
``value_labels`` and re-exported here, so every module reads them as ``labels.<NAME>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .value_labels import *  # noqa: F403  (re-exported: the workbook reads every label as labels.<NAME>)
from .value_labels import USES, USES_V1

# Sheets, in workbook order.
SHEET_GUIDE = "说明"
SHEET_BASIC = "基本信息"
SHEET_ENERGY = "能源消费"
SHEET_ELECTRICITY = "电力"
SHEET_HEAT = "热力"
SHEET_PROCESS = "工业过程"
SHEET_DIRECT = "直接排放"
SHEET_OFFSETS = "抵销"
SHEET_RESOURCES = "资源"
SHEET_LISTS = "列表"
SHEET_RESULT_INDICATORS = "指标结果"
SHEET_RESULT_TOTALS = "排放汇总"
SHEET_RESULT_SENSITIVITY = "敏感性"
SHEET_RESULT_TRACE = "计算过程"

#: Sheets the reader needs; the guide and the hidden list sheet are optional.
DATA_SHEETS = (
    SHEET_BASIC,
    SHEET_ENERGY,
    SHEET_ELECTRICITY,
    SHEET_HEAT,
    SHEET_PROCESS,
    SHEET_DIRECT,
    SHEET_OFFSETS,
    SHEET_RESOURCES,
)

TEMPLATE_VERSION = 2
DATASET_SCHEMA = "zcpark.dataset/2"
DATASET_SCHEMA_V1 = "zcpark.dataset/1"
MONTHS = range(1, 13)
YEAR_RANGE = (2000, 2100)  # the engine's accepted range (indicators/engine/dataset.py)


@dataclass(frozen=True)
class Column:
    """A table column: dataset key, Chinese header (with unit) and display width."""

    key: str
    header: str
    width: float = 14


@dataclass(frozen=True)
class Row:
    """A label/value row: dataset key (or path inside a block), Chinese label (with unit) and a hint."""

    key: str
    label: str
    hint: str = ""


def header_token(text: object) -> str:
    """The identifying part of a header or label: no whitespace, cut at the first bracket, casefolded."""
    compact = "".join(str(text).split())
    for i, char in enumerate(compact):
        if char in "（(":
            compact = compact[:i]
            break
    return compact.casefold()


# --- 能源消费 -----------------------------------------------------------------------------------
ENERGY_COLUMNS = (
    Column("enterprise", "企业名称（选填）", 28),
    Column("month", "月份（选填，1–12）", 10),
    Column("carrier", "能源品种", 24),
    Column("quantity", "消费量（按计量单位）", 16),
    Column("unit", "计量单位", 11),
    Column("use", "用途", 12),
    Column("ncv", "实测低位发热量 NCV（GJ/基准单位：GJ/t、GJ/万Nm3 或 GJ/GJ，选填）", 24),
    Column("cc", "实测单位热值含碳量 CC（tC/GJ，选填）", 18),
    Column("of", "实测碳氧化率 OF（0–1 的小数，选填）", 16),
)

# --- 基本信息 -----------------------------------------------------------------------------------
VERSION_KEY = "template_version"
VERSION_ROW = Row(VERSION_KEY, "模板版本", "由系统填写，请勿修改：系统据此识别模板的版本")
BASIC_HEADERS = (Column("label", "项目", 34), Column("value", "填写内容", 34), Column("hint", "说明", 70))
BASIC_ROWS = (
    Row("park.name", "园区名称", "必填"),
    Row("park.park_type", "园区类型", "必填，下拉选择：化工园区 / 非化工园区"),
    Row("year", "核算年度", "必填，四位年份，如 2025"),
    Row("method.grid_ef_basis", "电网排放因子口径", "选填，下拉选择；留空取缺省值"),
    Row(
        "method.factor_year",
        "因子年份",
        "选填，只用于按年度的口径；留空取不晚于核算年度、该口径有数据的最近年份",
    ),
    Row(
        "method.grid_ef_tco2_per_mwh",
        "自定义电网排放因子（tCO2/MWh）",
        "口径为“自定义”时必填，其他口径留空",
    ),
    Row(
        "method.electricity_tce_basis",
        "电力折标准煤口径",
        "选填，下拉选择：等价值（按上年火电厂发电标准煤耗折算，国家指标体系要求）/ 当量值；留空取缺省值",
    ),
    Row(
        "method.feedstock_in_energy",
        "原料用能计入综合能耗",
        "选填，是 / 否：用作原料、材料的能源是否计入年综合能源消费量；留空取缺省值",
    ),
    Row(
        "method.certificates_as_green_power",
        "绿证视同绿电",
        "选填，是 / 否：单独购买的绿证对应的电网电量是否按 0 排放计（不超过公共电网受入电量）；留空取缺省值",
    ),
    Row(
        "method.renewable_export_at_grid_factor",
        "可再生能源送出电量按电网排放因子扣减",
        "选填，是 / 否：“电力”表中“可再生能源送出电量”（未出售绿色属性）的排放因子，"
        "是＝按电网排放因子扣减，否＝按 0 计（暂行口径）；留空取缺省值",
    ),
    VERSION_ROW,
)
BASIC_FIRST_ROW = 2  # row 1 holds the headers
METHOD_FLAGS = ("feedstock_in_energy", "certificates_as_green_power", "renewable_export_at_grid_factor")

# --- 电力 / 热力 -------------------------------------------------------------------------------
MONTH_COLUMN = Column("month", "月份（选填，1–12；只填年度合计时留空）", 14)
# The nine quantities of accounting.md §1.4, in its order: received, not received, sent out.
ELECTRICITY_COLUMNS = (
    MONTH_COLUMN,
    Column("grid", "公共电网受入电量（MWh）", 16),
    Column("green_direct", "绿电直连受入电量（MWh，专线直供的可再生能源电力）", 20),
    Column("green_trade", "绿电交易受入电量（MWh，证电合一）", 18),
    Column("certificates", "单独购买绿证对应电量（MWh，只有绿证、不含电量）", 20),
    Column(
        "onsite_renewable",
        "可再生能源自发自用电量（MWh，园区光伏、风电等发电并在园区内消纳的部分；送出的部分不填此列）",
        24,
    ),
    Column("onsite_fossil", "燃料发电量（MWh，园区电厂用“能源消费”表中的燃料发的电，含生物质、沼气）", 22),
    Column("export", "普通送出电量（MWh，园区燃料发电送出，或受入后转送的电量）", 20),
    Column(
        "export_renewable", "可再生能源送出电量（MWh，园区可再生能源发电按普通电量上网，未出售绿色属性）", 24
    ),
    Column("export_green", "绿电送出电量（MWh，园区可再生能源发电连同绿色属性出售：绿电交易或附绿证）", 24),
)
# accounting.md §1.5: heat in and out, fossil and non-fossil, and a factor for each direction.
HEAT_COLUMNS = (
    MONTH_COLUMN,
    Column("purchased", "受入化石能源热力（GJ）", 16),
    Column("purchased_renewable", "受入非化石能源热力（GJ，地热、太阳能热、生物质等）", 20),
    Column("export", "送出化石能源热力（GJ）", 16),
    Column("export_renewable", "送出非化石能源热力（GJ）", 18),
    Column("purchased_ef_tco2_per_gj", "受入热力排放因子（tCO2/GJ，选填，实测值；留空取缺省值）", 24),
    Column("export_ef_tco2_per_gj", "送出热力排放因子（tCO2/GJ，选填，实测值；留空取缺省值）", 24),
)
HEAT_FACTORS = ("purchased_ef_tco2_per_gj", "export_ef_tco2_per_gj")  # one value for the year each

# --- 工业过程 -----------------------------------------------------------------------------------
# accounting.md §1.6: E工业过程 = Σ 产品产量 × 排放因子, each factor with its basis.
PROCESS_COLUMNS = (
    Column("product", "产品名称", 24),
    Column("quantity_t", "产品产量（t，合格产量＝商品量＋自用量）", 18),
    Column("ef_tco2_per_t", "排放因子（tCO2/t 产品）", 16),
    Column("basis", "排放因子依据（必填：因子的来源或测算方法，如质量平衡法及参考系数）", 48),
    Column("enterprise", "企业名称（选填）", 28),
)
PROCESS_NUMBERS = ("quantity_t", "ef_tco2_per_t")

# --- 直接排放 / 抵销 ----------------------------------------------------------------------------
DIRECT_COLUMNS = (
    Column("kind", "排放类型", 16),
    Column("source", "排放源（工序或装置，如催化裂化烧焦）", 34),
    Column("tco2", "二氧化碳排放量（tCO2，已在系统外算好的实测或质量平衡结果）", 24),
)
OFFSET_HEADERS = BASIC_HEADERS
OFFSET_ROWS = (Row("ccer", "CCER 抵销量（tCO2）", "选填；园区使用的国家核证自愿减排量，留空表示无抵销"),)

# --- template versions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What one template version holds: its data sheets, 基本信息 rows, 电力/热力 columns and uses."""

    version: int
    schema: str  # the dataset document it is read into
    data_sheets: tuple[str, ...]
    basic_rows: tuple[Row, ...]
    electricity_columns: tuple[Column, ...]
    heat_columns: tuple[Column, ...]
    uses: dict[str, str]  # use code → label, as its drop-down listed them


LAYOUT = Layout(
    version=TEMPLATE_VERSION,
    schema=DATASET_SCHEMA,
    data_sheets=DATA_SHEETS,
    basic_rows=BASIC_ROWS,
    electricity_columns=ELECTRICITY_COLUMNS,
    heat_columns=HEAT_COLUMNS,
    uses=USES,
)
#: Template version 1 as it was made: no 工业过程 sheet, no 模板版本 row, fewer settings, the old
#: headers of 电力 and 热力. Every key is a v2 key of the same meaning (accounting.md §5.3).
LAYOUT_V1 = Layout(
    version=1,
    schema=DATASET_SCHEMA_V1,
    data_sheets=tuple(name for name in DATA_SHEETS if name != SHEET_PROCESS),
    basic_rows=tuple(
        row
        for row in BASIC_ROWS
        if row.key
        not in ("method.electricity_tce_basis", "method.renewable_export_at_grid_factor", VERSION_KEY)
    ),
    electricity_columns=(
        MONTH_COLUMN,
        Column("grid", "电网购入电量（MWh）", 16),
        Column("green_trade", "绿电交易电量（MWh）", 16),
        Column("green_direct", "绿电直连电量（MWh）", 16),
        Column("onsite_renewable", "自发自用可再生能源电量（MWh）", 18),
        Column("onsite_fossil", "自备化石能源电厂发电量（MWh）", 18),
        Column("export", "外送电量（MWh）", 14),
        Column("certificates", "单独购买绿证对应电量（MWh）", 18),
    ),
    heat_columns=(
        MONTH_COLUMN,
        Column("purchased", "外购热力（GJ）", 16),
        Column("export", "外供热力（GJ）", 16),
        Column("purchased_ef_tco2_per_gj", "供热方排放因子（tCO2/GJ，选填，留空取缺省值）", 24),
    ),
    uses=USES_V1,
)

# --- 资源 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A resources block: its dataset key, title row, value rows and whether values are counts."""

    key: str
    title: str
    rows: tuple[Row, ...]
    counts: bool = False


RESOURCE_HEADERS = (Column("label", "项目", 40), Column("value", "数值", 16), Column("hint", "说明", 30))
RESOURCE_BLOCKS = (
    Block(
        "solid_waste_t",
        "一、工业固体废物（t）",
        (
            Row("generated", "工业固体废物产生量（t）"),
            Row("utilized", "工业固体废物综合利用量（t）"),
            Row("utilized_from_storage", "综合利用往年贮存量（t）"),
        ),
    ),
    Block(
        "water_m3",
        "二、工业用水（m³）",
        (Row("fresh_intake", "新鲜水取水量（m³）"), Row("reused", "重复利用水量（m³）")),
    ),
    Block(
        "waste_energy_tce",
        "三、余热、余冷、余压资源（tce）",
        (
            Row("heat.recoverable", "余热资源可回收量（tce）"),
            Row("heat.utilized", "余热资源已利用量（tce）"),
            Row("cold.recoverable", "余冷资源可回收量（tce）"),
            Row("cold.utilized", "余冷资源已利用量（tce）"),
            Row("pressure.recoverable", "余压资源可回收量（tce）"),
            Row("pressure.utilized", "余压资源已利用量（tce）"),
        ),
    ),
    Block(
        "freight_t",
        "四、大宗货物运输（t）",
        (Row("clean", "清洁运输方式货运量（t）"), Row("total", "货运总量（t）")),
    ),
    Block(
        "public_vehicles",
        "五、公共服务车辆（辆）",
        (Row("new_energy", "新能源公共服务车辆数（辆）"), Row("total", "公共服务车辆总数（辆）")),
        counts=True,
    ),
    Block(
        "green_buildings",
        "六、绿色建筑（栋）",
        (Row("", "超低能耗、近零能耗、高星级绿色建筑数量（栋）"),),
        counts=True,
    ),
)


def _resource_layout() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    titles: dict[str, int] = {}
    rows: dict[tuple[str, str], int] = {}
    row = 2
    for block in RESOURCE_BLOCKS:
        titles[block.key] = row
        row += 1
        for item in block.rows:
            rows[(block.key, item.key)] = row
            row += 1
    return titles, rows


#: Template row of each block title, and of each (block key, row key).
RESOURCE_TITLE_ROWS, RESOURCE_ROWS = _resource_layout()

# The products and exemptions tables sit to the right of the blocks, each with its header in row 1.
PRODUCT_COLUMNS = (
    Column("name", "产品名称", 18),
    Column("standard", "限额标准（标准号）", 16),
    Column("value", "单位产品能耗（按限额标准的单位）", 18),
    Column("grade2_limit", "二级限额值（同一单位）", 16),
)
PRODUCT_FIRST_COL = 5  # E
EXEMPTION_COLUMNS = (
    Column("indicator", "豁免指标", 34),
    Column("reason", "不适用原因", 40),
)
EXEMPTION_FIRST_COL = 10  # J
