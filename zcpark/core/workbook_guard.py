"""Inspecting an uploaded .xlsx before python-calamine sees it: refuse files that would exhaust memory.

Every upload read with calamine goes through here first (the intake workbook, the zone catalog),
each with its own ``WorkbookLimits``.

calamine reserves memory for the whole rectangle between a sheet's first and last used cell (and
the reader then walks it from A1), so a 5 KB file with one cell in A1 and another in ZZ1000000
makes the process abort on a 22 GB allocation — not a Python error anyone could catch. A zip bomb
does the same through the unpacked size. ``inspect_upload`` opens the zip itself, unpacks every part
as a stream (never trusting the sizes the zip declares), and checks:

* the file is an .xlsx package: a zip (no other format calamine would fall back to), parts stored or
  deflated, not encrypted, with xl/workbook.xml and xl/_rels/workbook.xml.rels;
* at most ``max_total_bytes`` unpacked in all, and no part unpacking ``MAX_RATIO`` times its size;
* for each sheet the limits name (found the way calamine finds it: workbook.xml → relationship →
  part), the ``<dimension>`` element and every cell position stay within the sheet's ``SheetLimit``.

The cell scan is a few regular expressions over each unpacked chunk, which costs little on the
100,000-row benchmark; when a sheet is written in an unusual way (cells without an ``r`` address,
namespace prefixes, CDATA) it falls back to an exact streaming parse with expat.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pyexpat import ExpatError, ParserCreate
from typing import Any

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SheetLimit:
    """The last row and column (1-based) a data sheet may use."""

    rows: int
    columns: int


@dataclass(frozen=True)
class WorkbookLimits:
    """What one kind of upload may hold.

    ``sheets``: the limits of the sheets the reader loads, by name; ``other_sheets``: the limits of
    every other sheet, for a reader that loads a sheet whatever its name (None: a sheet the reader
    never loads may be of any size, it is only unpacked and counted); ``max_total_bytes``: the
    unpacked size of every part together.
    """

    sheets: Mapping[str, SheetLimit] = field(default_factory=dict)
    other_sheets: SheetLimit | None = None
    max_total_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    """Why an upload was refused: ``sheet`` ("" for the whole file), ``code`` (``invalid_file`` or
    ``too_large``) and the message for the person who uploaded it."""

    sheet: str
    code: str
    message: str


MAX_RATIO = 100  # unpacked : packed, per part; real sheets stay near 10
RATIO_FROM_BYTES = 1024 * 1024  # the ratio is judged once a part has unpacked this much
MAX_PARTS = 10_000
MAX_INDEX_BYTES = 10 * 1024 * 1024  # xl/workbook.xml and its relationships
MAX_TAG_BYTES = 4 * 1024 * 1024  # a text run this long without "<" sends the scan to expat

WORKBOOK_PART = "xl/workbook.xml"
RELATIONSHIPS_PART = "xl/_rels/workbook.xml.rels"
# Parts of the other formats calamine tries when a file does not open as .xlsx.
FOREIGN_PARTS = frozenset({"content.xml", "xl/workbook.bin", "xl/_rels/workbook.bin.rels"})

_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"

# A start tag whose attribute values may hold ">" (never "<"), and its attributes.
_TAG = re.compile(rb"""<([A-Za-z_][^\s/>]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*/?>""")
_ATTRIBUTE = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')""")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|apos|quot)|#([0-9]+)|#x([0-9A-Fa-f]+));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_POSITION = re.compile(rb"([A-Za-z]*)([0-9]+)")
_FAR = 10**10  # a row or column number beyond every limit
# The fast cell scan: every cell must open as `<c r="…"`; anything else goes to expat.
_ODD_CELL = re.compile(rb'<c(?:[>/\t\n\r]| (?!r="))')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_DIMENSION = re.compile(rb"""<(?:[^\s<>/:!?]+:)?dimension[\s/][^<]*?\bref\s*=\s*["']([^"'<]*)""")


