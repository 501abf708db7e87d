"""A small schema language for the dossier's form sections, and the one validator, completeness check and
flattener (for revision diffs and the PDF) that every section shares.

A section is a tuple of ``Field``s and ``Table``s. Stored data is JSON: text as str, decimals as
canonical strings (never floats), integers as int, booleans as bool, tables as lists of row dicts.
Saving a draft accepts missing values (a half-filled form is kept) but never a malformed one; the
completeness check (``section_problems``) lists what is still missing before submission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils.translation import gettext as _

from indicators.templatetags.zc_format import format_number, format_wan, unit_text

WAN_YUAN = "万元"  # the unit money is kept in (10,000 yuan)

FieldKind = Literal["text", "textarea", "decimal", "int", "bool", "choice", "multichoice"]


@dataclass(frozen=True)
class Field:
    name: str
    label: Any
    kind: FieldKind = "text"
    required: bool = True
    help: Any = ""
    unit: str = ""
    choices: tuple[tuple[str, Any], ...] = ()
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    decimal_places: int = 2
    max_length: int = 4000


@dataclass(frozen=True)
class Table:
    name: str
    label: Any
    columns: tuple[Field, ...]
    min_rows: int = 0
    max_rows: int = 300
    help: Any = ""


Item = Field | Table


@dataclass(frozen=True)
class SectionSpec:
    """A form section: its items, and optional extra completeness rules on the cleaned data."""

    code: str
    title: Any
    help: Any
    items: tuple[Item, ...]
    extra_problems: Callable[[dict[str, Any]], list[str]] | None = None
    # Checks across fields that make a value malformed (not merely missing), e.g. end year before start.
    extra_errors: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None
    notes: tuple[Any, ...] = field(default=())


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_value(spec: Field, value: Any) -> tuple[Any, str | None]:
    """One value as stored JSON, or an error message; blank values are stored as None."""
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value, None
        if _blank(value):
            return False, None
        if str(value).lower() in ("true", "on", "1", "yes"):
            return True, None
        if str(value).lower() in ("false", "off", "0", "no"):
            return False, None
        return None, _("Enter yes or no.")
    if spec.kind == "multichoice":
        values = value if isinstance(value, list) else ([] if _blank(value) else [value])
        allowed = {key for key, _label in spec.choices}
        bad = [str(v) for v in values if str(v) not in allowed]
        if bad:
            return None, _("Unknown choice: %(values)s.") % {"values": ", ".join(bad)}
        return [str(v) for v in values], None
    if _blank(value):
        return None, None
    if spec.kind in ("text", "textarea"):
        text = str(value).strip()
        if len(text) > spec.max_length:
            return None, _("At most %(n)s characters.") % {"n": spec.max_length}
        return text, None
    if spec.kind == "choice":
        if str(value) not in {key for key, _label in spec.choices}:
            return None, _("Unknown choice: %(values)s.") % {"values": value}
        return str(value), None
    return _clean_number(spec, value)


def _clean_number(spec: Field, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, float | bool):
        # Floats would carry binary noise into the dossier; JSON numbers arrive parsed as Decimal or int.
        value = str(value) if isinstance(value, float) else value
        if isinstance(value, bool):
            return None, _("Enter a number.")
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, _("Enter a number.")
    if not number.is_finite():
        return None, _("Enter a number.")
    if spec.kind == "int":
        if number != number.to_integral_value():
            return None, _("Enter a whole number.")
        number = number.to_integral_value()
    elif -number.as_tuple().exponent > spec.decimal_places:  # type: ignore[operator]
        return None, _("At most %(n)s decimal places.") % {"n": spec.decimal_places}
    if spec.min_value is not None and number < spec.min_value:
        return None, _("Must be at least %(min)s.") % {"min": spec.min_value}
    if spec.max_value is not None and number > spec.max_value:
        return None, _("Must be at most %(max)s.") % {"max": spec.max_value}
    if spec.kind == "int":
        return int(number), None
    return format(number.normalize(), "f") if number != 0 else "0", None


def row_path(table: Table, index: int, column: Field | None = None) -> str:
    """The error key of a table cell: ``projects.3.investment_wan`` (rows counted from 1)."""
    path = f"{table.name}.{index + 1}"
    return f"{path}.{column.name}" if column else path


def clean_section(spec: SectionSpec, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean ``raw`` against ``spec``: (data to store, errors keyed by field or ``table.row.column``).

    Unknown keys are errors too: a typo must not silently drop what the user typed.
    """
    if not isinstance(raw, dict):
        return {}, {"__all__": [_("The section must be a JSON object.")]}
    data: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    known = {item.name for item in spec.items}
    for key in raw:
        if key not in known:
            errors.setdefault(key, []).append(_("Unknown field."))
    for item in spec.items:
        value = raw.get(item.name)
        if isinstance(item, Field):
            data[item.name], error = clean_value(item, value)
            if error:
                errors.setdefault(item.name, []).append(error)
            continue
        data[item.name] = _clean_table(item, value, errors)
    if not errors and spec.extra_errors:
        errors.update(spec.extra_errors(data))
    return data, errors


