"""The workbook of one dossier table, to download, fill in and upload again.

The data sheet (named after the table) has the Chinese headers in row 1 and the English ones in row 2,
each with its unit, and the dossier's current rows from row 3, so download → edit → upload changes only
what was edited. Choice columns offer drop-downs of the LABELS (from a hidden options sheet); numbers,
years and text lengths are checked as typed, as a warning (the upload is the judge, cell by cell). An
instructions sheet (说明 / Instructions) explains every column in both languages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.models import IndicatorCode
from zcpark.core.sheets import HEADER_FONT, HINT_FONT, WRAP, display_width, header_row, write_cell

from ..dossier.schema import Field
from .specs import CHINESE, ENGLISH, FIRST_DATA_ROW, InfoColumn, TableKind, choice_labels, in_language

OPTIONS_SHEET = "选项"
MULTI_SEPARATOR = "；"
INSTRUCTIONS_TITLE = gettext_lazy("Instructions")


@dataclass(frozen=True)
class SheetColumn:
    """A column of the data sheet: a table column, or an information column the upload ignores."""

    field: Field | None
    info: InfoColumn | None = None

    def header(self, kind: TableKind, language: str) -> str:
        if self.field is not None:
            return kind.header(self.field, language)
        assert self.info is not None
        return kind.info_header(self.info, language)


def sheet_columns(kind: TableKind) -> list[SheetColumn]:
    """The data sheet's columns in order: the key column, the information columns, the others."""
    columns = [SheetColumn(c) for c in kind.columns]
    key_index = next(i for i, c in enumerate(columns) if c.field and c.field.name == kind.key)
    infos = [SheetColumn(None, info) for info in kind.info_columns]
    return [*columns[: key_index + 1], *infos, *columns[key_index + 1 :]]