class Refused(Exception):
    """The upload is refused; ``refusal`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class _Exact(Exception):
    """The fast scan met something it does not model: scan the part again with expat."""


def inspect_workbook(data: bytes, limits: WorkbookLimits) -> Refusal | None:
    """None when ``data`` is an .xlsx that calamine can open safely within ``limits``, else why not."""
    try:
        _inspect(data, limits)
    except Refused as refused:
        return refused.refusal
    return None


def invalid_file() -> Refusal:
    """Not an Excel workbook the reader can open (a caller may word it for its own upload)."""
    return Refusal(
        sheet="", code="invalid_file", message=_("The file could not be read as an Excel workbook (.xlsx).")
    )


def sheet_too_large(sheet: str, limit: SheetLimit) -> Refusal:
    return Refusal(
        sheet=sheet,
        code="too_large",
        message=_(
            "The sheet “%(sheet)s” spans too many rows or columns: it may use at most %(rows)s rows "
            "and %(columns)s columns. Delete the unused rows and columns below and to the right of "
            "your data (or copy the data into a fresh template) and upload the file again."
        )
        % {"sheet": sheet, "rows": f"{limit.rows:,}", "columns": limit.columns},
    )


def file_too_large(max_total_bytes: int) -> Refusal:
    return Refusal(
        sheet="",
        code="too_large",
        message=_(
            "The file is too large: unpacked, an Excel workbook may hold at most %(size)s MB. Remove "
            "unused sheets, pictures and formatting, or copy your data into a fresh template."
        )
        % {"size": max_total_bytes // (1024 * 1024)},
    )


def file_suspicious() -> Refusal:
    return Refusal(
        sheet="",
        code="too_large",
        message=_(
            "The file unpacks to far more data than its size suggests, so it was not opened. Save it "
            "again in Excel as “Excel Workbook (*.xlsx)” and upload that file."
        ),
    )


# --- the package ---------------------------------------------------------------------------------


def _inspect(data: bytes, limits: WorkbookLimits) -> None:
    if not data.startswith(_LOCAL_SIGNATURE):  # also rules out .xls and zip/OLE polyglots
        raise Refused(invalid_file())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error):
        raise Refused(invalid_file()) from None
    if len(parts) > MAX_PARTS:
        raise Refused(file_too_large(limits.max_total_bytes))
    names = {part.filename.lower() for part in parts}
    if WORKBOOK_PART not in names or RELATIONSHIPS_PART not in names or names & FOREIGN_PARTS:
        raise Refused(invalid_file())
    budget = _Budget(limits.max_total_bytes)
    index = {
        key: b"".join(
            b"".join(_unpack(data, part, budget, limit=MAX_INDEX_BYTES))
            for part in parts
            if part.filename.lower() == key
        )
        for key in (WORKBOOK_PART, RELATIONSHIPS_PART)
    }
    sheet_parts = _sheet_parts(index[WORKBOOK_PART], index[RELATIONSHIPS_PART], limits)
    budget = _Budget(limits.max_total_bytes)  # count every part once, below
    for part in parts:
        target = sheet_parts.get(part.filename.lower())
        if target is None:
            for _chunk in _unpack(data, part, budget):
                pass
            continue
        sheet, limit = target
        before = budget.used
        try:
            _scan_fast(_unpack(data, part, budget), sheet, limit)
        except _Exact:
            budget.used = before
            _scan_exact(_unpack(data, part, budget), sheet, limit)


class _Budget:
    """Unpacked bytes counted so far, against the limits' ``max_total_bytes``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, size: int) -> None:
        self.used += size
        if self.used > self.limit:
            raise Refused(file_too_large(self.limit))


def _unpack(
    data: bytes, part: zipfile.ZipInfo, budget: _Budget, *, limit: int | None = None
) -> Iterator[bytes]:
    """The unpacked bytes of a part in chunks, read from its local header on (sizes not trusted)."""
    if part.flag_bits & 0x1 or part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refused(invalid_file())  # encrypted, or a method calamine may unpack without our checks
    offset = part.header_offset
    try:
        signature, name_size, extra_size = _LOCAL_HEADER.unpack_from(data, offset)
    except struct.error:
        raise Refused(invalid_file()) from None
    start = offset + _LOCAL_HEADER.size + name_size + extra_size
    end = start + part.compress_size
    if signature != _LOCAL_SIGNATURE or end > len(data):
        raise Refused(invalid_file())
    packed = memoryview(data)[start:end]
    unpacked = 0

    def account(size: int) -> None:
        nonlocal unpacked
        unpacked += size
        budget.take(size)
        if limit is not None and unpacked > limit:
            raise Refused(file_too_large(budget.limit))

    if part.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(packed), _OUT_CHUNK):
            chunk = bytes(packed[at : at + _OUT_CHUNK])
            account(len(chunk))
            yield chunk
        return
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    fed = 0
    try:
        while not inflate.eof:
            if inflate.unconsumed_tail:
                chunk = inflate.decompress(inflate.unconsumed_tail, _OUT_CHUNK)
            elif fed < len(packed):
                chunk = inflate.decompress(packed[fed : fed + _IN_CHUNK], _OUT_CHUNK)
                fed += min(_IN_CHUNK, len(packed) - fed)
            else:
                break
            if chunk:
                account(len(chunk))
                if unpacked > RATIO_FROM_BYTES and unpacked > MAX_RATIO * fed:
                    raise Refused(file_suspicious())
                yield chunk
    except zlib.error:
        raise Refused(invalid_file()) from None
    if not inflate.eof:  # truncated: calamine would fail on it too
        raise Refused(invalid_file())


