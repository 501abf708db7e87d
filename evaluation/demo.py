"""The construction-period demo: the programme from call to accepted park, on a simulated clock.

新余高新区零碳示范园 goes all the way (listed, three annual reports, a closed rectification order, the
city's self-assessment, two expert opinions, accepted, with its acceptance report); 九江经开区零碳园区 is
under construction, behind its core-indicator path in its 2026 report (so on the province's 督导 list) and
with an overdue rectification order; 萍乡经开区零碳园区 has finished its construction and
waits for the experts: one has submitted its blind review, expert_demo has one to score (and the accepted
park's review behind it). Everything goes through the services, as the people would; dates of the later
years (2027–2029) are passed to the services as ``today``, so the demo's story runs ahead of the calendar
while its audit times are when it was seeded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from applications import services as app_services
from applications.demo import EVIDENCE_PDF, dossier_fill_sample
from applications.document_models import DocumentKind
from applications.models import Call, CallStatus, ConstructionList, SectionCode
from applications.services.documents import official_document_issue
from parks.models import Park, Role, User
from zcpark.core.models import ThreadVisibility
from zcpark.core.threads import thread_message_post

from . import services
from .demo_city_reports import demo_city_reports_seed
from .models import AcceptanceEvaluation, ConstructionProject, Decision, SelfAssessment
from .samples import construction_dataset
from .scoring import SCORE_AREAS

PILOT_CALL_TITLE = "2026年江西省零碳园区建设申报（试点批次）"
PILOT_LIST_TITLE = "江西省零碳园区建设名单（试点批次）"
PILOT_LIST_NO = "赣发改环资字〔2026〕88号"
# A demo seeded before the park in review existed lists it through a call and a list of its own.
LATER_CALL_TITLE = "2026年江西省零碳园区建设申报（试点补充批次）"
LATER_LIST_TITLE = "江西省零碳园区建设名单（试点补充批次）"
LATER_LIST_NO = "赣发改环资字〔2026〕96号"
ACCEPTED_PARK = "新余高新区零碳示范园"
OVERDUE_PARK = "九江经开区零碳园区"
IN_REVIEW_PARK = "萍乡经开区零碳园区"
# The expert whose blind review waits in the demo, and the one who has submitted.
PENDING_EXPERT = "expert_demo"
SUBMITTED_EXPERT = "expert_demo2"


@dataclass(frozen=True)
class DemoProject:
    park: str
    status: str


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _listed(
    parks: list[Park],
    province: User,
    *,
    call_title: str = PILOT_CALL_TITLE,
    list_title: str = PILOT_LIST_TITLE,
) -> None:
    """The parks apply in the call (a 3-year period), are recommended, approved and published on the list."""
    call = Call.objects.filter(title=call_title).first()
    if call is None:
        call = app_services.call_create(
            by=province, title=call_title, deadline=timezone.localdate() + timedelta(days=30)
        )
        call = app_services.call_transition(by=province, call=call, action="open")
    approved = []
    for park in parks:
        staff = User.objects.get(role=Role.PARK_STAFF, park=park, username__startswith="park_")
        reviewer = User.objects.get(
            role=Role.CITY_REVIEWER, city=park.zone.city, username__startswith="city_"
        )
        application = dossier_fill_sample(
            by=staff, application=app_services.application_create(by=staff, park=park, call=call)
        )
        targets = application.sections.get(code=SectionCode.TARGETS).data
        app_services.dossier_section_save(
            by=staff, application=application, code=SectionCode.TARGETS, data={**targets, "period_years": 3}
        )
        for action, who in (("submit", staff), ("recommend", reviewer), ("approve", province)):
            application = app_services.application_transition(
                by=who, application=application, action=action, comment=_OPINIONS[action]
            )
        approved.append(application.pk)
    if call.status == CallStatus.OPEN:
        app_services.call_transition(by=province, call=call, action="close")
    the_list = app_services.construction_list_create(
        by=province,
        title=list_title,
        document_no=PILOT_LIST_NO if list_title == PILOT_LIST_TITLE else LATER_LIST_NO,
        application_ids=approved,
    )
    app_services.construction_list_transition(
        by=province, construction_list=the_list, action="notice", objection_deadline=timezone.localdate()
    )
    if list_title == PILOT_LIST_TITLE:
        _objection_answered(the_list, province)
    app_services.construction_list_transition(by=province, construction_list=the_list, action="publish")


def _objection_answered(the_list: ConstructionList, province: User) -> None:
    """A letter received during the pilot list's public notice, recorded and answered by the province."""
    entry = the_list.entries.select_related("park").order_by("park__name").first()
    if entry is None:
        return
    objection = app_services.objection_record(
        by=province,
        construction_list=the_list,
        park_id=entry.park_id,
        raised_by="园区周边某村民委员会",
        contact="0791-00000000",
        received_on=timezone.localdate(),
        text="园区规划的光伏项目是否占用耕地，请予核实。",
    )
    app_services.objection_answer(
        by=province, objection=objection, answer="经核实，光伏项目利用厂房屋顶建设，不占用耕地，异议不成立。"
    )


