"""Reading an uploaded intake workbook into a dataset document (accounting.md §5), with every error.

python-calamine parses the file (it is several times faster than openpyxl); the sheet readers
validate each cell, name the sheet and cell of every problem, and aggregate rows with exact Decimal
sums. Nothing here touches the database: carriers come from the factor-set document passed in.

    cells.py       cell values: numbers as typed, text, months, lookup keys, addresses
    checks.py      WorkbookError and the Checker (collects errors, validated single cells, layout)
    vocabulary.py  carriers, units and drop-down spellings of one factor set
    basic.py       基本信息
    energy.py      能源消费 (the hot path)
    emissions.py   电力, 热力, 直接排放, 抵销
    resources.py   资源, with its products and exemptions tables
    locate.py      where each dataset path came from (sheet, cell), recorded while reading
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, load_workbook

from . import labels as L
from .basic import read_basic
from .cells import Cell, float_text, number_text, sheet_rows
from .checks import Checker, WorkbookError
from .emissions import read_direct, read_electricity, read_heat, read_offsets
from .energy import read_energy
from .guard import inspect_upload, invalid_file
from .locate import Locator
from .resources import read_resources
from .vocabulary import Vocabulary, vocabulary

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
        (``energy[i]`` alone: its carrier cell); a label row (基本信息, 抵销, 资源) is its value
        cell; an 电力/热力 total is the one cell that gave it, or its column header when several
        rows were summed; ``energy`` and other tables are their header row's first cell.
        """
        return self.locator.locate(path)


def read_workbook(file: IO[bytes] | bytes, *, factor_set: Mapping[str, Any]) -> WorkbookRead:
    """Read, validate and aggregate an intake workbook (.xlsx) into a ``zcpark.dataset/1`` document.

    Every error is reported at once; on any error ``dataset`` is None. Energy rows with the same
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
    check, vocab, locator = Checker(), vocabulary(factor_set), Locator()
    try:
        dataset, energy_rows_read = _read_dataset(book, check, vocab, locator)
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
    book: CalamineWorkbook, check: Checker, vocab: Vocabulary, locator: Locator
) -> tuple[dict[str, Any], int]:
    """The dataset document and the non-blank 能源消费 rows read; a missing sheet is an error."""
    names = {name.strip(): name for name in book.sheet_names}
    for name in L.DATA_SHEETS:
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

    def rows(name: str) -> Iterable[list[Cell]] | None:
        """The rows of a data sheet, None when it is missing; each sheet is loaded only when read."""
        return sheet_rows(book.get_sheet_by_name(names[name])) if name in names else None

    dataset: dict[str, Any] = {"schema": L.DATASET_SCHEMA}
    if (basic := rows(L.SHEET_BASIC)) is not None:
        park, year, method = read_basic(list(basic), check, vocab, locator)
        dataset["park"] = park
        dataset["year"] = year
        _put_filled(dataset, "method", method)
    energy = rows(L.SHEET_ENERGY)
    dataset["energy"], energy_rows_read = (
        read_energy(energy, check, vocab, locator) if energy is not None else ([], 0)
    )
    del energy  # let calamine's copy of the largest sheet go before the next one is loaded
    if (electricity := rows(L.SHEET_ELECTRICITY)) is not None:
        _put_filled(dataset, "electricity_mwh", read_electricity(electricity, check, locator))
    if (heat := rows(L.SHEET_HEAT)) is not None:
        _put_filled(dataset, "heat_gj", read_heat(heat, check, locator))
    if (direct := rows(L.SHEET_DIRECT)) is not None:
        _put_filled(dataset, "direct_emissions", read_direct(direct, check, vocab, locator))
    if (offsets := rows(L.SHEET_OFFSETS)) is not None:
        _put_filled(dataset, "offsets_tco2", read_offsets(list(offsets), check, locator))
    if (resources := rows(L.SHEET_RESOURCES)) is not None:
        blocks, exemptions = read_resources(list(resources), check, vocab, locator)
        _put_filled(dataset, "resources", blocks)
        _put_filled(dataset, "exemptions", exemptions)
    return dataset, energy_rows_read


def _put_filled(dataset: dict[str, Any], key: str, value: Any) -> None:
    """Set a part of the dataset only when the upload filled it in."""
    if value:
        dataset[key] = value
