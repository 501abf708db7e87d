"""Properties the accounting (contract v2, docs/accounting.md) must keep whatever the numbers (hypothesis)."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.indicators.engine_helpers import dataset, run

V2 = "zcpark.dataset/2"
# Carriers in tonnes with every default parameter (NCV, CC, OF), so that every use is valid.
CARRIERS_T = ["diesel", "gasoline", "fuel_oil", "lpg", "coke", "bituminous", "anthracite"]
USES = ["fuel", "power_heat", "bunker", "feedstock", "transform_in", "transform_out"]
V1_USES = ["fuel", "conversion", "bunker", "feedstock"]

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3, allow_nan=False)
mwh = st.decimals(min_value=Decimal(0), max_value=Decimal(1_000_000), places=2)
gj = st.decimals(min_value=Decimal(0), max_value=Decimal(10_000_000), places=1)
heat_factors = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("0.5"), places=3)


def v2(**changes: Any) -> dict[str, Any]:
    return dataset(**{"schema": V2, **changes})


@st.composite
def rows(draw: st.DrawFn, uses: list[str] = USES) -> list[dict[str, str]]:
    n = draw(st.integers(min_value=1, max_value=8))
    return [
        {
            "carrier": draw(st.sampled_from(CARRIERS_T)),
            "quantity": str(draw(quantities)),
            "unit": "t",
            "use": draw(st.sampled_from(uses)),
        }
        for _ in range(n)
    ]


@st.composite
def process_rows(draw: st.DrawFn) -> list[dict[str, str]]:
    n = draw(st.integers(min_value=0, max_value=4))
    return [
        {
            "product": draw(st.sampled_from(["合成氨", "水泥熟料", "石灰"])),
            "quantity_t": str(draw(quantities)),
            "ef_tco2_per_t": str(draw(st.decimals(min_value=0, max_value=3, places=4))),
            "basis": "测算依据",
        }
        for _ in range(n)
    ]


def _result(energy, grid="1000", **changes):
    return run(v2(energy=energy, electricity_mwh={"grid": str(grid), "green_direct": "500"}, **changes))


def _strip_trace(result):
    return {k: v for k, v in result.items() if k != "trace"}


def _accounts(result):
    """What a change of bookkeeping must leave alone: totals, indicators, sensitivities, advisories."""
    if "errors" in result:
        return {(e["path"], e["code"]) for e in result["errors"]}
    keys = ("factors", "totals", "indicators", "core_passed", "advisories", "provisional")
    return {k: result[k] for k in (*keys, "sensitivity", "energy_basis_sensitivity")}


# --- units -----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(rows())
def test_tonnes_and_kilograms_give_the_same_result(energy):
    in_kg = [{**r, "quantity": str(Decimal(r["quantity"]) * 1000), "unit": "kg"} for r in energy]
    assert _result(energy) == _result(in_kg)


@settings(max_examples=40, deadline=None)
@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100000"), places=4))
def test_ten_thousand_nm3_and_nm3_give_the_same_result(quantity):
    a = [{"carrier": "natural_gas", "quantity": str(quantity), "unit": "10^4 Nm3", "use": "fuel"}]
    b = [{"carrier": "natural_gas", "quantity": str(quantity * 10000), "unit": "Nm3", "use": "fuel"}]
    assert _result(a) == _result(b)


# --- bookkeeping: order and splitting ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(rows(), process_rows(), st.randoms(use_true_random=False))
def test_row_order_is_irrelevant(energy, process, random):
    direct = [
        {"kind": "process", "source": "a", "tco2": "12.5"},
        {"kind": "conversion", "source": "b", "tco2": "7"},
        {"kind": "conversion", "source": "c", "tco2": "0.25"},
    ]
    shuffled = [list(block) for block in (energy, process, direct)]
    for block in shuffled:
        random.shuffle(block)
    a = _result(energy, process=process, direct_emissions=direct)
    b = _result(shuffled[0], process=shuffled[1], direct_emissions=shuffled[2])
    assert _strip_trace(a) == _strip_trace(b)


@settings(max_examples=60, deadline=None)
@given(rows(), st.data())
def test_splitting_an_energy_row_in_two_changes_nothing(energy, data):
    i = data.draw(st.integers(min_value=0, max_value=len(energy) - 1))
    quantity = Decimal(energy[i]["quantity"])
    part = data.draw(st.decimals(min_value=Decimal(0), max_value=quantity, places=3))
    split = [
        *energy[:i],
        {**energy[i], "quantity": str(part)},
        {**energy[i], "quantity": str(quantity - part)},
        *energy[i + 1 :],
    ]
    assert _strip_trace(_result(energy)) == _strip_trace(_result(split))


@settings(max_examples=40, deadline=None)
@given(process_rows().filter(bool), st.data())
def test_splitting_a_process_row_in_two_changes_nothing(process, data):
    i = data.draw(st.integers(min_value=0, max_value=len(process) - 1))
    quantity = Decimal(process[i]["quantity_t"])
    part = data.draw(st.decimals(min_value=Decimal(0), max_value=quantity, places=3))
    split = [
        *process[:i],
        {**process[i], "quantity_t": str(part)},
        {**process[i], "quantity_t": str(quantity - part)},
        *process[i + 1 :],
    ]
    energy = [{"carrier": "natural_gas", "quantity": "1000", "unit": "10^4 Nm3", "use": "fuel"}]
    a, b = _result(energy, process=process), _result(energy, process=split)
    assert a["totals"]["by_source_tco2"]["process"] == b["totals"]["by_source_tco2"]["process"]
    assert _strip_trace(a) == _strip_trace(b)


# --- netting: what is sent out cancels what is received -----------------------------------------------


@st.composite
def electricity(draw: st.DrawFn) -> dict[str, str]:
    """An electricity block whose export and certificates stay within the grid purchase."""
    grid = draw(mwh)
    block = {
        "grid": grid,
        "export": draw(st.decimals(min_value=Decimal(0), max_value=grid, places=2)),
        "certificates": draw(st.decimals(min_value=Decimal(0), max_value=grid, places=2)),
    }
    for key in ("green_direct", "green_trade", "onsite_renewable", "onsite_fossil", "export_renewable"):
        if draw(st.booleans()):
            block[key] = draw(mwh)
    return {key: str(value) for key, value in block.items()}


GAS_ROW = {"carrier": "natural_gas", "quantity": "100000", "unit": "10^4 Nm3", "use": "fuel"}  # 1 214 300 tce


@settings(max_examples=80, deadline=None)
@given(electricity(), mwh, st.sampled_from(["jiangxi-2025", "national-2025"]), st.booleans())
def test_sending_out_x_mwh_and_receiving_x_more_from_the_grid_cancel(block, x, scheme, calorific):
    method = {"electricity_tce_basis": "calorific"} if calorific else None
    more = {**block, "grid": str(Decimal(block["grid"]) + x), "export": str(Decimal(block["export"]) + x)}
    a = run(v2(energy=[GAS_ROW], electricity_mwh=block, method=method), scheme)
    b = run(v2(energy=[GAS_ROW], electricity_mwh=more, method=method), scheme)
    assert a["totals"]["by_source_tco2"]["electricity"] == b["totals"]["by_source_tco2"]["electricity"]
    assert a["totals"]["energy_tce"] == b["totals"]["energy_tce"]
    assert _accounts(a) == _accounts(b)


@st.composite
def heat(draw: st.DrawFn) -> dict[str, str | None]:
    block: dict[str, str | None] = {key: str(draw(gj)) for key in ("purchased", "export")}
    for key in ("purchased_renewable", "export_renewable"):
        if draw(st.booleans()):
            block[key] = str(draw(gj))
    # the same factor both ways: measured, or both at the default 0.11 (absent or null)
    factor = draw(st.one_of(st.none(), heat_factors.map(str)))
    if factor is not None or draw(st.booleans()):
        block["purchased_ef_tco2_per_gj"] = factor
        block["export_ef_tco2_per_gj"] = factor
    return block


@settings(max_examples=80, deadline=None)
@given(heat(), gj, st.sampled_from(["jiangxi-2025", "national-2025"]))
def test_heat_sent_out_and_received_at_the_same_factor_cancel(block, x, scheme):
    more = {
        **block,
        "purchased": str(Decimal(block["purchased"]) + x),
        "export": str(Decimal(block["export"]) + x),
    }
    a = run(v2(energy=[GAS_ROW], heat_gj=block), scheme)
    b = run(v2(energy=[GAS_ROW], heat_gj=more), scheme)
    assert a["totals"]["by_source_tco2"]["heat"] == b["totals"]["by_source_tco2"]["heat"]
    assert a["totals"]["energy_tce"] == b["totals"]["energy_tce"]
    assert _accounts(a) == _accounts(b)


@settings(max_examples=40, deadline=None)
@given(gj, heat_factors, heat_factors)
def test_heat_in_and_out_at_their_own_factors_leave_the_difference(x, ef_in, ef_out):
    # E热 = x × EF_in − x × EF_out, each direction at its own factor; energy (x − x) × 0.0341 = 0
    block = {
        "purchased": str(x),
        "export": str(x),
        "purchased_ef_tco2_per_gj": str(ef_in),
        "export_ef_tco2_per_gj": str(ef_out),
    }
    result = run(v2(energy=[GAS_ROW], heat_gj=block))
    expected = (x * ef_in - x * ef_out).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(result["totals"]["by_source_tco2"]["heat"]) == expected
    assert Decimal(result["totals"]["energy_by_part_tce"]["heat"]) == 0


# --- /1 documents are upgraded (§5.3) ---------------------------------------------------------------

V1_DOC: dict[str, Any] = {
    "schema": "zcpark.dataset/1",
    "park": {"name": "v1 园区", "park_type": "chemical"},
    "year": 2024,
    "method": {"grid_ef_basis": "national_fossil", "certificates_as_green_power": False},
    "energy": [
        {"carrier": "bituminous", "quantity": "180000", "unit": "t", "use": "conversion"},
        {"carrier": "natural_gas", "quantity": "6500", "unit": "10^4 Nm3", "use": "fuel", "ncv": "390"},
        {"carrier": "lpg", "quantity": "42000", "unit": "t", "use": "feedstock"},
        {"carrier": "diesel", "quantity": "300", "unit": "t", "use": "bunker"},
    ],
    "electricity_mwh": {
        "grid": "920000",
        "green_trade": "310000",
        "onsite_renewable": "45000",
        "onsite_fossil": "260000",
        "export": "30000",
        "certificates": "1000",
    },
    "heat_gj": {"purchased": "40000", "export": "150000", "purchased_ef_tco2_per_gj": "0.102"},
    "direct_emissions": [{"kind": "process", "source": "合成氨", "tco2": "86000"}],
    "offsets_tco2": {"ccer": "40000"},
    "resources": {"water_m3": {"fresh_intake": "2400000", "reused": "11200000"}},
    "exemptions": {"clean_transport_share": "园区无大宗货运"},
}
# The same park written by hand as /2: conversion rows are power_heat rows, nothing else moves.
V2_DOC: dict[str, Any] = {
    "schema": "zcpark.dataset/2",
    "park": {"name": "v1 园区", "park_type": "chemical"},
    "year": 2024,
    "method": {"grid_ef_basis": "national_fossil", "certificates_as_green_power": False},
    "energy": [
        {"carrier": "bituminous", "quantity": "180000", "unit": "t", "use": "power_heat"},
        {"carrier": "natural_gas", "quantity": "6500", "unit": "10^4 Nm3", "use": "fuel", "ncv": "390"},
        {"carrier": "lpg", "quantity": "42000", "unit": "t", "use": "feedstock"},
        {"carrier": "diesel", "quantity": "300", "unit": "t", "use": "bunker"},
    ],
    "electricity_mwh": {
        "grid": "920000",
        "green_trade": "310000",
        "onsite_renewable": "45000",
        "onsite_fossil": "260000",
        "export": "30000",
        "certificates": "1000",
    },
    "heat_gj": {"purchased": "40000", "export": "150000", "purchased_ef_tco2_per_gj": "0.102"},
    "direct_emissions": [{"kind": "process", "source": "合成氨", "tco2": "86000"}],
    "offsets_tco2": {"ccer": "40000"},
    "resources": {"water_m3": {"fresh_intake": "2400000", "reused": "11200000"}},
    "exemptions": {"clean_transport_share": "园区无大宗货运"},
}


def _without_upgrade(result):
    return {k: v for k, v in result.items() if k not in ("upgraded_from", "trace")}


def test_a_v1_document_and_its_hand_written_v2_equivalent_give_the_same_result():
    for scheme in ("jiangxi-2025", "national-2025"):
        v1, v2_result = run(copy.deepcopy(V1_DOC), scheme), run(copy.deepcopy(V2_DOC), scheme)
        assert (v1["upgraded_from"], v2_result["upgraded_from"]) == ("zcpark.dataset/1", None)
        assert _without_upgrade(v1) == _without_upgrade(v2_result)
    # the conversion row is accounted as power_heat: 180000 × 23.204 × 0.02618 × 0.93 × 44/12
    assert v1["totals"]["fuel_use_by_use_tco2"]["power_heat"] == "372871.67"  # 372871.665936


@st.composite
def v1_documents(draw: st.DrawFn) -> dict[str, Any]:
    method: dict[str, Any] = {}
    if draw(st.booleans()):
        method["grid_ef_basis"] = draw(
            st.sampled_from(["national_fossil", "national_average", "national_excl_market", "provincial"])
        )
    for key in ("certificates_as_green_power", "feedstock_in_energy"):
        if draw(st.booleans()):
            method[key] = draw(st.booleans())
    grid = draw(mwh)
    electricity = {
        "grid": str(grid),
        "green_trade": str(draw(mwh)),
        "green_direct": str(draw(mwh)),
        "onsite_renewable": str(draw(mwh)),
        "onsite_fossil": str(draw(mwh)),
        "export": str(draw(st.decimals(min_value=Decimal(0), max_value=grid, places=2))),
        "certificates": str(draw(mwh)),
    }
    heat_block: dict[str, Any] = {"purchased": str(draw(gj)), "export": str(draw(gj))}
    if draw(st.booleans()):
        heat_block["purchased_ef_tco2_per_gj"] = str(draw(heat_factors))
    return {
        "schema": "zcpark.dataset/1",
        "park": {"park_type": draw(st.sampled_from(["chemical", "non_chemical"]))},
        "year": draw(st.integers(min_value=2022, max_value=2026)),
        "method": method,
        "energy": [*draw(rows(V1_USES)), GAS_ROW],
        "electricity_mwh": electricity,
        "heat_gj": heat_block,
        "direct_emissions": [
            {"kind": draw(st.sampled_from(["process", "conversion"])), "tco2": str(draw(quantities))}
        ],
        "offsets_tco2": {"ccer": str(draw(st.decimals(min_value=0, max_value=1000, places=2)))},
    }


@settings(max_examples=60, deadline=None)
@given(v1_documents(), st.sampled_from(["jiangxi-2025", "national-2025"]))
def test_every_v1_document_equals_its_v2_equivalent(v1, scheme):
    # §5.3 by hand: the schema becomes /2 and conversion rows become power_heat; nothing else changes
    written = copy.deepcopy(v1)
    written["schema"] = V2
    for row in written["energy"]:
        if row["use"] == "conversion":
            row["use"] = "power_heat"
    upgraded, direct = run(v1, scheme), run(written, scheme)
    if "errors" in direct:
        assert upgraded == direct
    else:
        assert upgraded["upgraded_from"] == "zcpark.dataset/1"
        assert _without_upgrade(upgraded) == _without_upgrade(direct)


# --- status agrees with the reported value ---------------------------------------------------------

grid_mwh = st.decimals(min_value=Decimal(1), max_value=Decimal(10_000_000), places=2)


@settings(max_examples=80, deadline=None)
@given(
    rows(),
    grid_mwh,
    st.sampled_from(["chemical", "non_chemical"]),
    st.sampled_from(["jiangxi-2025", "national-2025"]),
)
def test_every_status_agrees_with_its_reported_value_and_threshold(energy, grid, park_type, scheme):
    doc = v2(
        energy=energy,
        electricity_mwh={"grid": str(grid)},
        park={"park_type": park_type},
        resources={"water_m3": {"fresh_intake": "3", "reused": "7"}, "green_buildings": 1},
    )
    result = run(doc, scheme)
    if "errors" in result:  # e.g. transform outputs above everything else: reported, never a result
        assert {e["code"] for e in result["errors"]} <= {"non_positive_energy"}
        assert Decimal(_energy_without_check(doc)) <= 0
        return
    for item in result["indicators"]:
        if item["status"] in ("pass", "fail"):
            value, threshold = Decimal(item["value"]), Decimal(item["threshold"]["value"])
            ok = value <= threshold if item["threshold"]["op"] == "<=" else value >= threshold
            assert item["status"] == ("pass" if ok else "fail"), item
        else:
            assert item["value"] is None
    assert result["core_passed"] == (result["indicators"][0]["status"] == "pass")
    energy_tce = Decimal(result["totals"]["energy_tce"])
    core = result["indicators"][0]
    if scheme == "national-2025":
        assert (core["status"] == "not_applicable") == (energy_tce < 200000)
    else:
        assert ("below_tier" in core["notes"]) == (energy_tce < 100000)


def _energy_without_check(doc):
    """The energy total of a refused document, from its parts by hand (§2): rows, then 2025 grid × 0.3007."""
    coefficients = {
        "diesel": "1.4571",
        "gasoline": "1.4714",
        "fuel_oil": "1.4286",
        "lpg": "1.7143",
        "coke": "0.9714",
    }
    ncv = {"bituminous": "23.204", "anthracite": "24.515"}
    total = Decimal(doc["electricity_mwh"]["grid"]) * Decimal("0.3007")
    for row in doc["energy"]:
        q = Decimal(row["quantity"])
        c = row["carrier"]
        tce = q * Decimal(coefficients[c]) if c in coefficients else q * Decimal(ncv[c]) / Decimal("29.3076")
        total += -tce if row["use"] == "transform_out" else tce
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
