"""The revision diff names every changed row as a person reads it: labels with units, never a document key."""

from __future__ import annotations

import copy

import pytest
from django.core.management import call_command
from django.utils import translation

from applications import selectors
from applications.models import AttachmentKind
from indicators.models import (
    ELECTRICITY_LABELS,
    ENERGY_USE_LABELS,
    GRID_BASIS_LABELS,
    HEAT_LABELS,
    FactorSet,
    IndicatorCode,
    Scheme,
    unit_label,
    yes_no,
)
from tests.applications.factories import resubmitted_with_changes
from tests.known_codes import find_codes

pytestmark = pytest.mark.django_db

DATASET = {
    "schema": "zcpark.dataset/2",
    "park": {"name": "测试园", "park_type": "non_chemical"},
    "year": 2025,
    "method": {"grid_ef_basis": "national_fossil_fixed", "certificates_as_green_power": True},
    "energy": [
        {
            "carrier": "natural_gas",
            "quantity": "500",
            "unit": "10^4 Nm3",
            "use": "fuel",
            "enterprise": "热源站",
        },
        {"carrier": "diesel", "quantity": "200", "unit": "t", "use": "fuel"},
    ],
    "electricity_mwh": {"grid": "50000", "onsite_renewable": "1000"},
    "heat_gj": {"purchased": "300", "purchased_ef_tco2_per_gj": None},
    "process": [{"product": "合成氨", "quantity_t": "1000", "ef_tco2_per_t": "1.1", "basis": "碳平衡"}],
    "direct_emissions": [{"kind": "conversion", "source": "催化裂化烧焦", "tco2": "500"}],
    "offsets_tco2": {"ccer": "0"},
    "resources": {
        "solid_waste_t": {"generated": "100", "utilized": "80"},
        "public_vehicles": {"new_energy": 10, "total": 20},
        "products": [{"name": "水泥熟料", "standard": "GB 16780", "value": "105", "grade2_limit": "107"}],
    },
    "exemptions": {"clean_transport_share": "园区无大宗货运"},
}
RESULT = {
    "factors": {"set": "cn-2026.1", "method": "cn-2025-trial"},
    "engine_version": "2.0.0",
    "totals": {"energy_tce": "1000.00", "emissions_gross_tco2": "800.00", "clean_tce": "300.00"},
    "indicators": [
        {
            "code": "carbon_per_energy",
            "name": "单位能耗碳排放",
            "value": "0.4372",
            "unit": "tCO2/tce",
            "threshold": {"op": "<=", "value": "0.4"},
            "status": "fail",
        },
        {"code": "green_buildings", "name": "绿色建筑", "value": "1", "unit": "栋", "status": "pass"},
    ],
}


def _changed() -> tuple[dict, dict]:
    """Two snapshots in which every part of the dataset, the result and the attachments changed."""
    old = {
        "datasets": {"2025": DATASET},
        "results": {"2025": RESULT},
        "attachments": [{"kind": "boundary_map", "name": "边界图.pdf", "sha256": "a" * 64}],
    }
    dataset = copy.deepcopy(DATASET)
    dataset["park"]["park_type"] = "chemical"
    dataset["method"] = {"grid_ef_basis": "provincial", "certificates_as_green_power": False}
    dataset["energy"][0]["quantity"] = "600"
    dataset["energy"][1]["ncv"] = "42.6"
    dataset["electricity_mwh"]["grid"] = "40000"
    dataset["heat_gj"] = {"purchased": "350", "purchased_ef_tco2_per_gj": "0.1"}
    dataset["process"][0]["quantity_t"] = "1200"
    dataset["direct_emissions"][0]["tco2"] = "450"
    dataset["resources"]["solid_waste_t"]["utilized"] = "90"
    dataset["resources"]["public_vehicles"]["new_energy"] = 12
    dataset["resources"]["products"][0]["value"] = "104"
    dataset["exemptions"]["clean_transport_share"] = "园区无货运"
    result = copy.deepcopy(RESULT)
    result["factors"]["set"] = "cn-2026.2"
    result["totals"] = {"energy_tce": "1200.00", "emissions_gross_tco2": "700.00", "clean_tce": "400.00"}
    result["indicators"][0].update(value="0.3780", status="pass")
    result["indicators"][1].update(value="2")
    new = {
        "datasets": {"2025": dataset},
        "results": {"2025": result},
        "attachments": [{"kind": "boundary_map", "name": "边界图.pdf", "sha256": "b" * 64}],
    }
    return old, new


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)
    current = FactorSet.objects.get(name="cn-2026.1")
    FactorSet.objects.filter(pk=current.pk).update(is_current=False)
    FactorSet.objects.create(
        family=current.family,
        version=2,
        name="cn-2026.2",
        title="因子集（2026 第 2 版）",
        document={**current.document, "name": "cn-2026.2"},
        is_current=True,
        based_on=current,
    )
    return current


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_row_of_the_diff_holds_a_code(reference, language):
    with translation.override(language):
        rows = selectors.revision_diff(*_changed())
        leaks = [
            (row.label, row.old, row.new, code)
            for row in rows
            for code in find_codes(f"{row.label}\n{row.old}\n{row.new}", plain=language == "zh-hans")
        ]
    assert len(rows) >= 20
    assert leaks == []


