"""The plain engine's evaluation (bench/plain_engine.py): one valid dataset into its result document.

One loop over the energy rows, then electricity, heat, process rows, the totals, the indicators,
the advisories, the provisional rules and the sensitivity (§1–§3), at 60 significant digits with
nothing grouped, cached or precomputed. A /1 dataset is upgraded to /2 first (§5.3).
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext
from typing import Any

from plain_engine_indicators import compare, core_indicator, guiding_indicator, guiding_values
from plain_engine_reading import (
    ELECTRICITY_KEYS,
    FUEL_USES,
    HEAT_KEYS,
    INDICATOR_ORDER,
    PRECISION,
    SENSITIVITY_BASES,
    UNITS,
    USES,
    amount,
    block,
    boolean_setting,
    constant,
    dataset_num,
    default_param,
    electricity_coefficient,
    find_carrier,
    grid_factor,
    num,
    rounded,
    setting,
    text,
)

# --- the evaluation -----------------------------------------------------------------------------------


def upgrade(document: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """§5.3: a /1 document becomes /2, `conversion` rows become `power_heat`; nothing else changes."""
    schema = document.get("schema")
    if schema == "zcpark.dataset/2":
        return document, None
    if schema != "zcpark.dataset/1":
        raise ValueError(f"schema {schema!r}")
    upgraded = dict(document)
    upgraded["schema"] = "zcpark.dataset/2"
    rows = []
    for row in document.get("energy") or []:
        row = dict(row)
        if row.get("use") == "conversion":
            row["use"] = "power_heat"
        rows.append(row)
    upgraded["energy"] = rows
    return upgraded, "zcpark.dataset/1"


def evaluate(document: dict[str, Any], factor_set: dict[str, Any], scheme: dict[str, Any]) -> dict[str, Any]:
    """The result document of a valid dataset (without `trace`)."""
    with localcontext(Context(prec=PRECISION)):
        document, upgraded_from = upgrade(document)
        return _evaluate(document, upgraded_from, factor_set, scheme)


def _evaluate(
    document: dict[str, Any], upgraded_from: str | None, factor_set: dict[str, Any], scheme: dict[str, Any]
) -> dict[str, Any]:
    year = document["year"]
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError("year")
    park_type = block(document, "park").get("park_type")
    if park_type not in ("chemical", "non_chemical"):
        raise ValueError("park.park_type")

    # Method settings (§5.2).
    grid_basis = setting(document, factor_set, "grid_ef_basis")
    pinned = setting(document, factor_set, "factor_year")
    if pinned is not None and (not isinstance(pinned, int) or isinstance(pinned, bool)):
        raise ValueError("method.factor_year")
    electricity_basis = setting(document, factor_set, "electricity_tce_basis")
    feedstock_in_energy = boolean_setting(document, factor_set, "feedstock_in_energy")
    certificates_as_green = boolean_setting(document, factor_set, "certificates_as_green_power")
    renewable_export_at_grid = boolean_setting(document, factor_set, "renewable_export_at_grid_factor")

    grid = grid_factor(
        factor_set, grid_basis, year, pinned, setting(document, factor_set, "grid_ef_tco2_per_mwh")
    )
    if grid is None:
        raise ValueError("no grid factor")
    grid_ef, grid_year = grid
    coefficient = electricity_coefficient(factor_set, electricity_basis, year)
    if coefficient is None:
        raise ValueError("no electricity coefficient")
    elec_coef, elec_year = coefficient
    tce_gj = constant(factor_set, "tce_gj")
    heat_tce = constant(factor_set, "heat_tce_per_gj")
    transform_of = constant(factor_set, "transform_of")
    co2_per_c = Decimal(44) / Decimal(12)

    # Energy rows, one at a time (§1.1–§1.3, §2).
    fuel_by_use = {"fuel": Decimal(0), "power_heat": Decimal(0), "bunker": Decimal(0)}
    transform_in_co2 = Decimal(0)
    transform_out_co2 = Decimal(0)
    fuel_rows_tce = Decimal(0)
    feedstock_tce = Decimal(0)
    transform_in_tce = Decimal(0)
    transform_out_tce = Decimal(0)
    non_fossil_fuel_tce = Decimal(0)
    used_defaults = False
    has_feedstock = False
    for row in document.get("energy") or []:
        carrier = find_carrier(factor_set, row["carrier"])
        use = row["use"]
        if use not in USES:
            raise ValueError(f"use {use!r}")
        sizes = UNITS[carrier["base_unit"]]
        if row["unit"] not in sizes:
            raise ValueError(f"unit {row['unit']!r} for {carrier['code']}")
        quantity = dataset_num(row["quantity"]) * Decimal(sizes[row["unit"]])
        measured = {}
        for key in ("ncv", "cc", "of"):
            measured[key] = None if row.get(key) is None else dataset_num(row[key])
        fossil = carrier["kind"] != "non_fossil"
        defaults = {
            "ncv": default_param(carrier, "ncv_gj_per_unit"),
            "cc": default_param(carrier, "cc_tc_per_gj"),
            "of": default_param(carrier, "of"),
        }

        # tce of the row (§2).
        if measured["ncv"] is not None:
            tce = quantity * measured["ncv"] / tce_gj
        elif carrier.get("tce_per_unit") is not None:
            tce = quantity * num(carrier["tce_per_unit"])
        elif defaults["ncv"] is not None:
            tce = quantity * defaults["ncv"] / tce_gj
        else:
            raise ValueError(f"{carrier['code']} needs a measured ncv")

        # The emission parameters a fossil row needs (§4.2).
        params: dict[str, Decimal] = {}
        if fossil:
            needed = []
            if use in FUEL_USES:
                needed = ["ncv", "cc", "of"]
            elif use in ("transform_in", "transform_out"):
                needed = ["ncv", "cc"]
            for key in needed:
                if measured[key] is not None:
                    params[key] = measured[key]
                elif defaults[key] is not None:
                    params[key] = defaults[key]
                    used_defaults = True
                else:
                    raise ValueError(f"{carrier['code']} needs a measured {key}")

        if use in FUEL_USES:
            fuel_rows_tce += tce
            if fossil:
                fuel_by_use[use] += quantity * params["ncv"] * params["cc"] * params["of"] * co2_per_c
            else:
                non_fossil_fuel_tce += tce
        elif use in ("transform_in", "transform_out"):
            if measured["of"] is not None and measured["of"] != 1:
                raise ValueError("of of a transform row must be 1")
            co2 = Decimal(0)
            if fossil:
                co2 = quantity * params["ncv"] * params["cc"] * transform_of * co2_per_c
            if use == "transform_in":
                transform_in_co2 += co2
                transform_in_tce += tce
            else:
                transform_out_co2 += co2
                transform_out_tce += tce
        else:  # feedstock
            has_feedstock = True
            feedstock_tce += tce

    # Measured entries and process rows (§1.2, §1.6).
    conversion_co2 = Decimal(0)
    direct_process_co2 = Decimal(0)
    for entry in document.get("direct_emissions") or []:
        if entry["kind"] == "conversion":
            conversion_co2 += dataset_num(entry["tco2"])
        elif entry["kind"] == "process":
            direct_process_co2 += dataset_num(entry["tco2"])
        else:
            raise ValueError(f"kind {entry['kind']!r}")
    process_rows_co2 = Decimal(0)
    for row in document.get("process") or []:
        if not str(row.get("product") or "").strip() or not str(row.get("basis") or "").strip():
            raise ValueError("process row without product or basis")
        process_rows_co2 += dataset_num(row["quantity_t"]) * dataset_num(row["ef_tco2_per_t"])

    # Electricity (§1.4) and heat (§1.5).
    electricity = block(document, "electricity_mwh")
    e = {key: amount(electricity, key) for key in ELECTRICITY_KEYS}
    certificates_counted = min(e["certificates"], e["grid"]) if certificates_as_green else Decimal(0)
    heat = block(document, "heat_gj")
    h = {key: amount(heat, key) for key in HEAT_KEYS}
    heat_default = constant(factor_set, "heat_ef_tco2_per_gj")
    ef_in = (
        heat_default
        if heat.get("purchased_ef_tco2_per_gj") is None
        else dataset_num(heat["purchased_ef_tco2_per_gj"])
    )
    ef_out = (
        heat_default
        if heat.get("export_ef_tco2_per_gj") is None
        else dataset_num(heat["export_ef_tco2_per_gj"])
    )

    def electricity_co2(factor: Decimal) -> Decimal:
        renewable_factor = factor if renewable_export_at_grid else Decimal(0)
        return (
            (e["grid"] - certificates_counted) * factor
            - e["export"] * factor
            - e["export_renewable"] * renewable_factor
        )

    e_fuel_use = fuel_by_use["fuel"] + fuel_by_use["power_heat"] + fuel_by_use["bunker"]
    e_transform = transform_in_co2 - transform_out_co2 + conversion_co2
    e_heat = h["purchased"] * ef_in - h["export"] * ef_out
    e_process = process_rows_co2 + direct_process_co2
    offsets = amount(block(document, "offsets_tco2"), "ccer")

    def emissions(factor: Decimal) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(E_elec, E_activity, E_gross, E_net) at a grid factor."""
        e_elec = electricity_co2(factor)
        activity = e_fuel_use + e_transform + e_elec + e_heat
        gross = activity + e_process
        return e_elec, activity, gross, gross - offsets

    e_elec, e_activity, e_gross, e_net = emissions(grid_ef)

    # Energy consumed (§2).
    electricity_mwh_in = (
        e["grid"] + e["green_direct"] + e["green_trade"] + e["onsite_renewable"] - e["export"]
    )
    heat_gj_in = h["purchased"] + h["purchased_renewable"] - h["export"] - h["export_renewable"]
    feedstock_part = feedstock_tce if feedstock_in_energy else Decimal(0)
    transform_net = transform_in_tce - transform_out_tce

    def energy(coef: Decimal) -> tuple[Decimal, Decimal]:
        """(energy_tce, its electricity part) at an electricity coefficient."""
        electricity_part = electricity_mwh_in * coef
        total = fuel_rows_tce + feedstock_part + transform_net + electricity_part + heat_gj_in * heat_tce
        return total, electricity_part

    energy_tce, electricity_part = energy(elec_coef)
    if rounded(energy_tce, 2) <= 0:
        raise ValueError("non_positive_energy")
    if offsets > max(e_gross, Decimal(0)):
        raise ValueError("exceeds_emissions")

    clean_tce = (
        (e["green_direct"] + e["green_trade"] + e["onsite_renewable"] + certificates_counted) * elec_coef
        + non_fossil_fuel_tce
        + h["purchased_renewable"] * heat_tce
    )
    electricity_used = (
        e["grid"]
        + e["green_direct"]
        + e["green_trade"]
        + e["onsite_renewable"]
        + e["onsite_fossil"]
        - e["export"]
    )

    # Indicators (§3).
    core_rule = scheme["core"]
    on_gross = core_rule["emissions"] == "gross"
    core_numerator = e_gross if on_gross else e_net
    values = guiding_values(document, clean_tce, energy_tce, e, electricity_used, offsets, e_gross)
    exemptions = block(document, "exemptions")
    indicators = [core_indicator(scheme, park_type, core_numerator, energy_tce)]
    guiding = {rule["code"]: rule for rule in scheme["guiding"]}
    for code in INDICATOR_ORDER[1:]:
        if code in guiding:
            indicators.append(guiding_indicator(code, guiding[code], values[code], exemptions.get(code)))

    advisories = []
    for rule in scheme.get("advisories") or []:
        value = values[rule["indicator"]]
        if value is None:
            continue
        shown = rounded(value, 2)
        if not compare(shown, rule["op"], num(rule["value"])):
            advisories.append(
                {
                    "code": rule["code"],
                    "value": str(shown),
                    "threshold": {"op": rule["op"], "value": rule["value"]},
                    "message": rule["message"],
                }
            )

    provisional = []
    if used_defaults:
        provisional.append("fuel_default_factors")
    if electricity_basis == "equivalent":
        provisional.append("electricity_equivalent_coefficient")
    if e["export_renewable"] > 0:
        provisional.append("renewable_export_factor")
    if has_feedstock:
        provisional.append("feedstock_in_energy")
    if scheme.get("clean_energy_definition_provisional"):
        provisional.append("clean_energy_definition")

    # Sensitivity (§3.2).
    sensitivity = []
    for basis in SENSITIVITY_BASES:
        if basis == grid_basis:
            continue
        other = grid_factor(factor_set, basis, year, pinned, None)
        if other is None:
            continue
        _, _, gross, net = emissions(other[0])
        sensitivity.append(
            {
                "grid_ef_basis": basis,
                "factor_year": other[1],
                "grid_ef_tco2_per_mwh": str(other[0]),
                "carbon_per_energy": text((gross if on_gross else net) / energy_tce, 4),
            }
        )
    energy_basis_sensitivity = []
    other_basis = "calorific" if electricity_basis == "equivalent" else "equivalent"
    other_coefficient = electricity_coefficient(factor_set, other_basis, year)
    if other_coefficient is not None:
        other_energy, _ = energy(other_coefficient[0])
        ratio = None if rounded(other_energy, 2) <= 0 else core_numerator / other_energy
        energy_basis_sensitivity.append(
            {
                "electricity_tce_basis": other_basis,
                "electricity_tce_factor_year": other_coefficient[1],
                "electricity_tce_per_mwh": str(other_coefficient[0]),
                "energy_tce": text(other_energy),
                "carbon_per_energy": text(ratio, 4),
            }
        )

    return {
        "schema": "zcpark.result/2",
        "upgraded_from": upgraded_from,
        "scheme": scheme["name"],
        "year": year,
        "park_type": park_type,
        "factors": {
            "method": factor_set["method"]["code"],
            "set": factor_set["name"],
            "grid_ef_basis": grid_basis,
            "factor_year": grid_year,
            "grid_ef_tco2_per_mwh": str(grid_ef),
            "heat_purchased_ef_tco2_per_gj": str(ef_in),
            "heat_export_ef_tco2_per_gj": str(ef_out),
            "electricity_tce_basis": electricity_basis,
            "electricity_tce_factor_year": elec_year,
            "electricity_tce_per_mwh": str(elec_coef),
            "heat_tce_per_gj": str(heat_tce),
            "certificates_as_green_power": certificates_as_green,
            "feedstock_in_energy": feedstock_in_energy,
            "renewable_export_at_grid_factor": renewable_export_at_grid,
        },
        "totals": {
            "energy_tce": text(energy_tce),
            "emissions_gross_tco2": text(e_gross),
            "emissions_net_tco2": text(e_net),
            "offsets_tco2": text(offsets),
            "energy_activity_tco2": text(e_activity),
            "bunker_tco2": text(fuel_by_use["bunker"]),
            "certificates_counted_mwh": text(certificates_counted),
            "clean_tce": text(clean_tce),
            "electricity_used_mwh": text(electricity_used),
            "by_source_tco2": {
                "fuel_use": text(e_fuel_use),
                "transform": text(e_transform),
                "electricity": text(e_elec),
                "heat": text(e_heat),
                "process": text(e_process),
            },
            "fuel_use_by_use_tco2": {use: text(fuel_by_use[use]) for use in FUEL_USES},
            "energy_by_part_tce": {
                "fuel_rows": text(fuel_rows_tce),
                "feedstock": text(feedstock_part),
                "transform_net": text(transform_net),
                "electricity": text(electricity_part),
                "heat": text(heat_gj_in * heat_tce),
            },
        },
        "indicators": indicators,
        "core_passed": indicators[0]["status"] == "pass",
        "advisories": advisories,
        "provisional": [
            {"code": code, "text": factor_set["provisional_texts"][code]} for code in provisional
        ],
        "sensitivity": sensitivity,
        "energy_basis_sensitivity": energy_basis_sensitivity,
    }
