"""Properties the accounting must keep whatever the numbers (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.indicators.engine_helpers import dataset, run

CARRIERS_T = ["diesel", "gasoline", "fuel_oil", "lpg", "coke", "bituminous", "anthracite"]
USES = ["fuel", "conversion", "bunker", "feedstock"]

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000000"), places=3, allow_nan=False)


@st.composite
def rows(draw: st.DrawFn) -> list[dict[str, str]]:
    n = draw(st.integers(min_value=1, max_value=8))
    return [
        {
            "carrier": draw(st.sampled_from(CARRIERS_T)),
            "quantity": str(draw(quantities)),
            "unit": "t",
            "use": draw(st.sampled_from(USES)),
        }
        for _ in range(n)
    ]


grid_mwh = st.decimals(min_value=Decimal(1), max_value=Decimal(10_000_000), places=2)


def _result(energy, grid="1000"):
    return run(dataset(energy=energy, electricity_mwh={"grid": str(grid), "green_direct": "500"}))


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


@settings(max_examples=60, deadline=None)
@given(rows(), st.randoms(use_true_random=False))
def test_row_order_is_irrelevant(energy, random):
    shuffled = list(energy)
    random.shuffle(shuffled)
    assert _strip_trace(_result(energy)) == _strip_trace(_result(shuffled))


@settings(max_examples=60, deadline=None)
@given(rows(), st.data())
def test_splitting_a_row_in_two_changes_nothing(energy, data):
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


@settings(max_examples=80, deadline=None)
@given(
    rows(),
    grid_mwh,
    st.sampled_from(["chemical", "non_chemical"]),
    st.sampled_from(["jiangxi-2025", "national-2025"]),
)
def test_every_status_agrees_with_its_reported_value_and_threshold(energy, grid, park_type, scheme):
    doc = dataset(
        energy=energy,
        electricity_mwh={"grid": str(grid)},
        park={"park_type": park_type},
        resources={"water_m3": {"fresh_intake": "3", "reused": "7"}, "green_buildings": 1},
    )
    result = run(doc, scheme)
    if "errors" in result:  # e.g. all rows feedstock and no energy: reported, never a result
        assert {e["code"] for e in result["errors"]} <= {"non_positive_energy"}
        return
    for item in result["indicators"]:
        if item["status"] in ("pass", "fail"):
            value, threshold = Decimal(item["value"]), Decimal(item["threshold"]["value"])
            ok = value <= threshold if item["threshold"]["op"] == "<=" else value >= threshold
            assert item["status"] == ("pass" if ok else "fail"), item
        else:
            assert item["value"] is None
    assert result["core_passed"] == (result["indicators"][0]["status"] == "pass")


def _strip_trace(result):
    return {k: v for k, v in result.items() if k != "trace"}