# --- which part holds which sheet ----------------------------------------------------------------


def _sheet_parts(
    workbook: bytes, relationships: bytes, limits: WorkbookLimits
) -> dict[str, tuple[str, SheetLimit]]:
    """Lower-cased part name → (sheet, its limit), resolved as calamine resolves them."""
    _check_encoding(workbook)
    _check_encoding(relationships)
    targets: dict[bytes, list[str]] = {}
    for attributes in _start_tags(relationships, b"Relationship"):
        if b"Id" in attributes and b"Target" in attributes:
            targets.setdefault(attributes[b"Id"], []).append(_text(attributes[b"Target"]))
    parts: dict[str, tuple[str, SheetLimit]] = {}
    for attributes in _start_tags(workbook, b"sheet"):
        name = _unescape(_text(attributes.get(b"name", b""))).strip()
        limit = limits.sheets.get(name, limits.other_sheets)
        if limit is None:
            continue
        for key in (b"r:id", b"relationships:id"):
            for target in targets.get(attributes.get(key, b""), []):
                if target.startswith("/xl/"):
                    path = target[1:]
                elif target.startswith("xl/"):
                    path = target
                else:
                    path = f"xl/{target}"
                known = parts.get(path.lower())
                if known is not None:  # two sheets on one part: the tighter limits apply
                    limit = SheetLimit(min(limit.rows, known[1].rows), min(limit.columns, known[1].columns))
                parts[path.lower()] = (name, limit)
    return parts


def _start_tags(xml: bytes, local: bytes) -> list[dict[bytes, bytes]]:
    """The raw attributes of each start tag named ``local`` (any prefix), in comments too."""
    loose = re.compile(rb"<(?:[^\s<>/:!?]+:)?" + re.escape(local) + rb"[\s/>]")
    found = []
    for match in _TAG.finditer(xml):
        if match.group(1).rpartition(b":")[2] == local:
            attributes: dict[bytes, bytes] = {}
            for attribute in _ATTRIBUTE.finditer(match.group(2)):
                value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
                attributes.setdefault(attribute.group(1), value)
            found.append(attributes)
    if len(found) != len(loose.findall(xml)):  # a tag this parse cannot read: do not guess
        raise Refused(invalid_file())
    return found


