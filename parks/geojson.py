"""Validation of a park's optional boundary polygon (GeoJSON, WGS 84 lon/lat)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The province's name and extent ({"lon": [min, max], "lat": [min, max]}, with a margin), from its
# reference data (parks' ready() registers the reader): a point outside it is a swapped lat/lon or a
# projected coordinate, the two mistakes people actually make.
_EXTENT: list[Callable[[], tuple[str, dict[str, Any]]]] = []


def register_extent(reader: Callable[[], tuple[str, dict[str, Any]]]) -> None:
    _EXTENT[:] = [reader]


ALLOWED_TYPES = ("Polygon", "MultiPolygon")
MAX_POSITIONS = 20_000


def parse_geojson(value: Any) -> Any:
    """Accept a dict, or JSON text as typed into a form; unwrap a Feature or a one-feature collection."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("The boundary is not valid JSON (line %(line)s, column %(col)s)."),
                code="invalid_json",
                params={"line": exc.lineno, "col": exc.colno},
            ) from exc
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise ValidationError(_("A FeatureCollection must hold exactly one feature."), code="invalid")
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    return value


def validate_boundary_geojson(value: Any) -> None:
    """Raise ValidationError unless ``value`` is a valid Polygon/MultiPolygon inside the province."""
    if value is None:
        return
    if not isinstance(value, dict) or value.get("type") not in ALLOWED_TYPES:
        raise ValidationError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon."), code="invalid_type"
        )
    coords = value.get("coordinates")
    polygons = [coords] if value["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The boundary has no coordinates."), code="invalid")
    extent = _EXTENT[0]() if _EXTENT else None
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("A polygon needs at least one ring of positions."), code="invalid")
        for ring in polygon:
            count += _check_ring(ring, extent)
            if count > MAX_POSITIONS:
                raise ValidationError(
                    _("The boundary has more than %(max)s positions; simplify it."),
                    code="too_large",
                    params={"max": MAX_POSITIONS},
                )
    # Imported here: shapely (with numpy) costs every process ~80 ms to load, and most never draw a boundary.
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    geometry = shape(value)
    if not geometry.is_valid:
        raise ValidationError(
            _("The boundary polygon is not valid: %(reason)s."),
            code="invalid_geometry",
            params={"reason": explain_validity(geometry)},
        )


def _within(value: Decimal, bounds: list[str]) -> bool:
    return Decimal(str(bounds[0])) <= value <= Decimal(str(bounds[1]))


def _check_ring(ring: Any, extent: tuple[str, dict[str, Any]] | None) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(_("Each ring needs at least four positions."), code="invalid")
    for position in ring:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise ValidationError(_("Each position must be [longitude, latitude]."), code="invalid")
        lon, lat = (_number(position[0]), _number(position[1]))
        if extent is not None and not (_within(lon, extent[1]["lon"]) and _within(lat, extent[1]["lat"])):
            raise ValidationError(
                _(
                    "Position [%(lon)s, %(lat)s] lies outside %(province)s; positions are "
                    "[longitude, latitude] in WGS 84 degrees."
                ),
                code="out_of_bounds",
                params={"lon": position[0], "lat": position[1], "province": extent[0]},
            )
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise ValidationError(_("Each ring must end where it starts (a closed ring)."), code="not_closed")
    return len(ring)


def _number(value: Any) -> Decimal:
    """A coordinate: a finite JSON number (GeoJSON has no numeric strings, NaN or infinities)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(_("Coordinates must be numbers."), code="invalid")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValidationError(_("Coordinates must be numbers."), code="invalid")
    return number


def boundary_sketch(geometry: dict[str, Any] | None, *, size: int = 300) -> dict[str, Any] | None:
    """SVG polygon point lists for a validated boundary, scaled into a ``size``-wide viewBox.

    Longitude is scaled by cos(latitude) so the sketch keeps the park's real proportions.
    """
    if not geometry:
        return None
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    rings = [ring for polygon in polygons for ring in polygon]
    lons = [float(p[0]) for ring in rings for p in ring]
    lats = [float(p[1]) for ring in rings for p in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width = max((max(lons) - min(lons)) * kx, 1e-9)
    height = max(max(lats) - min(lats), 1e-9)
    scale = size / max(width, height)

    def point(p: list[Any]) -> str:
        x = (float(p[0]) - min(lons)) * kx * scale
        y = (max(lats) - float(p[1])) * scale
        return f"{x:.1f},{y:.1f}"

    return {
        "width": round(width * scale, 1),
        "height": round(height * scale, 1),
        "rings": [" ".join(point(p) for p in ring) for ring in rings],
    }
