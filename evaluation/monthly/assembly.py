"""The year's dataset document assembled from its months (accounting.md §5), exactly in Decimal.

The monthly rows give the ``energy`` rows (summed per carrier, use and enterprise, in the carrier's base
unit), the ``electricity_mwh`` quantities and the ``heat_gj`` quantities (summed per key). Everything else —
the park, the method settings, process rows, direct emissions, offsets, resources, exemptions, the two heat
factors — comes from the park's stored dataset of that year if any, else of the previous year (the
``base``; for the year's own dataset only the previous year's park and method settings). The park's type is
always the Park record's. Absent monthly quantities are 0: the monthly figures replace the base's energy, electricity and
heat blocks entirely.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from indicators import engine
from indicators.engine.dataset import DATASET_SCHEMA, ELECTRICITY_KEYS, HEAT_KEYS, to_decimal
from indicators.models import ParkDataset
from parks.models import Park

from ..models.monthly import ELECTRICITY, HEAT
from .rows import base_quantity, base_unit

ZERO = Decimal(0)


def text(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros ("1200", "0.5")."""
    if value == 0:
        return "0"
    plain = format(value, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


class Sums:
    """Monthly rows summed per line, in base units: energy per (carrier, use, enterprise), electricity and
    heat per key."""

    def __init__(self) -> None:
        self.energy: dict[tuple[str, str, str], Decimal] = {}
        self.electricity: dict[str, Decimal] = {}
        self.heat: dict[str, Decimal] = {}

    def add(self, rows: Iterable[Any], factor_set: engine.FactorSet, scale: Decimal = Decimal(1)) -> Sums:
        for row in rows:
            quantity = base_quantity(row) * scale
            if row.carrier == ELECTRICITY:
                self.electricity[row.use] = self.electricity.get(row.use, ZERO) + quantity
            elif row.carrier == HEAT:
                self.heat[row.use] = self.heat.get(row.use, ZERO) + quantity
            else:
                key = (row.carrier, row.use, row.enterprise)
                self.energy[key] = self.energy.get(key, ZERO) + quantity
        return self

    def scaled(self, factor: Decimal) -> Sums:
        other = Sums()
        other.energy = {key: value * factor for key, value in self.energy.items()}
        other.electricity = {key: value * factor for key, value in self.electricity.items()}
        other.heat = {key: value * factor for key, value in self.heat.items()}
        return other

    def energy_rows(self, factor_set: engine.FactorSet) -> list[dict[str, Any]]:
        rows = []
        for (carrier, use, enterprise), quantity in sorted(self.energy.items()):
            row = {
                "carrier": carrier,
                "quantity": text(quantity),
                "unit": base_unit(carrier, factor_set),
                "use": use,
            }
            if enterprise:
                row["enterprise"] = enterprise
            rows.append(row)
        return rows


def base_document(park: Park, year: int, *, dataset: bool = False) -> tuple[dict[str, Any], int | None]:
    """The document the non-monthly parts come from: the park's stored dataset of ``year``, else of the
    previous year (upgraded to /2), else only the park; with the year it was read from (None). The park's
    type is always the Park record's (a stored document may name an older one).

    ``dataset``: the base of the year's own dataset (assembled from its twelve months), not of an
    estimate: from the previous year only the park and the method settings are carried — its process
    output, direct emissions, offsets, resources and exemptions were that year's, not this one's. (The
    outlook's year to date and projection do take them, as estimates.)"""
    for candidate in (year, year - 1):
        stored = (
            ParkDataset.objects.filter(park=park, year=candidate).values_list("document", flat=True).first()
        )
        if stored is not None:
            document, _from = engine.upgrade(stored)
            if dataset and candidate != year:
                document = {key: document[key] for key in PREVIOUS_YEAR_KEYS if key in document}
            return _with_park(document, park), candidate
    return _with_park({"schema": DATASET_SCHEMA}, park), None


# What the year's dataset takes from the previous year's when the year has none of its own.
PREVIOUS_YEAR_KEYS = ("schema", "park", "method")


def _with_park(document: dict[str, Any], park: Park) -> dict[str, Any]:
    given = document.get("park")
    block: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    block["name"] = block.get("name") or park.name
    block["park_type"] = park.park_type
    return {**document, "park": block}


def assemble(
    base: dict[str, Any],
    year: int,
    sums: Sums,
    factor_set: engine.FactorSet,
    *,
    annual_share: Decimal = Decimal(1),
    extra_energy: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The dataset document of ``year``: ``base`` with its energy, electricity and heat blocks from ``sums``.
    ``annual_share`` scales the base's annual emission parts (process, direct emissions, offsets) for a
    part of the year (a year-to-date document); ``extra_energy`` adds rows as they are (a projection's
    share of last year's dataset)."""
    document = dict(base)
    document["schema"] = DATASET_SCHEMA
    document["year"] = year
    document["energy"] = sums.energy_rows(factor_set) + list(extra_energy or [])
    document["electricity_mwh"] = {key: text(sums.electricity.get(key, ZERO)) for key in ELECTRICITY_KEYS}
    heat = {key: text(sums.heat.get(key, ZERO)) for key in HEAT_KEYS}
    given = base.get("heat_gj")
    base_heat: dict[str, Any] = given if isinstance(given, dict) else {}
    for factor in ("purchased_ef_tco2_per_gj", "export_ef_tco2_per_gj"):
        if base_heat.get(factor) is not None:
            heat[factor] = base_heat[factor]
    document["heat_gj"] = heat
    if annual_share != 1:
        document.update(scale_annual_parts(base, annual_share))
    return document


def scale_annual_parts(base: dict[str, Any], share: Decimal) -> dict[str, Any]:
    """The base's annual emission parts times ``share``: process output, measured direct emissions, offsets."""
    scaled: dict[str, Any] = {}
    if isinstance(base.get("process"), list):
        scaled["process"] = [_scaled(row, ("quantity_t",), share) for row in base["process"]]
    if isinstance(base.get("direct_emissions"), list):
        scaled["direct_emissions"] = [_scaled(row, ("tco2",), share) for row in base["direct_emissions"]]
    if isinstance(base.get("offsets_tco2"), dict):
        scaled["offsets_tco2"] = _scaled(base["offsets_tco2"], ("ccer",), share)
    return scaled


def _scaled(row: Any, keys: tuple[str, ...], share: Decimal) -> Any:
    if not isinstance(row, dict):
        return row
    out = dict(row)
    for key in keys:
        value = to_decimal(row.get(key))
        if value is not None:
            out[key] = text(value * share)
    return out


def annual_blocks_share(document: dict[str, Any], share: Decimal) -> tuple[Sums, list[dict[str, Any]]]:
    """A stored annual dataset's energy, electricity and heat times ``share``: electricity and heat as sums,
    the energy rows as they are (their measured parameters kept) with scaled quantities."""
    sums = Sums()
    for key in ELECTRICITY_KEYS:
        value = to_decimal((document.get("electricity_mwh") or {}).get(key))
        if value is not None:
            sums.electricity[key] = value * share
    for key in HEAT_KEYS:
        value = to_decimal((document.get("heat_gj") or {}).get(key))
        if value is not None:
            sums.heat[key] = value * share
    rows = []
    for row in document.get("energy") or []:
        quantity = to_decimal(row.get("quantity")) if isinstance(row, dict) else None
        if quantity is not None:
            rows.append({**row, "quantity": text(quantity * share)})
    return sums, rows


def merged(*parts: Sums) -> Sums:
    total = Sums()
    for part in parts:
        for line, value in part.energy.items():
            total.energy[line] = total.energy.get(line, ZERO) + value
        for target, source in ((total.electricity, part.electricity), (total.heat, part.heat)):
            for key, amount in source.items():
                target[key] = target.get(key, ZERO) + amount
    return total
