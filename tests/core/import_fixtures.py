"""A tiny importer for the framework's tests: rows of ``{"key": …, "value": …}`` kept as JSON in a park's
boundary text (empty: nothing imported). A value "bad" is refused when applied; the park's own staff
imports, whoever sees the park sees. ``KIND_SAME_DATA``: a second kind that writes the same data."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError

from parks.models import Park, Role
from parks.permissions import acts_for_park, can_view_park
from zcpark.core.imports import IMPORTERS, Importer, register_importer

KIND = "test_rows"
KIND_SAME_DATA = "test_rows_again"


def _snapshot(park: Park) -> Any:
    park = Park.objects.get(pk=park.pk)
    return json.loads(park.boundary_text) if park.boundary_text else None


def _apply(park: Park, content: Any, by: Any) -> None:
    if content and any(row["value"] == "bad" for row in content):
        raise ValidationError({"value": ["A value is bad."]})
    Park.objects.filter(pk=park.pk).update(boundary_text=json.dumps(content) if content else "")


def _diff(before: Any, after: Any) -> list[dict[str, Any]]:
    old = {row["key"]: row["value"] for row in before or []}
    new = {row["key"]: row["value"] for row in after or []}
    rows = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old:
            change = "added"
        elif key not in new:
            change = "removed"
        elif old[key] != new[key]:
            change = "changed"
        else:
            continue
        field = {"field": "value", "old": old.get(key, ""), "new": new.get(key, "")}
        rows.append({"key": key, "label": key, "change": change, "fields": [field]})
    return rows


def _indicators(park: Park, content: Any) -> list[dict[str, Any]]:
    current = len(_snapshot(park) or [])
    return [{"label": "rows", "current": str(current), "resulting": str(len(content or []))}]


def _warnings(park: Park, content: Any) -> list[dict[str, Any]]:
    return [{"severity": "warning", "message": "Empty value"} for row in content or [] if not row["value"]]


TEST_IMPORTER = Importer(
    kind=KIND,
    label="Test rows",
    snapshot=_snapshot,
    apply=_apply,
    diff=_diff,
    may=lambda user, park: acts_for_park(user, Role.PARK_STAFF, park.pk, lambda: park.zone.city_id),
    sees=can_view_park,
    target_url=lambda park: f"/parks/{park.pk}/",
    indicators=_indicators,
    warnings=_warnings,
)


def register_test_importer() -> Importer:
    if KIND not in IMPORTERS:
        register_importer(TEST_IMPORTER)
    if KIND_SAME_DATA not in IMPORTERS:
        register_importer(replace(TEST_IMPORTER, kind=KIND_SAME_DATA, label="Test rows again"))
    return TEST_IMPORTER


def rows(**values: str) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in values.items()]
