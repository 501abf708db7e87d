"""The monthly figures' Excel template and its reader, with cell-level errors (sheet and cell named).

One sheet of rows, from row 2: A month (1–12), B carrier, C use, D enterprise, E quantity, F unit. The
carrier is the factor set's code or name, or electricity / heat (in either language); the use is its code
or its label (blank: the carrier's default). The headers are text for people: the reader reads columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from decimal import Decimal
from typing import IO, Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from indicators import engine
from indicators.engine.accounting import USE_LABELS as ENGINE_USE_LABELS
from indicators.engine.dataset import ELECTRICITY_KEYS, HEAT_KEYS, USES
from indicators.models import ELECTRICITY_LABELS, ENERGY_USE_LABELS, HEAT_LABELS
from zcpark.core.sheets import write_cell
from zcpark.core.workbook_guard import SheetLimit, WorkbookLimits, inspect_workbook

from ..models.monthly import ELECTRICITY, HEAT
from .assembly import text
from .rows import check_rows, units_for

COLUMNS = ("month", "carrier", "use", "enterprise", "quantity", "unit")
LETTERS = dict(zip(COLUMNS, "ABCDEF", strict=True))
MAX_ROWS = 20000
# Checked before openpyxl opens the file (a zip bomb, a sheet spanning millions of cells); the reader
# reads the first sheet whatever its name, so every sheet is held to the data sheet's limits.
LIMITS = WorkbookLimits(other_sheets=SheetLimit(rows=MAX_ROWS, columns=100), max_total_bytes=20 * 1024 * 1024)
MONTH = re.compile(r"[0-9]{1,2}")  # ASCII digits only ("²" and "١" are digits to str.isdigit)


def _headers() -> list[str]:
    return [_("Month"), _("Carrier"), _("Use"), _("Enterprise (optional)"), _("Quantity"), _("Unit")]


def sheet_name() -> str:
    return _("Monthly figures")


def template_bytes(
    factor_set: engine.FactorSet, year: int, rows: list[dict[str, Any]] | None = None
) -> bytes:
    """The template: the header, the months' rows given (else an example), and a sheet listing the carriers,
    their uses and units."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name()
    _append(sheet, _headers())
    for row in rows or [
        {
            "month": 1,
            "carrier": "natural_gas",
            "use": "fuel",
            "enterprise": "",
            "quantity": "100",
            "unit": "10^4 Nm3",
        },
        {
            "month": 1,
            "carrier": ELECTRICITY,
            "use": "grid",
            "enterprise": "",
            "quantity": "5000",
            "unit": "MWh",
        },
    ]:
        _append(sheet, [row.get(c, "") for c in COLUMNS])
    for letter, width in zip("ABCDEF", (8, 22, 22, 28, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    lists = book.create_sheet(_("Carriers and units"))
    _append(lists, [_("Carrier"), _("Name"), _("Uses"), _("Units")])
    for code, carrier in factor_set.carriers.items():
        _append(
            lists, [code, carrier.name, ", ".join(ENERGY_USE_LABELS), ", ".join(units_for(code, factor_set))]
        )
    _append(
        lists,
        [
            ELECTRICITY,
            _("Electricity"),
            ", ".join(ELECTRICITY_LABELS),
            ", ".join(units_for(ELECTRICITY, factor_set)),
        ],
    )
    _append(lists, [HEAT, _("Heat"), ", ".join(HEAT_LABELS), ", ".join(units_for(HEAT, factor_set))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet: Worksheet, values: list[Any]) -> None:
    """A row after the sheet's last, every cell through ``write_cell``: text stays text (an enterprise
    named "=HYPERLINK(…)" is no formula in the file the park or the province opens)."""
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet.cell(1, 1).value is not None else 1
    for column, value in enumerate(values, start=1):
        write_cell(sheet, row, column, value)


def _aliases(factor_set: engine.FactorSet) -> tuple[dict[str, str], dict[str, str]]:
    """Carrier and use spellings → codes: codes, factor-set names, labels in both languages."""
    carriers = {code: code for code in factor_set.carriers}
    carriers.update({c.name: code for code, c in factor_set.carriers.items()})
    uses: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            carriers[_("Electricity")] = ELECTRICITY
            carriers[_("Heat")] = HEAT
            for labels in (ENERGY_USE_LABELS, ELECTRICITY_LABELS, HEAT_LABELS):
                uses.update({str(label): code for code, label in labels.items()})
    carriers.update({ELECTRICITY: ELECTRICITY, HEAT: HEAT, "电力": ELECTRICITY, "热力": HEAT})
    uses.update({label: code for code, label in ENGINE_USE_LABELS.items()})
    for codes in (USES, ELECTRICITY_KEYS, HEAT_KEYS):
        uses.update({code: code for code in codes})
    return carriers, uses


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):  # the cell's shortest decimal: 0.1 + 0.2 stored by Excel is 0.3
        return text(Decimal(format(value, ".15g")))
    return value.strip() if isinstance(value, str) else value


def month_of(value: Any) -> int | None:
    """A month cell as 1–12: a whole number, or ASCII digits ("3", "03"); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and MONTH.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= 12 else None


def read_months(
    file: IO[bytes] | bytes, factor_set: engine.FactorSet
) -> tuple[dict[int, list[dict[str, Any]]], list[dict[str, str]]]:
    """The file's rows by month ({month: rows as pushed}) and its errors ({sheet, cell, message}); the
    rows are returned only when there is no error. The file is inspected (an .xlsx package, no zip bomb,
    no sheet spanning millions of cells) before openpyxl opens it."""
    data = file if isinstance(file, bytes) else file.read()
    refusal = inspect_workbook(data, LIMITS)
    if refusal is not None:
        message = _("The file is not an Excel workbook (.xlsx).")
        if refusal.code != "invalid_file":
            message = refusal.message
        return {}, [{"sheet": refusal.sheet, "cell": "", "message": message}]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError):
        return {}, [{"sheet": "", "cell": "", "message": _("The file is not an Excel workbook (.xlsx).")}]
    sheet = book.worksheets[0]
    name = sheet.title
    carriers, uses = _aliases(factor_set)
    errors: list[dict[str, str]] = []
    by_month: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=6, values_only=True), start=2):
        if number > MAX_ROWS:
            errors.append(
                {"sheet": name, "cell": "", "message": _("At most %(max)s rows.") % {"max": MAX_ROWS}}
            )
            break
        cells = dict(zip(COLUMNS, (_cell(v) for v in (*values, *[None] * 6)[:6]), strict=True))
        if all(v == "" for v in cells.values()):
            continue
        month_number = month_of(cells["month"])
        if month_number is None:
            errors.append({"sheet": name, "cell": f"A{number}", "message": _("Enter a month from 1 to 12.")})
            continue
        row = {
            "carrier": carriers.get(str(cells["carrier"]), str(cells["carrier"])),
            "use": uses.get(str(cells["use"]), str(cells["use"])),
            "enterprise": str(cells["enterprise"]),
            "quantity": str(cells["quantity"]),
            "unit": str(cells["unit"]),
        }
        by_month[month_number].append((number, row))
    for _month, numbered in sorted(by_month.items()):
        _rows, row_errors = check_rows([row for _n, row in numbered], factor_set)
        for path, messages in row_errors.items():
            index = int(path[5 : path.index("]")])
            field = path.rpartition(".")[2] if "." in path else ""
            cell = f"{LETTERS.get(field, 'A')}{numbered[index][0]}"
            errors.extend({"sheet": name, "cell": cell, "message": m} for m in messages)
    if errors:
        return {}, errors
    return {m: [row for _n, row in numbered] for m, numbered in sorted(by_month.items())}, []
