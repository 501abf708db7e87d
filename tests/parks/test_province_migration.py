"""A database from before the province became reference data keeps its cities: migration 0002 gives them
Jiangxi's row, as fixtures/provinces/jiangxi/province.json describes it; an empty database gets none."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from parks.models import City, Province
from parks.selectors import PROVINCE_FIELDS, province_document

BEFORE = [("parks", "0001_initial")]
AFTER = [("parks", "0003_city_province_required")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_cities_belong_to_jiangxi_after_the_migration():
    old_apps = _migrate(BEFORE)
    try:
        OldCity = old_apps.get_model("parks", "City")
        OldCity.objects.create(code="360100", name="南昌市", plate="赣A")
        OldCity.objects.create(code="360700", name="赣州市", plate="赣B")
    finally:
        _migrate(AFTER)
    province = Province.objects.get()
    assert set(City.objects.values_list("province_id", flat=True)) == {province.pk}
    document = province_document()
    assert {name: getattr(province, name) for name in PROVINCE_FIELDS} == {
        name: document[name] for name in PROVINCE_FIELDS
    }


@pytest.mark.django_db(transaction=True)
def test_an_empty_database_gets_no_province_until_the_reference_data_is_loaded():
    _migrate(BEFORE)
    _migrate(AFTER)
    assert not Province.objects.exists()
