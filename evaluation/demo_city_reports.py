"""The city progress reports of the demo: each city with a demo park gets its report of the current period;
新余 (its park accepted) has written and submitted it with two typical practices, which the public library
shows; 九江 has a draft under way. Through the services, as the people would; run again, it changes nothing."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone

from applications.demo import EVIDENCE_PDF
from parks.models import User

from .models import CityProgressReport, CityReportStatus, ConstructionProject, PracticeScene
from .services import city_reports as services
from .workflow.city_reports import period_of

SUBMITTING_CITY = ("city_xinyu", "新余")
DRAFTING_CITY = ("city_jiujiang", "九江")
PRACTICES = (
    (
        "园区绿电直连与源网荷储一体化",
        PracticeScene.GREEN_POWER,
        "建设分布式光伏与绿电直连专线，配套储能，园区绿电消费占比显著提升，形成“源网荷储”协同调度的做法。",
        "绿电直连案例.pdf",
    ),
    (
        "能碳管理平台与企业碳账户",
        PracticeScene.DIGITAL,
        "建成园区能碳管理平台，重点企业接入在线计量，按月核算碳排放并形成企业碳账户。",
        "",
    ),
)


def _report(username: str) -> tuple[User, CityProgressReport | None]:
    reviewer = User.objects.get(username=username)
    start = period_of(timezone.localdate()).start
    return reviewer, CityProgressReport.objects.filter(city_id=reviewer.city_id, period_start=start).first()


@transaction.atomic
def demo_city_reports_seed() -> None:
    services.city_reports_plan()
    reviewer, report = _report(SUBMITTING_CITY[0])
    if report is not None and report.status == CityReportStatus.DRAFT and not report.narrative:
        services.city_report_save(
            by=reviewer,
            report=report,
            narrative="本期新余高新区零碳示范园通过省级零碳园区验收；光伏二期并网，绿电直连专线投运，"
            "园区单位能耗碳排放持续下降。下一步将总结推广绿电直连和能碳管理平台经验。",
        )
        project = ConstructionProject.objects.filter(park__zone__city_id=reviewer.city_id).first()
        for title, scene, description, file_name in PRACTICES if project else ():
            services.practice_add(
                by=reviewer,
                report=report,
                project_id=project.pk if project else None,
                title=title,
                scene=scene,
                description=description,
                file=io.BytesIO(EVIDENCE_PDF) if file_name else None,
                name=file_name,
            )
        services.city_report_submit(by=reviewer, report=report)
    reviewer, report = _report(DRAFTING_CITY[0])
    if report is not None and report.status == CityReportStatus.DRAFT and not report.narrative:
        services.city_report_save(
            by=reviewer, report=report, narrative="九江经开区零碳园区正在落实整改要求，本期报告起草中。"
        )
