"""A second, made-up province runs on the portal without a code change: its reference data
(tests/fixtures/provinces/testland: the province, two cities, their zones and its own indicator scheme)
is loaded, the review workflow runs to a published list, and the dashboard, the public page and the
boundary check speak of that province, its cities, its scheme and its goals."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from evaluation.models import ConstructionProject
from indicators.models import IndicatorResult
from indicators.selectors import local_scheme_code
from parks.geojson import validate_boundary_geojson
from parks.models import City, DevelopmentZone, Province
from parks.selectors import province_current
from tests.evaluation.factories import listed_project
from tests.parks.factories import ParkFactory, UserFactory

TESTLAND = Path(__file__).resolve().parent / "fixtures" / "provinces" / "testland"


@pytest.fixture
def testland(db, settings):
    settings.PROVINCE_DIR = TESTLAND
    call_command("load_reference_data", verbosity=0)
    zone = DevelopmentZone.objects.get(name="甲市经济技术开发区")
    park = ParkFactory(zone=zone, name="甲市零碳园区")
    return {
        "staff": UserFactory(username="jia_staff", staff=True, park=park),
        "reviewer": UserFactory(username="jia_city", reviewer=True, city=zone.city),
        "province": UserFactory(username="testland_drc", province=True),
    }


def _square(lon: float, lat: float) -> dict:
    ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def test_the_reference_data_is_the_second_provinces(testland):
    assert list(Province.objects.values_list("code", flat=True)) == ["990000"]
    assert list(City.objects.order_by("code").values_list("code", "name")) == [
        ("990100", "甲市"),
        ("990200", "乙市"),
    ]
    assert (province_current().name, local_scheme_code()) == ("试验省", "testland-2026")


def test_the_review_workflow_runs_to_a_project_under_the_provinces_scheme(testland):
    project = listed_project(testland)
    assert ConstructionProject.objects.get(pk=project.pk).park.zone.city.code == "990100"
    result = IndicatorResult.objects.current().get(
        dataset__park=project.park, dataset__year=2025, scheme_code="testland-2026"
    )
    core = next(item for item in result.document["indicators"] if item["code"] == "carbon_per_energy")
    assert core["threshold"]["value"] == "0.3"


def test_the_dashboard_counts_the_provinces_cities_against_its_goals(testland, login):
    listed_project(testland)
    html = login(testland["province"]).get(reverse("evaluation:dashboard")).content.decode()
    assert 'data-city="990100"' in html and 'data-city="990200"' in html
    assert 'id="goal-under_construction" data-count="1"' in html and 'data-goal-max="4"' in html
    # the province's scheme by its title, never its code
    assert "试验省零碳园区评价指标体系（2026）" in html and "试验省零碳园区建设管理平台" in html
    assert "testland-2026" not in html
    assert "江西" not in html


def test_the_public_pages_name_the_provinces_authority(testland, client):
    html = client.get(reverse("applications:public-lists")).content.decode()
    assert "试验省发展和改革委员会" in html and "江西" not in html


def test_a_boundary_must_lie_in_the_province(testland):
    validate_boundary_geojson(_square(101.0, 41.0))
    with pytest.raises(ValidationError, match="试验省"):
        validate_boundary_geojson(_square(115.8, 28.7))


def test_a_second_province_cannot_be_loaded_beside_the_first(testland, settings):
    from django.core.management.base import CommandError

    settings.PROVINCE_DIR = Path(settings.FIXTURES_DIR) / "provinces" / "jiangxi"
    with pytest.raises(CommandError, match="试验省"):
        call_command("load_reference_data", verbosity=0)