def template_rows(kind: TableKind, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the template is prefilled with: the dossier's own; for the yearly targets without any,
    one row per indicator (as the form shows them)."""
    if rows or kind.key != "indicator":
        return rows
    return [{"indicator": code} for code in IndicatorCode.values]


def build_table_template(kind: TableKind, rows: list[dict[str, Any]], *, title: str = "") -> bytes:
    """The .xlsx of ``kind`` prefilled with ``rows`` (stored rows of the section's table)."""
    workbook = Workbook()
    data = workbook.active
    data.title = kind.sheet_name()
    columns = sheet_columns(kind)
    instructions = workbook.create_sheet(_instructions_name())
    options = _options_sheet(workbook, kind)
    _data_sheet(data, kind, columns, template_rows(kind, rows), options)
    _instructions_sheet(instructions, kind, columns, title)
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bilingual(text: Any) -> str:
    """``text`` in Chinese and in English ("说明 Instructions"), once when both read the same."""
    zh, en = in_language(CHINESE, text), in_language(ENGLISH, text)
    return zh if zh == en else f"{zh} {en}"


def _instructions_name() -> str:
    return bilingual(INSTRUCTIONS_TITLE)[:31]


def cell_content(column: Field, value: Any) -> Any:
    """A stored value as the template writes it: numbers as numbers, choices as their Chinese labels."""
    if value is None or value == "" or value == []:
        return None
    if column.kind in ("choice", "multichoice"):
        labels = {code: in_language(CHINESE, label) for code, label in column.choices}
        values = value if isinstance(value, list) else [value]
        return MULTI_SEPARATOR.join(labels.get(str(v), str(v)) for v in values)
    if column.kind == "decimal":
        return Decimal(str(value))
    if column.kind == "int":
        return int(value)
    if column.kind == "bool":
        return in_language(CHINESE, gettext_lazy("Yes") if value else gettext_lazy("No"))
    return str(value)


def _data_sheet(
    sheet: Worksheet,
    kind: TableKind,
    columns: list[SheetColumn],
    rows: list[dict[str, Any]],
    options: dict[str, str],
) -> None:
    headers = []
    for column in columns:
        zh = column.header(kind, CHINESE)
        headers.append((zh, float(min(max(display_width(zh) + 4, 12), 40))))
    header_row(sheet, 1, headers)
    for col, column in enumerate(columns, start=1):
        en = column.header(kind, ENGLISH)
        cell = write_cell(sheet, 2, col, en)
        cell.font = HINT_FONT
        cell.alignment = WRAP
    for number, row in enumerate(rows, start=FIRST_DATA_ROW):
        for col, column in enumerate(columns, start=1):
            if column.info is not None:
                write_cell(sheet, number, col, column.info.value(row)).font = HINT_FONT
                continue
            assert column.field is not None
            write_cell(sheet, number, col, cell_content(column.field, row.get(column.field.name)))
    last = FIRST_DATA_ROW + kind.table_spec.max_rows - 1
    for col, column in enumerate(columns, start=1):
        if column.field is not None:
            _validate_column(sheet, column.field, get_column_letter(col), last, options)
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)


def _validate_column(
    sheet: Worksheet, column: Field, letter: str, last: int, options: dict[str, str]
) -> None:
    sqref = f"{letter}{FIRST_DATA_ROW}:{letter}{last}"
    if column.kind in ("text", "textarea"):
        for row in range(FIRST_DATA_ROW, last + 1):
            sheet[f"{letter}{row}"].number_format = "@"  # typed as text: 001 stays 001
        validation = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(column.max_length)
        )
        message = in_language(CHINESE, gettext_lazy("At most %(n)s characters.")) % {"n": column.max_length}
    elif column.kind in ("choice", "multichoice"):
        validation = DataValidation(type="list", formula1=options[column.name])
        message = in_language(CHINESE, gettext_lazy("Choose from the drop-down list."))
        if column.kind == "multichoice":
            validation.errorStyle = "information"
            message = in_language(
                CHINESE, gettext_lazy("Choose from the drop-down list; separate several with “%(sep)s”.")
            ) % {"sep": MULTI_SEPARATOR}
    elif column.kind in ("decimal", "int"):
        low = column.min_value if column.min_value is not None else Decimal("-1e15")
        high = column.max_value if column.max_value is not None else Decimal("1e15")
        validation = DataValidation(
            type="whole" if column.kind == "int" else "decimal",
            operator="between",
            formula1=str(low),
            formula2=str(high),
        )
        message = value_rule(column, CHINESE)
    else:
        return
    if validation.errorStyle is None:
        validation.errorStyle = "warning"
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = in_language(CHINESE, gettext_lazy("Check this value"))
    validation.error = message
    sheet.add_data_validation(validation)
    validation.add(sqref)


def _options_sheet(workbook: Workbook, kind: TableKind) -> dict[str, str]:
    """The hidden sheet of the choice labels; column name → the absolute range of its labels."""
    choices = [c for c in kind.columns if c.kind in ("choice", "multichoice")]
    if not choices:
        return {}
    sheet = workbook.create_sheet(OPTIONS_SHEET)
    ranges = {}
    for col, column in enumerate(choices, start=1):
        letter = get_column_letter(col)
        sheet.cell(1, col, kind.header(column, CHINESE)).font = HEADER_FONT
        labels = choice_labels(column, CHINESE)
        for row, label in enumerate(labels, start=2):
            write_cell(sheet, row, col, label)
        sheet.column_dimensions[letter].width = 40
        ranges[column.name] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(labels) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def value_rule(column: Field, language: str) -> str:
    """What a column accepts, in words, in ``language``."""
    with translation.override(language):
        if column.kind == "int":
            return _("A whole number from %(min)s to %(max)s.") % {
                "min": column.min_value,
                "max": column.max_value,
            }
        if column.kind == "decimal":
            if column.max_value is not None:
                return _("A number from %(min)s to %(max)s, at most %(n)s decimal places.") % {
                    "min": column.min_value,
                    "max": column.max_value,
                    "n": column.decimal_places,
                }
            return _("A number of at least %(min)s, at most %(n)s decimal places.") % {
                "min": column.min_value,
                "n": column.decimal_places,
            }
        if column.kind in ("choice", "multichoice"):
            return _("One of the drop-down labels.")
        return _("Text of at most %(n)s characters.") % {"n": column.max_length}