def test_dataset_rows_are_named_by_their_labels_with_units(reference):
    with translation.override("en"):
        rows = {row.label: (row.old, row.new) for row in selectors.revision_diff(*_changed())}
        gas = f"Energy consumption · 天然气 · {ENERGY_USE_LABELS['fuel']} · 热源站 · Quantity"
        assert rows[gas] == (f"500 {unit_label('10^4 Nm3')}", f"600 {unit_label('10^4 Nm3')}")
        assert unit_label("10^4 Nm3") == "10,000 Nm³"
        assert rows[f"Electricity · {ELECTRICITY_LABELS['grid']} (MWh)"] == ("50,000", "40,000")
        assert rows[f"Heat · {HEAT_LABELS['purchased']} (GJ)"] == ("300", "350")
        assert rows["Accounting method settings · Grid emission-factor basis"] == (
            str(GRID_BASIS_LABELS["national_fossil_fixed"]),
            str(GRID_BASIS_LABELS["provincial"]),
        )
        basis = "Accounting method settings · Separately bought green certificates count as green power"
        assert rows[basis] == (yes_no(True), yes_no(False)) == ("Yes", "No")
        assert rows["Park type"] == ("Non-chemical park", "Chemical park")
        assert rows["Industrial solid waste utilised (t)"] == ("80", "90")
        assert rows["New-energy public-service vehicles"] == ("10", "12")
        assert rows["Products · 水泥熟料 · Energy use per unit of product"] == ("105", "104")
        assert rows["Industrial processes · 合成氨 · Output (t)"] == ("1,000", "1,200")
        assert ("Exemptions · " + str(IndicatorCode.CLEAN_TRANSPORT_SHARE.label)) in rows
        assert rows[f"{AttachmentKind.BOUNDARY_MAP.label} · 边界图.pdf"] == ("a" * 12, "b" * 12)


def test_result_rows_name_totals_with_units_statuses_and_the_factor_set_by_its_title(reference):
    with translation.override("en"):
        rows = {row.label: (row.old, row.new) for row in selectors.revision_diff(*_changed())}
        assert rows["Factor set"] == (reference.title, "因子集（2026 第 2 版）")
        assert rows["Totals · Annual comprehensive energy consumption (tce)"] == ("1,000.00", "1,200.00")
        assert rows["Totals · of which clean energy (tce)"] == ("300.00", "400.00")
        assert rows[str(IndicatorCode.CARBON_PER_ENERGY.label)] == (
            "0.4372 tCO2/tce (Fail)",
            "0.3780 tCO2/tce (Pass)",
        )
        assert rows[str(IndicatorCode.GREEN_BUILDINGS.label)] == ("1 buildings (Pass)", "2 buildings (Pass)")


def test_an_unchanged_dataset_reads_no_reference_data(reference, django_assert_num_queries):
    old, _new = _changed()
    with django_assert_num_queries(0):
        assert selectors.revision_diff(old, copy.deepcopy(old)) == []


def test_a_resubmitted_dossier_shows_its_changed_grid_power_under_its_label(world, actors_a):
    application = resubmitted_with_changes(actors_a)
    new, old = application.revisions.order_by("-number")[:2]
    with translation.override("en"):
        rows = selectors.revision_diff(old.snapshot, new.snapshot)
    grid = [row for row in rows if row.label == "Electricity · Received from the public grid (MWh)"]
    assert [(row.old, row.new) for row in grid] == [("50,000", "40,000")]
    assert not [row for row in rows if find_codes(f"{row.label} {row.old} {row.new}")]
    assert Scheme.objects.exists()