def _check_encoding(head: bytes) -> None:
    """Only UTF-8 (or ASCII) XML: the scans read the bytes as such."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:1024]:
        raise Refused(invalid_file())
    match = _ENCODING.match(head[:1024])
    if match and match.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise Refused(invalid_file())


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(invalid_file()) from None


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        named, decimal, hexadecimal = match.groups()
        if named:
            return _NAMED_ENTITIES[named]
        code = int(decimal) if decimal else int(hexadecimal, 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ENTITY.sub(replace, text)


# --- cell positions ------------------------------------------------------------------------------


def _position(ref: bytes | str) -> tuple[int, int] | None:
    """(row, column), 1-based, of a cell address as calamine reads it; None when it would not."""
    raw = ref.encode("utf-8", "replace") if isinstance(ref, str) else ref
    match = _POSITION.fullmatch(raw)
    if match is None:
        return None
    letters, digits = match.group(1).upper(), match.group(2).lstrip(b"0")
    if len(letters) > 4 or len(digits) > 9:  # past any limit (and past Excel's own)
        return _FAR, _FAR
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64
    return int(digits or b"0"), column


class _Extent:
    """The furthest row and column a sheet reaches; refuses as soon as it passes the limits."""

    def __init__(self, sheet: str, limit: SheetLimit) -> None:
        self.sheet = sheet
        self.limit = limit

    def reach(self, row: int, column: int) -> None:
        if row > self.limit.rows or column > self.limit.columns:
            raise Refused(sheet_too_large(self.sheet, self.limit))

    def dimension(self, ref: bytes | str) -> None:
        raw = ref.encode("utf-8", "replace") if isinstance(ref, str) else ref
        for part in raw.split(b":"):
            position = _position(part.strip())
            if position is not None:
                self.reach(*position)


_UNSAFE_CELLS: dict[SheetLimit, re.Pattern[bytes]] = {}


def _unsafe_cells(limit: SheetLimit) -> re.Pattern[bytes]:
    """Cell addresses not obviously inside ``limit`` (obviously: one letter, fewer digits than its
    row limit), so that only a few matches on a real sheet need a closer look."""
    if limit not in _UNSAFE_CELLS:
        last = b"%c" % (ord("A") - 1 + min(limit.columns, 26))
        digits = b"%d" % (len(str(limit.rows)) - 1)
        _UNSAFE_CELLS[limit] = re.compile(rb'<c r="(?![A-' + last + rb"][0-9]{1," + digits + rb'}")([^"]*)"')
    return _UNSAFE_CELLS[limit]


def _scan_fast(chunks: Iterator[bytes], sheet: str, limit: SheetLimit) -> None:
    """Check a sheet whose cells all open as `<c r="…"`; raise _Exact for anything else."""
    extent = _Extent(sheet, limit)
    unsafe = _unsafe_cells(limit)
    carry = b""
    head: bytes | None = b""
    for chunk in chunks:
        if head is not None:  # judge the encoding on the first KB, however the chunks fall
            head += chunk[:1024]
            if len(head) >= 1024:
                _check_encoding(head)
                head = None
        buffer = carry + chunk
        cut = buffer.rfind(b"<")  # keep a tag that may continue in the next chunk
        if cut < 0:
            carry = b""
            continue
        _scan_segment(buffer[:cut], extent, unsafe)
        carry = buffer[cut:]
        if len(carry) > MAX_TAG_BYTES:
            raise _Exact
    if head is not None:
        _check_encoding(head)
    _scan_segment(carry, extent, unsafe)


def _scan_segment(segment: bytes, extent: _Extent, unsafe: re.Pattern[bytes]) -> None:
    if _ODD_CELL.search(segment) or _PREFIXED_CELL.search(segment) or b"<![CDATA[" in segment:
        raise _Exact
    for match in unsafe.finditer(segment):
        position = _position(match.group(1))
        if position is not None:  # an address calamine cannot read fails there, harmlessly
            extent.reach(*position)
    if b"dimension" in segment:
        for match in _DIMENSION.finditer(segment):
            extent.dimension(match.group(1))


def _scan_exact(chunks: Iterator[bytes], sheet: str, limit: SheetLimit) -> None:
    """Follow calamine's cell positions with expat: rows and cells with or without addresses."""
    extent = _Extent(sheet, limit)
    row = column = 0  # 0-based, as calamine counts

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal row, column
        local = name.rpartition(":")[2]
        if local == "row":
            ref = attributes.get("r")
            position = _position(ref) if ref is not None else None
            if position is not None:
                row = position[0] - 1
        elif local == "c":
            ref = attributes.get("r")
            position = _position(ref) if ref is not None else None
            if position is not None:
                column = position[1] - 1
                extent.reach(*position)
            else:  # no (readable) address: the next column of the current row
                extent.reach(row + 1, column + 1)
            column += 1
        elif local == "dimension" and "ref" in attributes:
            extent.dimension(attributes["ref"])

    def end(name: str) -> None:
        nonlocal row, column
        if name.rpartition(":")[2] == "row":
            row += 1
            column = 0

    parser = ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except ExpatError:
        raise Refused(invalid_file()) from None


def _refuse_doctype(*_args: Any) -> None:
    raise Refused(invalid_file())


__all__ = [
    "MAX_RATIO",
    "Refusal",
    "Refused",
    "SheetLimit",
    "WorkbookLimits",
    "inspect_workbook",
    "invalid_file",
]
