"""Sheet names, headers, row labels and Chinese value labels shared by the template, reader and export.

The layout lives here once so that the template the park downloads, the reader that parses the
upload and the export that fills a dataset back in can never drift apart. Carrier names are not
here: they come from the factor-set document.

Headers and row labels are recognised by their *token*: the text before the first bracket with
whitespace removed (``header_token("消费量（按计量单位）") == "消费量"``), so the unit and hint text in
brackets may change between template versions without breaking older uploads.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.dataset import CORE_CODE
from ..engine.indicators import NAMES

# Sheets, in workbook order.
SHEET_GUIDE = "说明"
SHEET_BASIC = "基本信息"
SHEET_ENERGY = "能源消费"
SHEET_ELECTRICITY = "电力"
SHEET_HEAT = "热力"
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
    SHEET_DIRECT,
    SHEET_OFFSETS,
    SHEET_RESOURCES,
)

DATASET_SCHEMA = "zcpark.dataset/1"
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

# Accepted input units (accounting.md §4.1), in drop-down order, with their dimension.
UNITS = ("t", "kg", "10^4 t", "10^4 Nm3", "Nm3", "m3", "10^8 Nm3", "GJ", "MJ", "TJ")
UNIT_DIMENSION = {
    "t": "mass",
    "kg": "mass",
    "10^4 t": "mass",
    "10^4 Nm3": "volume",
    "Nm3": "volume",
    "m3": "volume",
    "10^8 Nm3": "volume",
    "GJ": "energy",
    "MJ": "energy",
    "TJ": "energy",
}
UNIT_CHINESE = {"t": "吨", "10^4 Nm3": "万标准立方米", "GJ": "吉焦"}
# Spellings people type for the same units; looked up after unit_key() normalisation.
UNIT_ALIASES = {
    "吨": "t",
    "千克": "kg",
    "公斤": "kg",
    "万吨": "10^4 t",
    "万t": "10^4 t",
    "万nm3": "10^4 Nm3",
    "万m3": "10^4 Nm3",
    "万立方米": "10^4 Nm3",
    "万标准立方米": "10^4 Nm3",
    "万标立方米": "10^4 Nm3",
    "万方": "10^4 Nm3",
    "10^4m3": "10^4 Nm3",
    "标准立方米": "Nm3",
    "标立方米": "Nm3",
    "立方米": "m3",
    "方": "m3",
    "亿nm3": "10^8 Nm3",
    "亿m3": "10^8 Nm3",
    "亿立方米": "10^8 Nm3",
    "亿标准立方米": "10^8 Nm3",
    "10^8m3": "10^8 Nm3",
    "吉焦": "GJ",
    "兆焦": "MJ",
    "太焦": "TJ",
}


def unit_key(text: str) -> str:
    """A unit spelling reduced for lookup: no spaces, casefolded, superscripts and ³ as plain text."""
    compact = "".join(text.split()).casefold()
    return compact.replace("⁴", "^4").replace("⁸", "^8").replace("³", "3").replace("×", "")


USES = {"fuel": "燃料", "conversion": "加工转换", "feedstock": "原料", "bunker": "国际燃料舱"}

# --- 基本信息 -----------------------------------------------------------------------------------
PARK_TYPES = {"chemical": "化工园区", "non_chemical": "非化工园区"}
GRID_BASES = {
    "national_fossil": "全国化石能源电力",
    "national_average": "全国电力平均",
    "national_excl_market": "全国电力平均（不含市场化交易非化石能源）",
    "provincial": "江西省电力平均",
    "custom": "自定义",
}
YES_NO = {True: "是", False: "否"}

BASIC_HEADERS = (Column("label", "项目", 34), Column("value", "填写内容", 34), Column("hint", "说明", 70))
BASIC_ROWS = (
    Row("park.name", "园区名称", "必填"),
    Row("park.park_type", "园区类型", "必填，下拉选择：化工园区 / 非化工园区"),
    Row("year", "核算年度", "必填，四位年份，如 2025"),
    Row("method.grid_ef_basis", "电网排放因子口径", "选填，下拉选择；留空取缺省值"),
    Row("method.factor_year", "因子年份", "选填；留空取不晚于核算年度、该口径有数据的最近年份"),
    Row(
        "method.grid_ef_tco2_per_mwh",
        "自定义电网排放因子（tCO2/MWh）",
        "口径为“自定义”时必填，其他口径留空",
    ),
    Row("method.feedstock_in_energy", "原料用能计入综合能耗", "选填，是 / 否；留空取缺省值"),
    Row("method.certificates_as_green_power", "绿证视同绿电", "选填，是 / 否；留空取缺省值"),
)
BASIC_FIRST_ROW = 2  # row 1 holds the headers

# --- 电力 / 热力 -------------------------------------------------------------------------------
MONTH_COLUMN = Column("month", "月份（选填，1–12；只填年度合计时留空）", 14)
ELECTRICITY_COLUMNS = (
    MONTH_COLUMN,
    Column("grid", "电网购入电量（MWh）", 16),
    Column("green_trade", "绿电交易电量（MWh）", 16),
    Column("green_direct", "绿电直连电量（MWh）", 16),
    Column("onsite_renewable", "自发自用可再生能源电量（MWh）", 18),
    Column("onsite_fossil", "自备化石能源电厂发电量（MWh）", 18),
    Column("export", "外送电量（MWh）", 14),
    Column("certificates", "单独购买绿证对应电量（MWh）", 18),
)
HEAT_COLUMNS = (
    MONTH_COLUMN,
    Column("purchased", "外购热力（GJ）", 16),
    Column("export", "外供热力（GJ）", 16),
    Column("purchased_ef_tco2_per_gj", "供热方排放因子（tCO2/GJ，选填，留空取缺省值）", 24),
)

# --- 直接排放 / 抵销 ----------------------------------------------------------------------------
DIRECT_KINDS = {"process": "工业过程", "conversion": "能源加工转换"}
DIRECT_COLUMNS = (
    Column("kind", "排放类型", 16),
    Column("source", "排放源（工序或产品，如水泥熟料）", 34),
    Column("tco2", "二氧化碳排放量（tCO2）", 20),
)
OFFSET_HEADERS = BASIC_HEADERS
OFFSET_ROWS = (Row("ccer", "CCER 抵销量（tCO2）", "选填；园区使用的国家核证自愿减排量，留空表示无抵销"),)

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

# --- 指标 ---------------------------------------------------------------------------------------
# One source for the indicators' Chinese names: the engine's.
CORE_INDICATOR = CORE_CODE
INDICATOR_NAMES = NAMES
GUIDING_INDICATORS = tuple(code for code in INDICATOR_NAMES if code != CORE_INDICATOR)

STATUS_LABELS = {
    "pass": "达标",
    "fail": "未达标",
    "exempt": "豁免",
    "no_data": "无数据",
    "not_applicable": "不适用",
}
CATEGORY_LABELS = {"core": "核心指标", "guiding": "引导指标"}
NOTE_LABELS = {"below_tier": "园区综合能源消费量低于方案适用档位"}
THRESHOLD_OPS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}

TOTAL_LABELS = {
    "energy_tce": ("综合能源消费量", "tce"),
    "emissions_gross_tco2": ("碳排放总量", "tCO2"),
    "offsets_tco2": ("CCER 抵销量", "tCO2"),
    "emissions_net_tco2": ("扣除抵销后碳排放量", "tCO2"),
    "bunker_tco2": ("其中：国际燃料舱排放", "tCO2"),
}
SOURCE_LABELS = {
    "fuel": "化石燃料燃烧",
    "conversion": "能源加工转换",
    "electricity": "净购入电力",
    "heat": "净购入热力",
    "process": "工业过程",
}
FACTOR_LABELS = {
    "set": ("因子集", ""),
    "grid_ef_basis": ("电网排放因子口径", ""),
    "factor_year": ("因子年份", ""),
    "grid_ef_tco2_per_mwh": ("电网排放因子", "tCO2/MWh"),
    "heat_ef_tco2_per_gj": ("热力排放因子", "tCO2/GJ"),
}
CARRIER_KIND_LABELS = {"coal": "煤", "oil": "油", "gas": "天然气", "non_fossil": "非化石能源"}
