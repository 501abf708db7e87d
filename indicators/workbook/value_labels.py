"""The Chinese labels of values: what a cell of the template may hold, and what the export writes.

Input values (drop-downs and the spellings the reader accepts): units with their aliases, energy
uses of both template versions, park types, grid and electricity bases, yes/no and direct-emission
kinds. Result values (the export's result sheets): indicator names, statuses, categories, notes,
totals, emission sources, factors, advisories and provisional rules.

``labels`` re-exports every name here, so the template, reader and export read them all as
``labels.<NAME>``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import translation

from indicators import models as indicator_models
from indicators.models import OPERATOR_SYMBOLS

from ..engine.dataset import CORE_CODE
from ..engine.indicators import NAMES

__all__ = [
    "ADVISORY_LABELS",
    "CARRIER_KIND_LABELS",
    "CATEGORY_LABELS",
    "CORE_INDICATOR",
    "DIRECT_KINDS",
    "ENERGY_PART_LABELS",
    "FACTOR_LABELS",
    "FUEL_USE_LABELS",
    "GRID_BASES",
    "GRID_BASIS_ALIASES_V1",
    "GUIDING_INDICATORS",
    "INDICATOR_NAMES",
    "NOTE_LABELS",
    "PARK_TYPES",
    "PROVISIONAL_LABELS",
    "RETIRED_USE",
    "SOURCE_LABELS",
    "STATUS_LABELS",
    "TCE_BASES",
    "THRESHOLD_OPS",
    "TOTAL_LABELS",
    "UNITS",
    "UNIT_ALIASES",
    "UNIT_CHINESE",
    "UNIT_DIMENSION",
    "USES",
    "USES_V1",
    "USE_ALIASES",
    "YES_NO",
    "unit_key",
    "unit_sheet_label",
    "unit_spellings",
]

# --- 能源消费: units and uses -------------------------------------------------------------------
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

# --- 直接排放 -----------------------------------------------------------------------------------
DIRECT_KINDS = {"process": "工业过程", "conversion": "能源加工转换"}

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


class _InChinese(Mapping[str, tuple[str, str]]):
    """(label, unit) pairs defined once with gettext in indicators.models, read in Chinese (the workbook's
    language) whatever the language of the request that writes the sheet."""

    def __init__(self, labels: Mapping[str, tuple[Any, str]]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> tuple[str, str]:
        label, unit = self._labels[key]
        with translation.override("zh-hans"):
            return str(label), unit

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


# The totals of the 排放汇总 sheet: the labels pages and PDFs show too.
TOTAL_LABELS = _InChinese(indicator_models.TOTAL_LABELS)


def unit_sheet_label(unit: str | None) -> str:
    """A unit as the workbook writes it: the label pages print (indicators.models.unit_label), in Chinese
    (10^4 Nm3 → 万Nm³, 10^4 t → 万吨); the reader reads it back as the unit."""
    with translation.override("zh-hans"):
        return indicator_models.unit_label(unit)


def unit_spellings() -> dict[str, str]:
    """Every label of every unit, as pages print it in Chinese and in English, → the unit: what an upload
    may hold when a sheet written by the portal (or copied from a page) comes back."""
    spellings = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            spellings |= {indicator_models.unit_label(unit): unit for unit in UNITS}
    return spellings


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
