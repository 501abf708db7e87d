"""Reference data the engine works with, as plain typed values: factor sets and indicator schemes.

Both arrive as documents (the JSON stored in fixtures/ and in the database, every value with its
source and a provisional flag) and are turned into frozen dataclasses once, then shared. A factor
set (``zcpark.factor_set/2``) carries the accounting method it implements (``cn-2025-trial``), the
method's constants, the equivalent-value electricity coefficients by year, the carriers and the
grid factors (accounting.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

FACTOR_SET_SCHEMA = "zcpark.factor_set/2"
FIXED_BASIS = "national_fossil_fixed"
# The by-year grid bases in the order of the sensitivity table (accounting.md §3.2, §4.4).
BY_YEAR_BASES = ("national_average", "national_excl_market", "national_fossil", "provincial")
GRID_BASES = (FIXED_BASIS, *BY_YEAR_BASES)
GRID_BASES_WITH_CUSTOM = (*GRID_BASES, "custom")
ELECTRICITY_TCE_BASES = ("equivalent", "calorific")
CARRIER_KINDS = ("coal", "oil", "gas", "non_fossil")
BASE_UNITS = ("t", "10^4 Nm3", "GJ")
CONSTANT_KEYS = (
    "national_fossil_fixed_tco2_per_mwh",
    "heat_ef_tco2_per_gj",
    "transform_of",
    "heat_tce_per_gj",
    "electricity_calorific_tce_per_mwh",
    "tce_gj",
)
# The method settings of accounting.md §5.2 and their defaults when a factor set names none.
SETTING_DEFAULTS: dict[str, Any] = {
    "grid_ef_basis": FIXED_BASIS,
    "electricity_tce_basis": "equivalent",
    "feedstock_in_energy": True,
    "certificates_as_green_power": True,
    "renewable_export_at_grid_factor": True,
}


def method_defaults(document: Mapping[str, Any]) -> dict[str, Any]:
    """Every method setting's default for a factor-set document: the set's own (``method_defaults``), else
    the contract's (accounting.md §5.2). The one source of the defaults pages, workbooks and reports show."""
    given = document.get("method_defaults") or {}
    defaults = dict(SETTING_DEFAULTS)
    for key in defaults:
        item = given.get(key)
        if isinstance(item, Mapping) and item.get("value") is not None:
            defaults[key] = item["value"]
    return defaults


BOOLEAN_SETTINGS = ("feedstock_in_energy", "certificates_as_green_power", "renewable_export_at_grid_factor")


@dataclass(frozen=True, eq=False)  # identity equality: a carrier is one object per factor set
class Carrier:
    code: str
    name: str
    kind: str  # coal | oil | gas | non_fossil
    base_unit: str  # t | 10^4 Nm3 | GJ
    ncv_gj_per_unit: Decimal | None
    cc_tc_per_gj: Decimal | None
    of: Decimal | None
    tce_per_unit: Decimal | None
    source: str = ""
    provisional: bool = False

    @property
    def fossil(self) -> bool:
        return self.kind != "non_fossil"


