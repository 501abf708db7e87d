"""Park archives (ZIP): the national package, a construction project's archive, a park's archive.

``archive_write`` writes one into a file handle: the files of its kind, then ``manifest.json`` (what it
is, and every file's size and SHA-256) and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS``). Stored files are
copied in chunks; nothing holds the archive in memory. ``services.national`` builds them in a task.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.utils import timezone

from applications.models import Application
from zcpark.core.archives import ArchiveWriter, json_bytes, zip_entry

from ..models import ArchiveKind, ConstructionProject, ParkArchive
from .national import NATIONAL_OUTLINE, national_package_write, national_sections
from .parts import PARTS, Source, part, parts_write

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def _project_sources(project: ConstructionProject, for_park: bool) -> list[tuple[str, Source]]:
    return [("", Source(project.application, project, for_park))]


def _park_sources(archive: ParkArchive) -> list[tuple[str, Source]]:
    """Every application of the park, with its project when it was listed, one folder each."""
    projects = {p.application_id: p for p in ConstructionProject.objects.filter(park_id=archive.park_id)}
    applications = Application.objects.filter(park_id=archive.park_id).order_by("id")
    return [(f"application-{a.pk}/", Source(a, projects.get(a.pk), archive.for_park)) for a in applications]


def archive_write(archive: ParkArchive, target: IO[bytes]) -> list[dict[str, Any]]:
    """Write ``archive``'s ZIP into ``target`` (a seekable binary file); returns the manifest's files."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        writer = ArchiveWriter(zipped)
        if archive.kind == ArchiveKind.NATIONAL:
            assert archive.project is not None
            national_package_write(archive.project, writer)
        else:
            if archive.kind == ArchiveKind.PROJECT:
                assert archive.project is not None
                sources = _project_sources(archive.project, archive.for_park)
            else:
                sources = _park_sources(archive)
            for folder, source in sources:
                parts_write(source, writer, folder)
        header = {
            "park": archive.park.name,
            "kind": archive.kind,
            "kind_label": str(archive.get_kind_display()),
            "project": archive.project_id,
            "generated_at": timezone.localtime().isoformat(),
            "files": writer.manifest,
        }
        zipped.writestr(zip_entry(MANIFEST), json_bytes(header))
        zipped.writestr(zip_entry(SUMS), writer.sha256sums())
    return writer.manifest


__all__ = [
    "MANIFEST",
    "NATIONAL_OUTLINE",
    "PARTS",
    "SUMS",
    "Source",
    "archive_write",
    "national_sections",
    "part",
]
