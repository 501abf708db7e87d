"""Checking an uploaded file before it is stored: type by extension *and* content, size, digest.

The name only says what the user claims; the bytes decide. Each allowed extension belongs to a kind
recognised from the content: PDF, PNG and JPEG by their signatures, the old Office formats (.doc/.xls)
by the OLE signature (telling the two apart would mean parsing the OLE directory: not worth it here), and
the ZIP-based formats by the archive's parts — a .docx has word/document.xml, an .xlsx xl/workbook.xml,
an .ofd OFD.xml at its root. A file whose bytes are another allowed kind than its name says (a PNG named
.pdf) is refused naming what it really is, so the user knows what to fix.

Archives are only listed, never unpacked (nothing here reads their content beyond a small index part):
what is refused is what would hurt whoever opens them later — encrypted entries (nobody can check them),
tens of thousands of entries, or declared sizes that unpack to far more than the archive weighs.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# What the bytes can turn out to be, and how a message names it.
KIND_LABELS: dict[str, Promise] = {
    "pdf": gettext_lazy("a PDF document"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "ole": gettext_lazy("an Office 97-2003 file (.doc/.xls)"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "ofd": gettext_lazy("an OFD document"),
    "zip": gettext_lazy("a ZIP archive"),
}
# extension: the kinds its content may be. A .zip may hold anything packed as a ZIP (an Office file too).
UPLOAD_EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpeg"}),
    "jpeg": frozenset({"jpeg"}),
    "docx": frozenset({"docx"}),
    "xlsx": frozenset({"xlsx"}),
    "ofd": frozenset({"ofd"}),
    "zip": frozenset({"zip", "docx", "xlsx", "ofd"}),
    "doc": frozenset({"ole"}),
    "xls": frozenset({"ole"}),
}
SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
)
ZIP_SIGNATURE = b"PK\x03\x04"
# The part that makes a ZIP package a document of that kind (names are case-sensitive in OOXML and OFD).
MAIN_PARTS = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"), ("OFD.xml", "ofd"))
# Office files may name their main part differently; [Content_Types].xml then says which part it is.
CONTENT_TYPES_PART = "[Content_Types].xml"
CONTENT_TYPES = (
    (b"wordprocessingml.document.main+xml", "docx"),
    (b"spreadsheetml.sheet.main+xml", "xlsx"),
)
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# Real Office and OFD files hold hundreds of parts and unpack to a few dozen times their size at most.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200  # declared unpacked : archive size, judged once the total passes ZIP_RATIO_FROM_BYTES
ZIP_RATIO_FROM_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    size_bytes: int
    sha256: str


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _zip_kind(file: IO[bytes], name: str, size: int, *, field: str, extension: str) -> str:
    """The kind of ZIP package ``file`` is (docx, xlsx, ofd or a plain zip), after refusing encrypted
    or bomb-like archives from their declared sizes alone."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise _refuse(field, _too_much(name))
            if any(entry.flag_bits & 0x1 for entry in entries):
                raise _refuse(
                    field,
                    _("%(name)s is password-protected: upload it without a password.") % {"name": name},
                )
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > ZIP_MAX_UNPACKED_BYTES or (
                unpacked > ZIP_RATIO_FROM_BYTES and unpacked > ZIP_MAX_RATIO * size
            ):
                raise _refuse(field, _too_much(name))
            names = {entry.filename for entry in entries}
            for part, kind in MAIN_PARTS:
                if part in names:
                    return kind
            return _content_types_kind(archive, names) or "zip"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError, OSError):
        raise _refuse(field, _not_real(name, extension)) from None


def _content_types_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if CONTENT_TYPES_PART not in names:
        return None
    entry = archive.getinfo(CONTENT_TYPES_PART)
    if entry.file_size > CONTENT_TYPES_MAX_BYTES:
        return None
    with archive.open(entry) as handle:
        declared = handle.read(CONTENT_TYPES_MAX_BYTES)
    return next((kind for marker, kind in CONTENT_TYPES if marker in declared), None)


def _too_much(name: str) -> str:
    return _(
        "%(name)s holds too many files or unpacks to far more data than it weighs, so it was refused."
    ) % {"name": name}


def _not_real(name: str, extension: str) -> str:
    return _("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": extension}


def content_kind(file: IO[bytes], name: str, size: int, *, field: str = "file", extension: str = "") -> str:
    """What the bytes of ``file`` are (a key of KIND_LABELS), or "" when none of the allowed kinds."""
    file.seek(0)
    head = file.read(16)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(ZIP_SIGNATURE):
        return _zip_kind(file, name, size, field=field, extension=extension)
    return ""


def upload_check(file: IO[bytes], name: str, *, field: str = "file") -> CheckedUpload:
    """Check ``file`` (named ``name`` by the user) against the allowed types and ATTACHMENT_MAX_BYTES.

    Raises a ValidationError on ``field`` naming the file; leaves the file at position 0.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise _refuse(
            field,
            _("%(name)s: allowed types are %(types)s.")
            % {"name": name, "types": ", ".join(sorted(UPLOAD_EXTENSIONS))},
        )
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise _refuse(
            field,
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": round(size / 1048576, 1), "limit": limit // 1048576},
        )
    if size == 0:
        raise _refuse(field, _("%(name)s is empty.") % {"name": name})
    kind = content_kind(file, name, size, field=field, extension=extension)
    if not kind:
        raise _refuse(field, _not_real(name, extension))
    if kind not in UPLOAD_EXTENSIONS[extension]:
        raise _refuse(
            field,
            _("%(name)s: the name says .%(ext)s, but the file is really %(actual)s.")
            % {"name": name, "ext": extension, "actual": KIND_LABELS[kind]},
        )
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(extension=extension, size_bytes=size, sha256=digest.hexdigest())