GENERAL_NOTES = (
    gettext_lazy(
        "Fill in one row per record on the first sheet. Row 1 holds the Chinese headers and row 2 the English "
        "ones: keep both rows (the columns may be reordered). Data starts in row 3."
    ),
    gettext_lazy(
        "The file holds the whole table: rows you delete here are removed from the dossier, rows you add are "
        "added. Before anything is saved the portal shows every row added, changed and removed; you then "
        "commit or discard, and a committed import can be undone."
    ),
    gettext_lazy(
        "Choices are written as their labels (pick them from the drop-down lists). Numbers without units or "
        "thousands separators: the unit is in the header. Money is in 10,000 yuan."
    ),
    gettext_lazy(
        "Percentages are written as the number of per cent: 80 for 80%. A cell formatted as a percentage "
        "is read as the percentage it shows; a percentage is at most 100."
    ),
    gettext_lazy(
        "Every problem is reported with its sheet and cell, and nothing is saved until the file has none. "
        "Values still missing before submission are listed as warnings, as on the form."
    ),
)


def _instructions_sheet(sheet: Worksheet, kind: TableKind, columns: list[SheetColumn], title: str) -> None:
    heading = bilingual(kind.table_spec.label)
    write_cell(sheet, 1, 1, heading).font = Font(bold=True, size=14)
    if title:
        write_cell(sheet, 2, 1, title).font = HINT_FONT
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    write_cell(sheet, 2, 3, stamp).font = HINT_FONT
    row = 4
    for note in GENERAL_NOTES:
        write_cell(sheet, row, 1, in_language(CHINESE, note)).alignment = WRAP
        write_cell(sheet, row, 3, in_language(ENGLISH, note)).alignment = WRAP
        sheet.merge_cells(start_row=row, end_row=row, start_column=1, end_column=2)
        sheet.merge_cells(start_row=row, end_row=row, start_column=3, end_column=4)
        sheet.row_dimensions[row].height = 48
        row += 1
    row += 1
    header_row(
        sheet,
        row,
        [
            (bilingual(gettext_lazy("Column")), 30),
            (bilingual(gettext_lazy("Required")), 18),
            (in_language(CHINESE, gettext_lazy("Accepted values")), 50),
            (in_language(ENGLISH, gettext_lazy("Accepted values")), 50),
        ],
    )
    for column in columns:
        row += 1
        if column.field is None:
            assert column.info is not None
            write_cell(sheet, row, 1, kind.info_header(column.info, CHINESE))
            write_cell(sheet, row, 3, in_language(CHINESE, gettext_lazy("Shown for reference; not read.")))
            write_cell(sheet, row, 4, in_language(ENGLISH, gettext_lazy("Shown for reference; not read.")))
            continue
        field = column.field
        write_cell(
            sheet, row, 1, f"{kind.header(field, CHINESE)}\n{kind.header(field, ENGLISH)}"
        ).alignment = WRAP
        write_cell(sheet, row, 2, in_language(CHINESE, _required_text(kind, field))).alignment = WRAP
        for col, language in ((3, CHINESE), (4, ENGLISH)):
            text = value_rule(field, language)
            if field.kind in ("choice", "multichoice"):
                text += "\n" + "\n".join(choice_labels(field, language))
                if field.kind == "multichoice":
                    text += "\n" + in_language(
                        language, gettext_lazy("Several: separate with “%(sep)s”.")
                    ) % {"sep": MULTI_SEPARATOR}
            write_cell(sheet, row, col, text).alignment = WRAP


def _required_text(kind: TableKind, field: Field) -> Any:
    if field.name == kind.key:
        return gettext_lazy("Yes: it identifies the row")
    if field.required and field.kind != "bool":
        return gettext_lazy("Before submission")
    return gettext_lazy("No")
