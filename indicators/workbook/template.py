"""The Excel intake template for one park-year dataset (openpyxl), built from a factor-set document.

Every header is Chinese and carries its unit; drop-downs read their options from a hidden 列表 sheet
so the carrier list is whatever the factor set holds. The same builder is the base of the export,
which fills a dataset into it (export.py).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zcpark.core.sheets import HEADER_FONT, HINT_FONT, LAST_ROW, TITLE_FILL, WRAP, header_row, write_cell

from . import labels as L
from .method import carrier_names, default_label, factor_constant, grid_bases, required_parameters_text
from .styles import add_validation, list_validation, month_validation, number_validation


def build_template(
    *, factor_set: dict[str, Any], park_name: str = "", park_type: str = "", year: int | None = None
) -> bytes:
    """An empty intake workbook (.xlsx bytes); the park name, type and year are pre-filled when given.

    ``park_type`` is a code (``chemical``/``non_chemical``) or its Chinese label; anything else
    raises ValueError.
    """
    workbook = new_workbook(factor_set=factor_set)
    sheet = workbook[L.SHEET_BASIC]
    if park_name:
        write_cell(sheet, basic_row("park.name"), 2, park_name)
    if park_type:
        sheet.cell(basic_row("park.park_type"), 2, park_type_label(park_type))
    if year is not None:
        sheet.cell(basic_row("year"), 2, int(year))
    return workbook_bytes(workbook)


def new_workbook(*, factor_set: Mapping[str, Any]) -> Workbook:
    """The template as an openpyxl workbook: every sheet, header, drop-down and the hidden list sheet."""
    workbook = Workbook()
    guide = workbook.active
    assert guide is not None
    guide.title = L.SHEET_GUIDE
    lists = _lists_sheet(workbook, factor_set)
    _guide_sheet(guide, factor_set)
    _basic_sheet(workbook.create_sheet(L.SHEET_BASIC), factor_set, lists)
    _energy_sheet(workbook.create_sheet(L.SHEET_ENERGY), lists)
    _table_sheet(workbook.create_sheet(L.SHEET_ELECTRICITY), L.ELECTRICITY_COLUMNS)
    _table_sheet(workbook.create_sheet(L.SHEET_HEAT), L.HEAT_COLUMNS)
    _process_sheet(workbook.create_sheet(L.SHEET_PROCESS))
    _direct_sheet(workbook.create_sheet(L.SHEET_DIRECT), lists)
    _offsets_sheet(workbook.create_sheet(L.SHEET_OFFSETS))
    _resources_sheet(workbook.create_sheet(L.SHEET_RESOURCES), lists)
    workbook.move_sheet(L.SHEET_LISTS, offset=len(workbook.sheetnames))
    workbook.active = 0
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """Serialise an openpyxl workbook to .xlsx bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def basic_row(key: str) -> int:
    """The 基本信息 row holding ``key`` (e.g. ``park.name``, ``method.factor_year``)."""
    for offset, row in enumerate(L.BASIC_ROWS):
        if row.key == key:
            return L.BASIC_FIRST_ROW + offset
    raise KeyError(key)


def park_type_label(park_type: str) -> str:
    """The Chinese label of a park type given as code or label; ValueError if it is neither."""
    if park_type in L.PARK_TYPES:
        return L.PARK_TYPES[park_type]
    if park_type in L.PARK_TYPES.values():
        return park_type
    raise ValueError(f"unknown park type {park_type!r}; expected one of {', '.join(L.PARK_TYPES)}")


# --- sheets -------------------------------------------------------------------------------------

_LIST_COLUMNS = (
    "能源品种",
    "计量单位",
    "用途",
    "园区类型",
    "电网排放因子口径",
    "是否",
    "排放类型",
    "豁免指标",
    "电力折标准煤口径",
)