def _clean_table(table: Table, value: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if _blank(value):
        return []
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        errors.setdefault(table.name, []).append(_("Expected a list of rows."))
        return []
    if len(value) > table.max_rows:
        errors.setdefault(table.name, []).append(_("At most %(n)s rows.") % {"n": table.max_rows})
        return []
    rows = []
    columns = {column.name for column in table.columns}
    for index, raw_row in enumerate(value):
        for key in raw_row:
            if key not in columns:
                errors.setdefault(row_path(table, index), []).append(
                    _("Unknown column: %(name)s.") % {"name": key}
                )
        row = {}
        for column in table.columns:
            row[column.name], error = clean_value(column, raw_row.get(column.name))
            if error:
                errors.setdefault(row_path(table, index, column), []).append(error)
        # A row left entirely blank in the form grid is not a row.
        if any(not _blank(v) and v is not False for v in row.values()):
            rows.append(row)
    return rows


def section_problems(spec: SectionSpec, data: dict[str, Any]) -> list[str]:
    """What still keeps the section from being complete, each message naming its field (or row and column)."""
    problems: list[str] = []
    for item in spec.items:
        value = data.get(item.name)
        if isinstance(item, Field):
            if item.required and item.kind != "bool" and _blank(value):
                problems.append(_("%(field)s is required.") % {"field": item.label})
            continue
        rows = value or []
        if len(rows) < item.min_rows:
            problems.append(
                _("%(table)s needs at least %(n)s row(s).") % {"table": item.label, "n": item.min_rows}
            )
        for index, row in enumerate(rows):
            for column in item.columns:
                if column.required and column.kind != "bool" and _blank(row.get(column.name)):
                    problems.append(
                        _("%(table)s, row %(row)s: %(field)s is required.")
                        % {"table": item.label, "row": index + 1, "field": column.label}
                    )
    if spec.extra_problems:
        problems.extend(spec.extra_problems(data))
    return problems


def display_value(spec: Field, value: Any) -> str:
    """A stored value as a reader sees it (choice labels, yes/no, numbers with thousands separators and
    their stored decimals, units); a year stays a year (2026, never 2,026)."""
    if value is None or value == "" or value == []:
        return "—"
    if spec.kind == "bool":
        return str(_("Yes")) if value else str(_("No"))
    if spec.kind in ("choice", "multichoice"):
        labels = dict(spec.choices)
        values = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(v, v)) for v in values)
    # A whole number whose least value is a calendar year holds a year (the sections' ``year`` fields).
    is_year = spec.kind == "int" and spec.min_value is not None and 1900 <= spec.min_value <= 2100
    if spec.unit == WAN_YUAN:
        return format_wan(value)  # 万元 in Chinese; in yuan where the language has no 万
    text = format_number(value) if spec.kind in ("decimal", "int") and not is_year else str(value)
    return f"{text} {unit_text(spec.unit)}" if spec.unit else text


def section_leaves(spec: SectionSpec, data: dict[str, Any]) -> dict[str, Any]:
    """Every stored value of a section under a stable key (``name``, or ``table[row].column``), as stored.

    Table rows are keyed by their first column's value when present (so a reordered table does not
    read as every row changed), else by position (``#2``).
    """
    leaves: dict[str, Any] = {}
    for item in spec.items:
        value = data.get(item.name)
        if isinstance(item, Field):
            leaves[item.name] = value
            continue
        seen: dict[str, int] = {}
        for index, row in enumerate(value or []):
            key_value = row.get(item.columns[0].name)
            row_key = str(key_value) if not _blank(key_value) else f"#{index + 1}"
            seen[row_key] = seen.get(row_key, 0) + 1
            if seen[row_key] > 1:
                row_key = f"{row_key}#{seen[row_key]}"
            for column in item.columns:
                leaves[f"{item.name}[{row_key}].{column.name}"] = row.get(column.name)
    return leaves


def leaf_field(spec: SectionSpec, key: str) -> tuple[str, Field] | None:
    """The reader's label of a ``section_leaves`` key, in the active language, and the field it holds; None
    for a key the section has not (a stored key of an older form)."""
    name, _sep, rest = key.partition("[")
    item = next((i for i in spec.items if i.name == name), None)
    if isinstance(item, Field):
        return (str(item.label), item) if not rest else None
    if item is None or "]." not in rest:
        return None
    row_key, _sep, column_name = rest.rpartition("].")
    column = next((c for c in item.columns if c.name == column_name), None)
    if column is None:
        return None
    first = item.columns[0]
    shown = row_key if row_key.startswith("#") else display_value(first, row_key.split("#")[0])
    return f"{item.label} · {shown} · {column.label}", column


def flatten_section(spec: SectionSpec, data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Every stored value under a stable key (``section_leaves``), with its reader's label and as a reader
    sees it: the unit of a revision diff."""
    flat: dict[str, tuple[str, str]] = {}
    for key, value in section_leaves(spec, data).items():
        found = leaf_field(spec, key)
        if found is not None:
            label, field_spec = found
            flat[key] = (label, display_value(field_spec, value))
    return flat
