"""Checking an uploaded file before it is stored: type by extension *and* content, size, digest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UPLOAD_EXTENSIONS = {
    # extension: accepted leading bytes; sniffing stops a renamed executable or HTML page.
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04",),
    "ofd": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
}


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    size_bytes: int
    sha256: str


def upload_check(file: IO[bytes], name: str, *, field: str = "file") -> CheckedUpload:
    """Check ``file`` (named ``name`` by the user) against the allowed types and ATTACHMENT_MAX_BYTES.

    Raises a ValidationError on ``field`` naming the file; leaves the file at position 0.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            {
                field: [
                    _("%(name)s: allowed types are %(types)s.")
                    % {"name": name, "types": ", ".join(sorted(UPLOAD_EXTENSIONS))}
                ]
            }
        )
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                field: [
                    _("%(name)s is %(size)s MB; the limit is %(limit)s MB.")
                    % {"name": name, "size": round(size / 1048576, 1), "limit": limit // 1048576}
                ]
            }
        )
    if size == 0:
        raise ValidationError({field: [_("%(name)s is empty.") % {"name": name}]})
    file.seek(0)
    head = file.read(8)
    if not any(head.startswith(magic) for magic in UPLOAD_EXTENSIONS[extension]):
        raise ValidationError(
            {field: [_("%(name)s is not a real .%(ext)s file.") % {"name": name, "ext": extension}]}
        )
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    file.seek(0)
    return CheckedUpload(extension=extension, size_bytes=size, sha256=digest.hexdigest())