_OPINIONS = {
    "submit": "",
    "recommend": "经审核，园区符合申报条件，同意推荐。",
    "approve": "同意纳入省级零碳园区建设名单。",
}


def _report(
    project: ConstructionProject,
    staff: User,
    year: int,
    progress: str,
    narrative: str,
    *,
    large: bool = True,
    lagging: bool = False,
) -> None:
    report = project.annual_reports.get(year=year)
    services.annual_report_save(
        by=staff,
        report=report,
        narrative=narrative,
        progress={kp.pk: {"progress_pct": progress, "note": ""} for kp in project.key_projects.all()},
        document=construction_dataset(
            park_name=project.park.name,
            park_type=project.park.park_type,
            year=year,
            large=large,
            lagging=lagging,
        ),
    )
    services.annual_report_submit(by=staff, report=report, today=date(year + 1, 2, 20))


def _in_acceptance_review(
    project: ConstructionProject, reviewer: User, province: User, *, summary: str, evidence_name: str
) -> AcceptanceEvaluation:
    """The period ends; the city assesses (it meets the requirements), requests acceptance, and the
    province assigns the two demo experts, who declare no conflict of interest."""
    services.projects_advance_ended(today=date(2029, 1, 5), project_ids=[project.pk])
    self_assessment = SelfAssessment.objects.get(project=project, assessment_year=project.final_year)
    services.self_assessment_save(
        by=reviewer, self_assessment=self_assessment, conclusion="meets", summary=summary
    )
    services.evidence_add(
        by=reviewer, self_assessment=self_assessment, file=io.BytesIO(EVIDENCE_PDF), name=evidence_name
    )
    services.self_assessment_submit(by=reviewer, self_assessment=self_assessment)
    evaluation = services.acceptance_request(
        by=reviewer, project=project, comment="自评估符合要求，申请验收。"
    )
    experts = [_user(PENDING_EXPERT), _user(SUBMITTED_EXPERT)]
    services.experts_assign(by=province, evaluation=evaluation, experts=experts)
    for review in evaluation.reviews.select_related("expert"):
        services.expert_conflict_declare(by=review.expert, review=review, conflict="none")
    return evaluation


def _score(evaluation: AcceptanceEvaluation, username: str, share: str, opinion: str) -> None:
    """The expert's review: each area's points the share of its maximum, down to the half point."""
    expert = _user(username)
    review = evaluation.reviews.get(expert=expert)
    scores = {
        area.code: str((area.max_points * Decimal(share) * 2).to_integral_value(ROUND_DOWN) / 2)
        for area in SCORE_AREAS
    }
    services.expert_review_submit(
        by=expert, review=review, scores=scores, opinion=opinion, recommends_acceptance=True
    )


def _accepted_story(project: ConstructionProject, province: User) -> None:
    staff, reviewer = _user("park_xinyu"), _user("city_xinyu")
    _report(project, staff, 2026, "45", "光伏二期并网，绿电直连专线开工；完成园区能碳管理平台一期。")
    order = services.order_issue(
        by=province,
        project=project,
        title="绿电直连项目进度滞后",
        requirements="绿电直连专线工程较计划滞后两个月，请于期限内提交整改方案并加快施工。",
        deadline=date(2027, 6, 30),
        document_no="赣发改环资函〔2027〕21号",
        today=date(2027, 5, 10),
    )
    services.order_answer(
        by=staff, order=order, answer="已调整施工组织，专线工程于6月15日完工并投运，附验收记录。"
    )
    services.order_close(by=province, order=order, comment="整改到位，同意销号。", today=date(2027, 6, 20))
    _report(project, staff, 2027, "80", "绿电直连专线投运，余热回收项目完工；清洁运输车辆替换率达 85%。")
    _report(project, staff, 2028, "100", "全部重点项目完工；园区单位能耗碳排放降至 0.14 吨/吨标准煤以下。")
    services.incentive_add(
        by=province,
        project=project,
        granted_on=date(2028, 9, 1),
        description="省级节能降碳专项资金支持",
        amount_wan=Decimal("500"),
        document_no="赣财建〔2028〕45号",
    )
    evaluation = _in_acceptance_review(
        project,
        reviewer,
        province,
        summary="新余市发展改革委组织自评估：园区核心指标 2028 年达到要求，引导指标总体达到建设目标，"
        "重点项目全部完工，整改事项已销号。同意申请省级验收。",
        evidence_name="新余市自评估报告.pdf",
    )
    _score(
        evaluation,
        PENDING_EXPERT,
        "0.9",
        "园区能源结构转型成效显著，绿电直连比例高，核心指标优于要求，同意通过验收。",
    )
    _score(
        evaluation,
        SUBMITTED_EXPERT,
        "0.85",
        "资源循环利用水平较高；建议进一步提高清洁运输比例，同意通过验收。",
    )
    services.evaluation_decide(
        by=province,
        evaluation=evaluation,
        decision=Decision.ACCEPTED,
        comment="经专家评估，园区达到省级零碳园区评价指标要求，同意通过验收，认定为省级零碳园区。",
        document_no="赣发改环资〔2029〕12号",
        today=date(2029, 4, 1),
    )


