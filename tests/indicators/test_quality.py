"""Data-quality warnings (issue 15): each rule at its threshold, severity and enablement from the rule rows,
the previous year looked up, odd documents never raising."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import ParkDataset, QualityRule, QualityRuleKind
from indicators.quality import (
    Figures,
    dataset_warnings,
    enterprises_energy_tce,
    rule_warnings,
    years_warnings,
)
from tests.parks.factories import ParkFactory

K = QualityRuleKind
D = Decimal


def _rule(kind, threshold, severity="warning", enabled=True):
    return QualityRule(kind=kind, threshold=D(threshold), severity=severity, enabled=enabled)


def _figures(year=2025, **values):
    base = {
        "energy_tce": D("100.00"),
        "emissions_tco2": D("100.00"),
        "core": D("1.0000"),
        "electricity_used_mwh": D("1000.00"),
        "electricity_purchased_mwh": D("1000.00"),
        "shares": {},
    }
    return Figures(year=year, **{**base, **values})


def _fired(rule, current, previous=None, **kwargs):
    return [w["rule"] for w in rule_warnings({rule.kind: rule}, current, previous, **kwargs)]


@pytest.mark.parametrize(
    ("kind", "attribute"),
    [(K.ENERGY_CHANGE, "energy_tce"), (K.EMISSIONS_CHANGE, "emissions_tco2"), (K.CORE_CHANGE, "core")],
)
@pytest.mark.parametrize(
    ("value", "fires"),
    [("130.00", False), ("130.01", True), ("70.00", False), ("69.99", True), ("100.00", False)],
)
def test_a_year_on_year_change_warns_only_beyond_its_threshold(kind, attribute, value, fires):
    rule = _rule(kind, "30")
    previous = _figures(2024, **{attribute: D("100.00")})
    current = _figures(2025, **{attribute: D(value)})
    assert _fired(rule, current, previous) == ([kind] if fires else [])


@pytest.mark.parametrize(
    ("value", "shown"),
    [("130.004", None), ("130.005", "30.01"), ("69.996", None), ("69.995", "30.01"), ("130.0149", "30.01")],
)
def test_a_change_is_compared_and_printed_as_reported_to_two_places(value, shown):
    """accounting.md §0: the change is rounded once, half-up to 2 places; that value decides and is printed."""
    rule = _rule(K.ENERGY_CHANGE, "30")
    with translation.override("en"):
        found = rule_warnings({rule.kind: rule}, _figures(energy_tce=D(value)), _figures(2024))
    if shown is None:
        assert found == []
    else:
        (warning,) = found
        assert f"by {shown}% compared with 2024" in warning["message"]
        assert "by 30% " not in warning["message"]


def test_a_change_names_the_figures_the_direction_and_the_threshold():
    rule = _rule(K.ENERGY_CHANGE, "30")
    with translation.override("en"):
        (warning,) = rule_warnings({rule.kind: rule}, _figures(energy_tce=D("163.20")), _figures(2024))
    assert warning["message"] == (
        "Total energy consumed rose by 63.2% compared with 2024 (100 → 163.2 tce; threshold ±30%)."
    )
    assert warning["path"] == "energy"
    with translation.override("en"):
        (warning,) = rule_warnings({rule.kind: rule}, _figures(energy_tce=D("50")), _figures(2024))
    assert warning["message"].startswith("Total energy consumed fell by 50% compared with 2024")


def test_the_enterprises_rule_warns_when_their_total_exceeds_the_park_beyond_the_threshold():
    rule = _rule(K.ENTERPRISES_VS_PARK, "5", severity="serious")
    park = _figures(energy_tce=D("1000.00"))
    assert _fired(rule, park, enterprises_tce=D("1050.00")) == []
    assert _fired(rule, park, enterprises_tce=D("1050.04")) == []  # 5.004 % is reported 5.00 %
    assert _fired(rule, park, enterprises_tce=D("1050.05")) == [K.ENTERPRISES_VS_PARK]  # 5.01 %
    assert _fired(rule, park, enterprises_tce=D("400")) == []  # a part of the park: nothing unusual
    assert _fired(rule, park) == []  # no enterprises' figure given


@pytest.mark.parametrize(
    ("used", "fires"),
    [
        ("1200.00", False),
        ("1200.04", False),  # 20.004 % is reported 20.00 %
        ("1200.05", True),  # 20.005 % is reported 20.01 %
        ("800.00", False),
        ("799.96", False),
        ("799.95", True),
    ],
)
def test_the_electricity_rule_compares_used_with_purchased(used, fires):
    rule = _rule(K.ELECTRICITY_VS_PURCHASES, "20")
    current = _figures(electricity_used_mwh=D(used), electricity_purchased_mwh=D("1000.00"))
    assert _fired(rule, current) == ([K.ELECTRICITY_VS_PURCHASES] if fires else [])
    # The consumption lines' sum, when given, stands for the engine's electricity used.
    assert _fired(rule, _figures(), electricity_used_mwh=D(used)) == ([rule.kind] if fires else [])


@pytest.mark.parametrize(
    ("before", "now", "fires"),
    [("49.99", "100.00", True), ("50.00", "100.00", False), ("10", "99.99", False), ("100", "100", False)],
)
def test_a_share_jumping_to_100_warns_only_from_below_the_threshold(before, now, fires):
    rule = _rule(K.SHARE_JUMP, "50")
    previous = _figures(2024, shares={"water_reuse": D(before)})
    current = _figures(2025, shares={"water_reuse": D(now)})
    found = rule_warnings({rule.kind: rule}, current, previous)
    assert [w["path"] for w in found] == (["resources.water_m3"] if fires else [])


def test_a_disabled_rule_is_silent_and_the_severity_is_the_rule_rows():
    off = _rule(K.ENERGY_CHANGE, "1", enabled=False)
    assert _fired(off, _figures(energy_tce=D("500")), _figures(2024)) == []
    serious = _rule(K.ENERGY_CHANGE, "1", severity="serious")
    with translation.override("en"):
        (warning,) = rule_warnings({serious.kind: serious}, _figures(energy_tce=D("500")), _figures(2024))
    assert (warning["severity"], warning["severity_label"]) == ("serious", "Serious")


def test_without_a_previous_year_only_the_same_year_rules_apply():
    rules = {kind: _rule(kind, "0") for kind in K.values}
    current = _figures(energy_tce=D("500"), electricity_used_mwh=D("5000"), shares={"water_reuse": D(100)})
    found = rule_warnings(rules, current, None, enterprises_tce=D("1000"))
    assert sorted(w["rule"] for w in found) == sorted([K.ENTERPRISES_VS_PARK, K.ELECTRICITY_VS_PURCHASES])


def test_the_key_enterprises_total_sums_the_energy_column():
    rows = [{"energy_tce": "21000"}, {"energy_tce": "12500.5"}, {"energy_tce": None}, "junk"]
    assert enterprises_energy_tce(rows) == D("33500.5")
    assert enterprises_energy_tce([]) is None
    assert enterprises_energy_tce("text") is None


# ---- on stored documents, through the engine ------------------------------------------------------


def _document(year, **electricity):
    return {
        "schema": "zcpark.dataset/2",
        "park": {"name": "测试园", "park_type": "non_chemical"},
        "year": year,
        "method": {"electricity_tce_basis": "calorific"},
        "electricity_mwh": {key: str(value) for key, value in electricity.items()},
    }


@pytest.fixture
def rules_default(db):
    """The seeded rules, as the migration left them."""
    return {rule.kind: rule for rule in QualityRule.objects.all()}


def test_the_migration_seeds_one_enabled_rule_per_kind(rules_default):
    assert sorted(rules_default) == sorted(K.values)
    assert all(rule.enabled for rule in rules_default.values())


def test_dataset_warnings_reads_the_previous_year_and_the_rules_from_the_database(
    factors, rules_default, django_assert_num_queries
):
    park = ParkFactory()
    ParkDataset.objects.create(park=park, year=2024, document=_document(2024, grid=10000))
    # 2025: the same grid power plus as much green power: energy ×2 (+100 %), emissions unchanged,
    # the core indicator halved (−50 %); used = purchased, so the electricity rule is quiet.
    current = _document(2025, grid=10000, green_direct=10000)
    dataset_warnings(park, 2025, current)  # the reference data is parsed and cached once
    # rules, current scheme, current factor set, the park's accepted exemptions, the previous year
    with django_assert_num_queries(5):
        found = dataset_warnings(park, 2025, current)
    assert sorted(w["rule"] for w in found) == sorted([K.ENERGY_CHANGE, K.CORE_CHANGE])
    QualityRule.objects.filter(kind=K.CORE_CHANGE).update(enabled=False, severity="serious")
    assert [w["rule"] for w in dataset_warnings(park, 2025, current)] == [K.ENERGY_CHANGE]
    QualityRule.objects.filter(kind=K.ENERGY_CHANGE).update(severity="info")
    assert [w["severity"] for w in dataset_warnings(park, 2025, current)] == ["info"]


def test_dataset_warnings_without_a_previous_year_applies_the_same_year_rules(factors, rules_default):
    park = ParkFactory()
    found = dataset_warnings(park, 2025, _document(2025, grid=10000, onsite_renewable=5000))
    assert [w["rule"] for w in found] == [K.ELECTRICITY_VS_PURCHASES]
    assert found[0]["path"] == "electricity_mwh"


def test_a_share_that_jumps_to_100_is_found_in_the_documents(factors, rules_default):
    park = ParkFactory()
    previous = _document(2024, grid=10000, green_direct=1000)  # green power direct share 9.09 %
    found = dataset_warnings(park, 2025, _document(2025, green_direct=11000), previous=previous)
    assert K.SHARE_JUMP in [w["rule"] for w in found]


@pytest.mark.parametrize(
    "document",
    [
        None,
        "text",
        42,
        [],
        {},
        {"year": "x"},
        {"schema": "zcpark.dataset/2", "energy": "junk"},
        {"year": 2025},
    ],
)
def test_odd_documents_give_no_warning_and_never_raise(factors, rules_default, document):
    park = ParkFactory()
    assert dataset_warnings(park, 2025, document) == []
    assert dataset_warnings(park, "2025", _document(2025, grid=1), previous=document) == []
    assert dataset_warnings(None, None, document) == []


def test_years_warnings_checks_each_year_against_the_one_before(
    factors, rules_default, django_assert_num_queries
):
    park = ParkFactory()
    ParkDataset.objects.create(park=park, year=2022, document=_document(2022, grid=10000))
    documents = {
        2023: _document(2023, grid=20000),
        2024: _document(2024, grid=20000),
        2025: None,
    }
    years_warnings(park, documents)
    with django_assert_num_queries(5):  # rules, current scheme, current factor set, 2022, exemptions
        found = years_warnings(park, documents)
    assert sorted(w["rule"] for w in found[2023]) == sorted([K.ENERGY_CHANGE, K.EMISSIONS_CHANGE])
    assert found[2024] == [] and 2025 not in found


def test_the_figures_count_only_the_parks_accepted_exemptions(factors, rules_default):
    """A reason typed in the dataset without an accepted exemption does not make the indicator exempt: its
    value is in the figures, as in the park's stored results (the calculator, with no park, keeps it)."""
    from indicators.quality import figures_of, quality_reference
    from tests.indicators.factories import dataset_document

    document = dataset_document(exemptions={"water_reuse": "园区无工业用水"})
    reference = quality_reference()
    assert "water_reuse" in figures_of(document, reference, {}).shares  # no exemption accepted
    assert "water_reuse" not in figures_of(document, reference, {"water_reuse": "省已同意"}).shares
    assert "water_reuse" not in figures_of(document, reference).shares  # no park: as typed
