"""A complete, realistic dossier for a park: the demo's drafts and the tests' "ready to submit" state.

The numbers are illustrative (a mid-size non-chemical park around 130,000 tce a year) and consistent
with each other: the key projects' effects reach the targets in the feasibility projection.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from indicators.models import IndicatorCode

from .dossier.sections import TARGET_YEARS, TaskCategory, TaskStatus
from .models import HISTORY_YEARS, SectionCode

# Per year 2023, 2024, 2025: grid purchases fall and direct green power grows. Later years (the
# construction period, evaluation/samples.py, up to 2032 with an extension) stay valid too: diesel falls to
# 50 t and stays there; new-energy vehicles reach all of the park's vehicles in 2029.
_GRID_MWH = {2023: "160000", 2024: "110000", 2025: "50000"}
_GREEN_DIRECT_MWH = {2023: "168000", 2024: "192500", 2025: "217000"}


_PUBLIC_VEHICLES = 131


def _public_vehicles(year: int) -> dict[str, int]:
    """The park's public-service vehicles: four more new-energy ones each year until all of them are
    (2029 on), never more than there are vehicles."""
    return {"new_energy": min(110 + 4 * (year - 2023), _PUBLIC_VEHICLES), "total": _PUBLIC_VEHICLES}


def sample_dataset(*, park_name: str, park_type: str, year: int) -> dict[str, Any]:
    """A dataset document (accounting.md §5) for one of the dossier's energy years."""
    return {
        "schema": "zcpark.dataset/2",
        "park": {"name": park_name, "park_type": park_type},
        "year": year,
        "energy": [
            {
                "carrier": "natural_gas",
                "quantity": "500",
                "unit": "10^4 Nm3",
                "use": "fuel",
                "enterprise": "园区热源站",
            },
            {
                "carrier": "diesel",
                "quantity": str(max(260 - 30 * (year - 2023), 50)),
                "unit": "t",
                "use": "fuel",
                "enterprise": "物流公司",
            },
        ],
        "electricity_mwh": {
            "grid": _GRID_MWH.get(year, "50000"),
            "green_direct": _GREEN_DIRECT_MWH.get(year, "217000"),
            "green_trade": "63000",
            "onsite_renewable": str(35000 + 8750 * (year - 2023)),
        },
        "resources": {
            "solid_waste_t": {
                "generated": "125000",
                "utilized": str(98000 + 3000 * (year - 2023)),
                "utilized_from_storage": "3000",
            },
            "water_m3": {"fresh_intake": "2400000", "reused": "11200000"},
            "waste_energy_tce": {
                "heat": {"recoverable": "42000", "utilized": "23500"},
                "cold": {"recoverable": "3000", "utilized": "900"},
                "pressure": {"recoverable": "5000", "utilized": "2100"},
            },
            "freight_t": {"clean": "3650000", "total": "4420000"},
            "public_vehicles": _public_vehicles(year),
            "green_buildings": 2,
            "products": [
                {"name": "平板玻璃", "standard": "GB 21340", "value": "12.1", "grade2_limit": "12.0"},
                {"name": "电解铝", "standard": "GB 21346", "value": "13150", "grade2_limit": "13200"},
            ],
        },
    }


def sample_datasets(*, park_name: str, park_type: str) -> dict[int, dict[str, Any]]:
    return {
        year: sample_dataset(park_name=park_name, park_type=park_type, year=year) for year in HISTORY_YEARS
    }


# The yearly targets: 2026 … 2030 (a five-year period), per indicator.
_TARGETS: dict[str, tuple[str, ...]] = {
    IndicatorCode.CARBON_PER_ENERGY: ("0.41", "0.40", "0.33", "0.30", "0.29"),
    IndicatorCode.CLEAN_ENERGY_SHARE: ("91", "92", "93", "94", "95"),
    IndicatorCode.PRODUCT_ENERGY_GRADE: ("60", "70", "80", "90", "100"),
    IndicatorCode.SOLID_WASTE_UTILIZATION: ("82", "84", "86", "88", "90"),
    IndicatorCode.WATER_REUSE: ("82", "84", "85", "86", "88"),
    IndicatorCode.WASTE_ENERGY_UTILIZATION: ("50", "52", "54", "56", "58"),
    IndicatorCode.CLEAN_TRANSPORT_SHARE: ("82", "84", "86", "88", "90"),
    IndicatorCode.PUBLIC_NEV_SHARE: ("92", "95", "98", "100", "100"),
    IndicatorCode.GREEN_BUILDINGS: ("3", "4", "5", "6", "8"),
    IndicatorCode.GREEN_POWER_DIRECT_SHARE: ("62", "64", "66", "68", "70"),
    IndicatorCode.OFFSET_SHARE: ("5", "5", "4", "4", "3"),
}


