"""Stored results: computation, recomputation after factor-set and scheme changes, history, tasks.

These run on whatever database the suite uses (SQLite locally, PostgreSQL in CI): the partial
unique index on current results and the bulk UPDATE-then-INSERT order must hold on both.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from indicators import engine, selectors, services
from indicators.models import IndicatorResult, ParkDataset
from indicators.tasks import indicator_results_compute_task, indicator_results_recompute_task
from tests.indicators.factories import ParkDatasetFactory, dataset_document, load_factor_data

pytestmark = pytest.mark.django_db

JIANGXI = "jiangxi-2025"


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


@pytest.fixture
def dataset(world, factor_data):
    """park_a's 2025 dataset with its first results computed."""
    dataset = ParkDatasetFactory(park=world.park_a, year=2025)
    services.indicator_results_compute(dataset=dataset, reason="test")
    return dataset


def _add_grid_factor(world, capture, *, year: int, value: str = "0.8100") -> None:
    with capture(execute=True):
        services.factor_set_add_grid_factor(
            publish=True,
            by=world.province,
            basis="national_fossil",
            year=year,
            value=Decimal(value),
            source="生态环境部公告",
            provisional=False,
        )


def _core(result: IndicatorResult) -> dict:
    return result.document["indicators"][0]


def test_indicator_results_compute_stores_one_current_result_per_scheme(dataset):
    results = IndicatorResult.objects.current().filter(dataset=dataset).order_by("scheme_code")
    assert [(r.scheme_code, r.scheme_version, r.factor_set_name, r.ok) for r in results] == [
        ("jiangxi-2025", 1, "cn-2026.1", True),
        ("national-2025", 1, "cn-2026.1", True),
    ]
    assert {r.engine_version for r in results} == {str(engine.ENGINE_VERSION)}


def test_indicator_results_compute_stores_the_engines_result_document(dataset):
    result = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    assert result.document["factors"]["grid_ef_tco2_per_mwh"] == "0.8325"
    assert (_core(result)["value"], _core(result)["status"]) == ("0.4372", "fail")
    assert result.core_passed is False


def test_indicator_results_compute_keeps_a_result_it_reproduces(dataset):
    before = list(IndicatorResult.objects.values_list("pk", flat=True))
    services.indicator_results_compute(dataset=dataset, reason="again")
    assert list(IndicatorResult.objects.values_list("pk", flat=True)) == before


def test_grid_factor_for_the_datasets_year_supersedes_its_result(
    world, dataset, django_capture_on_commit_callbacks
):
    old = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    _add_grid_factor(world, django_capture_on_commit_callbacks, year=2024)
    new = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    assert new.pk != old.pk
    # The method's fixed factor is unchanged; the by-year national_fossil row of the sensitivity moves.
    assert (new.factor_set_name, new.document["factors"]["factor_year"]) == ("cn-2026.2", None)
    fossil = next(s for s in new.document["sensitivity"] if s["grid_ef_basis"] == "national_fossil")
    assert (fossil["factor_year"], fossil["grid_ef_tco2_per_mwh"]) == (2024, "0.81")


def test_superseded_result_stays_in_the_history_with_its_interval(
    world, dataset, django_capture_on_commit_callbacks
):
    _add_grid_factor(world, django_capture_on_commit_callbacks, year=2024)
    new, old = selectors.indicator_result_history(dataset=dataset, scheme_code=JIANGXI)
    assert (old.factor_set_name, new.factor_set_name) == ("cn-2026.1", "cn-2026.2")
    assert old.computed_at < old.superseded_at == new.computed_at
    assert new.superseded_at is None
    assert selectors.indicator_result_at(dataset=dataset, scheme_code=JIANGXI, at=old.computed_at) == old
    assert selectors.indicator_result_at(dataset=dataset, scheme_code=JIANGXI, at=new.computed_at) == new


