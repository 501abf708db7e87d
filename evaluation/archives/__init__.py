"""Park archives (ZIP): the national package, a construction project's archive, a park's archive.

``archive_write`` writes one into a file handle: the files of its kind, then ``manifest.json`` (what it
is, and every file's size and SHA-256) and ``SHA256SUMS`` (``sha256sum -c SHA256SUMS``). Stored files are
copied in chunks; nothing holds the archive in memory. ``services.national`` builds them in a task;
``archives_visible_to`` is what a user lists and downloads, ``download_name`` the name it downloads under.
"""

from __future__ import annotations

import zipfile
from typing import IO, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from applications.models import Application
from zcpark.core.archives import ArchiveWriter, json_bytes, zip_entry

from ..models import ArchiveKind, ConstructionProject, ParkArchive
from ..permissions import archive_audience, can_recommend_nationally
from .national import NATIONAL_OUTLINE, national_package_write, national_sections
from .parts import PARTS, Source, part, parts_write

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def archives_visible_to(user: Any, project: ConstructionProject) -> QuerySet[ParkArchive]:
    """The park's archives of ``project`` (and of the whole park) that ``user`` may download, newest
    first: its role's copies (``permissions.archive_audience``), the national package for the province
    only. The caller has checked that ``user`` may archive the park (``permissions.can_archive_park``)."""
    archives = ParkArchive.objects.filter(
        Q(project__isnull=True) | Q(project=project),
        park_id=project.park_id,
        audience=archive_audience(user),
    )
    if not can_recommend_nationally(user):
        archives = archives.exclude(kind=ArchiveKind.NATIONAL)
    return archives.select_related("requested_by").order_by("-created_at", "-id")


def download_name(archive: ParkArchive) -> str:
    """The name a ready archive downloads under: its kind, the park and the day it was asked for."""
    stems = {
        ArchiveKind.NATIONAL: "国家级零碳园区推荐材料",
        ArchiveKind.PROJECT: "建设期档案",
        ArchiveKind.PARK: "园区档案",
    }
    created = timezone.localtime(archive.created_at)
    return f"{stems[ArchiveKind(archive.kind)]}-{archive.park.name}-{created:%Y%m%d}.zip"


def _project_sources(project: ConstructionProject, audience: str) -> list[tuple[str, Source]]:
    return [("", Source(project.application, project, audience))]


def _park_sources(archive: ParkArchive) -> list[tuple[str, Source]]:
    """Every application of the park, with its project when it was listed, one folder each."""
    projects = {p.application_id: p for p in ConstructionProject.objects.filter(park_id=archive.park_id)}
    applications = Application.objects.filter(park_id=archive.park_id).order_by("id")
    return [(f"application-{a.pk}/", Source(a, projects.get(a.pk), archive.audience)) for a in applications]


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
                sources = _project_sources(archive.project, archive.audience)
            else:
                sources = _park_sources(archive)
            for folder, source in sources:
                parts_write(source, writer, folder)
        header = {
            "park": archive.park.name,
            "kind": archive.kind,
            "kind_label": str(archive.get_kind_display()),
            "audience": archive.audience,
            "audience_label": str(archive.get_audience_display()),
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
    "archives_visible_to",
    "download_name",
    "national_sections",
    "part",
]
