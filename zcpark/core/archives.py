"""ZIP archives written one entry at a time with a SHA-256 manifest (the dossier archive, a park's archive,
the national package). Generated entries come as bytes; stored files are copied in chunks, so an archive
of any size is written into a file handle (a temporary file that spills to disk) without being held in
memory."""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from typing import IO, Any

# Stored files go into an archive this much at a time.
COPY_CHUNK_BYTES = 1024 * 1024
# An archive being built stays in memory up to this size, then goes on in a temporary file on disk.
ARCHIVE_SPOOL_BYTES = 8 * 1024 * 1024


def json_bytes(value: Any) -> bytes:
    """Readable JSON (Chinese as it is, indented; dates, Decimals and the rest as text)."""
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode()


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name`` with -2, -3… before the extension when another file already has it."""
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{extension}"
    taken.add(candidate)
    return candidate


def safe_name(name: str) -> str:
    """A file name without path separators (an uploaded name never reaches outside its folder)."""
    return name.replace("/", "_").replace("\\", "_").strip() or "_"


def zip_entry(name: str) -> zipfile.ZipInfo:
    """An entry as ``ZipFile.writestr`` makes one: deflated, dated now, readable by its owner."""
    entry = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


class ArchiveWriter:
    """A ZIP written one entry at a time, noting each entry's size and SHA-256 for the manifest. Entries
    come as bytes (small, generated) or are copied from a stored file in chunks (never held whole)."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.manifest: list[dict[str, Any]] = []

    def add(self, name: str, content: bytes) -> None:
        self.archive.writestr(zip_entry(name), content)
        self.manifest.append(
            {"name": name, "size_bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        )

    def copy(self, name: str, source: IO[bytes]) -> None:
        digest, size = hashlib.sha256(), 0
        with self.archive.open(zip_entry(name), "w") as target:
            for chunk in iter(lambda: source.read(COPY_CHUNK_BYTES), b""):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.manifest.append({"name": name, "size_bytes": size, "sha256": digest.hexdigest()})

    def sha256sums(self) -> bytes:
        """The manifest as ``sha256sum -c`` reads it."""
        return "".join(f"{m['sha256']}  {m['name']}\n" for m in self.manifest).encode()