def _lists_sheet(workbook: Workbook, factor_set: Mapping[str, Any]) -> dict[str, str]:
    """Write the hidden list sheet; return list name → absolute range for list validations."""
    sheet = workbook.create_sheet(L.SHEET_LISTS)
    values = {
        "能源品种": list(carrier_names(factor_set).values()),
        "计量单位": [L.unit_sheet_label(unit) for unit in L.UNITS],
        "用途": list(L.USES.values()),
        "园区类型": list(L.PARK_TYPES.values()),
        "电网排放因子口径": list(grid_bases(factor_set).values()),
        "是否": [L.YES_NO[True], L.YES_NO[False]],
        "排放类型": list(L.DIRECT_KINDS.values()),
        "豁免指标": [L.INDICATOR_NAMES[code] for code in L.GUIDING_INDICATORS],
        "电力折标准煤口径": list(L.TCE_BASES.values()),
    }
    ranges = {}
    for col, name in enumerate(_LIST_COLUMNS, start=1):
        letter = get_column_letter(col)
        sheet.cell(1, col, name).font = HEADER_FONT
        for row, value in enumerate(values[name], start=2):
            sheet.cell(row, col, value)
        sheet.column_dimensions[letter].width = 30
        ranges[name] = f"'{L.SHEET_LISTS}'!${letter}$2:${letter}${len(values[name]) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def _guide_sheet(sheet: Worksheet, factor_set: Mapping[str, Any]) -> None:
    settings = "；".join(
        f"{row.label}＝{label}"
        for row in L.BASIC_ROWS
        if row.key.startswith("method.")
        and (label := default_label(factor_set, row.key.removeprefix("method."))) is not None
    )
    fixed = factor_constant(factor_set, "national_fossil_fixed_tco2_per_mwh", "0.8325")
    heat_ef = factor_constant(factor_set, "heat_ef_tco2_per_gj", "0.11")
    heat_tce = factor_constant(factor_set, "heat_tce_per_gj", "0.0341")
    calorific = factor_constant(factor_set, "electricity_calorific_tce_per_mwh", "0.1229")
    equivalent = [row for row in factor_set.get("electricity_equivalent") or [] if isinstance(row, Mapping)]
    latest = max(equivalent, key=lambda row: row.get("year") or 0) if equivalent else None
    example = f"，如 {latest.get('year')} 年 {latest.get('value')} tce/MWh" if latest else ""
    uses = L.USES
    title = (
        f"零碳园区年度能源与碳排放数据填报模板（模板版本 {L.TEMPLATE_VERSION}；"
        f"因子集：{factor_set.get('title', '')} {factor_set.get('name', '')}）"
    )
    lines: list[tuple[str, str]] = [
        ("title", title),
        ("", ""),
        ("h", "一、怎么填"),
        (
            "",
            "1. 本工作簿填报一个园区、一个核算年度的数据。请不要改动工作表名称、表头和“项目”列的文字，也不要改动基本信息中的“模板版本”；"
            "数据行可以增删，表格右侧可以加自己的备注列（系统忽略）。",
        ),
        (
            "",
            "2. 数值单元格只填数字，不带单位和文字（如 1234.5）；单位写在表头或项目名称的括号里。数量不能为负数。",
        ),
        (
            "",
            "3. 带下拉箭头的单元格请从下拉列表中选择。能源品种和用途也可以填代码（如 natural_gas、power_heat）。",
        ),
        (
            "",
            "4. 上传后系统一次列出全部错误（工作表、单元格和原因），改正后重新上传即可；有任何错误时不会导入数据。",
        ),
        ("", ""),
        ("h", "二、各工作表"),
        (
            "",
            f"基本信息：园区名称、园区类型、核算年度（必填）和核算方法设置（选填，留空取缺省值：{settings}）。",
        ),
        (
            "",
            "能源消费：园区边界内消费、投入和产出的各种能源（电力、热力的受入和送出除外，分别填在“电力”“热力”表）。"
            "可以按“企业 × 月份 × 能源品种 × 用途”一行一行地填，也可以直接填年度合计。企业名称、能源品种、计量单位、用途和实测参数都相同的行，"
            "系统用精确的十进制加总为一行年度数据（月份只用于核对，不单独保存）。",
        ),
        (
            "",
            "电力：单位 MWh，可以每月一行（系统加总），也可以只填一行年度合计（月份留空）。受入电量分公共电网、绿电直连（专线直供）和绿电交易（证电合一）；"
            "单独购买的绿证只填对应电量。可再生能源自发自用电量只填在园区内用掉的部分；燃料发电量是用“能源消费”表中的燃料发的电，只用于计算用电量。"
            "送出电量分三类，每度电只填一类：普通送出电量（燃料发电送出，或受入后转送）、可再生能源送出电量（按普通电量上网，未出售绿色属性）、"
            "绿电送出电量（连同绿色属性出售，即绿电交易或附绿证）。",
        ),
        (
            "",
            f"热力：单位 GJ，受入和送出各按化石能源热力、非化石能源热力分列。受入、送出热力排放因子选填（实测值），留空按缺省 {heat_ef} tCO2/GJ，"
            "逐月填写时每行须相同。园区自产的可再生热力（地热、太阳能热）不填在这里，在“能源消费”表按“可再生热力”填全部产热量（含送出的部分）。",
        ),
        (
            "",
            "工业过程：每个产品一行，填产品名称、产品产量（t，合格产量＝商品量＋自用量）、排放因子（tCO2/t）和排放因子依据（必填：因子的来源，"
            "或按质量平衡法测算的依据和参考系数），企业名称选填。排放量＝产量 × 排放因子。",
        ),
        (
            "",
            "直接排放：已在系统外算好的排放量（tCO2），每个排放源一行：工业过程（如按质量平衡法算出的排放量）或能源加工转换（如催化裂化烧焦实测值）。"
            "不要与“工业过程”表或“能源消费”表的加工转换行重复。",
        ),
        ("", "抵销：园区使用的 CCER（国家核证自愿减排量），单位 tCO2。"),
        (
            "",
            "资源：固体废物、用水、余热余冷余压、货物运输、公共服务车辆、绿色建筑各为一块。整块留空表示“无数据”（相应指标判为无数据）；"
            "块内只要填了一个数，其余留空的项目按 0 计。右侧填写重点产品单位能耗（每个产品一行）和不适用的引导指标（须写明原因）。",
        ),
        ("", ""),
        ("h", "三、用途"),
        (
            "",
            f"{uses['fuel']}：在园区内作为燃料燃烧的终端消费，如锅炉、窑炉、车辆用能（不含用作原料、材料）。",
        ),
        (
            "",
            f"{uses['power_heat']}：园区自有电厂、热电联产、供热锅炉发电和供热所烧的燃料（含生物质、沼气）。",
        ),
        ("", f"{uses['transform_in']}：炼油及煤制油、制气等能源加工转换装置投入的能源，如原油、原料煤。"),
        (
            "",
            f"{uses['transform_out']}：这些装置产出的全部能源产品，如汽油、柴油、炼厂干气，包括之后在园区内烧掉的部分"
            f"（烧掉的部分另填一行{uses['fuel']}或{uses['power_heat']}）。",
        ),
        (
            "",
            f"{uses['feedstock']}：作为原料或材料、不燃烧的能源，如合成氨用天然气。不计燃烧排放（其工艺过程排放填在“工业过程”或“直接排放”表），"
            "是否计入年综合能源消费量见基本信息中的设置。",
        ),
        ("", f"{uses['bunker']}：国际航空、国际航海加注的燃料。计入排放总量，并在结果中单独列出。"),
        (
            "",
            f"旧模板（第 1 版）的“加工转换”已拆分：发电、供热烧的燃料选“{uses['power_heat']}”，"
            f"炼油、煤制油、制气选“{uses['transform_in']}”或“{uses['transform_out']}”。",
        ),
        ("", ""),
        ("h", "四、核算规则要点"),
        (
            "",
            "碳排放总量＝能源活动（用作燃料＋加工转换＋电力＋热力）＋工业过程。用作燃料（终端消费、火力发电/供热、国际航空航海）＝消费量 × 低位发热量 × 单位热值含碳量 × 碳氧化率 × 44/12；"
            "加工转换＝投入－产出（碳氧化率取 100%），可以为负。",
        ),
        (
            "",
            f"电力＝受入电量 × 排放因子－送出电量 × 排放因子，不设下限，园区净送出时可以为负。公共电网受入电量和普通送出电量缺省按全国化石能源电力排放因子 "
            f"{fixed} tCO2/MWh（核算方法固定值，与年份无关）；绿电直连、绿电交易受入和绿电送出电量按 0；单独购买的绿证缺省把等量的公共电网受入电量计为 0"
            "（超过公共电网受入电量的部分不计）；可再生能源送出电量缺省也按电网排放因子扣减（暂行口径，可在基本信息中改为按 0）。",
        ),
        (
            "",
            "热力＝受入化石能源热力 × 受入因子－送出化石能源热力 × 送出因子，不设下限；非化石能源热力按 0 计。",
        ),
        (
            "",
            f"年综合能源消费量（指标的分母）＝各类能源折标准煤之和：用作原料、材料的能源缺省也计入（暂行口径），加工转换按投入－产出计；"
            f"电力按等价值（上年火电厂发电标准煤耗{example}）折算公共电网受入＋绿电直连＋绿电交易＋可再生能源自发自用－普通送出，"
            f"燃料发电量不再计入（燃料已计入），可再生能源送出和绿电送出不扣减；热力按 {heat_tce} tce/GJ 折算受入－送出。"
            f"基本信息中可把电力改按当量值 {calorific} tce/MWh 折算。",
        ),
        ("", ""),
        ("h", "五、计量单位"),
        (
            "",
            "固体、液体按质量：t、kg、10^4 t（万吨）；气体按体积：10^4 Nm3（万标准立方米）、Nm3、m3（按标准立方米计）、10^8 Nm3（亿标准立方米）；"
            "热力类能源按热量：GJ、MJ、TJ。计量单位必须与能源品种的基准单位同类（见下表），否则报“计量单位与品种不符”。",
        ),
        ("", ""),
        ("h", "六、实测参数"),
        (
            "",
            "实测低位发热量 NCV 以品种的基准单位计（GJ/t、GJ/万Nm3 或 GJ/GJ，与下表缺省值同一单位），单位热值含碳量 CC 以 tC/GJ 计，"
            "碳氧化率 OF 为 0–1 之间的小数（如 0.98）。实测参数选填：填写后该行使用实测值，否则使用下表缺省值；"
            "下表“须填实测参数”一栏列出的参数，该品种在相应用途的每一行都必须填写实测值。加工转换行的碳氧化率固定为 1，留空或填 1。",
        ),
        ("", ""),
        ("h", "七、能源品种与缺省参数"),
    ]
    sheet.column_dimensions["A"].width = 14
    row = 1
    for style, text in lines:
        cell = sheet.cell(row, 1, text)
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "h":
            cell.font = HEADER_FONT
        elif text:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=9)
            cell.alignment = WRAP
            sheet.row_dimensions[row].height = 15 * (1 + len(text) // 70)
        row += 1
    headers = (
        ("能源品种", 26),
        ("代码", 18),
        ("类别", 10),
        ("基准单位", 11),
        ("可用计量单位", 22),
        ("缺省低位发热量（GJ/基准单位）", 16),
        ("缺省单位热值含碳量（tC/GJ）", 16),
        ("缺省碳氧化率", 12),
        ("折标准煤系数（tce/基准单位）", 16),
        ("须填实测参数", 18),
    )
    header_row(sheet, row, headers)
    for col, (_, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(width, 14 if col == 1 else width)
    for carrier in factor_set.get("carriers", []):
        row += 1
        base = carrier.get("base_unit", "")
        dimension = L.UNIT_DIMENSION.get(base)
        units = [u for u in L.UNITS if L.UNIT_DIMENSION[u] == dimension] if dimension else []
        values = (
            carrier.get("name"),
            carrier.get("code"),
            L.CARRIER_KIND_LABELS.get(carrier.get("kind", ""), carrier.get("kind")),
            f"{L.unit_sheet_label(base)}（{L.UNIT_CHINESE[base]}）" if base in L.UNIT_CHINESE else base,
            "、".join(L.unit_sheet_label(unit) for unit in units),
            carrier.get("ncv_gj_per_unit"),
            carrier.get("cc_tc_per_gj"),
            carrier.get("of"),
            carrier.get("tce_per_unit"),
            required_parameters_text(carrier),
        )
        for col, value in enumerate(values, start=1):
            sheet.cell(row, col, value)


def _basic_sheet(sheet: Worksheet, factor_set: Mapping[str, Any], lists: dict[str, str]) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.BASIC_HEADERS])
    for offset, item in enumerate(L.BASIC_ROWS):
        row = L.BASIC_FIRST_ROW + offset
        sheet.cell(row, 1, item.label).font = HEADER_FONT
        hint = item.hint
        if item.key.startswith("method.") and (
            default := default_label(factor_set, item.key.removeprefix("method."))
        ):
            hint += f"（缺省：{default}）"
        sheet.cell(row, 3, hint).font = HINT_FONT
        sheet.cell(row, 3).alignment = WRAP
    cell = {row.key: f"B{L.BASIC_FIRST_ROW + i}" for i, row in enumerate(L.BASIC_ROWS)}
    version = sheet[cell[L.VERSION_KEY]]
    version.value = L.TEMPLATE_VERSION
    version.font = HINT_FONT
    list_validation(sheet, cell["park.park_type"], lists["园区类型"], strict=False)
    list_validation(sheet, cell["method.grid_ef_basis"], lists["电网排放因子口径"], strict=False)
    list_validation(sheet, cell["method.electricity_tce_basis"], lists["电力折标准煤口径"], strict=False)
    for key in L.METHOD_FLAGS:
        list_validation(sheet, cell[f"method.{key}"], lists["是否"], strict=False)
    low, high = L.YEAR_RANGE
    for key in ("year", "method.factor_year"):
        add_validation(
            sheet,
            cell[key],
            DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high)),
            f"请填写 {low}–{high} 之间的四位年份",
        )
    number_validation(sheet, cell["method.grid_ef_tco2_per_mwh"])
    sheet.freeze_panes = "A2"


