"""Reading an uploaded intake workbook into a dataset document (accounting.md §5), with every error.

python-calamine parses the file (it is several times faster than openpyxl); the sheet readers
validate each cell, name the sheet and cell of every problem, and aggregate rows with exact Decimal
sums. Nothing here touches the database: carriers come from the factor-set document passed in.

    cells.py       cell values: numbers as typed, text, months, lookup keys, addresses
    checks.py      WorkbookError and the Checker (collects errors, validated single cells, layout)
    vocabulary.py  carriers, units and drop-down spellings of one factor set
    basic.py       基本信息, and the template version (模板版本)
    energy.py      能源消费 (the hot path)
    emissions.py   电力, 热力, 工业过程, 直接排放, 抵销
    resources.py   资源, with its products and exemptions tables
    locate.py      where each dataset path came from (sheet, cell), recorded while reading

A workbook of template version 2 (基本信息 has 模板版本 = 2) is read into a ``zcpark.dataset/2``
document. One without the 模板版本 row was made by the version 1 template: every column and row it
has is a v2 key of the same meaning (``labels.LAYOUT_V1``), so it is read, with its own headers and
uses, into a ``zcpark.dataset/1`` document, which the engine upgrades (accounting.md §5.3). It is
refused, with one message asking for the new template, when it also holds parts only version 2 has
(a v2 workbook whose 模板版本 row was deleted, or two templates mixed), and so is a workbook whose
模板版本 names a version this reader does not know.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, load_workbook

from . import labels as L
from .basic import read_basic, template_version, version_cell
from .cells import Cell, field_names, float_text, is_blank, label_rows, number_text, sheet_rows, shown
from .checks import Checker, WorkbookError
from .emissions import read_direct, read_electricity, read_heat, read_offsets, read_process
from .energy import read_energy
from .guard import inspect_upload, invalid_file
from .locate import Locator
from .resources import read_resources
from .vocabulary import vocabulary

__all__ = ["WorkbookError", "WorkbookRead", "float_text", "number_text", "read_workbook"]


@dataclass
class WorkbookRead:
    """The outcome of reading a workbook: the dataset document, or None with every error found."""

    dataset: dict[str, Any] | None
    errors: list[WorkbookError] = field(default_factory=list)
    energy_rows_read: int = 0  # non-blank rows on 能源消费, before aggregation
    locator: Locator = field(default_factory=Locator, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        """True when the workbook had no error and ``dataset`` is set."""
        return self.dataset is not None and not self.errors

    def locate(self, path: str) -> tuple[str, str] | None:
        """(sheet name, cell such as "C12") a dataset path was read from; None when not known.

        ``energy[i].<field>`` is the first sheet row summed into entry i, in that field's column
        (``energy[i]`` alone: its carrier cell); ``process[i].<field>`` (工业过程) and the other
        tables' rows are their sheet row, in that field's column; a label row (基本信息, 抵销, 资源)
        is its value cell; an 电力/热力 total is the one cell that gave it, or its column header when
        none or several rows did; ``energy`` and other tables are their header row's first cell.
        """
        return self.locator.locate(path)


def read_workbook(file: IO[bytes] | bytes, *, factor_set: Mapping[str, Any]) -> WorkbookRead:
    """Read, validate and aggregate an intake workbook (.xlsx) into a dataset document.

    A template version 2 workbook gives a ``zcpark.dataset/2`` document, a version 1 workbook a
    ``zcpark.dataset/1`` document (see the module docstring). Every error is reported at once; on
    any error ``dataset`` is None. Energy rows with the same
    enterprise, carrier, unit, use and measured NCV/CC/OF are summed (months collapse) and kept in
    first-appearance order; electricity and heat rows are summed.
    """
    data = bytes(file) if isinstance(file, bytes | bytearray | memoryview) else file.read()
    # calamine aborts the process (no Python error) on a sheet spanning millions of cells or on a
    # zip bomb, so the package is inspected first and such a file never reaches it.
    refused = inspect_upload(data)
    if refused is not None:
        return WorkbookRead(dataset=None, errors=[refused])
    try:
        book = load_workbook(io.BytesIO(data))
    except (CalamineError, ValueError, OSError):  # not a workbook calamine can parse
        return WorkbookRead(dataset=None, errors=[invalid_file()])
    check, locator = Checker(), Locator()
    try:
        dataset, energy_rows_read = _read_dataset(book, check, factor_set, locator)
    except CalamineError:  # a sheet whose XML calamine cannot parse: the file is damaged
        return WorkbookRead(dataset=None, errors=[invalid_file()])
    finally:
        book.close()
    errors = check.errors
    return WorkbookRead(
        dataset=None if errors else dataset,
        errors=errors,
        energy_rows_read=energy_rows_read,
        locator=locator,
    )


def _read_dataset(
    book: CalamineWorkbook, check: Checker, factor_set: Mapping[str, Any], locator: Locator
) -> tuple[dict[str, Any], int]:
    """The dataset document and the non-blank 能源消费 rows read; a missing sheet is an error."""
    names = {name.strip(): name for name in book.sheet_names}

    def rows(name: str) -> Iterable[list[Cell]] | None:
        """The rows of a data sheet, None when it is missing; each sheet is loaded only when read."""
        return sheet_rows(book.get_sheet_by_name(names[name])) if name in names else None

    basic = rows(L.SHEET_BASIC)
    labels = label_rows(list(basic)) if basic is not None else None
    layout = L.LAYOUT
    if labels is not None:
        hit = version_cell(labels)
        if hit is None:
            layout = L.LAYOUT_V1
            parts = _version_2_parts(labels, names, rows)
            if parts:
                check.error(L.SHEET_BASIC, "", "template_version", _mixed_versions(parts))
                return {}, 0
        elif template_version(hit[1]) is None:
            check.error(L.SHEET_BASIC, hit[0], "template_version", _unknown_version(hit[1]))
            return {}, 0
    vocab = vocabulary(factor_set, layout)
    for name in layout.data_sheets:
        if name not in names:
            check.error(
                name,
                "",
                "missing_sheet",
                _(
                    "The workbook has no sheet named “%(sheet)s”. Download a fresh template and copy "
                    "your data into it; do not rename or delete its sheets."
                )
                % {"sheet": name},
            )

    dataset: dict[str, Any] = {"schema": layout.schema}
    if labels is not None:
        park, year, method = read_basic(labels, check, vocab, locator)
        dataset["park"] = park
        dataset["year"] = year
        _put_filled(dataset, "method", method)
    energy = rows(L.SHEET_ENERGY)
    dataset["energy"], energy_rows_read = (
        read_energy(energy, check, vocab, locator) if energy is not None else ([], 0)
    )
    del energy  # let calamine's copy of the largest sheet go before the next one is loaded
    if (electricity := rows(L.SHEET_ELECTRICITY)) is not None:
        _put_filled(dataset, "electricity_mwh", read_electricity(electricity, check, locator, layout))
    if (heat := rows(L.SHEET_HEAT)) is not None:
        _put_filled(dataset, "heat_gj", read_heat(heat, check, locator, layout))
    if L.SHEET_PROCESS in layout.data_sheets and (process := rows(L.SHEET_PROCESS)) is not None:
        _put_filled(dataset, "process", read_process(process, check, locator))
    if (direct := rows(L.SHEET_DIRECT)) is not None:
        _put_filled(dataset, "direct_emissions", read_direct(direct, check, vocab, locator))
    if (offsets := rows(L.SHEET_OFFSETS)) is not None:
        _put_filled(dataset, "offsets_tco2", read_offsets(list(offsets), check, locator))
    if (resources := rows(L.SHEET_RESOURCES)) is not None:
        blocks, exemptions = read_resources(list(resources), check, vocab, locator)
        _put_filled(dataset, "resources", blocks)
        _put_filled(dataset, "exemptions", exemptions)
    return dataset, energy_rows_read


def _version_2_parts(
    labels: Mapping[str, tuple[int, Cell]],
    names: Mapping[str, str],
    rows: Callable[[str], Iterable[list[Cell]] | None],
) -> list[str]:
    """The parts only template version 2 has, found in a workbook without the 模板版本 row."""
    parts = []
    v1_labels = {L.header_token(row.label) for row in L.LAYOUT_V1.basic_rows}
    for row in L.LAYOUT.basic_rows:
        token = L.header_token(row.label)
        if row.key != L.VERSION_KEY and token not in v1_labels and token in labels:
            parts.append(f"{L.SHEET_BASIC}“{row.label}”")
    if L.SHEET_PROCESS in names:
        parts.append(f"工作表“{L.SHEET_PROCESS}”")
    for sheet, columns, v1_columns in (
        (L.SHEET_ELECTRICITY, L.LAYOUT.electricity_columns, L.LAYOUT_V1.electricity_columns),
        (L.SHEET_HEAT, L.LAYOUT.heat_columns, L.LAYOUT_V1.heat_columns),
    ):
        sheet_data = rows(sheet)
        header = next(iter(sheet_data), None) if sheet_data is not None else None
        tokens = {L.header_token(value) for value in header or () if not is_blank(value)}
        tokens -= {L.header_token(column.header) for column in v1_columns}
        fields = field_names(columns)
        parts += [f"{sheet}“{fields[c.key]}”" for c in columns if L.header_token(c.header) in tokens]
    return parts


def _mixed_versions(parts: list[str]) -> str:
    return _(
        "This workbook has no row “%(row)s” on the sheet %(sheet)s, so it would be read as a workbook of "
        "template version 1, but it has parts only template version %(version)s has: %(parts)s. "
        "Download the new template (version %(version)s), copy your data into it and upload it again — "
        "or, if this workbook was made from the new template, put back the row “%(row)s” with the "
        "value %(version)s."
    ) % {
        "row": L.VERSION_ROW.label,
        "sheet": L.SHEET_BASIC,
        "version": L.TEMPLATE_VERSION,
        "parts": "、".join(parts),
    }


def _unknown_version(value: Cell) -> str:
    return _(
        "“%(row)s” is “%(value)s”, but this system reads workbooks of template version %(version)s "
        "(and of version 1, which have no such row). Download the new template (version %(version)s), "
        "copy your data into it and upload it again; do not change “%(row)s”."
    ) % {
        "row": L.VERSION_ROW.label,
        "value": "" if is_blank(value) else shown(value),
        "version": L.TEMPLATE_VERSION,
    }


def _put_filled(dataset: dict[str, Any], key: str, value: Any) -> None:
    """Set a part of the dataset only when the upload filled it in."""
    if value:
        dataset[key] = value
