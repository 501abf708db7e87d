"""The bad-file corpus of the inputs probe (bench/probe_inputs.py), built in memory or in /tmp.

Each file is what a careless or hostile upload looks like: a program renamed .pdf, a zip bomb and a
"dimension trick" dressed as .xlsx (a sheet declaring, or reaching, a million rows by 16,384 columns,
which a reader that allocates the declared range would try to hold), a workbook cut in half, an empty
file, a CSV with NUL bytes or in GBK, a JSON document with a NUL, and a 50 MB file past every limit.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIFTY_MB = 50 * 1024 * 1024
BOMB_UNPACKED = 400 * 1024 * 1024  # zeros: deflate packs them about 1000:1
FAR_CELL = "XFD1048576"


@dataclass(frozen=True)
class BadFile:
    label: str
    name: str
    path: Path  # on disk, so a 50 MB body is streamed by the test client, not kept per request

    def upload(self) -> object:
        """The file as the test client sends it (read whole: the client builds the body in memory)."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(self.name, self.path.read_bytes())


def small_workbook() -> bytes:
    """A tidy .xlsx with one sheet and a few cells (openpyxl), the base of the malformed ones."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "能源消费"
    sheet.append(["企业名称", "月份", "能源品种", "消费量", "计量单位"])
    sheet.append(["探针企业", 1, "天然气", 10, "10^4 Nm3"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(workbook: bytes, change: callable) -> bytes:  # type: ignore[valid-type]
    """The workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return out.getvalue()


def dimension_trick(workbook: bytes) -> bytes:
    """Declares A1:XFD1048576 and puts a cell at XFD1048576 (calamine keeps a sheet as a dense grid)."""

    def change(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{FAR_CELL}"/>', xml)
        far_row = f'<row r="1048576"><c r="{FAR_CELL}" t="inlineStr"><is><t>far</t></is></c></row>'
        return xml.replace("</sheetData>", far_row + "</sheetData>")

    return rewrite_sheet(workbook, change)


def zip_bomb(path: Path, workbook: bytes) -> None:
    """A real workbook's parts plus a sheet of 400 MB of zeros (written in chunks, deflated)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"\0" * (4 * 1024 * 1024)
            for _ in range(BOMB_UNPACKED // len(chunk)):
                sheet.write(chunk)


def build_corpus(directory: Path) -> dict[str, BadFile]:
    """Every bad file, by label; the extension is chosen per endpoint by ``named_as``."""
    directory.mkdir(parents=True, exist_ok=True)
    workbook = small_workbook()
    files: dict[str, bytes | None] = {
        "program renamed": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + os.urandom(4096),
        "dimension trick": dimension_trick(workbook),
        "truncated workbook": workbook[: len(workbook) // 2],
        "empty file": b"",
        "csv with NUL": "name,city_code,level,kind\n探针\x00开发区,360100,provincial,etdz\n".encode(),
        "csv in GBK": "名称,设区市代码,级别,类型\n探针开发区,360100,省级,经开区\n".encode("gbk"),
        "json with NUL": b'{"schema": "zcpark.dataset/2", "year": 2025, "park": {"name": "a\\u0000b"}}',
        "zip bomb": None,
        "50 MB": None,
    }
    corpus = {}
    for label, data in files.items():
        path = directory / re.sub(r"\W+", "-", label)
        if label == "zip bomb":
            zip_bomb(path, workbook)
        elif label == "50 MB":
            with path.open("wb") as handle:
                handle.write(b"%PDF-1.4\n")
                handle.truncate(FIFTY_MB)
        else:
            path.write_bytes(data or b"")
        corpus[label] = BadFile(label, "", path)
    return corpus


# Extensions by what the bad file pretends to be, per kind of endpoint.
EXTENSIONS = {
    "program renamed": {"document": "pdf", "workbook": "xlsx", "catalog": "xlsx"},
    "dimension trick": {"document": "xlsx", "workbook": "xlsx", "catalog": "xlsx"},
    "truncated workbook": {"document": "xlsx", "workbook": "xlsx", "catalog": "xlsx"},
    "empty file": {"document": "pdf", "workbook": "xlsx", "catalog": "csv"},
    "csv with NUL": {"catalog": "csv"},
    "csv in GBK": {"catalog": "csv"},
    "json with NUL": {"workbook": "json"},
    "zip bomb": {"document": "xlsx", "workbook": "xlsx", "catalog": "xlsx"},
    "50 MB": {"document": "pdf", "workbook": "xlsx", "catalog": "xlsx"},
}


def named_as(bad: BadFile, endpoint_kind: str) -> BadFile | None:
    """The file under the name it would carry to this kind of endpoint (None: not worth sending)."""
    extension = EXTENSIONS[bad.label].get(endpoint_kind)
    if extension is None:
        return None
    stem = re.sub(r"\W+", "-", bad.label)
    return BadFile(bad.label, f"probe-{stem}.{extension}", bad.path)
