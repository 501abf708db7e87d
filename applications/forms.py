"""Forms of the dossier pages: starting an application, uploading an energy year or an attachment, and the
generic section form that renders any ``SectionSpec`` and reads it back from a POST.

Section forms are not Django forms: the dossier schema (``dossier/schema.py``) is the one validator, and
the service ``dossier_section_save`` runs it. This module only names the inputs, turns a POST back into
the raw section dict, and places the service's errors (``projects.3.investment_wan``) on their inputs.

Posted names: a field posts under its own name (``area_km2``); a table cell under
``<table>-<row>-<column>`` (``projects-0-investment_wan``), ``row`` any number (the browser's add-row
button picks the next one), rows read in ascending order with entirely blank rows dropped, so row N of
the service's errors is the N-th row shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import IndicatorCode
from parks.models import Park
from zcpark.core.forms import BootstrapFormMixin

from . import selectors
from .dossier.schema import Field, SectionSpec, Table, display_value
from .dossier.sections import TaskCategory
from .models import AttachmentKind, Call, SectionCode
from .services.dossiers import ATTACHMENT_EXTENSIONS

ROW_PLACEHOLDER = "__row__"
CELL_NAME = re.compile(r"^(?P<table>[a-z0-9_]+)-(?P<row>\d{1,5})-(?P<column>[a-z0-9_]+)$")
# Tables wider than this, or with multi-choice or long-text columns, are edited as one card per row.
GRID_MAX_COLUMNS = 6


# --- Plain forms --------------------------------------------------------------------------------


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Call) -> str:
        return _("%(call)s (deadline %(deadline)s)") % {"call": obj.title, "deadline": obj.deadline}


class ApplicationStartForm(BootstrapFormMixin, forms.Form):
    """Park staff choose the open call to apply in (calls their park already applies in are left out)."""

    call = CallChoiceField(
        label=gettext_lazy("Call for applications"),
        queryset=Call.objects.none(),
        empty_label=None,
        help_text=gettext_lazy(
            "Only calls that are open and before their deadline are listed. A draft dossier is created; "
            "you can fill it in over several sessions and submit it before the deadline."
        ),
    )

    def __init__(self, *args: Any, park: Park, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = selectors.calls_open_to(park, today=today)  # type: ignore[attr-defined]


class AttachmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type of evidence"), choices=())
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=128,
        required=False,
        help_text=gettext_lazy("Optional: e.g. the document number or what the file shows."),
    )
    indicator = forms.ChoiceField(
        label=gettext_lazy("Indicator (evidence for an exemption only)"),
        required=False,
        choices=[("", "—")]
        + [(code, label) for code, label in IndicatorCode.choices if code != IndicatorCode.CARBON_PER_ENERGY],
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args: Any, required_kinds: list[str], max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (code, f"{label} ({_('required')})" if code in required_kinds else str(label))
            for code, label in AttachmentKind.choices
        ]
        types = ", ".join(f".{ext}" for ext in sorted(ATTACHMENT_EXTENSIONS))
        self.fields["file"].help_text = _("Allowed types: %(types)s; at most %(mb)s MB.") % {
            "types": types,
            "mb": max_bytes // 1048576,
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in sorted(ATTACHMENT_EXTENSIONS)
        )


# --- Section forms ------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value is False or value == [] or (isinstance(value, str) and not value.strip())


def _posted(spec: Field, post: QueryDict, name: str) -> Any:
    if spec.kind == "multichoice":
        return post.getlist(name)
    if spec.kind == "bool":
        return post.get(name) is not None
    return post.get(name, "")


def section_data_from_post(spec: SectionSpec, post: QueryDict) -> dict[str, Any]:
    """The raw section dict (as the service takes it) that the posted form describes."""
    raw: dict[str, Any] = {}
    row_ids: dict[str, set[int]] = {}
    for key in post:
        match = CELL_NAME.match(key)
        if match:
            row_ids.setdefault(match["table"], set()).add(int(match["row"]))
    for item in spec.items:
        if isinstance(item, Field):
            raw[item.name] = _posted(item, post, item.name)
            continue
        rows = []
        for row_id in sorted(row_ids.get(item.name, ())):
            row = {c.name: _posted(c, post, f"{item.name}-{row_id}-{c.name}") for c in item.columns}
            if not all(_blank(value) for value in row.values()):
                rows.append(row)
        raw[item.name] = rows
    return raw


@dataclass
class BoundField:
    """One input (a field or a table cell) with its value as typed or stored, and its errors."""

    spec: Field
    name: str
    value: Any
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    @property
    def text(self) -> str:
        if self.value is None or isinstance(self.value, bool | list):
            return ""
        return str(self.value)

    @property
    def checked(self) -> bool:
        return self.value is True or (isinstance(self.value, str) and self.value.lower() in ("on", "true"))

    @property
    def selected(self) -> list[str]:
        values = self.value if isinstance(self.value, list) else [] if self.value is None else [self.value]
        return [str(v) for v in values]

    @property
    def display(self) -> str:
        return display_value(self.spec, self.value)

    @property
    def input_mode(self) -> str:
        return {"decimal": "decimal", "int": "numeric"}.get(self.spec.kind, "text")


@dataclass
class BoundRow:
    """A table row: its position (1-based, as errors count), cells, row-level errors and a label."""

    position: int
    cells: list[BoundField]
    errors: list[str] = field(default_factory=list)
    label: str = ""
    extra: Any = None

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(cell.errors for cell in self.cells)


@dataclass
class BoundTable:
    spec: Table
    rows: list[BoundRow]
    blank_row: BoundRow
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def is_table(self) -> bool:
        return True

    @property
    def layout(self) -> str:
        wide = len(self.spec.columns) > GRID_MAX_COLUMNS
        rich = any(c.kind in ("multichoice", "textarea") for c in self.spec.columns)
        return "cards" if wide or rich else "grid"


@dataclass
class SummaryItem:
    where: str
    message: str
    anchor: str


class SectionForm:
    """A section's items bound to data (stored, or as just posted) and the service's errors.

    ``items`` are BoundField / BoundTable in the spec's order; ``by_name`` finds one; ``summary`` names
    every error in words with the anchor of its input. The targets table always shows one row per
    indicator (missing ones added blank); ``task_cards`` groups the key-tasks fields per task.
    """

    def __init__(
        self, spec: SectionSpec, data: dict[str, Any], errors: dict[str, list[str]] | None = None
    ) -> None:
        self.spec = spec
        self.errors = {str(k): [str(m) for m in v] for k, v in (errors or {}).items()}
        self.summary: list[SummaryItem] = []
        self.items: list[BoundField | BoundTable] = []
        used: set[str] = set()
        for item in spec.items:
            if isinstance(item, Field):
                bound = BoundField(item, item.name, data.get(item.name), self.errors.get(item.name, []))
                self.items.append(bound)
                used.add(item.name)
                self._summarise(item.label, bound.errors, bound.id)
            else:
                self.items.append(self._table(item, data.get(item.name), used))
        self.non_field_errors = [
            message if key == "__all__" else f"{key}: {message}"
            for key, messages in self.errors.items()
            if key not in used
            for message in messages
        ]
        self.by_name = {item.name: item for item in self.items}

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def error_count(self) -> int:
        return len(self.summary) + len(self.non_field_errors)

    def _summarise(self, where: Any, messages: list[str], anchor: str) -> None:
        self.summary.extend(SummaryItem(str(where), message, anchor) for message in messages)

    def _table(self, table: Table, value: Any, used: set[str]) -> BoundTable:
        raw_rows = [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []
        order = list(range(len(raw_rows)))
        labels: dict[int, str] = {}
        if table.name == "targets" and self.spec.code == SectionCode.TARGETS:
            raw_rows, order, labels = _indicator_rows(raw_rows)
        rows = []
        for position, source in enumerate(order):
            row = raw_rows[position]
            cells = []
            for column in table.columns:
                key = f"{table.name}.{source + 1}.{column.name}"
                used.add(key)
                cell = BoundField(
                    column,
                    f"{table.name}-{position}-{column.name}",
                    row.get(column.name),
                    self.errors.get(key, []),
                )
                cells.append(cell)
                where = _("%(table)s, %(row)s, %(column)s") % {
                    "table": table.label,
                    "row": labels.get(position) or _("row %(n)s") % {"n": source + 1},
                    "column": column.label,
                }
                self._summarise(where, cell.errors, cell.id)
            row_key = f"{table.name}.{source + 1}"
            used.add(row_key)
            bound_row = BoundRow(source + 1, cells, self.errors.get(row_key, []), labels.get(position, ""))
            self._summarise(
                f"{table.label}, {_('row %(n)s') % {'n': source + 1}}", bound_row.errors, cells[0].id
            )
            rows.append(bound_row)
        blank = BoundRow(
            0, [BoundField(c, f"{table.name}-{ROW_PLACEHOLDER}-{c.name}", None) for c in table.columns]
        )
        used.add(table.name)
        errors = self.errors.get(table.name, [])
        self._summarise(table.label, errors, f"table-{table.name}")
        return BoundTable(table, rows, blank, errors)

    @property
    def task_cards(self) -> list[dict[str, Any]]:
        """The six key tasks, each with its status, measures and reason inputs (the tasks section)."""
        if self.spec.code != SectionCode.TASKS:
            return []
        return [
            {
                "code": code,
                "label": label,
                "status": self.by_name[f"{code}_status"],
                "measures": self.by_name[f"{code}_measures"],
                "reason": self.by_name[f"{code}_reason"],
            }
            for code, label in TaskCategory.choices
        ]

    @property
    def other_items(self) -> list[BoundField | BoundTable]:
        """The items not shown on a task card (the tasks section's "other innovative tasks")."""
        on_cards = {
            f"{code}_{part}" for code in TaskCategory.values for part in ("status", "measures", "reason")
        }
        return [item for item in self.items if item.name not in on_cards]

    def attach_row_extras(self, table: str, extras: dict[str, Any]) -> None:
        """Give each row of ``table`` the extra keyed by its first cell's value (the targets' baseline)."""
        bound = self.by_name.get(table)
        if isinstance(bound, BoundTable):
            for row in bound.rows:
                row.extra = extras.get(row.cells[0].text)


def _indicator_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int], dict[int, str]]:
    """The targets rows in the indicators' order, one per indicator (missing ones blank), then any others.

    Returns the rows, each row's position in the posted/stored list (for its errors; a new row gets a
    position after the last) and the label of each shown row.
    """
    by_code = {row.get("indicator"): (index, row) for index, row in enumerate(rows)}
    ordered, sources, labels = [], [], {}
    extra = len(rows)
    for code, label in IndicatorCode.choices:
        index, row = by_code.get(code, (None, {"indicator": code}))
        if index is None:
            index, extra = extra, extra + 1
        labels[len(ordered)] = str(label)
        ordered.append(row)
        sources.append(index)
    for index, row in enumerate(rows):
        if row.get("indicator") not in IndicatorCode.values:
            ordered.append(row)
            sources.append(index)
    return ordered, sources, labels
