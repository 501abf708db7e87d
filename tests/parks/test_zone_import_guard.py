"""A zone catalog workbook that would exhaust a worker is refused before it is parsed (issue 12,
finding 5): a 5 KB file whose <dimension> spans the whole grid, a 200 KB zip bomb and a sheet reaching
column XFD each ran a gunicorn worker into its 30 s timeout or to 2 GB. The files are made here."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile
from collections.abc import Iterable

import pytest
from django.conf import settings
from django.utils import translation

from parks import zone_import
from parks.models import DevelopmentZone
from parks.services import cities_load
from parks.zone_import import EXCEL_LIMITS, ZoneImportError, zone_catalog_import

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "目录"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>city_code'
    '</t></is></c><c r="C1" t="inlineStr"><is><t>level</t></is></c><c r="D1" t="inlineStr"><is><t>kind'
    "</t></is></c></row>"
)
GOOD_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>南昌经济技术开发区</t></is></c><c r="B2"><v>360100</v></c>'
    '<c r="C2" t="inlineStr"><is><t>national</t></is></c><c r="D2" t="inlineStr"><is><t>etdz</t></is></c>'
    "</row>"
)
# Refused quickly and in little memory: the inspection streams the parts in 1 MB pieces. (tracemalloc
# sees Python's allocations only; calamine's own would not be, which is why it must never start.)
MAX_SECONDS = 5
MAX_PEAK_BYTES = 100 * 1024 * 1024


def _xlsx(sheet: Iterable[bytes], *, level: int = 6) -> bytes:
    """A one-sheet .xlsx written by hand, the sheet's XML given in chunks (a bomb is never whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {NS} xmlns:r="{REL_NS}"><sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for chunk in sheet:
                part.write(chunk)
    return buffer.getvalue()


def _sheet(rows: str, *, dimension: str | None = "A1:D2", middle: Iterable[bytes] = ()) -> Iterable[bytes]:
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{head}'.encode()
    yield f"<sheetData>{HEADER_ROW}".encode()
    yield from middle
    yield f"{rows}</sheetData></worksheet>".encode()


def dimension_trick() -> bytes:
    """Three cells of data under a <dimension> claiming the whole grid, 16,384 × 1,048,576 cells,
    which a reader fills in (openpyxl pads every row to the width the dimension claims)."""
    last = '<row r="1048576"><c r="A1048576"><v>0</v></c></row>'
    return _xlsx(_sheet(GOOD_ROW + last, dimension="A1:XFD1048576"))


def zip_bomb() -> bytes:
    """About 400 KB unpacking to 256 MB of blank rows, which no row limit counts (and no
    <dimension> to stop a reader early)."""
    blank_rows = b"<row/>" * (1 << 20)  # 6 MB, written 43 times
    return _xlsx(_sheet(GOOD_ROW, dimension=None, middle=[blank_rows] * 43), level=9)


def wide_sheet() -> bytes:
    """A real cell in column XFD on row 5,000: a dense copy of the sheet holds 82 million cells."""
    far = '<row r="5000"><c r="XFD5000"><v>1</v></c></row>'
    return _xlsx(_sheet(GOOD_ROW + far, dimension="A1:XFD5000"))


@pytest.fixture
def cities(db) -> int:
    return cities_load()


@pytest.fixture
def never_parsed(monkeypatch):
    """calamine is not to see the file at all."""

    def parse(*_args, **_kwargs):
        raise AssertionError("the workbook reached calamine")

    monkeypatch.setattr(zone_import, "load_workbook", parse)


def _refusal(data: bytes) -> tuple[str, float, int]:
    """The one message the import answers ``data`` with, the seconds taken and the peak memory."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with translation.override("en"), pytest.raises(ZoneImportError) as exc_info:
            zone_catalog_import(file=io.BytesIO(data), filename="开发区目录.xlsx", by=None)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [error] = exc_info.value.row_errors
    assert (error.row, error.column) == (0, "")
    return error.message, seconds, peak


@pytest.mark.usefixtures("never_parsed")
@pytest.mark.parametrize(
    ("make", "max_size", "names"),
    [
        pytest.param(
            dimension_trick, 5_000, ["开发区目录.xlsx", SHEET, "10,000", "50"], id="dimension-trick"
        ),
        pytest.param(zip_bomb, 400_000, ["开发区目录.xlsx", "far more data than its size"], id="zip-bomb"),
        pytest.param(wide_sheet, 5_000, ["开发区目录.xlsx", SHEET, "10,000", "50"], id="wide-sheet"),
    ],
)
def test_a_workbook_that_would_exhaust_a_worker_is_refused_before_parsing(cities, make, max_size, names):
    data = make()
    assert len(data) < max_size
    message, seconds, peak = _refusal(data)
    assert all(name in message for name in names), message
    assert seconds < MAX_SECONDS and peak < MAX_PEAK_BYTES, (seconds, peak)
    assert not DevelopmentZone.objects.exists()


@pytest.mark.usefixtures("never_parsed")
def test_a_workbook_unpacking_past_the_budget_is_refused(cities):
    # 21 MB of comments of two letters packs about 7:1, so no part looks like a bomb; the file is
    # under the 5 MB upload limit, yet unpacks past the 20 MB the catalog may hold.
    noise = os.urandom(21 << 20).translate(bytes(b"ab"[i & 1] for i in range(256)))
    comments = (b"<!--" + noise[at : at + (1 << 20)] + b"-->" for at in range(0, len(noise), 1 << 20))
    data = _xlsx(_sheet(GOOD_ROW, middle=comments), level=1)
    assert len(data) < settings.ZONE_IMPORT_MAX_BYTES
    message, _seconds, _peak = _refusal(data)
    assert "开发区目录.xlsx" in message and f"{EXCEL_LIMITS.max_total_bytes >> 20} MB" in message


def test_a_sheet_within_the_limits_is_read(cities):
    # Column AX (50) and row 10,000 are the last the catalog may use; blank cells there are fine.
    far = '<row r="10000"><c r="AX10000" t="inlineStr"><is><t> </t></is></c></row>'
    data = _xlsx(_sheet(GOOD_ROW + far, dimension="A1:AX10000"))
    result = zone_catalog_import(file=io.BytesIO(data), filename="目录.xlsx", by=None)
    assert result.created == 1
    assert DevelopmentZone.objects.get().city.code == "360100"
