"""Attachments are checked by their bytes: what a file really is, not what its name says."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from applications.models import Attachment
from tests.applications.factories import PDF_BYTES, ApplicationFactory
from zcpark.core import uploads
from zcpark.core.uploads import upload_check

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _marked_encrypted(content: bytes) -> bytes:
    """``content`` with every entry flagged encrypted, as an encrypting tool marks it (zipfile cannot
    encrypt; the check reads only the flag, in the local and the central headers)."""
    data = bytearray(content)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
OFD_BYTES = _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})
PLAIN_ZIP = _zip({"readme.txt": b"hello", "data/table.csv": b"a,b\n1,2\n"})


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active["A1"] = "能源"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refusal(content: bytes, name: str, *, field: str = "file") -> str:
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        upload_check(io.BytesIO(content), name, field=field)
    messages = raised.value.message_dict[field]
    assert len(messages) == 1
    return messages[0]


# ---- accepted ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证明.pdf", PDF_BYTES),
        ("现场.png", PNG_BYTES),
        ("现场.jpg", JPEG_BYTES),
        ("现场.JPEG", JPEG_BYTES),
        ("说明.docx", DOCX_BYTES),
        ("台账.xlsx", _xlsx()),
        ("批复.ofd", OFD_BYTES),
        ("旧版.doc", OLE_BYTES),
        ("旧版.xls", OLE_BYTES),
        ("材料.zip", PLAIN_ZIP),
        ("材料.zip", DOCX_BYTES),  # an Office file is a ZIP too
    ],
)
def test_a_real_file_is_accepted_with_its_size_and_digest(name, content):
    handle = io.BytesIO(content)
    checked = upload_check(handle, name)
    assert checked.extension == name.rsplit(".", 1)[1].lower()
    assert (checked.size_bytes, checked.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert handle.tell() == 0


def test_a_word_file_whose_main_part_has_another_name_is_known_by_its_content_types():
    content_types = (
        b'<Types><Override PartName="/word/document2.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    content = _zip({"[Content_Types].xml": content_types, "word/document2.xml": b"<w:document/>"})
    assert upload_check(io.BytesIO(content), "说明.docx").extension == "docx"


# ---- another allowed type than the name says -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "really"),
    [
        ("批复.pdf", PNG_BYTES, "a PNG image"),
        ("现场.png", JPEG_BYTES, "a JPEG image"),
        ("说明.docx", PLAIN_ZIP, "a ZIP archive"),
        ("台账.xlsx", _zip({"xl/worksheets/sheet1.xml": b"<worksheet/>"}), "a ZIP archive"),
        ("台账.xlsx", DOCX_BYTES, "a Word document (.docx)"),
        ("批复.ofd", PDF_BYTES, "a PDF document"),
        ("旧版.doc", PDF_BYTES, "a PDF document"),
        ("材料.zip", OLE_BYTES, "an Office 97-2003 file (.doc/.xls)"),
    ],
)
def test_a_file_of_another_type_than_its_name_is_refused_saying_what_it_really_is(name, content, really):
    extension = name.rsplit(".", 1)[1]
    assert _refusal(content, name) == f"{name}: the name says .{extension}, but the file is really {really}."


def test_the_refusal_reads_in_chinese_for_the_user():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        upload_check(io.BytesIO(PNG_BYTES), "批复.pdf")
    assert "批复.pdf" in raised.value.message_dict["file"][0]


# ---- not what any allowed type looks like ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("批复.pdf", b"<html><body>%PDF-1.7</body></html>"),
        ("批复.pdf", b"%PDF"),  # no version: not a PDF header
        ("现场.png", b"\x89PNG-not-really"),
        ("说明.docx", b"PK\x03\x04 truncated, no central directory"),
        ("旧版.doc", b"MZ\x90\x00 an executable"),
    ],
)
def test_a_file_that_is_none_of_the_allowed_types_is_refused_by_name(name, content):
    extension = name.rsplit(".", 1)[1]
    assert _refusal(content, name) == f"{name} is not a real .{extension} file."


def test_the_refusal_is_on_the_field_the_file_came_in():
    assert "批复.pdf" in _refusal(PNG_BYTES, "批复.pdf", field="attachment")


# ---- archives that would hurt whoever opens them -------------------------------------------------------


def test_an_encrypted_archive_is_refused():
    content = _marked_encrypted(DOCX_BYTES)
    assert all(entry.flag_bits & 0x1 for entry in zipfile.ZipFile(io.BytesIO(content)).infolist())
    assert _refusal(content, "说明.docx") == "说明.docx is password-protected: upload it without a password."


def test_an_archive_that_unpacks_to_far_more_than_it_weighs_is_refused():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w") as entry,
    ):
        for _ in range(80):
            entry.write(bytes(1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024  # 80 MB of zeros pack into a few hundred KB
    message = _refusal(content, "材料.zip")
    assert message.startswith("材料.zip holds too many files or unpacks to far more data")


def test_an_archive_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 3)
    content = _zip({f"part{n}.xml": b"<x/>" for n in range(4)})
    assert "too many files" in _refusal(content, "材料.zip")


# ---- through the dossier page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_attachment_page_refuses_a_renamed_image_and_stores_nothing(world, login):
    application = ApplicationFactory(park=world.park_a)
    upload = SimpleUploadedFile("园区批复.pdf", PNG_BYTES, content_type="application/pdf")
    response = login(world.staff_a).post(
        reverse("applications:section-attachments", args=[application.pk]), {"kind": "other", "file": upload}
    )
    assert response.status_code == 200
    assert "园区批复.pdf" in response.context["form"].errors["file"][0]
    assert not Attachment.objects.exists()