def test_grid_factor_after_the_datasets_year_keeps_the_identical_result(
    world, dataset, django_capture_on_commit_callbacks
):
    before = list(IndicatorResult.objects.order_by("pk").values_list("pk", "superseded_at"))
    _add_grid_factor(world, django_capture_on_commit_callbacks, year=2026)
    assert selectors.factor_set_current().name == "cn-2026.2"
    assert list(IndicatorResult.objects.order_by("pk").values_list("pk", "superseded_at")) == before
    assert (
        selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI).factor_set_name
        == "cn-2026.1"
    )


def test_scheme_threshold_change_recomputes_the_status(world, dataset, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.scheme_new_version(
            publish=True, by=world.province, code=JIANGXI, thresholds={"carbon_per_energy:1": Decimal("0.45")}
        )
    result = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    assert (result.scheme_version, _core(result)["status"], result.core_passed) == (2, "pass", True)
    assert _core(result)["threshold"]["value"] == "0.45"


def test_scheme_threshold_change_leaves_the_other_schemes_results(
    world, dataset, django_capture_on_commit_callbacks
):
    national = selectors.indicator_result_current(dataset=dataset, scheme_code="national-2025")
    with django_capture_on_commit_callbacks(execute=True):
        services.scheme_new_version(
            publish=True, by=world.province, code=JIANGXI, thresholds={"water_reuse": Decimal("90")}
        )
    assert selectors.indicator_result_current(dataset=dataset, scheme_code="national-2025") == national


def test_invalid_dataset_stores_an_errors_result(world, factor_data):
    dataset = ParkDatasetFactory(park=world.park_a, invalid=True)
    services.indicator_results_compute(dataset=dataset)
    result = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    assert (result.ok, result.core_passed) == (False, None)
    assert {(e["path"], e["code"]) for e in result.document["errors"]} == {
        ("energy[0].quantity", "negative"),
        ("energy[1].carrier", "unknown"),
    }


def test_engine_failure_stores_an_engine_error_result(world, factor_data, monkeypatch):
    dataset = ParkDatasetFactory(park=world.park_a)

    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(engine, "evaluate", broken)
    services.indicator_results_compute(dataset=dataset)
    result = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    assert (result.ok, result.document["errors"][0]["code"]) == (False, "engine_error")


def test_one_current_result_per_dataset_and_scheme_is_a_database_constraint(dataset):
    result = selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI)
    result.pk = None
    with pytest.raises(IntegrityError):
        result.save()


def test_recompute_all_recomputes_every_dataset(world, factor_data):
    for year in (2021, 2022, 2023, 2024, 2025):
        ParkDatasetFactory(park=world.park_a, year=year)
    summary = services.indicator_results_recompute_all(reason="test")
    assert (summary.datasets, summary.created, summary.unchanged, summary.superseded) == (5, 10, 0, 0)
    summary = services.indicator_results_recompute_all(reason="test")
    assert (summary.created, summary.unchanged, summary.superseded) == (0, 10, 0)


def test_recompute_all_supersedes_only_the_results_a_new_factor_changes(world, factor_data):
    for year in (2022, 2025):
        ParkDatasetFactory(park=world.park_a, year=year)
    services.indicator_results_recompute_all(reason="first")
    services.factor_set_add_grid_factor(
        publish=True,
        by=world.province,
        basis="national_fossil",
        year=2024,
        value=Decimal("0.81"),
        source="公告",
    )
    summary = services.indicator_results_recompute_all(reason="factor")
    assert (summary.created, summary.unchanged, summary.superseded) == (2, 2, 2)
    assert set(
        IndicatorResult.objects.filter(superseded_at__isnull=False).values_list("dataset__year", flat=True)
    ) == {2025}


@pytest.mark.parametrize("datasets", [1, 5])
def test_recompute_all_query_count_is_constant(world, factor_data, django_assert_num_queries, datasets):
    for year in range(2023, 2023 + datasets):
        ParkDatasetFactory(park=world.park_a, year=year)
    services.indicator_results_recompute_all(reason="first")
    services.scheme_new_version(
        publish=True, by=world.province, code=JIANGXI, thresholds={"water_reuse": Decimal("90")}
    )
    # savepoint, dataset ids, the locked chunk of datasets, current factor set, current schemes, the
    # new scheme version's document (parsed once, then cached), the chunk's parks' accepted exemptions,
    # current results, UPDATE superseded, INSERT new, release savepoint
    with django_assert_num_queries(11):
        services.indicator_results_recompute_all(reason="scheme")


