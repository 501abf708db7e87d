from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from parks.geojson import boundary_sketch, parse_geojson, validate_boundary_geojson

# The extent comes from the province's reference data (read from the database when it is loaded).
pytestmark = pytest.mark.django_db

SQUARE = [[115.80, 28.70], [115.90, 28.70], [115.90, 28.80], [115.80, 28.80], [115.80, 28.70]]


def polygon(ring):
    return {"type": "Polygon", "coordinates": [ring]}


def test_validate_boundary_accepts_a_closed_polygon_in_jiangxi():
    validate_boundary_geojson(polygon(SQUARE))


def test_validate_boundary_accepts_a_multipolygon():
    validate_boundary_geojson({"type": "MultiPolygon", "coordinates": [[SQUARE]]})


def test_validate_boundary_accepts_none():
    validate_boundary_geojson(None)


@pytest.mark.parametrize(
    ("geometry", "code"),
    [
        ({"type": "Point", "coordinates": [115.8, 28.7]}, "invalid_type"),
        (polygon(SQUARE[:-1]), "not_closed"),
        (polygon(SQUARE[:3]), "invalid"),
        (polygon([[lat, lon] for lon, lat in SQUARE]), "out_of_bounds"),
        (polygon([[12890000.0, 3330000.0]] * 4), "out_of_bounds"),
        (
            polygon([[115.8, 28.7], [115.9, 28.8], [115.9, 28.7], [115.8, 28.8], [115.8, 28.7]]),
            "invalid_geometry",
        ),
        (polygon([["东", 28.7], [115.9, 28.7], [115.9, 28.8], ["东", 28.7]]), "invalid"),
        ({"type": "Polygon", "coordinates": []}, "invalid"),
        (polygon([[float("nan"), 28.7], [115.9, 28.7], [115.9, 28.8], [float("nan"), 28.7]]), "invalid"),
        (polygon([["115.8", 28.7], [115.9, 28.7], [115.9, 28.8], ["115.8", 28.7]]), "invalid"),
    ],
    ids=[
        "point",
        "open-ring",
        "too-few",
        "lat-lon-swapped",
        "projected",
        "bow-tie",
        "not-a-number",
        "empty",
        "nan",
        "numeric-string",
    ],
)
def test_validate_boundary_rejects_bad_geometry_with_a_named_reason(geometry, code):
    with pytest.raises(ValidationError) as exc:
        validate_boundary_geojson(geometry)
    assert exc.value.code == code


def test_parse_geojson_unwraps_a_feature_collection_of_one():
    geometry = {"type": "Polygon", "coordinates": [SQUARE]}
    text = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]})
    assert parse_geojson(text)["type"] == "Polygon"


def test_parse_geojson_reports_the_position_of_a_syntax_error():
    with pytest.raises(ValidationError) as exc:
        parse_geojson('{"type": "Polygon",\n "coordinates": [}')
    assert exc.value.code == "invalid_json"
    assert exc.value.params == {"line": 2, "col": 18}


def test_parse_geojson_treats_blank_text_as_no_boundary():
    assert parse_geojson("   ") is None


def test_boundary_sketch_keeps_proportions_and_orientation():
    sketch = boundary_sketch(polygon(SQUARE), size=300)
    # 0.1° of longitude at 28.75°N is shorter than 0.1° of latitude: the sketch is taller than wide.
    assert sketch["height"] == 300
    assert 260 < sketch["width"] < 265
    first = sketch["rings"][0].split()[0]
    assert first == "0.0,300.0"  # south-west corner at the bottom left
