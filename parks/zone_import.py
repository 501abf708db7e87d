"""Import the development-zone catalog (开发区审核公告目录) from a CSV or Excel file.

Every row is validated before anything is written; one bad row rejects the whole file, and the
user gets every problem at once (row, column, message) so one round of corrections is enough.
Zones are matched by name: new names are created, known names updated, and zones missing from the
file are left alone (the catalog only grows; retiring a zone is a separate decision).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from python_calamine import CalamineError, load_workbook

from zcpark.core.exceptions import ApplicationError
from zcpark.core.services import audit_event_record, model_changes
from zcpark.core.text import UNSTORABLE_MESSAGE, is_unstorable
from zcpark.core.workbook_guard import SheetLimit, WorkbookLimits, inspect_workbook

from .models import City, DevelopmentZone, ZoneKind, ZoneLevel
from .selectors import province_current

if TYPE_CHECKING:
    from .models import User

CSV_EXTENSIONS = frozenset({".csv"})
EXCEL_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
# A province's catalog has well under 200 zones: these bounds are far above any real file.
MAX_DATA_ROWS = 5000
# An Excel file is inspected before calamine opens it (zip bombs, a <dimension> or a cell far out
# that would make it reserve gigabytes); every sheet is held to these limits, the first being read.
EXCEL_LIMITS = WorkbookLimits(
    other_sheets=SheetLimit(rows=2 * MAX_DATA_ROWS, columns=50), max_total_bytes=20 * 1024 * 1024
)

REQUIRED_COLUMNS = ("name", "city_code", "level", "kind")
COLUMN_ALIASES = {
    "name": "name",
    "名称": "name",
    "city_code": "city_code",
    "设区市代码": "city_code",
    "level": "level",
    "级别": "level",
    "kind": "kind",
    "类型": "kind",
    "catalog_code": "catalog_code",
    "目录代码": "catalog_code",
}
# Model field -> file column, where they differ.
MODEL_FIELD_COLUMNS = {"city": "city_code"}
LEVEL_ALIASES = {
    "national": ZoneLevel.NATIONAL,
    "国家级": ZoneLevel.NATIONAL,
    "provincial": ZoneLevel.PROVINCIAL,
    "省级": ZoneLevel.PROVINCIAL,
}
KIND_ALIASES = {
    "etdz": ZoneKind.ETDZ,
    "经开区": ZoneKind.ETDZ,
    "经济技术开发区": ZoneKind.ETDZ,
    "hitech": ZoneKind.HITECH,
    "高新区": ZoneKind.HITECH,
    "高新技术产业开发区": ZoneKind.HITECH,
    "bonded": ZoneKind.BONDED,
    "综保区": ZoneKind.BONDED,
    "综合保税区": ZoneKind.BONDED,
    "other": ZoneKind.OTHER,
    "其他": ZoneKind.OTHER,
}
LEVEL_ALLOWED = "national / provincial / 国家级 / 省级"
KIND_ALLOWED = "etdz / hitech / bonded / other / 经开区 / 高新区 / 综保区 / 其他"
NAME_MAX_LENGTH = DevelopmentZone._meta.get_field("name").max_length
CATALOG_CODE_MAX_LENGTH = DevelopmentZone._meta.get_field("catalog_code").max_length


@dataclass(frozen=True)
class ZoneImportRowError:
    """One problem in the file: ``row`` as the spreadsheet shows it (header = 1; 0 = the whole file)."""

    row: int
    column: str
    message: str


class ZoneImportError(ApplicationError):
    """The file was rejected; ``row_errors`` lists every problem found and nothing was written."""

    def __init__(self, row_errors: list[ZoneImportRowError]) -> None:
        self.row_errors = list(row_errors)
        if len(self.row_errors) == 1 and self.row_errors[0].row == 0:
            message = self.row_errors[0].message
        else:
            message = ngettext(
                "The file has %(count)d error; nothing was imported.",
                "The file has %(count)d errors; nothing was imported.",
                len(self.row_errors),
            ) % {"count": len(self.row_errors)}
        super().__init__(message, errors={NON_FIELD_ERRORS: [e.message for e in self.row_errors]})


@dataclass(frozen=True)
class ZoneImportResult:
    """How many zones the import created, changed and found already up to date."""

    created: int
    updated: int
    unchanged: int
    # With ``create_only``: the stored zones that differ from the file, left as they are ("name: field
    # stored → file").
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class _ZoneRow:
    row: int
    name: str
    city: City
    level: str
    kind: str
    catalog_code: str | None  # None: the file has no catalog_code column, keep the stored one


@transaction.atomic
def zone_catalog_import(
    *, file: IO[bytes], filename: str, by: User | None, dry_run: bool = False, create_only: bool = False
) -> ZoneImportResult:
    """Validate every row of a catalog file, then upsert the zones by name in one transaction.

    Raises ``ZoneImportError`` listing every problem (and writes nothing) if any row is invalid.
    With ``dry_run`` the counts are computed the same way and the transaction is rolled back. With
    ``create_only`` (a deploy loading the shipped catalog) a stored zone is never changed: what differs
    from the file is reported, so the province's own edits survive.
    """
    zone_rows, labels = _validate(_read_table(file=file, filename=filename))
    existing = {
        zone.name: zone
        for zone in DevelopmentZone.objects.select_for_update(of=("self",))
        .select_related("city")
        .filter(name__in=[r.name for r in zone_rows])
    }
    created = updated = unchanged = 0
    differences: list[str] = []
    apply_errors: list[ZoneImportRowError] = []
    for zone_row in zone_rows:
        zone = existing.get(zone_row.name)
        data: dict[str, Any] = {"city": zone_row.city, "level": zone_row.level, "kind": zone_row.kind}
        if zone_row.catalog_code is not None:
            data["catalog_code"] = zone_row.catalog_code
        if zone is None:
            zone = DevelopmentZone(name=zone_row.name, **data)
            if not _clean(zone, zone_row.row, labels, apply_errors):
                continue
            zone.save()
            audit_event_record(actor=by, target=zone, action="zone_imported_created")
            created += 1
            continue
        changes = model_changes(zone, data)
        if not changes:
            unchanged += 1
            continue
        if create_only:
            differences += [f"{zone.name}: {field} {old} → {new}" for field, (old, new) in changes.items()]
            unchanged += 1
            continue
        for field, value in data.items():
            setattr(zone, field, value)
        if not _clean(zone, zone_row.row, labels, apply_errors):
            continue
        zone.save(update_fields=[*changes, "updated_at"])
        audit_event_record(actor=by, target=zone, action="zone_imported_updated", changes=changes)
        updated += 1
    if apply_errors:
        raise ZoneImportError(apply_errors)
    if dry_run:
        transaction.set_rollback(True)
    return ZoneImportResult(
        created=created, updated=updated, unchanged=unchanged, differences=tuple(differences)
    )


@dataclass(frozen=True)
class _Table:
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells), blank rows already dropped


def _file_error(message: str) -> ZoneImportError:
    return ZoneImportError([ZoneImportRowError(row=0, column="", message=message)])


def _read_table(*, file: IO[bytes], filename: str) -> _Table:
    """Read the raw cells of a CSV or Excel file, enforcing the size and row limits."""
    extension = PurePath(filename).suffix.lower()
    if extension not in CSV_EXTENSIONS | EXCEL_EXTENSIONS:
        raise _file_error(
            _("%(filename)s is not a supported file type; upload a CSV (.csv) or Excel (.xlsx) file.")
            % {"filename": filename}
        )
    max_bytes = settings.ZONE_IMPORT_MAX_BYTES
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _file_error(
            _("The file is larger than %(limit)s; split it or remove unused sheets and columns.")
            % {"limit": filesizeformat(max_bytes)}
        )
    raw_rows = _csv_rows(data) if extension in CSV_EXTENSIONS else _excel_rows(data, filename)
    header_row = 0
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(raw_rows, start=1):
        if not any(cells):
            continue
        if not header_row:
            header_row, header = number, cells
            continue
        if len(rows) >= MAX_DATA_ROWS:
            raise _file_error(
                _("The file has more than %(limit)d rows of data; split it into smaller files.")
                % {"limit": MAX_DATA_ROWS}
            )
        rows.append((number, cells))
    if not header_row:
        raise _file_error(_("The file is empty."))
    return _Table(header_row=header_row, header=header, rows=rows)


def _csv_rows(data: bytes) -> list[list[str]]:
    # Excel on a Chinese Windows saves "CSV" in the ANSI code page (GBK), which GB18030 covers.
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise _file_error(
                _("The CSV file is neither UTF-8 nor GB18030 (GBK) text; save it again as CSV UTF-8.")
            ) from None
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise _file_error(_("The CSV file could not be read: %(error)s") % {"error": exc}) from None


def _excel_rows(data: bytes, filename: str) -> list[list[str]]:
    """The cells of the first sheet, from A1, once the file has passed the inspection."""
    refusal = inspect_workbook(data, EXCEL_LIMITS)
    if refusal is not None:
        raise _file_error(
            _("%(filename)s was not opened: %(reason)s") % {"filename": filename, "reason": refusal.message}
        )
    unreadable = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        book = load_workbook(io.BytesIO(data))
    except (CalamineError, ValueError, OSError):
        raise _file_error(unreadable) from None
    try:
        if not book.sheet_names:
            return []
        # From A1 whatever the first used cell, so that row numbers are the ones Excel shows.
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, ValueError):  # a sheet whose XML calamine cannot parse
        raise _file_error(unreadable) from None
    finally:
        book.close()
    return [[_cell_text(value) for value in row] for row in rows]


def _cell_text(value: Any) -> str:
    if value is None or value == "":  # calamine's empty cell is ""
        return ""
    # A code typed into Excel becomes the number 360100.0; it is still the code "360100".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Seen:
    """What earlier rows and the database already hold, for the uniqueness checks."""

    names: dict[str, int]  # name -> first row
    codes: dict[str, int]  # catalog code -> first row
    code_owners: dict[str, str]  # catalog code -> name of the stored zone holding it


def _validate(table: _Table) -> tuple[list[_ZoneRow], dict[str, str]]:
    """Check every row against the catalog rules; raise with all the problems.

    Returns the valid rows and the header text of each field (to name columns in later errors).
    """
    columns, labels = _map_header(table)
    cities = {city.code: city for city in City.objects.all()}
    records = [
        (number, {field: cells[i] if i < len(cells) else "" for field, i in columns.items()})
        for number, cells in table.rows
    ]
    codes_in_file = {values.get("catalog_code", "") for _number, values in records} - {""}
    seen = _Seen(
        names={},
        codes={},
        code_owners=dict(
            DevelopmentZone.objects.filter(catalog_code__in=codes_in_file).values_list("catalog_code", "name")
        ),
    )
    errors: list[ZoneImportRowError] = []
    zone_rows: list[_ZoneRow] = []
    for number, values in records:
        name = values["name"]
        code = values.get("catalog_code", "")
        city = cities.get(values["city_code"])
        level = _choice(values["level"], LEVEL_ALIASES)
        kind = _choice(values["kind"], KIND_ALIASES)
        problems = {
            "name": _name_problem(name, number, seen),
            "city_code": _city_problem(values["city_code"], city),
            "level": _choice_problem(values["level"], level, _("the level"), LEVEL_ALLOWED),
            "kind": _choice_problem(values["kind"], kind, _("the zone kind"), KIND_ALLOWED),
            "catalog_code": _catalog_code_problem(code, name, number, seen),
        }
        for field, value in values.items():
            if is_unstorable(value):
                problems[field] = str(UNSTORABLE_MESSAGE)
        row_errors = [
            ZoneImportRowError(
                row=number,
                column=labels[field],
                message=_("Row %(row)s, column %(column)s: %(problem)s")
                % {"row": number, "column": labels[field], "problem": problem},
            )
            for field, problem in problems.items()
            if problem
        ]
        if row_errors:
            errors.extend(row_errors)
        elif city is not None and level is not None and kind is not None:
            zone_rows.append(
                _ZoneRow(
                    row=number,
                    name=name,
                    city=city,
                    level=level,
                    kind=kind,
                    catalog_code=code if "catalog_code" in columns else None,
                )
            )
    if errors:
        raise ZoneImportError(errors)
    return zone_rows, labels


def _name_problem(name: str, row: int, seen: _Seen) -> str:
    if not name:
        return _("the zone name is required.")
    if len(name) > NAME_MAX_LENGTH:
        return _("the name is longer than %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}
    if name in seen.names:
        return _("%(value)s already appears in row %(first)s.") % {"value": name, "first": seen.names[name]}
    seen.names[name] = row
    return ""


def _city_problem(code: str, city: City | None) -> str:
    if not code:
        return _("the city code is required.")
    if city is None:
        return _("%(value)s is not the code of a city in %(province)s.") % {
            "value": code,
            "province": province_current(),
        }
    return ""


def _choice_problem(raw: str, value: str | None, what: str, allowed: str) -> str:
    if not raw:
        return _("%(what)s is required.") % {"what": what}
    if value is None:
        return _("%(value)s is not a valid value; use %(allowed)s.") % {"value": raw, "allowed": allowed}
    return ""


def _catalog_code_problem(code: str, name: str, row: int, seen: _Seen) -> str:
    if not code:
        return ""
    if len(code) > CATALOG_CODE_MAX_LENGTH:
        return _("the catalog code is longer than %(limit)d characters.") % {"limit": CATALOG_CODE_MAX_LENGTH}
    if code in seen.codes:
        return _("catalog code %(value)s already appears in row %(first)s.") % {
            "value": code,
            "first": seen.codes[code],
        }
    if seen.code_owners.get(code, name) != name:
        return _("catalog code %(value)s already belongs to %(zone)s.") % {
            "value": code,
            "zone": seen.code_owners[code],
        }
    seen.codes[code] = row
    return ""


def _map_header(table: _Table) -> tuple[dict[str, int], dict[str, str]]:
    """Map the header to fields: (field -> cell index, field -> heading as written in the file)."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    errors: list[ZoneImportRowError] = []
    row = table.header_row
    for index, heading in enumerate(table.header):
        field = COLUMN_ALIASES.get(heading) or COLUMN_ALIASES.get(heading.lower())
        if field is None:
            continue
        if field in columns:
            errors.append(
                ZoneImportRowError(
                    row=row,
                    column=heading,
                    message=_("Row %(row)s, column %(column)s: the same column as %(first)s appears twice.")
                    % {"row": row, "column": heading, "first": labels[field]},
                )
            )
            continue
        columns[field], labels[field] = index, heading
    missing = [field for field in REQUIRED_COLUMNS if field not in columns]
    if missing:
        errors.append(
            ZoneImportRowError(
                row=row,
                column="",
                message=_("Row %(row)s: the header lacks the required columns %(columns)s.")
                % {"row": row, "columns": ", ".join(missing)},
            )
        )
    if errors:
        raise ZoneImportError(errors)
    return columns, labels


def _choice(value: str, aliases: dict[str, str]) -> str | None:
    return aliases.get(value) or aliases.get(value.lower())


def _clean(zone: DevelopmentZone, row: int, labels: dict[str, str], errors: list[ZoneImportRowError]) -> bool:
    """Run the model's own validation; report what the row checks above did not foresee."""
    try:
        zone.full_clean()
    except ValidationError as exc:
        errors.extend(
            ZoneImportRowError(
                row=row,
                column=labels.get(MODEL_FIELD_COLUMNS.get(field, field), ""),
                message=_("Row %(row)s: %(error)s") % {"row": row, "error": message},
            )
            for field, messages in exc.message_dict.items()
            for message in messages
        )
        return False
    return True