def test_compute_task_computes_one_dataset(world, factor_data):
    dataset = ParkDatasetFactory(park=world.park_a)
    assert indicator_results_compute_task(dataset.pk, "task") == 2
    assert selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI).reason == "task"


def test_compute_task_ignores_a_deleted_dataset(factor_data):
    assert indicator_results_compute_task(987654) == 0


def test_recompute_task_returns_the_summary(world, dataset):
    assert indicator_results_recompute_task("test") == {
        "datasets": 1,
        "created": 0,
        "unchanged": 2,
        "superseded": 0,
        "factor_set": "cn-2026.1",
    }


def test_results_are_not_recomputed_before_commit(world, dataset, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.factor_set_add_grid_factor(
            publish=True,
            by=world.province,
            basis="national_fossil",
            year=2024,
            value=Decimal("0.81"),
            source="公告",
        )
    assert len(callbacks) == 1
    assert (
        selectors.indicator_result_current(dataset=dataset, scheme_code=JIANGXI).factor_set_name
        == "cn-2026.1"
    )


def test_sweep_computes_datasets_left_without_results_and_then_has_nothing_to_do(world):
    load_factor_data()
    dataset = ParkDatasetFactory(park=world.park_a)  # saved without the after-commit task
    assert not IndicatorResult.objects.filter(dataset=dataset).exists()
    first = services.indicator_results_sweep()
    assert (first.datasets, first.created) == (1, 2)
    assert IndicatorResult.objects.current().filter(dataset=dataset).count() == 2
    assert services.indicator_results_sweep().datasets == 0


def test_sweep_recomputes_a_dataset_changed_since_its_results(world):
    """A dataset saved while its task could not run (broker down, worker killed) keeps no stale numbers:
    the sweep sees the current result is older than the dataset and computes it again (issue 12)."""
    load_factor_data()
    dataset = ParkDatasetFactory(park=world.park_a)
    services.indicator_results_sweep()
    before = IndicatorResult.objects.current().get(dataset=dataset, scheme_code="jiangxi-2025")
    document = dataset.document
    document["electricity_mwh"]["grid"] = str(Decimal(document["electricity_mwh"]["grid"]) * 2)
    ParkDataset.objects.filter(pk=dataset.pk).update(document=document, updated_at=timezone.now())
    summary = services.indicator_results_sweep()
    after = IndicatorResult.objects.current().get(dataset=dataset, scheme_code="jiangxi-2025")
    assert summary.datasets == 1 and after.pk != before.pk
    assert after.summary["totals"] != before.summary["totals"]
    assert services.indicator_results_sweep().datasets == 0


def test_sweep_runs_periodically_from_the_one_schedule():
    from zcpark.celery import app

    schedule = app.conf.beat_schedule["indicator-results-sweep"]
    assert schedule["task"] in app.tasks


def test_results_carry_a_summary_of_their_numbers_beside_the_document(world, factor_data):
    from indicators.services import park_dataset_save

    dataset = park_dataset_save(by=world.province, park=world.park_a, year=2025, document=dataset_document())
    result = services.indicator_results_compute(dataset=dataset)[0]
    assert result.summary["indicators"] == {
        item["code"]: {"value": item["value"], "status": item["status"]}
        for item in result.document["indicators"]
    }
    assert result.summary["indicators"]["carbon_per_energy"] == {"value": "0.4372", "status": "fail"}
    assert result.summary["totals"]["energy_tce"] == result.document["totals"]["energy_tce"]


def test_summary_backfill_of_the_migration_matches_the_service():
    import importlib
    import json
    from pathlib import Path

    from indicators.services.results import result_summary

    migration = importlib.import_module("indicators.migrations.0002_indicator_result_summary")
    document = json.loads(Path("tests/cases/pub-01-electric-park.expected.json").read_text())["result"]
    assert migration.summary_of(document) == result_summary(document)
    assert migration.summary_of(document)["totals"]["emissions_net_tco2"] == "36414.97"
