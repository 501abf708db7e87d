"""A factor-set fixture whose name a draft holds is refused with a clear message, never "already loaded"
(the fixture would be silently ignored) — nor does it collide with the draft's name."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators import services
from indicators.models import FactorSet
from tests.indicators.factories import load_factor_data
from tests.indicators.workbook_helpers import FACTOR_SET

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    load_factor_data()
    return services.factor_set_correct_constant(
        by=world.province, key="national_fossil_fixed_tco2_per_mwh", value=Decimal("0.5"), source="测试"
    )


@pytest.fixture
def fixture_2(tmp_path):
    path = tmp_path / "cn-2026.2.json"
    path.write_text(json.dumps({**FACTOR_SET, "name": "cn-2026.2"}, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_fixture_named_as_an_open_draft_is_refused(world, draft, fixture_2):
    assert (draft.name, draft.status) == ("cn-2026.2", "draft")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.factor_set_load_fixture(path=fixture_2)
    assert "cn-2026.2 cannot be loaded: a draft made on the factor pages holds that version" in str(
        refused.value
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.document != FACTOR_SET | {"name": "cn-2026.2"}
    assert FactorSet.objects.get(is_current=True).name == "cn-2026.1"


def test_a_fixture_named_as_a_discarded_draft_is_refused(world, draft, fixture_2):
    services.reference_draft_discard(draft=draft, by=world.province)
    with translation.override("en"), pytest.raises(ValidationError, match="never given again"):
        services.factor_set_load_fixture(path=fixture_2)


def test_a_published_version_of_that_name_is_already_loaded(world, draft, fixture_2):
    services.reference_draft_publish(draft=draft, by=world.province)
    loaded, created = services.factor_set_load_fixture(path=fixture_2)
    assert (loaded.pk, created) == (draft.pk, False)