def _overdue_story(project: ConstructionProject, province: User) -> None:
    """A 2026 report behind the core-indicator path, and an order past its deadline."""
    _report(
        project,
        _user("park_jiujiang"),
        2026,
        "30",
        "外购电量较基准年上升，绿电直供项目推迟并网。",
        large=False,
        lagging=True,
    )
    order = services.order_issue(
        by=province,
        project=project,
        title="能源计量体系建设滞后",
        requirements="园区重点用能单位在线监测接入率不足 60%，请完善能源计量体系并提交整改报告。",
        deadline=timezone.localdate() - timedelta(days=10),
        document_no="赣发改环资函〔2026〕35号",
        today=timezone.localdate() - timedelta(days=40),
    )
    services.orders_mark_overdue()
    # A question to the park on the order, still unanswered (the park's home shows it waiting).
    thread_message_post(
        by=province,
        target=order,
        visibility=ThreadVisibility.SHARED,
        text="在线监测接入的进度如何？请说明预计完成时间。",
    )


def _official_documents(project: ConstructionProject, province: User) -> None:
    """The pilot list's notice and the overdue order's 整改通知书, numbered in this year."""
    today = timezone.localdate()
    for kind, source, number in (
        (DocumentKind.LIST, project.list_entry.construction_list, f"赣发改环资字〔{today.year}〕88号"),
        (DocumentKind.RECTIFICATION, project.orders.get(), f"赣发改环资函〔{today.year}〕35号"),
    ):
        official_document_issue(by=province, kind=kind, source=source, number=number, issued_on=today)


def _in_review_story(project: ConstructionProject, province: User) -> None:
    """Three reports on track, the city's self-assessment, acceptance requested; one expert has scored,
    the other (expert_demo) has its blind review still to do."""
    staff, reviewer = _user("park_pingxiang"), _user("city_pingxiang")
    for year, progress, narrative in (
        (2026, "40", "屋顶分布式光伏二期并网；园区能碳管理平台一期上线，接入重点用能企业 48 家。"),
        (2027, "75", "绿电直连专线建成投运；余热梯级利用项目完工，供汽替代燃煤锅炉。"),
        (2028, "100", "全部重点项目完工；公共服务车辆中新能源车辆占比达 99%。"),
    ):
        _report(project, staff, year, progress, narrative, large=False)
    evaluation = _in_acceptance_review(
        project,
        reviewer,
        province,
        summary="萍乡市发展改革委组织自评估：园区单位能耗碳排放 2028 年达到要求，重点项目全部完工，"
        "无未销号整改事项。同意申请省级验收。",
        evidence_name="萍乡市自评估报告.pdf",
    )
    _score(
        evaluation,
        SUBMITTED_EXPERT,
        "0.8",
        "园区绿电直连与余热利用成效明显；建议加强能源计量数据质量管理，同意通过验收。",
    )


@transaction.atomic
def demo_construction_seed() -> list[DemoProject]:
    """Seed the construction-period demo once (a park that already has a project is left as it is)."""
    province = _user("province_demo")
    parks = [
        Park.objects.select_related("zone__city").get(name=name)
        for name in (ACCEPTED_PARK, OVERDUE_PARK, IN_REVIEW_PARK)
    ]
    if not ConstructionProject.objects.filter(park__in=parks).exists():
        _listed(parks, province)
        _accepted_story(ConstructionProject.objects.get(park=parks[0]), province)
        _overdue_story(ConstructionProject.objects.get(park=parks[1]), province)
        _official_documents(ConstructionProject.objects.get(park=parks[1]), province)
        _in_review_story(ConstructionProject.objects.get(park=parks[2]), province)
    elif not ConstructionProject.objects.filter(park=parks[2]).exists():
        _listed(parks[2:], province, call_title=LATER_CALL_TITLE, list_title=LATER_LIST_TITLE)
        _in_review_story(ConstructionProject.objects.get(park=parks[2]), province)
    demo_city_reports_seed()
    return [
        DemoProject(park=p.park.name, status=p.get_status_display())
        for p in ConstructionProject.objects.filter(park__in=parks).select_related("park")
    ]
