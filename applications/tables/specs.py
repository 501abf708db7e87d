"""The four dossier tables that come from Excel: the section and table each import kind writes, the
column that identifies a row (its natural key), and the words a workbook uses for them.

A workbook names every column in Chinese and in English, each with its unit; a choice is written as its
label (never its code). Both languages are read back, so a template downloaded in either works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.models import INDICATOR_UNITS, unit_label
from indicators.workbook.cells import lookup_key

from ..dossier.schema import WAN_YUAN, Field, SectionSpec, Table
from ..dossier.sections import FORM_SECTIONS
from ..models import SectionCode

CHINESE, ENGLISH = "zh-hans", "en"
UNIT_LABELS = {WAN_YUAN: gettext_lazy("10,000 yuan")}
# The first data row: row 1 holds the Chinese headers, row 2 the English ones.
HEADER_ROW, ENGLISH_ROW, FIRST_DATA_ROW = 1, 2, 3


def in_language(language: str, text: Any) -> str:
    """A (lazy) text in ``language``."""
    with translation.override(language):
        return str(text)


@dataclass(frozen=True)
class InfoColumn:
    """A column the template writes for the reader's benefit and the upload ignores (a row's unit)."""

    label: Any
    value: Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class TableKind:
    """One importable table: ``kind`` (the importer's), the section and table it writes, its key column."""

    kind: str
    section: str
    table: str
    key: str
    label: Any
    info_columns: tuple[InfoColumn, ...] = field(default=())
    # A year column's header: the year's own label is just "2026".
    year_headers: bool = False
    # The unit of a row's values by its key, when each row has its own (the yearly targets: the indicator's).
    row_unit: Callable[[str], str] | None = None

    @property
    def section_spec(self) -> SectionSpec:
        return FORM_SECTIONS[self.section]

    @property
    def table_spec(self) -> Table:
        return next(i for i in self.section_spec.items if isinstance(i, Table) and i.name == self.table)

    @property
    def columns(self) -> tuple[Field, ...]:
        return self.table_spec.columns

    @property
    def key_column(self) -> Field:
        return next(c for c in self.columns if c.name == self.key)

    def value_unit(self, column: Field, key: Any) -> str:
        """The unit of ``column``'s values in the row identified by ``key``: the column's own, else the
        row's ("%" for a yearly target of the clean-energy share)."""
        if column.unit or self.row_unit is None or column.name == self.key:
            return column.unit
        return self.row_unit(str(key or ""))

    def sheet_name(self, language: str = CHINESE) -> str:
        """The data sheet's name: the table's label (at most 31 characters, as Excel allows)."""
        return in_language(language, self.table_spec.label)[:31]

    def column_label(self, column: Field) -> str:
        """A column's name in the active language, as messages name it (a year column: "2026 年目标值")."""
        if self.year_headers and column.name.startswith("y") and column.name[1:].isdigit():
            return _("Target %(year)s") % {"year": column.label}
        return str(column.label)

    def header(self, column: Field, language: str) -> str:
        """A column's header in ``language``, with its unit: 投资额（万元）, Investment (10,000 yuan)."""
        with translation.override(language):
            label = self.column_label(column)
        unit = unit_text(column.unit, language)
        if not unit:
            return label
        return f"{label}（{unit}）" if language == CHINESE else f"{label} ({unit})"

    def info_header(self, info: InfoColumn, language: str) -> str:
        return in_language(language, info.label)

    def header_tokens(self) -> dict[str, str]:
        """Every spelling a header may have (either language, with or without its unit, the column's
        name) → the column's name; an information column's spellings → ""."""
        tokens: dict[str, str] = {}
        for column in self.columns:
            spellings = [column.name, *(self.header(column, lang) for lang in (CHINESE, ENGLISH))]
            spellings += [in_language(lang, column.label) for lang in (CHINESE, ENGLISH)]
            for spelling in spellings:
                tokens.setdefault(lookup_key(spelling), column.name)
        for info in self.info_columns:
            for lang in (CHINESE, ENGLISH):
                tokens.setdefault(lookup_key(self.info_header(info, lang)), "")
        return tokens


def unit_text(unit: str, language: str) -> str:
    """A column's unit as a header prints it in ``language``."""
    if not unit:
        return ""
    if unit in UNIT_LABELS:
        return in_language(language, UNIT_LABELS[unit])
    with translation.override(language):
        return unit_label(unit)


def choice_labels(column: Field, language: str) -> list[str]:
    """The labels of a choice column in ``language``, in the column's order."""
    return [in_language(language, label) for _code, label in column.choices]


def choice_lookup(column: Field) -> dict[str, str]:
    """Every spelling of a choice (its label in either language, its code) → its code."""
    found: dict[str, str] = {}
    for code, label in column.choices:
        for spelling in (in_language(CHINESE, label), in_language(ENGLISH, label), code):
            found.setdefault(lookup_key(spelling), code)
    return found


def _indicator_unit(row: dict[str, Any]) -> str:
    unit = INDICATOR_UNITS.get(row.get("indicator") or "", "")
    return unit_label(unit)


TABLE_KINDS: dict[str, TableKind] = {
    kind.kind: kind
    for kind in (
        TableKind("key_projects", SectionCode.PROJECTS, "projects", "name", gettext_lazy("Key projects")),
        TableKind(
            "targets",
            SectionCode.TARGETS,
            "targets",
            "indicator",
            gettext_lazy("Yearly targets"),
            info_columns=(InfoColumn(gettext_lazy("Unit (for reference, not read)"), _indicator_unit),),
            year_headers=True,
            row_unit=lambda code: INDICATOR_UNITS.get(code, ""),
        ),
        TableKind("cash_flows", SectionCode.FEASIBILITY, "cash_flows", "year", gettext_lazy("Cash flows")),
        TableKind(
            "key_enterprises",
            SectionCode.INDUSTRY,
            "key_enterprises",
            "name",
            gettext_lazy("Key enterprises"),
        ),
    )
}


def table_kind_for(section: str, table: str) -> TableKind | None:
    """The import kind of a section's table, None for a table that has none."""
    return next((k for k in TABLE_KINDS.values() if k.section == section and k.table == table), None)


def kinds_of_section(section: str) -> Iterable[TableKind]:
    return [k for k in TABLE_KINDS.values() if k.section == section]