def _energy_sheet(sheet: Worksheet, lists: dict[str, str]) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.ENERGY_COLUMNS])
    col = {c.key: get_column_letter(i) for i, c in enumerate(L.ENERGY_COLUMNS, start=1)}
    month_validation(sheet, f"{col['month']}2:{col['month']}{LAST_ROW}")
    list_validation(sheet, f"{col['carrier']}2:{col['carrier']}{LAST_ROW}", lists["能源品种"])
    list_validation(sheet, f"{col['unit']}2:{col['unit']}{LAST_ROW}", lists["计量单位"])
    list_validation(sheet, f"{col['use']}2:{col['use']}{LAST_ROW}", lists["用途"])
    for key in ("quantity", "ncv", "cc", "of"):
        number_validation(sheet, f"{col[key]}2:{col[key]}{LAST_ROW}")
    sheet.freeze_panes = "A2"


def _table_sheet(sheet: Worksheet, columns: Iterable[L.Column]) -> None:
    columns = tuple(columns)
    header_row(sheet, 1, [(c.header, c.width) for c in columns])
    month_validation(sheet, f"A2:A{LAST_ROW}")
    last = get_column_letter(len(columns))
    number_validation(sheet, f"B2:{last}{LAST_ROW}")
    sheet.freeze_panes = "B2"


