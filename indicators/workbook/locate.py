"""Where each value of a dataset came from in the workbook: dataset path → (sheet, cell).

The reader records locations while it reads, so errors only the engine can find (a sum that
exceeds its total, no grid factor for the year, …) can be shown at the sheet and cell the park
typed, not at a JSON path. Only one entry per label row, column header or *aggregated* row is
kept (never one per cell), so the hot path of 能源消费 pays for one int per aggregated row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import labels as L
from .cells import column_letter

_ROW_PATH = re.compile(r"(?P<table>[a-z_.]+)\[(?P<index>\d+)\](?:\.(?P<field>[a-z_0-9]+))?")


@dataclass
class Table:
    """A table whose dataset rows each point at a sheet row (the first one summed into it)."""

    sheet: str
    header_cell: str  # where the table itself is located: its header row's first cell
    columns: dict[str, str]  # dataset field → column letter
    anchor: str  # the field a whole row (``table[i]``) is located at
    rows: list[int] = field(default_factory=list)  # dataset row i → sheet row number

    def locate(self, index: int, field_name: str | None) -> tuple[str, str] | None:
        if index >= len(self.rows):
            return None
        letter = self.columns.get(field_name or self.anchor)
        return None if letter is None else (self.sheet, f"{letter}{self.rows[index]}")


@dataclass
class Locator:
    """Dataset path → (sheet name, cell such as "C12"), filled in by the sheet readers."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # plain paths: labels, headers
    tables: dict[str, Table] = field(default_factory=dict)  # "energy", "direct_emissions", …

    def add(self, path: str, sheet: str, cell: str) -> None:
        self.cells[path] = (sheet, cell)

    def table(
        self, path: str, sheet: str, columns: dict[str, str], *, anchor: str, header_cell: str
    ) -> Table:
        """Register a table at ``path`` and return it, for the reader to append sheet rows to."""
        table = self.tables[path] = Table(sheet, header_cell, columns, anchor)
        return table

    def locate(self, path: str) -> tuple[str, str] | None:
        """(sheet, cell) of a dataset path such as ``energy[3].ncv``; None when not known."""
        found = self.cells.get(path)
        if found is not None:
            return found
        table = self.tables.get(path)
        if table is not None:
            return table.sheet, table.header_cell
        match = _ROW_PATH.fullmatch(path)
        if match is None:
            return None
        table = self.tables.get(match["table"])
        return None if table is None else table.locate(int(match["index"]), match["field"])


def column_letters(
    found: Mapping[str, int], columns: Iterable[L.Column], *, skip: str = ""
) -> dict[str, str]:
    """Dataset field → column letter of a mapped table (``skip`` names a column not in the dataset)."""
    return {column.key: column_letter(found[column.key]) for column in columns if column.key != skip}
