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
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.models import OPERATOR_SYMBOLS

from ..engine.dataset import CORE_CODE
from ..engine.indicators import NAMES

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


# Energy uses (accounting.md §1, §5.1), in drop-down order.
USES = {
    "fuel": "终端消费",
    "power_heat": "火力发电/供热",
    "transform_in": "加工转换投入",
    "transform_out": "加工转换产出",
    "feedstock": "用作原料、材料",
    "bunker": "国际航空航海",
}
# Other spellings a v2 upload may use: the wording of accounting.md, and the v1 labels whose meaning
# did not change. v1's 加工转换 (conversion) is not here: v2 splits it (火力发电/供热 or 加工转换投入/产出).
USE_ALIASES = {
    "火力发电、供热": "power_heat",
    "火力发电": "power_heat",
    "供热": "power_heat",
    "用作原料": "feedstock",
    "原料、材料": "feedstock",
    "燃料": "fuel",
    "原料": "feedstock",
    "国际燃料舱": "bunker",
}
# The uses of template version 1; 加工转换 (conversion) is read as power_heat by the engine's upgrade.
USES_V1 = {"fuel": "燃料", "conversion": "加工转换", "feedstock": "原料", "bunker": "国际燃料舱"}
RETIRED_USE = "conversion"

# --- 基本信息 -----------------------------------------------------------------------------------
PARK_TYPES = {"chemical": "化工园区", "non_chemical": "非化工园区"}
GRID_BASES = {
    "national_fossil_fixed": "全国化石能源电力（核算方法固定值 0.8325）",
    "national_fossil": "全国化石能源电力（按年度）",
    "national_average": "全国电力平均",
    "national_excl_market": "全国电力平均（不含市场化交易非化石能源）",
    "provincial": "江西省电力平均",
    "custom": "自定义",
}
# v1's label of the by-year fossil basis; a v1 upload still reads it as national_fossil (§5.3).
GRID_BASIS_ALIASES_V1 = {"全国化石能源电力": "national_fossil"}
TCE_BASES = {"equivalent": "等价值", "calorific": "当量值"}
YES_NO = {True: "是", False: "否"}

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
DIRECT_KINDS = {"process": "工业过程", "conversion": "能源加工转换"}
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
THRESHOLD_OPS = OPERATOR_SYMBOLS

TOTAL_LABELS = {
    "energy_tce": ("年综合能源消费量", "tce"),
    "emissions_gross_tco2": ("碳排放总量（E园区）", "tCO2"),
    "energy_activity_tco2": ("其中：能源活动（E能源活动）", "tCO2"),
    "offsets_tco2": ("CCER 抵销量", "tCO2"),
    "emissions_net_tco2": ("扣除抵销后碳排放量", "tCO2"),
    "bunker_tco2": ("单独列出：国际航空航海燃料排放", "tCO2"),
    "certificates_counted_mwh": ("计为绿色电力的绿证", "MWh"),
}
SOURCE_LABELS = {
    "fuel_use": "能源用作燃料（E用作燃料）",
    "transform": "能源加工转换（E加工转换）",
    "electricity": "电力净受入（E电）",
    "heat": "热力净受入（E热）",
    "process": "工业生产过程（E工业过程）",
}
FACTOR_LABELS = {
    "method": ("核算方法", ""),
    "set": ("因子集", ""),
    "grid_ef_basis": ("电网排放因子口径", ""),
    "factor_year": ("因子年份", ""),
    "grid_ef_tco2_per_mwh": ("电网排放因子", "tCO2/MWh"),
    "heat_purchased_ef_tco2_per_gj": ("受入热力排放因子", "tCO2/GJ"),
    "heat_export_ef_tco2_per_gj": ("送出热力排放因子", "tCO2/GJ"),
    "heat_ef_tco2_per_gj": ("热力排放因子", "tCO2/GJ"),
    "electricity_tce_basis": ("电力折标准煤口径", ""),
    "electricity_tce_per_mwh": ("电力折标系数", "tce/MWh"),
    "electricity_tce_factor_year": ("电力折标系数年份", ""),
    "heat_tce_per_gj": ("热力折标系数", "tce/GJ"),
    "certificates_as_green_power": ("绿证视同绿电", ""),
    "feedstock_in_energy": ("原料用能计入综合能耗", ""),
    "renewable_export_at_grid_factor": ("可再生能源送出电量按电网排放因子扣减", ""),
}
# totals.fuel_use_by_use_tco2 (E用作燃料 by use) and totals.energy_by_part_tce (accounting.md §2, §6).
FUEL_USE_LABELS = {key: USES[key] for key in ("fuel", "power_heat", "bunker")}
ENERGY_PART_LABELS = {
    "fuel_rows": "燃料（终端消费、火力发电/供热、国际航空航海）",
    "feedstock": "用作原料、材料",
    "transform_net": "加工转换（投入－产出）",
    "electricity": "电力（受入－普通送出）",
    "heat": "热力（受入－送出）",
}
ADVISORY_LABELS = {"green_power_direct_below_50": "绿色电力直接供应比例低于 50%"}
PROVISIONAL_LABELS = {
    "fuel_default_factors": "化石能源缺省排放参数",
    "electricity_equivalent_coefficient": "电力等价值折标系数",
    "renewable_export_factor": "可再生能源送出电量的排放因子",
    "feedstock_in_energy": "原料用能计入综合能耗",
    "clean_energy_definition": "清洁能源口径",
}
CARRIER_KIND_LABELS = {"coal": "煤", "oil": "油", "gas": "天然气", "non_fossil": "非化石能源"}
