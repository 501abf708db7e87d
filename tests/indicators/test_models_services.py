"""Factor-set and scheme versions, park-year datasets: models, services and selectors."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from indicators import selectors, services
from indicators.engine.factors import BY_YEAR_BASES
from indicators.models import FactorSet, GridBasis, ParkDataset, Scheme
from tests.indicators.factories import FIXTURES, dataset_document, load_factor_data
from zcpark.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NON_PROVINCE = ("observer", "expert", "reviewer_a", "staff_a")


@pytest.fixture
def factor_data(db) -> None:
    load_factor_data()


def _add(world, **kwargs):
    data = {
        "by": world.province,
        "basis": "national_fossil",
        "year": 2024,
        "value": Decimal("0.8100"),
        "source": "生态环境部公告 2026 年第 1 号",
        "provisional": False,
    }
    return services.factor_set_add_grid_factor(publish=True, **{**data, **kwargs})


def test_grid_basis_choices_are_the_engines_by_year_bases():
    # The fixed basis (0.8325, 附件4) is a method constant, never a by-year factor the province adds.
    assert tuple(GridBasis.values) == BY_YEAR_BASES


def test_factor_set_load_fixture_creates_current_version_1():
    factor_set, created = services.factor_set_load_fixture(path=FIXTURES / "factor_sets" / "cn-2026.1.json")
    assert created
    assert (factor_set.family, factor_set.version, factor_set.name) == ("cn-2026", 1, "cn-2026.1")
    assert factor_set.is_current
    assert factor_set.document["name"] == "cn-2026.1"


def test_load_factor_data_command_is_idempotent():
    call_command("load_factor_data", stdout=StringIO())
    call_command("load_factor_data", stdout=StringIO())
    assert list(FactorSet.objects.values_list("name", "is_current")) == [("cn-2026.1", True)]
    assert sorted(Scheme.objects.values_list("code", "version", "is_current")) == [
        ("jiangxi-2025", 1, True),
        ("national-2025", 1, True),
    ]


def test_load_reference_data_also_loads_the_factor_data():
    call_command("load_reference_data", stdout=StringIO())
    assert selectors.factor_set_current().name == "cn-2026.1"
    assert selectors.scheme_codes() == ["jiangxi-2025", "national-2025"]


def test_factor_set_add_grid_factor_creates_current_version_2_and_keeps_version_1(world, factor_data):
    new = _add(world)
    assert (new.name, new.version, new.is_current, new.based_on.name) == ("cn-2026.2", 2, True, "cn-2026.1")
    old = FactorSet.objects.get(name="cn-2026.1")
    assert not old.is_current
    assert not any(row["year"] == 2024 for row in old.document["grid_factors"])
    assert selectors.factor_set_current().name == "cn-2026.2"


def test_factor_set_add_grid_factor_keeps_the_values_source_and_provisional_flag(world, factor_data):
    new = _add(world, provisional=True, source="江西省生态环境厅（征求意见稿）")
    factor = selectors.factor_set_current().grid_factors[("national_fossil", 2024)]
    assert (factor.value, factor.source, factor.provisional) == (
        Decimal("0.81"),
        "江西省生态环境厅（征求意见稿）",
        True,
    )
    assert "第 2 版" in new.title


def test_factor_set_add_grid_factor_rejects_an_existing_year_without_replace(world, factor_data):
    with pytest.raises(ValidationError) as exc:
        _add(world, year=2023)
    assert "year" in exc.value.message_dict
    assert FactorSet.objects.count() == 1


def test_factor_set_add_grid_factor_replaces_and_audits_from_to(world, factor_data):
    new = _add(world, year=2023, value=Decimal("0.8300"), replace=True, comment="更正")
    assert selectors.factor_set_current().grid_factors[("national_fossil", 2023)].value == Decimal("0.83")
    event = AuditEvent.objects.for_object(new).order_by("pk").first()  # its creation; then the publication
    assert (event.action, event.from_state, event.to_state) == (
        "factor_set_grid_factor_replaced",
        "cn-2026.1",
        "cn-2026.2",
    )
    old_value, new_value = event.changes["grid_factor national_fossil 2023"]
    assert old_value.startswith("0.8273") and new_value.startswith("0.83")


def test_factor_set_add_grid_factor_rejects_replacing_with_the_same_value(world, factor_data):
    current = FactorSet.objects.get().document
    source = next(
        r["source"] for r in current["grid_factors"] if r["basis"] == "national_fossil" and r["year"] == 2023
    )
    with pytest.raises(ValidationError):
        _add(world, year=2023, value=Decimal("0.8273"), source=source, replace=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("value", Decimal("0")),
        ("value", Decimal("-0.5")),
        ("value", Decimal("10")),
        ("value", Decimal("0.1234567")),
        ("year", 1999),
        ("year", 2101),
        ("basis", "custom"),
        ("source", "  "),
    ],
)
def test_factor_set_add_grid_factor_rejects_invalid_input(world, factor_data, field, value):
    with pytest.raises(ValidationError) as exc:
        _add(world, **{field: value})
    assert field in exc.value.message_dict


@pytest.mark.parametrize("name", NON_PROVINCE)
def test_factor_set_add_grid_factor_is_denied_to_everyone_but_the_province(world, factor_data, name):
    with pytest.raises(PermissionDenied):
        _add(world, by=getattr(world, name))


def test_one_current_version_per_family_is_a_database_constraint(factor_data):
    current = FactorSet.objects.get()
    with pytest.raises(IntegrityError):
        FactorSet.objects.create(
            family="cn-2026", version=9, name="cn-2026.9", document=current.document, is_current=True
        )


def test_factor_set_current_parses_each_version_once(world, factor_data):
    assert selectors.factor_set_current() is selectors.factor_set_current()
    _add(world)
    assert selectors.factor_set_current().name == "cn-2026.2"


def test_scheme_new_version_changes_a_guiding_threshold_and_becomes_current(world, factor_data):
    scheme = services.scheme_new_version(
        publish=True,
        by=world.province,
        code="jiangxi-2025",
        thresholds={"clean_energy_share": Decimal("85")},
        comment="省发改委通知",
    )
    assert (scheme.version, scheme.is_current, scheme.based_on.version) == (2, True, 1)
    rule = next(r for r in selectors.scheme_current("jiangxi-2025").guiding if r.code == "clean_energy_share")
    assert rule.value == Decimal("85")
    assert not Scheme.objects.get(code="jiangxi-2025", version=1).is_current


def test_scheme_new_version_changes_a_core_tier(world, factor_data):
    services.scheme_new_version(
        publish=True,
        by=world.province,
        code="jiangxi-2025",
        thresholds={"carbon_per_energy:1": Decimal("0.45")},
    )
    tiers = {tier.park_type: tier.value for tier in selectors.scheme_current("jiangxi-2025").core.tiers}
    assert tiers == {"chemical": Decimal("0.6"), "non_chemical": Decimal("0.45")}


def test_scheme_new_version_audits_each_changed_threshold(world, factor_data):
    scheme = services.scheme_new_version(
        publish=True,
        by=world.province,
        code="jiangxi-2025",
        thresholds={"water_reuse": Decimal("85"), "offset_share": Decimal("5")},
    )
    event = AuditEvent.objects.for_object(scheme).order_by("pk").first()  # its creation
    assert event.action == "scheme_version_created"
    assert event.changes == {"water_reuse": ["80", "85"]}


def test_scheme_new_version_rejects_unchanged_thresholds(world, factor_data):
    with pytest.raises(ValidationError):
        services.scheme_new_version(
            publish=True, by=world.province, code="jiangxi-2025", thresholds={"water_reuse": Decimal("80.00")}
        )


@pytest.mark.parametrize(
    "thresholds",
    [
        {"water_reuse": Decimal("101")},
        {"green_buildings": Decimal("1.5")},
        {"no_such_indicator": Decimal("1")},
    ],
)
def test_scheme_new_version_rejects_invalid_thresholds(world, factor_data, thresholds):
    with pytest.raises(ValidationError):
        services.scheme_new_version(
            publish=True, by=world.province, code="jiangxi-2025", thresholds=thresholds
        )
    assert Scheme.objects.filter(code="jiangxi-2025").count() == 1


@pytest.mark.parametrize("name", NON_PROVINCE)
def test_scheme_new_version_is_denied_to_everyone_but_the_province(world, factor_data, name):
    with pytest.raises(PermissionDenied):
        services.scheme_new_version(
            publish=True,
            by=getattr(world, name),
            code="jiangxi-2025",
            thresholds={"water_reuse": Decimal("85")},
        )


@pytest.mark.parametrize("name", ["staff_a", "province"])
def test_park_dataset_save_is_allowed_to_the_parks_staff_and_the_province(world, name):
    dataset = services.park_dataset_save(
        by=getattr(world, name), park=world.park_a, year=2025, document=dataset_document()
    )
    assert (dataset.park, dataset.year) == (world.park_a, 2025)


@pytest.mark.parametrize("name", ["staff_b", "reviewer_a", "observer", "expert"])
def test_park_dataset_save_is_denied_to_anyone_else(world, name):
    with pytest.raises(PermissionDenied):
        services.park_dataset_save(
            by=getattr(world, name), park=world.park_a, year=2025, document=dataset_document()
        )
    assert not ParkDataset.objects.exists()


def test_park_dataset_save_rejects_a_document_for_another_year(world):
    with pytest.raises(ValidationError) as exc:
        services.park_dataset_save(
            by=world.staff_a, park=world.park_a, year=2024, document=dataset_document(year=2025)
        )
    assert "year" in exc.value.message_dict


def test_park_dataset_save_rejects_a_year_out_of_range(world):
    with pytest.raises(ValidationError):
        services.park_dataset_save(
            by=world.staff_a, park=world.park_a, year=1999, document=dataset_document(year=1999)
        )


def test_park_dataset_save_stores_decimals_as_exact_strings(world):
    document = dataset_document(offsets_tco2={"ccer": Decimal("12.30")})
    dataset = services.park_dataset_save(by=world.staff_a, park=world.park_a, year=2025, document=document)
    dataset.refresh_from_db()
    assert dataset.document["offsets_tco2"] == {"ccer": "12.30"}


def test_park_dataset_save_replaces_the_years_document_and_audits_it(world):
    services.park_dataset_save(by=world.staff_a, park=world.park_a, year=2025, document=dataset_document())
    document = dataset_document(electricity_mwh={"grid": "1"})
    dataset = services.park_dataset_save(by=world.staff_a, park=world.park_a, year=2025, document=document)
    assert ParkDataset.objects.get().document["electricity_mwh"] == {"grid": "1"}
    assert [e.action for e in AuditEvent.objects.for_object(dataset)] == [
        "dataset_updated",
        "dataset_created",
    ]


def test_park_dataset_save_computes_the_results_after_commit(
    world, factor_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = services.park_dataset_save(
            by=world.staff_a, park=world.park_a, year=2025, document=dataset_document()
        )
    assert sorted(dataset.results.values_list("scheme_code", flat=True)) == ["jiangxi-2025", "national-2025"]


def test_park_dataset_save_refuses_a_park_type_other_than_the_registered_one(world):
    document = dataset_document()
    document["park"] = {"park_type": "chemical"}  # park_a is registered non-chemical
    with pytest.raises(ValidationError) as exc:
        services.park_dataset_save(by=world.staff_a, park=world.park_a, year=2025, document=document)
    assert "park.park_type" in exc.value.message_dict


def test_park_dataset_save_fills_in_the_registered_park_type(world):
    document = dataset_document()
    document["park"] = {"name": "x"}
    dataset = services.park_dataset_save(by=world.staff_a, park=world.park_a, year=2025, document=document)
    assert dataset.document["park"] == {"name": "x", "park_type": "non_chemical"}


# ---- the method as data: equivalent-value coefficients and method constants ------------------------


def test_a_coefficient_year_is_a_new_version_and_recomputes_with_history(world, factor_data):
    from indicators.models import IndicatorResult
    from tests.indicators.factories import ParkDatasetFactory

    dataset = ParkDatasetFactory(park=world.park_a, year=2026)
    services.indicator_results_recompute_all(reason="first")
    before = selectors.indicator_result_current(dataset=dataset, scheme_code="jiangxi-2025")
    assert before.document["factors"]["electricity_tce_factor_year"] == 2022
    new = services.factor_set_add_equivalent_coefficient(
        publish=True,
        by=world.province,
        year=2025,
        value=Decimal("0.2980"),
        source="中电联 2025 年发电标准煤耗（测试）",
    )
    services.indicator_results_recompute_all(reason="coefficient")
    after = selectors.indicator_result_current(dataset=dataset, scheme_code="jiangxi-2025")
    assert (new.name, new.is_current, new.based_on.name) == ("cn-2026.2", True, "cn-2026.1")
    assert [row["year"] for row in new.document["electricity_equivalent"]] == [2021, 2022, 2025]
    factors = after.document["factors"]
    assert (factors["electricity_tce_factor_year"], factors["electricity_tce_per_mwh"]) == (2025, "0.298")
    assert IndicatorResult.objects.get(pk=before.pk).superseded_at == after.computed_at
    event = AuditEvent.objects.filter(action="factor_set_coefficient_added").get()
    assert (event.from_state, event.to_state) == ("cn-2026.1", "cn-2026.2")


def test_a_coefficient_year_that_exists_is_replaced_only_when_asked(world, factor_data):
    with pytest.raises(ValidationError) as exc:
        services.factor_set_add_equivalent_coefficient(
            publish=True, by=world.province, year=2022, value=Decimal("0.3001"), source="更正"
        )
    assert "year" in exc.value.message_dict
    replaced = services.factor_set_add_equivalent_coefficient(
        publish=True, by=world.province, year=2022, value=Decimal("0.3001"), source="更正", replace=True
    )
    assert {r["year"]: r["value"] for r in replaced.document["electricity_equivalent"]} == {
        2021: "0.3015",
        2022: "0.3001",
    }


@pytest.mark.parametrize(
    ("value", "source", "field"),
    [(Decimal("0"), "公告", "value"), (Decimal("1.2"), "公告", "value"), (Decimal("0.3"), " ", "source")],
)
def test_a_coefficient_out_of_range_or_without_source_is_refused(world, factor_data, value, source, field):
    with pytest.raises(ValidationError) as exc:
        services.factor_set_add_equivalent_coefficient(
            publish=True, by=world.province, year=2024, value=value, source=source
        )
    assert field in exc.value.message_dict
    assert FactorSet.objects.count() == 1


def test_the_missing_coefficient_year_makes_refused_data_recomputable(world, factor_data):
    """A 2021 dataset has no 等价值 coefficient for 2020: an errors result, until the province adds 2020."""
    from tests.indicators.factories import ParkDatasetFactory

    dataset = ParkDatasetFactory(park=world.park_a, year=2021)
    services.indicator_results_recompute_all(reason="first")
    refused = selectors.indicator_result_current(dataset=dataset, scheme_code="jiangxi-2025")
    assert not refused.ok
    assert refused.document["errors"][0]["path"] == "method.electricity_tce_basis"
    services.factor_set_add_equivalent_coefficient(
        publish=True, by=world.province, year=2020, value=Decimal("0.3051"), source="测试"
    )
    services.indicator_results_recompute_all(reason="2020 added")
    computed = selectors.indicator_result_current(dataset=dataset, scheme_code="jiangxi-2025")
    assert computed.ok and computed.document["factors"]["electricity_tce_factor_year"] == 2020


def test_a_corrected_method_constant_is_a_new_version_and_moves_every_result(world, factor_data):
    from tests.indicators.factories import ParkDatasetFactory

    dataset = ParkDatasetFactory(park=world.park_a, year=2025)
    services.indicator_results_recompute_all(reason="first")
    new = services.factor_set_correct_constant(
        publish=True,
        by=world.province,
        key="national_fossil_fixed_tco2_per_mwh",
        value=Decimal("0.8300"),
        source="更正通知（测试）",
        comment="官方更正",
    )
    services.indicator_results_recompute_all(reason="constant")
    result = selectors.indicator_result_current(dataset=dataset, scheme_code="jiangxi-2025")
    assert new.document["constants"]["national_fossil_fixed_tco2_per_mwh"]["value"] == "0.83"
    assert result.document["factors"]["grid_ef_tco2_per_mwh"] == "0.83"
    assert result.factor_set_name == "cn-2026.2"
    event = AuditEvent.objects.filter(action="factor_set_constant_corrected").get()
    assert event.comment == "官方更正"


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("transform_of", Decimal("1.2"), "value"),
        ("nonsense", Decimal("1"), "key"),
        ("heat_ef_tco2_per_gj", Decimal("0.11"), "value"),  # the value it already has
    ],
)
def test_a_constant_correction_out_of_range_unknown_or_unchanged_is_refused(
    world, factor_data, key, value, field
):
    source = "附件4：热力碳排放因子缺省值（0.11 tCO2/GJ）" if key == "heat_ef_tco2_per_gj" else "测试"
    with pytest.raises(ValidationError) as exc:
        services.factor_set_correct_constant(
            publish=True, by=world.province, key=key, value=value, source=source
        )
    assert field in exc.value.message_dict
    assert FactorSet.objects.count() == 1


def test_only_the_province_changes_the_method(world, factor_data):
    with pytest.raises(PermissionDenied):
        services.factor_set_add_equivalent_coefficient(
            publish=True, by=world.reviewer_a, year=2024, value=Decimal("0.3"), source="测试"
        )
    with pytest.raises(PermissionDenied):
        services.factor_set_correct_constant(
            publish=True, by=world.staff_a, key="transform_of", value=Decimal("1"), source="测试"
        )


def _old_national_fixture(tmp_path):
    """national-2025 as the v1 portal loaded it: no advisory, no clean-energy flag."""
    import json

    document = json.loads((FIXTURES / "schemes" / "national-2025.json").read_text("utf-8"))
    document.pop("advisories")
    document.pop("clean_energy_definition_provisional")
    path = tmp_path / "national-2025.json"
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    return path


def test_a_changed_scheme_fixture_is_published_as_the_next_version_once(tmp_path):
    services.scheme_load_fixture(path=_old_national_fixture(tmp_path))
    scheme, changed = services.scheme_load_fixture(path=FIXTURES / "schemes" / "national-2025.json")
    assert (scheme.version, scheme.is_current, changed) == (2, True, True)
    assert scheme.document["advisories"][0]["code"] == "green_power_direct_below_50"
    assert selectors.scheme_current("national-2025").advisories[0].indicator == "green_power_direct_share"
    again, changed = services.scheme_load_fixture(path=FIXTURES / "schemes" / "national-2025.json")
    assert (again.pk, changed) == (scheme.pk, False)


def test_a_changed_scheme_fixture_never_overrides_the_provinces_version(world, tmp_path):
    services.scheme_load_fixture(path=_old_national_fixture(tmp_path))
    provinces = services.scheme_new_version(
        publish=True, by=world.province, code="national-2025", thresholds={"water_reuse": Decimal("85")}
    )
    scheme, changed = services.scheme_load_fixture(path=FIXTURES / "schemes" / "national-2025.json")
    assert (scheme.pk, changed) == (provinces.pk, False)
    assert Scheme.objects.filter(code="national-2025").count() == 2