@dataclass(frozen=True)
class Provenanced:
    """A reference value with where it comes from and whether the rule is provisional."""

    value: Any
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class GridFactor:
    basis: str
    year: int | None  # None for the fixed basis (every year)
    value: Decimal
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class YearValue:
    year: int
    value: Decimal
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Method:
    """The accounting method a factor set implements (``cn-2025-trial``)."""

    code: str
    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned set: the method's constants, coefficients, carriers and grid factors."""

    name: str
    method: Method
    carriers: Mapping[str, Carrier]
    constants: Mapping[str, Provenanced]
    electricity_equivalent: Mapping[int, YearValue]
    grid_factors: Mapping[tuple[str, int], GridFactor]
    method_defaults: Mapping[str, Provenanced] = field(default_factory=dict)
    provisional_texts: Mapping[str, str] = field(default_factory=dict)
    title: str = ""

    # --- constants -------------------------------------------------------------------------------

    def constant(self, key: str) -> Decimal:
        value: Decimal = self.constants[key].value
        return value

    @property
    def fixed_grid_ef(self) -> Decimal:
        return self.constant("national_fossil_fixed_tco2_per_mwh")

    @property
    def heat_ef_default(self) -> Decimal:
        return self.constant("heat_ef_tco2_per_gj")

    @property
    def transform_of(self) -> Decimal:
        return self.constant("transform_of")

    @property
    def heat_tce_per_gj(self) -> Decimal:
        return self.constant("heat_tce_per_gj")

    @property
    def electricity_calorific(self) -> Decimal:
        return self.constant("electricity_calorific_tce_per_mwh")

    @property
    def tce_gj(self) -> Decimal:
        return self.constant("tce_gj")

    def default(self, setting: str) -> Any:
        """The default of a method setting: the factor set's, else the contract's."""
        given = self.method_defaults.get(setting)
        return SETTING_DEFAULTS[setting] if given is None else given.value

    # --- lookups ---------------------------------------------------------------------------------

    def grid_factor(self, basis: str, dataset_year: int, pinned_year: int | None) -> GridFactor | None:
        """The factor for ``basis``: the method's fixed value, the pinned year's, or the latest ≤ the year."""
        if basis == FIXED_BASIS:
            constant = self.constants["national_fossil_fixed_tco2_per_mwh"]
            return GridFactor(FIXED_BASIS, None, constant.value, constant.source, constant.provisional)
        if pinned_year is not None:
            return self.grid_factors.get((basis, pinned_year))
        years = [year for (b, year) in self.grid_factors if b == basis and year <= dataset_year]
        return self.grid_factors[(basis, max(years))] if years else None

    def equivalent_coefficient(self, dataset_year: int) -> YearValue | None:
        """等价值: the coefficient of the latest year ≤ dataset_year − 1 (accounting.md §4.3)."""
        years = [year for year in self.electricity_equivalent if year <= dataset_year - 1]
        return self.electricity_equivalent[max(years)] if years else None

    # --- the document ----------------------------------------------------------------------------

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> FactorSet:
        """Build from the ``zcpark.factor_set/2`` document (fixtures/factor_sets/*.json)."""
        if doc.get("schema") != FACTOR_SET_SCHEMA:
            raise ValueError(
                f"a factor set must be a {FACTOR_SET_SCHEMA} document, not {doc.get('schema')!r}"
            )
        carriers = {
            row["code"]: Carrier(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                base_unit=row["base_unit"],
                ncv_gj_per_unit=_dec(row.get("ncv_gj_per_unit")),
                cc_tc_per_gj=_dec(row.get("cc_tc_per_gj")),
                of=_dec(row.get("of")),
                tce_per_unit=_dec(row.get("tce_per_unit")),
                source=row.get("source", ""),
                provisional=bool(row.get("provisional", False)),
            )
            for row in doc["carriers"]
        }
        for carrier in carriers.values():
            if carrier.kind not in CARRIER_KINDS or carrier.base_unit not in BASE_UNITS:
                raise ValueError(f"carrier {carrier.code}: bad kind or base unit")
        grid = {}
        for row in doc["grid_factors"]:
            if row["basis"] not in BY_YEAR_BASES:
                raise ValueError(f"grid factor basis {row['basis']!r} is not a by-year basis")
            factor = GridFactor(
                basis=row["basis"],
                year=int(row["year"]),
                value=Decimal(str(row["value"])),
                source=row.get("source", ""),
                provisional=bool(row.get("provisional", False)),
            )
            grid[(factor.basis, int(row["year"]))] = factor
        constants = {key: _prov(doc["constants"][key], decimal=True) for key in CONSTANT_KEYS}
        equivalent = {
            int(row["year"]): YearValue(
                year=int(row["year"]),
                value=Decimal(str(row["value"])),
                source=row.get("source", ""),
                provisional=bool(row.get("provisional", False)),
            )
            for row in doc.get("electricity_equivalent", [])
        }
        method = doc["method"]
        defaults = {key: _prov(value) for key, value in doc.get("method_defaults", {}).items()}
        for key, value in defaults.items():
            if key not in SETTING_DEFAULTS:
                raise ValueError(f"unknown method setting {key!r}")
            if key in BOOLEAN_SETTINGS and not isinstance(value.value, bool):
                raise ValueError(f"method setting {key} must be true or false")
        return cls(
            name=doc["name"],
            title=doc.get("title", ""),
            method=Method(
                code=method["code"], title=method.get("title", ""), source=method.get("source", "")
            ),
            carriers=carriers,
            constants=constants,
            electricity_equivalent=equivalent,
            grid_factors=grid,
            method_defaults=defaults,
            provisional_texts=dict(doc.get("provisional_texts", {})),
        )


