"""Benchmark: rendering the demo-size dossier's 申报书 PDF (WeasyPrint, embedded Noto CJK subsets).

Creates a throw-away database, builds the demo dossier through the services (every Annex-1 section,
the three energy years with computed indicators, one attachment) and submits it, then times:

  context   build_dossier_context (the reads: revision snapshot, factor set, feasibility, charts)
  layout    HTML → laid-out pages (WeasyPrint render)
  pdf       render_dossier_pdf end to end (layout + PDF with font subsetting), N times
  archive   build_archive once (PDF + attachments + opinions + timeline + revisions + manifest)

Target: the PDF in under 5 s on a developer machine, so a worker builds exports without a queue.

    .venv/bin/python bench/dossier_pdf.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402

TARGET_PDF_S = 5.0


def timed(func: Callable[[], Any], repeat: int) -> tuple[Any, list[float]]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return result, times


def demo_application() -> Any:
    from applications.models import ApplicationStatus
    from tests.applications.factories import application_in
    from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory

    city = CityFactory(code="360100", name="南昌市", plate="赣A")
    park = ParkFactory(zone=ZoneFactory(city=city, name="南昌经济技术开发区"), name="南昌经开区零碳示范园")
    staff = UserFactory(username="bench_staff", staff=True, park=park)
    return application_in(ApplicationStatus.SUBMITTED, actors={"staff": staff})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="PDF renders to time (default 5)")
    args = parser.parse_args()

    from applications import exports

    with throwaway_database():
        application = demo_application()
        context, context_times = timed(lambda: exports.build_dossier_context(application), args.repeat)
        document, layout_times = timed(lambda: exports.render_dossier_document(context), 1)
        pdf, pdf_times = timed(lambda: exports.render_dossier_pdf(context), args.repeat)
        archive, archive_times = timed(lambda: exports.build_archive(application), 1)

    rows = [
        ("context", context_times, "", ""),
        ("layout", layout_times, str(len(document.pages)), ""),
        ("pdf", pdf_times, str(len(document.pages)), f"{len(pdf):,}"),
        ("archive", archive_times, "", f"{len(archive):,}"),
    ]
    print(f"{'step':<10}{'runs':>6}{'median s':>12}{'max s':>10}{'pages':>8}{'bytes':>14}")
    for name, times, pages, size in rows:
        print(
            f"{name:<10}{len(times):>6}{statistics.median(times):>12.3f}{max(times):>10.3f}{pages:>8}{size:>14}"
        )
    median = statistics.median(pdf_times)
    verdict = "ok" if median <= TARGET_PDF_S else "SLOW"
    print(f"\nPDF median {median:.2f} s (target ≤ {TARGET_PDF_S:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
