"""A deploy runs load_reference_data every time: it adds what is missing and keeps what the province
changed since, listing the difference; --update resets it to the fixtures once confirmed (issue 12)."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command

from parks.models import City, DevelopmentZone

pytestmark = pytest.mark.django_db

ZONE = "南昌经济技术开发区"


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def test_a_second_load_keeps_the_provinces_zone_and_city_edits_and_lists_them():
    _load()
    DevelopmentZone.objects.filter(name=ZONE).update(catalog_code="G3601-EDITED")
    City.objects.filter(code="360100").update(plate="赣Z")
    output = _load()
    assert DevelopmentZone.objects.get(name=ZONE).catalog_code == "G3601-EDITED"
    assert City.objects.get(code="360100").plate == "赣Z"
    assert f"{ZONE}: catalog_code G3601-EDITED" in output and "南昌市: plate 赣Z → 赣A" in output


def test_a_second_load_adds_what_is_missing():
    _load()
    DevelopmentZone.objects.filter(name=ZONE).delete()
    _load()
    assert DevelopmentZone.objects.filter(name=ZONE).exists()


def test_update_resets_to_the_fixtures_once_confirmed_and_not_when_declined():
    _load()
    DevelopmentZone.objects.filter(name=ZONE).update(catalog_code="G3601-EDITED")
    with mock.patch("builtins.input", return_value="n"):
        assert "Nothing changed." in _load("--update")
    assert DevelopmentZone.objects.get(name=ZONE).catalog_code == "G3601-EDITED"
    with mock.patch("builtins.input", return_value="y"):
        _load("--update")
    assert DevelopmentZone.objects.get(name=ZONE).catalog_code != "G3601-EDITED"


def test_update_without_input_applies_at_once():
    _load()
    City.objects.filter(code="360100").update(plate="赣Z")
    _load("--update", "--no-input")
    assert City.objects.get(code="360100").plate == "赣A"
