"""What an import of a dossier table changes: rows added, changed and removed, matched by the table's
natural key (the project's or enterprise's name, the indicator, the year), each changed value with its
old and new text as a reader sees it; and what the table still lacks before submission (warnings)."""

from __future__ import annotations

from typing import Any

from ..dossier.schema import SectionSpec, display_value, section_problems
from .specs import TableKind


def keyed_rows(kind: TableKind, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows by their key's value as text; a repeated key gets ``#2``, ``#3`` (names may repeat)."""
    found: dict[str, dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for row in rows or []:
        key = str(row.get(kind.key) if row.get(kind.key) is not None else "")
        seen[key] = seen.get(key, 0) + 1
        found[key if seen[key] == 1 else f"{key}#{seen[key]}"] = row
    return found


def table_diff(
    kind: TableKind, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The changes from ``before`` to ``after`` in the framework's shape: added and changed rows in the
    new order, then removed rows in the old order."""
    old, new = keyed_rows(kind, before), keyed_rows(kind, after)
    changes = []
    for key, row in new.items():
        previous = old.get(key)
        if previous is None:
            fields = _fields(kind, {}, row, blank_old=True)
            changes.append(_change(kind, key, row, "added", fields))
            continue
        fields = _fields(kind, previous, row)
        if fields:
            changes.append(_change(kind, key, row, "changed", fields))
    for key, row in old.items():
        if key not in new:
            changes.append(_change(kind, key, row, "removed", _fields(kind, row, {}, blank_new=True)))
    return changes


def _change(
    kind: TableKind, key: str, row: dict[str, Any], change: str, fields: list[dict[str, str]]
) -> dict[str, Any]:
    label = display_value(kind.key_column, row.get(kind.key))
    suffix = key.rpartition("#")[2] if "#" in key else ""
    return {
        "key": key,
        "label": f"{label} #{suffix}" if suffix else label,
        "change": change,
        "fields": fields,
    }


def _fields(
    kind: TableKind,
    old: dict[str, Any],
    new: dict[str, Any],
    *,
    blank_old: bool = False,
    blank_new: bool = False,
) -> list[dict[str, str]]:
    fields = []
    for column in kind.columns:
        if column.name == kind.key:
            continue
        before, after = old.get(column.name), new.get(column.name)
        if _same(before, after):
            continue
        fields.append(
            {
                "field": kind.column_label(column),
                "old": "" if blank_old else display_value(column, before),
                "new": "" if blank_new else display_value(column, after),
            }
        )
    return fields


def _same(a: Any, b: Any) -> bool:
    blank: tuple[Any, ...] = (None, "", [])
    return (a in blank and b in blank) or a == b


def table_warnings(kind: TableKind, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What the table still lacks before the dossier can be submitted (as the form's own notice lists
    it): never blocking, a draft may be half-filled."""
    spec = SectionSpec(kind.section, kind.label, "", (kind.table_spec,))
    return [
        {"severity": "info", "message": problem} for problem in section_problems(spec, {kind.table: rows})
    ]
