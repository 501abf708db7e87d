"""Benchmark: building a construction project's archive (the park archive task) as reports and files grow.

Creates a throw-away database and a temporary media folder; for each configuration builds a listed park
through the services (a dossier with K attachments of M MB each, random bytes behind a PDF header that do
not compress, like real scans), fills and submits N annual reports (N = the construction period, 3–5
years), then builds the project archive the way the task does (``park_archive_build``: ZIP into a
temporary file spilling to disk, streamed into storage) with tracemalloc on:

  seconds   the build (slowed by tracing)
  peak MB   the peak of Python allocations during the build
  files     members of the ZIP (manifest.json and SHA256SUMS aside)
  ZIP MB    the stored archive

The 申报书 PDF is a fixed stand-in unless --pdf (WeasyPrint's own memory would hide the archive's).
Streamed, the peak stays near one copy chunk (1 MB) plus the largest generated entry, whatever the
attachments weigh.

    .venv/bin/python bench/park_archive.py [--pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402
from dossier_archive import MB, measure_tracemalloc  # noqa: E402

# (annual reports = period years, attachments, MB each)
CONFIGURATIONS = ((3, 0, 0), (3, 5, 1), (5, 10, 2), (5, 20, 5))


def project_with_files(n: int, reports: int, attachments: int, size: int) -> tuple[Any, Any]:
    """A listed park with ``attachments`` files in its dossier and ``reports`` submitted annual reports."""
    from applications import services as app_services
    from applications.models import SectionCode
    from evaluation.models import ConstructionProject
    from tests.applications.factories import ready_application
    from tests.evaluation.factories import report_year
    from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory

    city = CityFactory(code=f"3601{n:02d}", name=f"测试市{n}", plate=f"赣{chr(65 + n)}")
    park = ParkFactory(zone=ZoneFactory(city=city, name=f"开发区{n}"), name=f"零碳示范园{n}")
    staff = UserFactory(username=f"bench_staff_{n}", staff=True, park=park)
    reviewer = UserFactory(username=f"bench_reviewer_{n}", reviewer=True, city=city)
    province = UserFactory(username=f"bench_province_{n}", province=True)
    application = ready_application(staff=staff)
    targets = application.sections.get(code=SectionCode.TARGETS).data
    app_services.dossier_section_save(
        by=staff, application=application, code=SectionCode.TARGETS, data={**targets, "period_years": reports}
    )
    for k in range(attachments):
        with tempfile.TemporaryFile() as handle:
            handle.write(b"%PDF-1.7\n")
            for _ in range(size // MB):
                handle.write(os.urandom(MB))
            handle.write(b"\n%%EOF\n")
            handle.seek(0)
            app_services.attachment_add(
                by=staff, application=application, kind="other", file=handle, name=f"扫描件-{k + 1:02d}.pdf"
            )
    for action, who in (("submit", staff), ("recommend", reviewer), ("approve", province)):
        application = app_services.application_transition(
            by=who, application=application, action=action, comment=action
        )
    the_list = app_services.construction_list_create(
        by=province, title=f"名单 {n}", document_no="赣发改环资〔2026〕1号", application_ids=[application.pk]
    )
    app_services.construction_list_transition(
        by=province, construction_list=the_list, action="notice", objection_deadline=date.today()
    )
    app_services.construction_list_transition(by=province, construction_list=the_list, action="publish")
    project = ConstructionProject.objects.get(application=application)
    for year in project.report_years:
        report_year(project, staff, year)
    return project, province


def build(project: Any, province: Any) -> Any:
    from evaluation.models import ArchiveKind
    from evaluation.services import park_archive_build, park_archive_request

    archive = park_archive_request(by=province, park=project.park, project=project, kind=ArchiveKind.PROJECT)
    if park_archive_build(archive.pk) != "ready":
        archive.refresh_from_db()
        raise RuntimeError(archive.error)
    archive.refresh_from_db()
    return archive


def _build_into(built: list[Any], project: Any, province: Any) -> None:
    built.append(build(project, province))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="render the real 申报书 PDF (WeasyPrint)")
    args = parser.parse_args()

    from django.test import override_settings

    from applications import exports

    if not args.pdf:
        exports.render_dossier_pdf = lambda context: b"%PDF-1.7 stand-in\n%%EOF\n"  # type: ignore[assignment]
    media = tempfile.mkdtemp(prefix="zcpark-bench-media-")
    rows = []
    try:
        with override_settings(MEDIA_ROOT=media), throwaway_database():
            for n, (reports, attachments, size_mb) in enumerate(CONFIGURATIONS):
                project, province = project_with_files(n, reports, attachments, size_mb * MB)
                built: list[Any] = []
                seconds, peak = measure_tracemalloc(partial(_build_into, built, project, province))
                archive = built[0]
                rows.append(
                    (reports, attachments, size_mb, seconds, peak, archive.file_count, archive.size_bytes)
                )
    finally:
        shutil.rmtree(media, ignore_errors=True)

    print(f"{'reports':>8}{'files×MB':>10}{'seconds':>10}{'peak MB':>10}{'files':>8}{'ZIP MB':>9}")
    for reports, attachments, size_mb, seconds, peak, files, size in rows:
        print(
            f"{reports:>8}{f'{attachments}×{size_mb}':>10}{seconds:>10.2f}{peak:>10.1f}{files:>8}{size / MB:>9.1f}"
        )


if __name__ == "__main__":
    main()