def _process_sheet(sheet: Worksheet) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.PROCESS_COLUMNS])
    for col, column in enumerate(L.PROCESS_COLUMNS, start=1):
        if column.key in L.PROCESS_NUMBERS:
            letter = get_column_letter(col)
            number_validation(sheet, f"{letter}2:{letter}{LAST_ROW}")
    sheet.freeze_panes = "A2"


def _direct_sheet(sheet: Worksheet, lists: dict[str, str]) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.DIRECT_COLUMNS])
    list_validation(sheet, f"A2:A{LAST_ROW}", lists["排放类型"])
    number_validation(sheet, f"C2:C{LAST_ROW}")
    sheet.freeze_panes = "A2"


def _offsets_sheet(sheet: Worksheet) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.OFFSET_HEADERS])
    for offset, item in enumerate(L.OFFSET_ROWS):
        sheet.cell(2 + offset, 1, item.label).font = HEADER_FONT
        sheet.cell(2 + offset, 3, item.hint).font = HINT_FONT
    number_validation(sheet, f"B2:B{1 + len(L.OFFSET_ROWS)}")
    sheet.freeze_panes = "A2"


def _resources_sheet(sheet: Worksheet, lists: dict[str, str]) -> None:
    header_row(sheet, 1, [(c.header, c.width) for c in L.RESOURCE_HEADERS])
    for block in L.RESOURCE_BLOCKS:
        title_row = L.RESOURCE_TITLE_ROWS[block.key]
        for col in range(1, 4):
            sheet.cell(title_row, col).fill = TITLE_FILL
        sheet.cell(title_row, 1, block.title).font = HEADER_FONT
        sheet.cell(title_row, 3, "整块留空＝无数据").font = HINT_FONT
        for item in block.rows:
            row = L.RESOURCE_ROWS[(block.key, item.key)]
            sheet.cell(row, 1, item.label)
            if block.counts:
                add_validation(
                    sheet,
                    f"B{row}",
                    DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
                    "请填写不小于 0 的整数",
                )
            else:
                number_validation(sheet, f"B{row}")
    first = L.PRODUCT_FIRST_COL
    header_row(sheet, 1, [(c.header, c.width) for c in L.PRODUCT_COLUMNS], first_col=first)
    number_validation(sheet, f"{get_column_letter(first + 2)}2:{get_column_letter(first + 3)}{LAST_ROW}")
    first = L.EXEMPTION_FIRST_COL
    header_row(sheet, 1, [(c.header, c.width) for c in L.EXEMPTION_COLUMNS], first_col=first)
    letter = get_column_letter(first)
    list_validation(sheet, f"{letter}2:{letter}{LAST_ROW}", lists["豁免指标"], strict=False)
    sheet.freeze_panes = "A2"
