"""Benchmark: memory of building a dossier's ZIP archive with large attachments.

Creates a throw-away database and a temporary media folder, builds a ready dossier through the services,
adds N attachments of M MB each (random bytes behind a PDF header: they do not compress, like real scans),
then builds the ZIP export the way the task does (``dossier_export_build``: archive, then stored) twice:

  rss         the process's peak resident memory during the build, above what it held before
              (Linux: VmHWM reset through /proc/self/clear_refs; elsewhere ru_maxrss, a cruder measure)
  tracemalloc the peak of Python allocations during the build (tracemalloc started just before)

The 申报书 PDF is a fixed stand-in unless --pdf (WeasyPrint's own memory would hide the archive's).
An archive built in memory holds every attachment at least twice; streamed through a temporary file
it holds one chunk at a time, whatever the attachments weigh.

    .venv/bin/python bench/dossier_archive.py [--count 20] [--size-mb 5] [--pdf]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402

MB = 1024 * 1024
STATUS = Path("/proc/self/status")


def _peak_reset() -> bool:
    """Reset the kernel's resident-memory high-water mark (Linux ≥ 4.0); False where it cannot."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _resident_kb(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def measure_rss(func: Callable[[], Any]) -> tuple[float, float]:
    """Seconds taken and peak resident MB above the resident memory before ``func``."""
    exact = _peak_reset()
    before = _resident_kb("VmRSS") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    peak = _resident_kb("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return elapsed, max(peak - before, 0) / 1024


def measure_tracemalloc(func: Callable[[], Any]) -> tuple[float, float]:
    """Seconds taken (slowed by tracing) and the peak of Python allocations in MB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        func()
        elapsed = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return elapsed, peak / MB


def dossier_with_attachments(count: int, size: int) -> tuple[Any, Any]:
    from applications import services
    from tests.applications.factories import ready_application
    from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory

    city = CityFactory(code="360100", name="南昌市", plate="赣A")
    park = ParkFactory(zone=ZoneFactory(city=city, name="南昌经济技术开发区"), name="南昌经开区零碳示范园")
    staff = UserFactory(username="bench_staff", staff=True, park=park)
    application = ready_application(staff=staff)
    for n in range(count):
        with tempfile.TemporaryFile() as handle:
            handle.write(b"%PDF-1.7\n")
            for _ in range(size // MB):
                handle.write(os.urandom(MB))
            handle.write(b"\n%%EOF\n")
            handle.seek(0)
            services.attachment_add(
                by=staff, application=application, kind="other", file=handle, name=f"扫描件-{n + 1:02d}.pdf"
            )
    return application, staff


def build_export(application: Any, staff: Any) -> int:
    """Request and build the ZIP export as the task does; returns the stored archive's size."""
    from applications.models import DossierExport, ExportKind
    from applications.services.exports import dossier_export_build
    from zcpark.core.models import FileStatus

    export = DossierExport.objects.create(
        application=application, kind=ExportKind.ZIP, revision_number=application.revision, requested_by=staff
    )
    built = dossier_export_build(export=export)
    if built.status != FileStatus.READY:
        raise RuntimeError(built.error)
    return int(built.file.size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="attachments (default 20)")
    parser.add_argument("--size-mb", type=int, default=5, help="MB per attachment (default 5)")
    parser.add_argument("--pdf", action="store_true", help="render the real 申报书 PDF (WeasyPrint)")
    args = parser.parse_args()

    from django.test import override_settings

    from applications import exports

    if not args.pdf:
        exports.render_dossier_pdf = lambda context: b"%PDF-1.7 stand-in\n%%EOF\n"  # type: ignore[assignment]
    media = tempfile.mkdtemp(prefix="zcpark-bench-media-")
    sizes: list[int] = []
    try:
        with override_settings(MEDIA_ROOT=media), throwaway_database():
            application, staff = dossier_with_attachments(args.count, args.size_mb * MB)
            rss_s, rss_mb = measure_rss(lambda: sizes.append(build_export(application, staff)))
            trace_s, trace_mb = measure_tracemalloc(lambda: sizes.append(build_export(application, staff)))
    finally:
        shutil.rmtree(media, ignore_errors=True)

    total = args.count * args.size_mb
    print(f"{args.count} attachments × {args.size_mb} MB = {total} MB; archive {sizes[0] / MB:.1f} MB")
    print(f"{'measure':<14}{'seconds':>10}{'peak MB':>10}")
    print(f"{'rss':<14}{rss_s:>10.2f}{rss_mb:>10.1f}")
    print(f"{'tracemalloc':<14}{trace_s:>10.2f}{trace_mb:>10.1f}")


if __name__ == "__main__":
    main()
