"""Text the database cannot hold (a NUL, an unpaired surrogate) is refused where it comes in with a 400
that names the field, never a 500, and nothing is saved (issue 12, finding 2)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from applications.models import DossierSection, SectionCode
from parks.zone_import import ZoneImportError, zone_catalog_import
from tests.applications.factories import ApplicationFactory
from tests.parks.factories import CityFactory
from zcpark.core.jsonio import InvalidJSON, parse_decimal_json

pytestmark = pytest.mark.django_db

NUL, SURROGATE = "\x00", "\ud800"


def test_a_query_parameter_with_a_nul_is_refused_naming_it(world, login):
    response = login(world.province).get(reverse("parks:park-list"), {"q": f"南昌{NUL}"})
    assert response.status_code == 400
    assert "q" in response.content.decode() and "NUL" in response.content.decode()


def test_an_api_query_parameter_with_a_nul_answers_the_json_error_shape(world, login):
    response = login(world.province).post(
        reverse("api-calculator") + "?scheme=%00", data="{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["scheme"]


def test_a_form_field_with_a_nul_is_refused_and_the_section_is_not_saved(world, login):
    application = ApplicationFactory(park=world.park_a)
    url = reverse("applications:section-edit", args=[application.pk, "organisation"])
    response = login(world.staff_a).post(url, {"leader": f"张{NUL}三"})
    assert response.status_code == 400 and "leader" in response.content.decode()
    assert not DossierSection.objects.filter(application=application, code=SectionCode.ORGANISATION).exists()


def test_an_api_body_with_an_unpaired_surrogate_is_refused_naming_the_path(world, login):
    application = ApplicationFactory(park=world.park_a)
    body = '{"sections": {"organisation": {"leader": "\\ud800"}}}'
    response = login(world.staff_a).patch(
        reverse("api-application-detail", args=[application.pk]), data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "sections.organisation.leader" in response.json()["detail"]


def test_a_dataset_document_with_a_nul_names_the_path():
    with pytest.raises(InvalidJSON) as caught:
        parse_decimal_json('{"park": {"name": "园\\u0000区"}, "year": 2025}')
    assert "park.name" in caught.value.document["errors"][0]["message"]
    assert parse_decimal_json('{"park": {"name": "园区"}}') == {"park": {"name": "园区"}}


def test_a_zone_catalog_row_with_a_nul_is_refused_with_its_row_and_column(world):
    CityFactory(code="360100", name="南昌市")
    text = "name,city_code,level,kind,catalog_code\n坏\x00区,360100,national,etdz,\n"
    with pytest.raises(ZoneImportError) as caught:
        zone_catalog_import(file=io.BytesIO(text.encode()), filename="zones.csv", by=None)
    assert [(e.row, e.column) for e in caught.value.row_errors] == [(2, "name")]


def test_a_surrogate_in_a_name_and_value_list_is_found():
    from zcpark.core.text import unstorable_field, unstorable_path

    assert unstorable_path({"a": [1, {"b": SURROGATE}]}) == "a.1.b"
    assert unstorable_field([("ok", ["x"]), ("bad", ["y", NUL])]) == "bad"
    assert unstorable_path({"fine": "文本"}) is None
