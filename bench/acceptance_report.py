"""Benchmark: rendering a large acceptance report (验收评估报告) PDF (WeasyPrint, embedded Noto CJK subsets).

Creates a throw-away database and walks a park through the services: a five-year construction period
(2026–2030) with every annual report, rectification orders issued, answered and closed, a first
evaluation decided "extended by two years", the 2031–2032 reports, a second self-assessment with a long
text, and five experts with long opinions; the many key projects are added to the project directly
(the dossier's sample has four). Then it times:

  context   acceptance_report_context (the reads: results, trajectory, reviews, charts)
  pdf       acceptance_report_pdf end to end (context + layout + PDF with font subsetting), N times

Target: a ~20-page report in at most 2.5 s, so the task renders it while the province waits.

    .venv/bin/python bench/acceptance_report.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zcpark.settings.test")

import django

django.setup()

from benchdb import throwaway_database  # noqa: E402

TARGET_S = 2.5
TARGET_PAGES = 20
KEY_PROJECTS = 60
EXPERTS = 5
ORDERS = 4
SAMPLE_LAST_YEAR = 2028

OPINION = (
    "经审阅园区提交的自评估报告、年度报告及佐证材料，并结合现场核查情况，专家组认为：园区在建设期内"
    "围绕能源结构清洁化、用能效率提升、资源循环利用和绿色交通等方面开展了系统性工作，单位能耗碳排放"
    "逐年下降并于评估年达到省级零碳园区核心指标要求。绿电直连、分布式光伏和余热梯级利用项目按计划建成"
    "投运，能碳管理平台实现了重点用能单位的在线监测。存在的问题：部分企业产品单位能耗尚未达到限额 2 级，"
    "工业用水重复利用率提升幅度有限，清洁运输比例的统计口径需进一步规范。建议：持续推进高耗能工序改造，"
    "完善碳排放统计核算制度，加强绿证与绿电交易的台账管理。"
)


def timed(func: Callable[[], Any], repeat: int) -> tuple[Any, list[float], list[float]]:
    """The result, and the wall-clock and CPU seconds of each run (CPU time shows the cost on a busy
    machine, where the wall clock also counts the other processes)."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return result, times, cpu


def _actors() -> dict[str, Any]:
    from tests.parks.factories import CityFactory, ParkFactory, UserFactory, ZoneFactory

    city = CityFactory(code="360100", name="南昌市", plate="赣A")
    park = ParkFactory(zone=ZoneFactory(city=city, name="南昌经济技术开发区"), name="南昌经开区零碳示范园")
    return {
        "staff": UserFactory(username="bench_staff", staff=True, park=park),
        "reviewer": UserFactory(username="bench_reviewer", reviewer=True, city=city),
        "province": UserFactory(username="bench_province", province=True),
    }


def _key_projects(project: Any) -> None:
    from evaluation.models import KeyProject

    start = project.key_projects.count()
    KeyProject.objects.bulk_create(
        KeyProject(
            project=project,
            position=start + n,
            name=f"重点项目 {n:02d}：园区{'光伏储能余热循环交通'[n % 5 * 2 : n % 5 * 2 + 2]}改造工程（第 {n} 期）",
            implementing_body=f"江西示范能源科技有限公司第{n}分公司",
            investment_wan=Decimal(1000 + 250 * n),
            start_year=2026 + n % 3,
            end_year=2028 + n % 4,
            progress_pct=Decimal(min(100, 40 + 3 * n)),
        )
        for n in range(1, KEY_PROJECTS + 1)
    )


def _orders(project: Any, actors: dict[str, Any]) -> None:
    from evaluation import services

    for n in range(1, ORDERS + 1):
        order = services.order_issue(
            by=actors["province"],
            project=project,
            title=f"关于第 {n} 项问题的整改通知",
            requirements="请按期完成整改并报送整改情况。",
            deadline=date(2027, 6, 30),
            document_no=f"赣发改环资〔2027〕{n}号",
            today=date(2027, 5, 10),
        )
        services.order_answer(by=actors["staff"], order=order, answer="已按要求完成整改。")
        services.order_close(by=actors["province"], order=order, comment="整改到位", today=date(2027, 6, 1))


def _self_assess_and_request(project: Any, actors: dict[str, Any]) -> Any:
    import io

    from evaluation import services
    from evaluation.models import SelfAssessment
    from tests.applications.factories import PDF_BYTES

    project.refresh_from_db()
    self_assessment = SelfAssessment.objects.get(project=project, assessment_year=project.final_year)
    summary = "\n".join(f"（{n}）{OPINION}" for n in range(1, 7))
    services.self_assessment_save(
        by=actors["reviewer"], self_assessment=self_assessment, conclusion="meets", summary=summary
    )
    for n in range(1, 6):
        services.evidence_add(
            by=actors["reviewer"],
            self_assessment=self_assessment,
            file=io.BytesIO(PDF_BYTES),
            name=f"佐证材料{n}.pdf",
        )
    services.self_assessment_submit(by=actors["reviewer"], self_assessment=self_assessment)
    return services.acceptance_request(by=actors["reviewer"], project=project, comment="申请验收")


