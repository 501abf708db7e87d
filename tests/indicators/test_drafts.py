"""Drafts of factor-set and scheme versions: never used by a computation, their impact preview lists exactly
the park-years that would change, publishing recomputes with history, discarding leaves everything."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from indicators import calculator, selectors, services
from indicators.models import FactorSet, IndicatorResult, Scheme
from tests.indicators.factories import ParkDatasetFactory, dataset_document, load_factor_data
from zcpark.core.exceptions import ApplicationError
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

JIANGXI = "jiangxi-2025"
# A cleaner park than the factories' default: 100 (not 500) 10^4 Nm3 of gas; jiangxi core 0.3812, passing 0.4.
CLEAN_ENERGY = [
    {"carrier": "natural_gas", "quantity": "100", "unit": "10^4 Nm3", "use": "fuel"},
    {"carrier": "diesel", "quantity": "200", "unit": "t", "use": "fuel"},
]


@pytest.fixture
def stored(world):
    """park_a 2025 (jiangxi core 0.4372, fail) and park_b 2025 (0.3812, pass), results computed."""
    load_factor_data()
    failing = ParkDatasetFactory(park=world.park_a, year=2025)
    passing = ParkDatasetFactory(park=world.park_b, year=2025, document=dataset_document(energy=CLEAN_ENERGY))
    for dataset in (failing, passing):
        services.indicator_results_compute(dataset=dataset, reason="test")
    return failing, passing


def _threshold_draft(world, value: str = "0.38") -> Scheme:
    return services.scheme_new_version(
        by=world.province, code=JIANGXI, thresholds={"carbon_per_energy:1": Decimal(value)}, comment="收紧"
    )


def _constant_draft(world) -> FactorSet:
    return services.factor_set_correct_constant(
        by=world.province, key="national_fossil_fixed_tco2_per_mwh", value=Decimal("0.8"), source="测试"
    )


def _current_results() -> list[tuple[int, str, str, int, bool | None]]:
    return sorted(
        IndicatorResult.objects.current().values_list(
            "dataset_id", "scheme_code", "factor_set_name", "scheme_version", "core_passed"
        )
    )


def test_a_draft_takes_the_next_number_but_is_not_current(world, stored):
    draft = _constant_draft(world)
    assert (draft.name, draft.version, draft.status, draft.is_current) == ("cn-2026.2", 2, "draft", False)
    assert selectors.factor_set_current_version().name == "cn-2026.1"
    assert [f.name for f in selectors.factor_set_list()] == ["cn-2026.1"]
    assert [(d.pk, str(d)) for d in selectors.reference_open_drafts()] == [(draft.pk, "cn-2026.2")]


def test_no_computation_uses_a_draft(world, stored, django_capture_on_commit_callbacks):
    before = _current_results()
    with django_capture_on_commit_callbacks(execute=True):
        _constant_draft(world)
        _threshold_draft(world)
    assert _current_results() == before  # nothing was queued: no recomputation
    services.indicator_results_recompute_all(reason="again")
    for dataset in stored:
        services.indicator_results_compute(dataset=dataset, reason="again")
    services.indicator_results_sweep()
    assert _current_results() == before
    assert all(name == "cn-2026.1" for _d, _s, name, _v, _p in before)
    factor_set, scheme = calculator.calculator_reference(JIANGXI)
    assert factor_set.name == "cn-2026.1"
    assert (
        scheme.core.tiers
        == selectors._scheme_engine(
            *Scheme.objects.values_list("pk", "created_at").get(code=JIANGXI, version=1)
        ).core.tiers
    )
    evaluation = calculator.calculator_evaluate(dataset=dataset_document(energy=CLEAN_ENERGY))
    assert evaluation.document()["core_passed"] is True  # still judged by 0.4, not the draft's 0.38


def test_a_threshold_draft_lists_exactly_the_park_year_it_makes_fail(world, stored):
    _failing, passing = stored
    impact = _threshold_draft(world).impact
    assert impact["counts"] | {"computed_at": None} == {
        "checked": 2,
        "evaluations": 2,  # the jiangxi scheme only: the national results cannot change
        "without_result": 0,
        "pass_to_fail": 1,
        "fail_to_pass": 0,
        "errors_appeared": 0,
        "errors_disappeared": 0,
        "changed": 1,
        "rows": 1,
        "computed_at": None,
    }
    [row] = impact["rows"]
    assert (row["dataset"], row["park"], row["city"], row["year"], row["scheme"], row["flip"]) == (
        passing.pk,
        world.park_b.name,
        world.park_b.zone.city.name,
        2025,
        JIANGXI,
        "pass_to_fail",
    )
    assert (row["old"]["core_passed"], row["new"]["core_passed"]) == (True, False)
    assert {"what": "status", "code": "carbon_per_energy", "old": "pass", "new": "fail"} in row["changes"]
    assert impact["against"]["schemes"] == {JIANGXI: 1, "national-2025": 1}


def test_a_factor_draft_that_moves_values_but_no_status_lists_the_values_without_flips(world, stored):
    failing, passing = stored
    impact = _constant_draft(world).impact
    assert (impact["counts"]["pass_to_fail"], impact["counts"]["fail_to_pass"]) == (0, 0)
    assert (impact["counts"]["checked"], impact["counts"]["changed"]) == (2, 2)
    rows = {(row["dataset"], row["scheme"]): row for row in impact["rows"]}
    assert set(rows) == {(failing.pk, JIANGXI), (passing.pk, JIANGXI)}  # national: core not applicable
    assert rows[(failing.pk, JIANGXI)]["changes"] == [
        {"what": "core_value", "old": "0.4372", "new": "0.4238"}
    ]
    assert all(row["flip"] == "" for row in rows.values())
    assert all([c["what"] for c in row["changes"]] == ["core_value"] for row in rows.values())


def test_a_second_draft_of_the_same_family_is_refused_until_the_first_is_closed(world, stored):
    first = _constant_draft(world)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.factor_set_add_grid_factor(
            by=world.province, basis="national_fossil", year=2024, value=Decimal("0.81"), source="公告"
        )
    assert "cn-2026.2 is still an open draft" in str(refused.value)
    _threshold_draft(world)  # another family: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorSet.objects.create(
            family="cn-2026", version=9, name="cn-2026.9", document=first.document, status="draft"
        )
    services.reference_draft_discard(draft=first, by=world.province)
    second = services.factor_set_add_grid_factor(
        by=world.province, basis="national_fossil", year=2024, value=Decimal("0.81"), source="公告"
    )
    assert second.version == 3  # the discarded draft's number 2 is not given again


def test_publishing_recomputes_with_history(world, stored, django_capture_on_commit_callbacks):
    _failing, passing = stored
    old = IndicatorResult.objects.current().get(dataset=passing, scheme_code=JIANGXI)
    draft = _threshold_draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.reference_draft_publish(draft=draft, by=world.province, comment="发布")
    draft.refresh_from_db()
    assert (draft.status, draft.is_current) == ("published", True)
    assert not Scheme.objects.get(code=JIANGXI, version=1).is_current
    old.refresh_from_db()
    assert old.superseded_at is not None and old.core_passed is True
    new = IndicatorResult.objects.current().get(dataset=passing, scheme_code=JIANGXI)
    assert (new.scheme_version, new.core_passed, new.reason) == (2, False, f"scheme {draft} published")
    assert new.computed_at == old.superseded_at
    event = AuditEvent.objects.for_object(draft).get(action="scheme_draft_publish")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "published", world.province)


def test_discarding_leaves_everything(world, stored, django_capture_on_commit_callbacks):
    before = _current_results()
    draft = _constant_draft(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.reference_draft_discard(draft=draft, by=world.province, comment="不需要")
    draft.refresh_from_db()
    assert (draft.status, draft.is_current) == ("discarded", False)
    assert selectors.factor_set_current_version().name == "cn-2026.1"
    assert _current_results() == before
    assert IndicatorResult.objects.count() == len(before)
    assert AuditEvent.objects.for_object(draft).filter(action="factor_set_draft_discard").exists()
    with pytest.raises(ApplicationError):
        services.reference_draft_publish(draft=draft, by=world.province)


def test_a_draft_cannot_be_published_over_a_version_made_current_since(world, stored):
    draft = _threshold_draft(world)
    Scheme.objects.filter(pk=draft.based_on_id).update(is_current=False)
    Scheme.objects.create(code=JIANGXI, version=99, document=draft.based_on.document, is_current=True)
    with translation.override("en"), pytest.raises(ApplicationError) as refused:
        services.reference_draft_publish(draft=draft, by=world.province)
    assert "The current version changed since this draft was made" in refused.value.message
    assert Scheme.objects.get(pk=draft.pk).status == "draft"


def test_only_the_province_publishes_or_discards(world, stored):
    draft = _constant_draft(world)
    for who in ("observer", "expert", "reviewer_a", "staff_a"):
        for move in (services.reference_draft_publish, services.reference_draft_discard):
            with pytest.raises(PermissionDenied):
                move(draft=draft, by=getattr(world, who))
    assert FactorSet.objects.get(pk=draft.pk).status == "draft"


def test_a_preview_goes_stale_when_the_data_or_the_current_versions_move(world, stored):
    draft = _constant_draft(world)
    assert not services.draft_impact_stale(draft)
    newcomer = ParkDatasetFactory(park=world.park_a, year=2024, document=dataset_document(year=2024))
    services.indicator_results_compute(dataset=newcomer, reason="test")
    assert services.draft_impact_stale(draft)
    impact = services.draft_impact_refresh(draft=draft)
    assert impact["counts"]["checked"] == 3
    assert not services.draft_impact_stale(FactorSet.objects.get(pk=draft.pk))
    scheme = services.scheme_new_version(
        by=world.province, code=JIANGXI, thresholds={"water_reuse": Decimal("85")}, publish=True
    )
    assert scheme.is_current
    assert services.draft_impact_stale(FactorSet.objects.get(pk=draft.pk))  # compared against jiangxi v1


def test_the_preview_lists_park_years_whose_errors_disappear_and_counts_those_without_results(world, stored):
    """A 2021 dataset has no 等价值 coefficient for 2020 (an errors result) until a draft adds 2020; a dataset
    without a current result is counted, not listed."""
    refused = ParkDatasetFactory(park=world.park_a, year=2021, document=dataset_document(year=2021))
    services.indicator_results_compute(dataset=refused, reason="test")
    assert not IndicatorResult.objects.current().filter(dataset=refused).first().ok
    ParkDatasetFactory(park=world.park_b, year=2024, document=dataset_document(year=2024))  # not computed
    impact = services.factor_set_add_equivalent_coefficient(
        by=world.province, year=2020, value=Decimal("0.3051"), source="测试"
    ).impact
    rows = [row for row in impact["rows"] if row["dataset"] == refused.pk]
    assert {row["flip"] for row in rows} == {"errors_disappeared"}
    assert all((row["old"]["ok"], row["new"]["ok"]) == (False, True) for row in rows)
    assert impact["counts"]["errors_disappeared"] == len(rows) == 2  # both schemes
    assert (impact["counts"]["checked"], impact["counts"]["without_result"]) == (4, 2)
    assert rows[0] in impact["rows"][:2]  # flips first
