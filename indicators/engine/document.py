"""The dataset document's vocabulary (accounting.md §5): schema names, uses, units, the keys of each
block, and the typed values a valid document is read into."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .factors import BOOLEAN_SETTINGS, Carrier

DATASET_SCHEMA = "zcpark.dataset/2"
DATASET_SCHEMA_V1 = "zcpark.dataset/1"
PARK_TYPES = ("chemical", "non_chemical")
USES = ("fuel", "power_heat", "transform_in", "transform_out", "feedstock", "bunker")
FUEL_USES = ("fuel", "power_heat", "bunker")  # E用作燃料
TRANSFORM_USES = ("transform_in", "transform_out")  # E加工转换
DIRECT_KINDS = ("process", "conversion")
YEAR_RANGE = (2000, 2100)
ZERO = Decimal(0)

# Accepted input units → (base unit, multiplier to the base unit), accounting.md §4.2.
UNITS: dict[str, tuple[str, Decimal]] = {
    "t": ("t", Decimal(1)),
    "kg": ("t", Decimal("0.001")),
    "10^4 t": ("t", Decimal(10000)),
    "10^4 Nm3": ("10^4 Nm3", Decimal(1)),
    "Nm3": ("10^4 Nm3", Decimal("0.0001")),
    "m3": ("10^4 Nm3", Decimal("0.0001")),
    "10^8 Nm3": ("10^4 Nm3", Decimal(10000)),
    "GJ": ("GJ", Decimal(1)),
    "MJ": ("GJ", Decimal("0.001")),
    "TJ": ("GJ", Decimal(1000)),
}
ELECTRICITY_KEYS = (
    "grid",
    "green_direct",
    "green_trade",
    "certificates",
    "onsite_renewable",
    "onsite_fossil",
    "export",
    "export_renewable",
    "export_green",
)
HEAT_KEYS = ("purchased", "purchased_renewable", "export", "export_renewable")
HEAT_FACTOR_KEYS = ("purchased_ef_tco2_per_gj", "export_ef_tco2_per_gj")
INDICATOR_CODES = (
    "carbon_per_energy",
    "clean_energy_share",
    "product_energy_grade",
    "solid_waste_utilization",
    "water_reuse",
    "waste_energy_utilization",
    "clean_transport_share",
    "public_nev_share",
    "green_buildings",
    "green_power_direct_share",
    "offset_share",
)
CORE_CODE = "carbon_per_energy"
MEASURED = ("ncv", "cc", "of")
MISSING_PARAMETER = "该品种无缺省参数，需填写实测值"
MUST_BE_BOOLEAN = "必须为 true 或 false"
NOT_AN_OBJECT = "应为对象"
NOT_A_LIST = "应为对象数组"

# The keys the contract knows, per block: anything else is ignored (§5.1) and listed in the result.
ROW_KEYS = frozenset({"carrier", "quantity", "unit", "use", "enterprise", *MEASURED})
TOP_KEYS = frozenset(
    {
        "schema",
        "park",
        "year",
        "method",
        "energy",
        "electricity_mwh",
        "heat_gj",
        "process",
        "direct_emissions",
        "offsets_tco2",
        "resources",
        "exemptions",
    }
)
METHOD_KEYS = frozenset(
    {"grid_ef_basis", "factor_year", "grid_ef_tco2_per_mwh", "electricity_tce_basis", *BOOLEAN_SETTINGS}
)
RESOURCE_KEYS = frozenset(
    {
        "solid_waste_t",
        "water_m3",
        "waste_energy_tce",
        "freight_t",
        "public_vehicles",
        "green_buildings",
        "products",
    }
)


# Valid energy rows are summed as they are read, per (carrier, use, measured NCV, CC, OF): Σq·k = k·Σq holds
# exactly in Decimal, so grouping changes no digit and a 300-row document is computed group by group.
EnergyGroup = tuple[Carrier, str, Decimal | None, Decimal | None, Decimal | None]


@dataclass(frozen=True, slots=True)
class ProcessRow:
    index: int
    product: str
    quantity_t: Decimal
    ef_tco2_per_t: Decimal
    basis: str


@dataclass(frozen=True)
class Method:
    grid_ef_basis: str
    factor_year: int | None
    grid_ef_custom: Decimal | None
    electricity_tce_basis: str
    feedstock_in_energy: bool
    certificates_as_green_power: bool
    renewable_export_at_grid_factor: bool


@dataclass
class Dataset:
    """A valid dataset, every number a Decimal in its base unit; absent resource blocks are absent keys."""

    year: int
    park_type: str
    park_name: str
    method: Method
    energy: dict[EnergyGroup, Decimal]  # quantity in the carrier's base unit, per group
    electricity: dict[str, Decimal]
    heat: dict[str, Decimal]
    heat_purchased_ef: Decimal | None
    heat_export_ef: Decimal | None
    process: list[ProcessRow]
    direct_process: Decimal
    direct_conversion: Decimal
    direct_sources: list[tuple[str, str, Decimal]]
    offsets_ccer: Decimal
    resources: dict[str, Any] = field(default_factory=dict)
    exemptions: dict[str, str] = field(default_factory=dict)
    upgraded_from: str | None = None
    ignored_keys: list[str] = field(default_factory=list)
