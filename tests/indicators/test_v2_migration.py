"""Stored v1 data moves to engine v2 with nothing lost: the data migration upgrades every dataset and keeps
the document as sent; the v2 factor set recomputes every result, keeping the v1 result as history; a
dataset v2 refuses keeps its v1 result current, marked, and listed for the province."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from indicators import selectors, services
from indicators.engine import ENGINE_VERSION
from indicators.models import IndicatorResult, ParkDataset
from tests.indicators.factories import load_factor_data
from tests.parks.factories import ParkFactory, UserFactory

BEFORE = [("indicators", "0002_indicator_result_summary")]
AFTER = [("indicators", "0003_v2_original_document_and_not_recomputable")]

# A v1 document as the portal stored it: a CHP plant as `conversion`, v1's export and heat fields.
V1_DOCUMENT = {
    "schema": "zcpark.dataset/1",
    "park": {"name": "迁移测试园", "park_type": "non_chemical"},
    "year": 2025,
    "method": {"grid_ef_basis": "national_fossil"},
    "energy": [
        {"carrier": "bituminous", "quantity": "180000", "unit": "t", "use": "conversion"},
        {"carrier": "natural_gas", "quantity": "6500", "unit": "10^4 Nm3", "use": "fuel"},
    ],
    "electricity_mwh": {"grid": "920000", "green_trade": "310000", "export": "30000"},
    "heat_gj": {"purchased": "40000", "export": "150000"},
}
# What engine v1 had stored for it (only what the test reads: a computed result).
V1_RESULT = {
    "schema": "zcpark.result/1",
    "scheme": "jiangxi-2025",
    "year": 2025,
    "totals": {"energy_tce": "1.00", "by_source_tco2": {"fuel": "1.00", "conversion": "2.00"}},
    "indicators": [{"code": "carbon_per_energy", "value": "0.4500", "status": "fail"}],
    "core_passed": False,
}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_v1_data_is_upgraded_recomputed_and_kept_as_history():
    park = ParkFactory(name="迁移测试园")
    old_apps = _migrate(BEFORE)
    try:
        Dataset = old_apps.get_model("indicators", "ParkDataset")
        Result = old_apps.get_model("indicators", "IndicatorResult")
        computed = timezone.now() - timedelta(days=30)
        stored = {}
        # 2025 recomputes under v2; 2021 cannot (no 等价值 coefficient for 2020 or before).
        for year in (2025, 2021):
            document = {**copy.deepcopy(V1_DOCUMENT), "year": year}
            dataset = Dataset.objects.create(park_id=park.pk, year=year, document=document)
            stored[year] = dataset.pk
            Result.objects.create(
                dataset=dataset,
                scheme_code="jiangxi-2025",
                scheme_version=1,
                factor_set_name="cn-2025.1",
                engine_version="1.0.0",
                ok=True,
                core_passed=False,
                document={**V1_RESULT, "year": year},
                summary={},
                computed_at=computed,
            )
    finally:
        _migrate(AFTER)
        # Then every later migration, so the rest of the test reads today's models.
        _migrate(_latest())

    # The migration: every dataset is /2, the document as sent kept unchanged beside it.
    upgraded = ParkDataset.objects.get(pk=stored[2025])
    assert upgraded.original_document == V1_DOCUMENT
    assert upgraded.document["schema"] == "zcpark.dataset/2"
    assert [row["use"] for row in upgraded.document["energy"]] == ["power_heat", "fuel"]
    assert upgraded.document["method"] == {
        "grid_ef_basis": "national_fossil"
    }  # given keys keep their meaning
    assert {k: v for k, v in upgraded.document.items() if k not in ("schema", "energy")} == {
        k: v for k, v in V1_DOCUMENT.items() if k not in ("schema", "energy")
    }

    # The v2 factor set is loaded (as load_reference_data does on deploy) and every result recomputed.
    with transaction.atomic():  # its recomputation runs once everything is loaded
        load_factor_data()
    summary = services.indicator_results_recompute_all(reason="engine v2")
    assert summary.engine_version == ENGINE_VERSION

    # 2025: the v1 result is superseded history, the v2 result is current and says where it came from.
    old, new = IndicatorResult.objects.filter(dataset_id=stored[2025], scheme_code="jiangxi-2025").order_by(
        "computed_at"
    )
    assert (old.engine_version, old.document) == ("1.0.0", {**V1_RESULT, "year": 2025})
    assert old.superseded_at == new.computed_at and new.superseded_at is None
    assert (new.engine_version, new.ok, new.factor_set_name) == (ENGINE_VERSION, True, "cn-2026.1")
    assert new.document["schema"] == "zcpark.result/2"
    assert new.document["factors"]["method"] == "cn-2025-trial"
    assert set(new.document["totals"]["by_source_tco2"]) == {
        "fuel_use",
        "transform",
        "electricity",
        "heat",
        "process",
    }

    # 2021: v2 refuses it, so its v1 result stays current, marked with v2's reason.
    (kept,) = IndicatorResult.objects.current().filter(dataset_id=stored[2021], scheme_code="jiangxi-2025")
    assert (kept.engine_version, kept.ok, kept.not_recomputable_engine) == ("1.0.0", True, ENGINE_VERSION)
    assert [(e["path"], e["code"]) for e in kept.not_recomputable_errors] == [
        ("method.electricity_tce_basis", "no_factor")
    ]
    assert IndicatorResult.objects.filter(dataset_id=stored[2021], scheme_code="jiangxi-2025").count() == 1

    # A second recomputation changes nothing; the province sees the dataset on the factors page.
    again = services.indicator_results_recompute_all(reason="again")
    assert again.created == 0 and again.superseded == 0
    assert [r.pk for r in selectors.results_not_recomputable()] == [kept.pk]
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(province=True))
    html = client.get(reverse("indicators:factor-list")).content.decode()
    assert 'id="not-recomputable"' in html and "迁移测试园" in html and "2021" in html


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


@pytest.mark.django_db
def test_a_v1_document_saved_today_is_stored_upgraded_with_the_original_beside_it(world, factor_data):
    document = {**copy.deepcopy(V1_DOCUMENT), "park": {"name": "南昌测试园"}}
    dataset = services.park_dataset_save(by=world.province, park=world.park_a, year=2025, document=document)
    dataset.refresh_from_db()
    assert dataset.original_document == document
    assert dataset.document["schema"] == "zcpark.dataset/2"
    assert dataset.document["energy"][0]["use"] == "power_heat"
    assert dataset.document["park"]["park_type"] == world.park_a.park_type