@dataclass(frozen=True)
class Tier:
    park_type: str | None
    min_energy_tce: Decimal
    value: Decimal


@dataclass(frozen=True)
class CoreRule:
    code: str
    emissions: str  # "net" | "gross"
    op: str
    tiers: tuple[Tier, ...]
    tier_min_energy_tce: Decimal
    below_tier: str  # "note" | "not_applicable"
    provisional: bool = False


@dataclass(frozen=True)
class GuidingRule:
    code: str
    op: str
    value: Decimal
    provisional: bool = False


@dataclass(frozen=True)
class Advisory:
    """A threshold that is reported but decides nothing (accounting.md §3.3)."""

    code: str
    indicator: str
    op: str
    value: Decimal
    message: str = ""


@dataclass(frozen=True)
class Scheme:
    """An indicator scheme: the core rule (一票否决), the guiding thresholds and advisories, as data."""

    name: str
    core: CoreRule
    guiding: tuple[GuidingRule, ...]
    advisories: tuple[Advisory, ...] = ()
    title: str = ""
    source: str = ""
    provisional: bool = False
    clean_energy_definition_provisional: bool = False

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Scheme:
        """Build from the ``zcpark.scheme/1`` document (fixtures/schemes/*.json)."""
        core = doc["core"]

        def rules(rows: Any) -> tuple[GuidingRule, ...]:
            return tuple(
                GuidingRule(
                    code=g["code"],
                    op=g["op"],
                    value=Decimal(str(g["value"])),
                    provisional=bool(g.get("provisional", False)),
                )
                for g in rows
            )

        return cls(
            name=doc["name"],
            title=doc.get("title", ""),
            source=doc.get("source", ""),
            provisional=bool(doc.get("provisional", False)),
            clean_energy_definition_provisional=bool(doc.get("clean_energy_definition_provisional", False)),
            core=CoreRule(
                code=core["code"],
                emissions=core["emissions"],
                op=core["op"],
                tiers=tuple(
                    Tier(
                        park_type=t.get("park_type"),
                        min_energy_tce=Decimal(str(t["min_energy_tce"])),
                        value=Decimal(str(t["value"])),
                    )
                    for t in core["tiers"]
                ),
                tier_min_energy_tce=Decimal(str(core["tier_min_energy_tce"])),
                below_tier=core["below_tier"],
                provisional=bool(core.get("provisional", False)),
            ),
            guiding=rules(doc["guiding"]),
            advisories=tuple(
                Advisory(
                    code=a["code"],
                    indicator=a["indicator"],
                    op=a["op"],
                    value=Decimal(str(a["value"])),
                    message=a.get("message", ""),
                )
                for a in doc.get("advisories", [])
            ),
        )


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _prov(item: Mapping[str, Any], *, decimal: bool = False) -> Provenanced:
    value = item["value"]
    return Provenanced(
        value=Decimal(str(value)) if decimal else value,
        source=item.get("source", ""),
        provisional=bool(item.get("provisional", False)),
    )
