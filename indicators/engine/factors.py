"""Reference data the engine works with, as plain typed values: factor sets and indicator schemes.

Both arrive as documents (the JSON stored in fixtures/ and in the database, every value with its
source and a provisional flag) and are turned into frozen dataclasses once, then shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

GRID_BASES = ("national_average", "national_excl_market", "national_fossil", "provincial")
GRID_BASES_WITH_CUSTOM = (*GRID_BASES, "custom")
CARRIER_KINDS = ("coal", "oil", "gas", "non_fossil")
BASE_UNITS = ("t", "10^4 Nm3", "GJ")


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

    @property
    def needs_measured(self) -> bool:
        """A fossil carrier without a full set of default NCV/CC/OF: rows must bring measured ones."""
        return self.ncv_gj_per_unit is None or self.cc_tc_per_gj is None or self.of is None


@dataclass(frozen=True)
class Provenanced:
    """A reference value with where it comes from and whether the rule is provisional."""

    value: Any
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class GridFactor:
    basis: str
    year: int
    value: Decimal
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class FactorSet:
    """A named, versioned set of carrier factors, conversion constants and grid factors."""

    name: str
    carriers: Mapping[str, Carrier]
    electricity_tce_per_mwh: Provenanced
    heat_tce_per_gj: Provenanced
    heat_ef_tco2_per_gj: Provenanced
    tce_gj: Provenanced
    grid_factors: Mapping[tuple[str, int], GridFactor]
    method_defaults: Mapping[str, Provenanced] = field(default_factory=dict)
    title: str = ""

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> FactorSet:
        """Build from the ``zcpark.factor_set/1`` document (fixtures/factor_sets/*.json)."""
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
        grid = {
            (row["basis"], int(row["year"])): GridFactor(
                basis=row["basis"],
                year=int(row["year"]),
                value=Decimal(str(row["value"])),
                source=row.get("source", ""),
                provisional=bool(row.get("provisional", False)),
            )
            for row in doc["grid_factors"]
        }
        constants = doc["constants"]
        return cls(
            name=doc["name"],
            title=doc.get("title", ""),
            carriers=carriers,
            electricity_tce_per_mwh=_prov(constants["electricity_tce_per_mwh"], decimal=True),
            heat_tce_per_gj=_prov(constants["heat_tce_per_gj"], decimal=True),
            heat_ef_tco2_per_gj=_prov(constants["heat_ef_tco2_per_gj"], decimal=True),
            tce_gj=_prov(constants["tce_gj"], decimal=True),
            grid_factors=grid,
            method_defaults={k: _prov(v) for k, v in doc.get("method_defaults", {}).items()},
        )

    def grid_factor(self, basis: str, dataset_year: int, pinned_year: int | None) -> GridFactor | None:
        """The factor for ``basis``: the pinned year's, else the latest year ≤ the dataset year."""
        if pinned_year is not None:
            return self.grid_factors.get((basis, pinned_year))
        years = [year for (b, year) in self.grid_factors if b == basis and year <= dataset_year]
        return self.grid_factors[(basis, max(years))] if years else None


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
class Scheme:
    """An indicator scheme: the core rule (一票否决) and the guiding thresholds, as data."""

    name: str
    core: CoreRule
    guiding: tuple[GuidingRule, ...]
    title: str = ""
    source: str = ""
    provisional: bool = False

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Scheme:
        """Build from the ``zcpark.scheme/1`` document (fixtures/schemes/*.json)."""
        core = doc["core"]
        return cls(
            name=doc["name"],
            title=doc.get("title", ""),
            source=doc.get("source", ""),
            provisional=bool(doc.get("provisional", False)),
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
            guiding=tuple(
                GuidingRule(
                    code=g["code"],
                    op=g["op"],
                    value=Decimal(str(g["value"])),
                    provisional=bool(g.get("provisional", False)),
                )
                for g in doc["guiding"]
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