def sample_sections(*, managing_body: str, boundary_text: str = "") -> dict[str, dict[str, Any]]:
    """Every form section filled in completely (stored-data shape: Decimals as strings)."""
    return {
        SectionCode.OVERVIEW: {
            "managing_body": managing_body,
            "boundary_text": boundary_text or None,
            "area_km2": "12.6",
            "location": "位于市区东南部，紧邻高速公路与铁路货运站，距机场 25 公里，电网和天然气管网条件良好。",
            "layout": "“一核两区”：北部为先进制造区，南部为绿色能源与循环经济区，中部为综合服务核心。",
            "industrial_output_wan": "3860000",
            "revenue_wan": "4120000",
            "tax_wan": "186000",
            "enterprise_count": 412,
            "above_scale_enterprise_count": 156,
            "employees": 52000,
            "economy": "2025 年规上工业增加值同比增长 8.6%，战略性新兴产业产值占比 46%。",
        },
        SectionCode.INDUSTRY: {
            "leading_industries": "电子信息、新能源装备、绿色食品",
            "description": "主导产业集聚度 72%，已形成光伏组件—储能—智能电网装备产业链。",
            "key_enterprises": [
                {
                    "name": "赣新光伏科技有限公司",
                    "industry": "光伏组件",
                    "output_value_wan": "680000",
                    "energy_tce": "21000",
                },
                {
                    "name": "洪城储能装备有限公司",
                    "industry": "储能装备",
                    "output_value_wan": "420000",
                    "energy_tce": "12500",
                },
                {
                    "name": "绿源食品股份有限公司",
                    "industry": "绿色食品",
                    "output_value_wan": "260000",
                    "energy_tce": "9800",
                },
            ],
            "introduced_projects": [
                {
                    "name": "高效电池片扩产项目",
                    "stage": "introduced",
                    "investment_wan": "180000",
                    "description": "年产 5GW",
                },
                {
                    "name": "储能系统集成基地",
                    "stage": "planned",
                    "investment_wan": "95000",
                    "description": None,
                },
            ],
        },
        SectionCode.TARGETS: {
            "period_years": 5,
            "targets": [
                {
                    "indicator": code,
                    **{f"y{year}": value for year, value in zip(TARGET_YEARS, values, strict=True)},
                }
                for code, values in _TARGETS.items()
            ],
            "roadmap": "2026—2027 年夯实基础，2028—2029 年全面推进，2030 年建成并通过验收。",
            "stages": [
                {"from_year": 2026, "to_year": 2027, "priorities": "分布式光伏全覆盖、能碳管理平台上线"},
                {"from_year": 2028, "to_year": 2029, "priorities": "绿电直连二期、余热梯级利用、重卡电动化"},
                {"from_year": 2030, "to_year": 2030, "priorities": "查漏补缺、自评估与验收准备"},
            ],
        },
        SectionCode.TASKS: {
            **{f"{code}_status": TaskStatus.APPLIES for code in TaskCategory.values},
            **{
                f"{code}_measures": f"{label}：实施清单见重点项目表。" for code, label in TaskCategory.choices
            },
            **{f"{code}_reason": None for code in TaskCategory.values},
            "other_tasks": "探索园区碳资产统一开发与管理。",
        },
        SectionCode.PROJECTS: {
            "projects": [
                _project(
                    "园区分布式光伏二期",
                    "园区能源公司",
                    "屋顶光伏 12MW",
                    "48000",
                    2026,
                    2027,
                    "12000",
                    "0",
                    "0",
                    "energy_transition",
                ),
                _project(
                    "绿电直连专线",
                    "国网供电公司",
                    "110kV 专线接入风电场",
                    "65000",
                    2026,
                    2028,
                    "0",
                    "8000",
                    "0",
                    "energy_transition",
                ),
                _project(
                    "余热梯级利用",
                    "赣新光伏科技有限公司",
                    "窑炉余热发电与供汽",
                    "12000",
                    2026,
                    2026,
                    "0",
                    "0",
                    "1800",
                    "efficiency",
                ),
                _project(
                    "能碳管理平台",
                    "园区管委会",
                    "覆盖重点用能企业的监测平台",
                    "3500",
                    2026,
                    2026,
                    "0",
                    "0",
                    "600",
                    "innovation_digital",
                ),
            ]
        },
        SectionCode.FEASIBILITY: {
            "growth_pct": "2",
            "trend_analysis": "基准情景下能源消费年均增长 2%，项目全部建成后 2029 年起单位能耗碳排放降至 0.30 以下。",
            "achievability": "绿电直连与分布式光伏提供主要减排量，余热利用与平台建设提供稳定补充，目标可达。",
            "supply_plan": "以“绿电直连 + 分布式光伏 + 储能”为主，电网购电为补充，天然气仅用于调峰供热。",
            "supply_mix": [
                {"source": "绿电直连", "quantity_mwh": "628000", "is_clean": True, "is_direct_green": True},
                {"source": "分布式光伏", "quantity_mwh": "162000", "is_clean": True, "is_direct_green": True},
                {
                    "source": "绿证交易电量",
                    "quantity_mwh": "180000",
                    "is_clean": True,
                    "is_direct_green": False,
                },
                {"source": "电网购电", "quantity_mwh": "50000", "is_clean": False, "is_direct_green": False},
                {
                    "source": "天然气（折电当量）",
                    "quantity_mwh": "47000",
                    "is_clean": False,
                    "is_direct_green": False,
                },
            ],
            "discount_rate_pct": "6",
            "cash_flows": [
                {"year": 2026, "cost_wan": "60000", "revenue_wan": "4000", "note": "光伏二期、余热、平台"},
                {"year": 2027, "cost_wan": "45000", "revenue_wan": "14000", "note": "专线建设"},
                {"year": 2028, "cost_wan": "23500", "revenue_wan": "22000", "note": "电费节约与绿电收益"},
                {"year": 2029, "cost_wan": "2000", "revenue_wan": "26000", "note": None},
                {"year": 2030, "cost_wan": "2000", "revenue_wan": "27000", "note": None},
                {"year": 2031, "cost_wan": "2000", "revenue_wan": "27000", "note": None},
                {"year": 2032, "cost_wan": "2000", "revenue_wan": "27000", "note": None},
                {"year": 2033, "cost_wan": "2000", "revenue_wan": "27000", "note": None},
            ],
            "economics": "总投资 12.85 亿元，收益来源为电费节约、绿电溢价与碳资产收益。",
        },
        SectionCode.ORGANISATION: {
            "leadership": "成立由管委会主任任组长的零碳园区建设领导小组。",
            "policy": "出台绿电直连、分布式光伏和节能改造奖补办法。",
            "funding": "统筹专项债、绿色信贷和社会资本。",
            "capacity": "与高校共建碳管理人才实训基地。",
        },
        SectionCode.DECLARATIONS: {
            "statistics_capability": True,
            "statistics_description": "园区能碳管理平台接入 156 家规上企业的在线计量数据。",
            "no_major_accident": True,
            "declarant": "园区管委会 主任",
            "declared_on": "2026-11-20",
        },
    }


def _project(
    name: str,
    body: str,
    content: str,
    investment: str,
    start: int,
    end: int,
    green_power: str,
    green_direct: str,
    co2: str,
    task: str,
) -> dict[str, Any]:
    green_total = Decimal(green_power) + Decimal(green_direct)
    # Green power displacing grid purchases: 0.8273 tCO2/MWh (the 2023 national fossil factor), rounded.
    reduced = Decimal(co2) + (green_total * Decimal("0.8273")).quantize(Decimal("1"))
    return {
        "name": name,
        "implementing_body": body,
        "content": content,
        "investment_wan": investment,
        "start_year": start,
        "end_year": end,
        "schedule": f"{start} 年开工，{end} 年建成",
        "supports_indicators": [IndicatorCode.CARBON_PER_ENERGY, IndicatorCode.CLEAN_ENERGY_SHARE],
        "supports_tasks": [task],
        "energy_saved_tce": "0" if green_total else str(int(Decimal(co2) / Decimal("2.5"))),
        "green_power_added_mwh": str(green_total),
        "co2_reduced_tco2": str(reduced),
    }
