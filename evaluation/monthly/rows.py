"""What a monthly row may say, and the check of a pushed or uploaded month's rows.

A row is ``{"carrier", "use", "enterprise", "quantity", "unit"}``:

- an energy carrier of the current factor set (``natural_gas``), its use among the dataset's energy uses
  (default ``fuel``, 终端消费) and a unit the dataset accepts for the carrier's base unit (accounting.md §4.2);
- ``electricity`` with a key of the dataset's ``electricity_mwh`` block as its use (default ``grid``) in MWh,
  kWh or 10^4 kWh;
- ``heat`` with a key of ``heat_gj`` as its use (default ``purchased``) in GJ, MJ or TJ.

Rows naming an enterprise are part of the park's total (the park's total is the sum of every row).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from indicators import engine
from indicators.engine.dataset import ELECTRICITY_KEYS, HEAT_KEYS, MAX_MAGNITUDE, UNITS, USES, to_decimal

from ..models.monthly import ELECTRICITY, HEAT

ELECTRICITY_UNITS = {"MWh": Decimal(1), "kWh": Decimal("0.001"), "10^4 kWh": Decimal(10)}
HEAT_UNITS = {"GJ": Decimal(1), "MJ": Decimal("0.001"), "TJ": Decimal(1000)}
DEFAULT_USE = {ELECTRICITY: "grid", HEAT: "purchased"}
ENERGY_DEFAULT_USE = "fuel"
ENTERPRISE_MAX = 200
ROWS_MAX = 2000
PLACES = Decimal("1e-10")  # the stored quantity's decimal places


@dataclass(frozen=True)
class MonthRow:
    carrier: str
    use: str
    enterprise: str
    quantity: Decimal
    unit: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.carrier, self.use, self.enterprise)


def uses_for(carrier: str) -> tuple[str, ...]:
    if carrier == ELECTRICITY:
        return ELECTRICITY_KEYS
    if carrier == HEAT:
        return HEAT_KEYS
    return USES


def units_for(carrier: str, factor_set: engine.FactorSet) -> tuple[str, ...]:
    """The units accepted for ``carrier`` (empty for an unknown carrier)."""
    if carrier == ELECTRICITY:
        return tuple(ELECTRICITY_UNITS)
    if carrier == HEAT:
        return tuple(HEAT_UNITS)
    known = factor_set.carriers.get(carrier)
    if known is None:
        return ()
    return tuple(unit for unit, (base, _factor) in UNITS.items() if base == known.base_unit)


def base_quantity(row: MonthRow | Any, factor_set: engine.FactorSet | None = None) -> Decimal:
    """The row's quantity in its block's base unit (MWh, GJ, or the carrier's base unit)."""
    if row.carrier == ELECTRICITY:
        return Decimal(row.quantity) * ELECTRICITY_UNITS[row.unit]
    if row.carrier == HEAT:
        return Decimal(row.quantity) * HEAT_UNITS[row.unit]
    return Decimal(row.quantity) * UNITS[row.unit][1]


def base_unit(carrier: str, factor_set: engine.FactorSet) -> str:
    if carrier == ELECTRICITY:
        return "MWh"
    if carrier == HEAT:
        return "GJ"
    return factor_set.carriers[carrier].base_unit


def check_rows(raw: Any, factor_set: engine.FactorSet) -> tuple[list[MonthRow], dict[str, list[str]]]:
    """The month's rows, checked: (rows, {} ) or ([], {"rows[12].quantity": [message]}) naming every
    problem (a row's first problem per field)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, list):
        return [], {"rows": [_("Give the month's rows as a list.")]}
    if len(raw) > ROWS_MAX:
        return [], {"rows": [_("At most %(max)s rows per month.") % {"max": ROWS_MAX}]}
    rows: list[MonthRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, item in enumerate(raw):
        path = f"rows[{index}]"
        row_errors: dict[str, str] = {}
        if not isinstance(item, dict):
            errors[path] = [_("Each row must be an object.")]
            continue
        row = _check_row(item, factor_set, row_errors)
        for field, message in row_errors.items():
            errors[f"{path}.{field}"] = [message]
        if row is None:
            continue
        if row.key in seen:
            errors[path] = [
                _("The same line as rows[%(other)s]: give each carrier, use and enterprise once a month.")
                % {"other": seen[row.key]}
            ]
            continue
        seen[row.key] = index
        rows.append(row)
    return ([], errors) if errors else (rows, {})


def _check_row(item: dict[str, Any], factor_set: engine.FactorSet, errors: dict[str, str]) -> MonthRow | None:
    carrier = item.get("carrier")
    if not isinstance(carrier, str) or not carrier.strip():
        errors["carrier"] = _("Name the carrier.")
        return None
    carrier = carrier.strip()
    if carrier not in (ELECTRICITY, HEAT) and carrier not in factor_set.carriers:
        errors["carrier"] = _("Unknown carrier “%(carrier)s”.") % {"carrier": carrier}
        return None
    use = item.get("use")
    if use is not None and not isinstance(use, str):
        errors["use"] = _("Give the use as text, one of: %(uses)s.") % {"uses": ", ".join(uses_for(carrier))}
        use = ""
    else:
        use = (use or "").strip() or DEFAULT_USE.get(carrier, ENERGY_DEFAULT_USE)
        if use not in uses_for(carrier):
            errors["use"] = _("“%(use)s” is not a use of %(carrier)s; use one of: %(uses)s.") % {
                "use": use,
                "carrier": carrier,
                "uses": ", ".join(uses_for(carrier)),
            }
    enterprise = item.get("enterprise")
    enterprise = "" if enterprise is None else enterprise
    if not isinstance(enterprise, str) or len(enterprise.strip()) > ENTERPRISE_MAX:
        errors["enterprise"] = _("The enterprise is a text of at most %(max)s characters.") % {
            "max": ENTERPRISE_MAX
        }
        enterprise = ""
    unit = item.get("unit")
    accepted = units_for(carrier, factor_set)
    if not isinstance(unit, str) or unit.strip() not in accepted:
        errors["unit"] = _("The unit of %(carrier)s must be one of: %(units)s.") % {
            "carrier": carrier,
            "units": ", ".join(accepted),
        }
    quantity = to_decimal(item.get("quantity"))
    if quantity is None:
        errors["quantity"] = _("Enter a number.")
    elif quantity < 0:
        errors["quantity"] = _("Must not be negative.")
    elif quantity > MAX_MAGNITUDE:
        errors["quantity"] = _("Must be at most 10^15.")
    elif quantity != quantity.quantize(PLACES):
        errors["quantity"] = _("At most 10 decimal places.")
    if errors or quantity is None or not isinstance(unit, str):
        return None
    return MonthRow(carrier, use, enterprise.strip(), quantity, unit.strip())