def _review(evaluation: Any, actors: dict[str, Any], count: int, prefix: str) -> None:
    from evaluation import services
    from tests.evaluation.factories import full_scores
    from tests.parks.factories import UserFactory

    experts = [
        UserFactory(username=f"{prefix}{n}", first_name=f"专家{n}", expert=True) for n in range(1, count + 1)
    ]
    services.experts_assign(by=actors["province"], evaluation=evaluation, experts=experts)
    for n, expert in enumerate(experts, start=1):
        services.expert_review_submit(
            by=expert,
            review=evaluation.reviews.get(expert=expert),
            scores=full_scores(),
            opinion="\n\n".join([OPINION] * (2 + n % 3)),
            recommends_acceptance=n != 3,
        )


def _report_year(project: Any, staff: Any, year: int) -> None:
    """Fill and submit the ``year`` report; the sample data runs to 2028, later years repeat it."""
    from evaluation import services
    from evaluation.samples import construction_dataset
    from tests.evaluation.factories import progress_for

    document = construction_dataset(
        park_name=project.park.name, park_type=project.park.park_type, year=min(year, SAMPLE_LAST_YEAR)
    )
    document["year"] = year
    report = project.annual_reports.get(year=year)
    services.annual_report_save(
        by=staff,
        report=report,
        narrative=f"{year} 年度建设进展：重点项目按计划推进。\n{OPINION}",
        progress=progress_for(project, "80"),
        document=document,
    )
    services.annual_report_submit(by=staff, report=report, today=date(year + 1, 1, 15))


def large_evaluation() -> Any:
    """A five-year project extended by two years, in its second evaluation with five long opinions."""
    from evaluation import services
    from tests.evaluation.factories import listed_project

    actors = _actors()
    project = listed_project(actors, period_years=5)
    _key_projects(project)
    for year in project.report_years:
        _report_year(project, actors["staff"], year)
        if year == 2026:
            _orders(project, actors)
    services.projects_advance_ended(today=date(project.final_year + 1, 1, 20), project_ids=[project.pk])
    first = _self_assess_and_request(project, actors)
    _review(first, actors, 2, "bench_first_")
    services.evaluation_decide(
        by=actors["province"],
        evaluation=first,
        decision="extended",
        comment="延期两年继续建设",
        extension_years=2,
    )
    project.refresh_from_db()
    for year in (2031, 2032):
        _report_year(project, actors["staff"], year)
    services.projects_advance_ended(today=date(project.final_year + 1, 1, 20), project_ids=[project.pk])
    evaluation = _self_assess_and_request(project, actors)
    _review(evaluation, actors, EXPERTS, "bench_expert_")
    return evaluation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="PDF renders to time (default 5)")
    args = parser.parse_args()

    from evaluation import reports

    with throwaway_database():
        evaluation = large_evaluation()
        _context, context_times, context_cpu = timed(
            lambda: reports.acceptance_report_context(evaluation), args.repeat
        )
        rendered, pdf_times, pdf_cpu = timed(
            lambda: reports.acceptance_report_pdf(reports.acceptance_report_context(evaluation)), args.repeat
        )

    pages, size_kb = rendered.page_count, len(rendered.content) / 1024
    header = f"{'step':<10}{'runs':>6}{'pages':>7}{'size KB':>10}{'min s':>9}{'median s':>10}{'max s':>9}"
    print(f"{header}{'median cpu s':>14}")
    for name, times, cpu, shown_pages, shown_size in (
        ("context", context_times, context_cpu, "", ""),
        ("pdf", pdf_times, pdf_cpu, str(pages), f"{size_kb:.0f}"),
    ):
        print(
            f"{name:<10}{len(times):>6}{shown_pages:>7}{shown_size:>10}"
            f"{min(times):>9.3f}{statistics.median(times):>10.3f}{max(times):>9.3f}"
            f"{statistics.median(cpu):>14.3f}"
        )
    median = statistics.median(pdf_times)
    verdict = "ok" if median <= TARGET_S else "SLOW"
    print(
        f"\nPDF median {median:.2f} s for {pages} pages (target ≤ {TARGET_S} s for {TARGET_PAGES}): {verdict}"
    )


if __name__ == "__main__":
    main()
