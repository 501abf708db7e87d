"""Construction projects in every state, walked there through the services (never written directly)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from django.utils import timezone

from applications import services as app_services
from applications.models import (
    ApplicationStatus,
    ConstructionList,
    ConstructionListEntry,
    ListStatus,
    SectionCode,
)
from evaluation import services
from evaluation.models import (
    AcceptanceEvaluation,
    ConstructionProject,
    ExpertReview,
    ProjectStatus,
    SelfAssessment,
)
from evaluation.samples import construction_dataset
from evaluation.scoring import SCORE_AREAS
from parks.models import User
from tests.applications.factories import PDF_BYTES, ApplicationFactory, ready_application
from tests.parks.factories import ParkFactory, UserFactory, ZoneFactory


def listed_project(actors: dict[str, User], *, period_years: int = 3, **kwargs: Any) -> ConstructionProject:
    """A park of ``actors`` on a published list (period ``period_years``), through the real workflow."""
    application = ready_application(staff=actors["staff"])
    if period_years != 5:
        targets = application.sections.get(code=SectionCode.TARGETS).data
        app_services.dossier_section_save(
            by=actors["staff"],
            application=application,
            code=SectionCode.TARGETS,
            data={**targets, "period_years": period_years},
        )
    for action, who in (("submit", "staff"), ("recommend", "reviewer"), ("approve", "province")):
        application = app_services.application_transition(
            by=actors[who], application=application, action=action, comment=f"{action} 意见"
        )
    assert application.status == ApplicationStatus.APPROVED
    the_list = app_services.construction_list_create(
        by=actors["province"],
        title=f"名单 {application.pk}",
        document_no="赣发改环资〔2026〕1号",
        application_ids=[application.pk],
    )
    today = date.today()
    app_services.construction_list_transition(
        by=actors["province"], construction_list=the_list, action="notice", objection_deadline=today
    )
    app_services.construction_list_transition(
        by=actors["province"], construction_list=the_list, action="publish"
    )
    return ConstructionProject.objects.get(application=application)


def progress_for(project: ConstructionProject, pct: str = "60") -> dict[int, dict[str, str]]:
    return {kp.pk: {"progress_pct": pct, "note": "按计划推进"} for kp in project.key_projects.all()}


def report_year(
    project: ConstructionProject,
    staff: User,
    year: int,
    *,
    lagging: bool = False,
    large: bool = False,
    pct: str = "60",
) -> None:
    """Fill and submit the ``year`` report (dataset, narrative, progress) on 15 January of the next year."""
    report = project.annual_reports.get(year=year)
    services.annual_report_save(
        by=staff,
        report=report,
        narrative=f"{year} 年度建设进展：重点项目按计划推进。",
        progress=progress_for(project, pct),
        document=construction_dataset(
            park_name=project.park.name,
            park_type=project.park.park_type,
            year=year,
            lagging=lagging,
            large=large,
        ),
    )
    services.annual_report_submit(by=staff, report=report, today=date(year + 1, 1, 15))


def project_in_self_assessment(
    actors: dict[str, User], *, lagging: bool = False, large: bool = False
) -> ConstructionProject:
    """A three-year project with its 2026–2028 reports in and the period over (2029)."""
    project = listed_project(actors)
    for year in project.report_years:
        report_year(project, actors["staff"], year, lagging=lagging, large=large)
    services.projects_advance_ended(today=date(project.final_year + 1, 1, 20), project_ids=[project.pk])
    project.refresh_from_db()
    return project


def self_assessment_submitted(
    actors: dict[str, User], project: ConstructionProject, *, conclusion: str = "meets"
) -> SelfAssessment:
    self_assessment = SelfAssessment.objects.get(project=project, assessment_year=project.final_year)
    services.self_assessment_save(
        by=actors["reviewer"],
        self_assessment=self_assessment,
        conclusion=conclusion,
        summary="自评估：各项指标达到建设目标。",
    )
    services.evidence_add(
        by=actors["reviewer"],
        self_assessment=self_assessment,
        file=io.BytesIO(PDF_BYTES),
        name="自评估报告.pdf",
    )
    return services.self_assessment_submit(by=actors["reviewer"], self_assessment=self_assessment)


def evaluation_requested(actors: dict[str, User], **kwargs: Any) -> AcceptanceEvaluation:
    project = project_in_self_assessment(actors, **kwargs)
    self_assessment_submitted(actors, project)
    return services.acceptance_request(by=actors["reviewer"], project=project, comment="申请验收")


def full_scores(points: str | None = None) -> dict[str, str]:
    """Points for every area: ``points`` each, or 90% of each area's maximum."""
    return {area.code: points or str(area.max_points * 9 / 10) for area in SCORE_AREAS}


def experts_reviewed(evaluation: AcceptanceEvaluation, province: User, *, count: int = 2) -> list[User]:
    experts = [UserFactory(expert=True) for _ in range(count)]
    services.experts_assign(by=province, evaluation=evaluation, experts=experts)
    for expert in experts:
        review = declared(evaluation.reviews.get(expert=expert))
        services.expert_review_submit(
            by=expert,
            review=review,
            scores=full_scores(),
            opinion="同意通过验收。",
            recommends_acceptance=True,
        )
    return experts


def bare_evaluation(park, *, experts=(), year: int = 2028, declared: bool = True) -> AcceptanceEvaluation:
    """An evaluation in review with no datasets behind it (written directly: the pages only read it); its
    experts have declared no conflict of interest unless ``declared`` is False."""
    application = ApplicationFactory(park=park, status=ApplicationStatus.LISTED)
    the_list = ConstructionList.objects.create(
        title=f"名单 {application.pk}",
        document_no="赣发改环资〔2026〕1号",
        status=ListStatus.PUBLISHED,
        objection_deadline=timezone.localdate(),
        published_at=timezone.now(),
    )
    entry = ConstructionListEntry.objects.create(
        construction_list=the_list, application=application, park=park
    )
    project = ConstructionProject.objects.create(
        park=park,
        application=application,
        list_entry=entry,
        period_years=year - 2025,
        status=ProjectStatus.ACCEPTANCE_REVIEW,
        opened_at=timezone.now(),
    )
    self_assessment = SelfAssessment.objects.create(
        project=project,
        assessment_year=year,
        conclusion="meets",
        summary="自评估。",
        submitted_at=timezone.now(),
    )
    evaluation = AcceptanceEvaluation.objects.create(
        project=project, self_assessment=self_assessment, assessment_year=year, requested_at=timezone.now()
    )
    for expert in experts:
        ExpertReview.objects.create(
            evaluation=evaluation,
            expert=expert,
            conflict="none" if declared else "",
            declared_at=timezone.now() if declared else None,
        )
    return evaluation


def accepted_project(world: Any, actors: dict[str, User], *, large: bool = True) -> ConstructionProject:
    """park of ``actors`` accepted for 2028 through the services (``large``: it meets the national scheme)."""
    evaluation = evaluation_requested(actors, large=large)
    experts_reviewed(evaluation, world.province)
    services.evaluation_decide(
        by=world.province,
        evaluation=evaluation,
        decision="accepted",
        comment="省发改委决定意见：予以通过。",
        document_no="赣发改环资〔2029〕9号",
    )
    return ConstructionProject.objects.get(pk=evaluation.project_id)


def recommended_project(world: Any, actors: dict[str, User]) -> ConstructionProject:
    """An accepted park meeting the national scheme, recommended to the national programme."""
    project = accepted_project(world, actors)
    services.national_recommend(
        by=world.province,
        project=project,
        recommended_on=timezone.localdate(),
        document_no="赣发改环资〔2029〕20号",
    )
    return ConstructionProject.objects.get(pk=project.pk)


def archive_entries(archive: Any) -> dict[str, bytes]:
    """A built archive's members, by name (read from storage)."""
    with archive.file.open("rb") as handle, zipfile.ZipFile(handle) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def extension_requested(actors: dict[str, User], *, years: int = 1) -> Any:
    """A three-year project whose period ended failing the core indicator, with its city's request for
    ``years`` more."""
    project = project_in_self_assessment(actors, lagging=True)
    return services.extension_request_file(
        by=actors["reviewer"], project=project, years=years, reason="核心指标未达标，申请延期建设。"
    )


def projects_listed(world: Any, count: int) -> list[ConstructionProject]:
    """``count`` new parks of 南昌 listed through the real workflow (one staff user each)."""
    projects = []
    for _ in range(count):
        staff = UserFactory(staff=True, park=ParkFactory(zone=ZoneFactory(city=world.nanchang)))
        projects.append(
            listed_project({"staff": staff, "reviewer": world.reviewer_a, "province": world.province})
        )
    return projects


def order_overdue(project: ConstructionProject, province: User, *, title: str = "整改通知") -> Any:
    """An order issued on ``project`` with a deadline of 10 May 2027, marked overdue on 1 July 2027."""
    order = services.order_issue(
        by=province,
        project=project,
        title=title,
        requirements="请补报年度报告。",
        deadline=date(2027, 5, 10),
        today=date(2027, 4, 10),
    )
    services.orders_mark_overdue(today=date(2027, 7, 1))
    order.refresh_from_db()
    return order


def declared(review: ExpertReview) -> ExpertReview:
    """``review`` after its expert declared no conflict of interest (what opens the evaluation to it)."""
    return services.expert_conflict_declare(by=review.expert, review=review, conflict="none")


def assigned_declared(
    evaluation: AcceptanceEvaluation, province: User, experts: list[User]
) -> list[ExpertReview]:
    """Assign ``experts`` and have each declare no conflict of interest."""
    services.experts_assign(by=province, evaluation=evaluation, experts=experts)
    return [declared(evaluation.reviews.get(expert=expert)) for expert in experts]


INTERNAL_NOTE = "内部意见：建议重点核查能耗数据"


def blind_review_project(world: Any, actors: dict[str, User], *, decide: bool = True) -> Any:
    """A park in acceptance review (accepted unless not ``decide``) whose order carries a reviewers'
    internal note (``INTERNAL_NOTE``), with three named experts: the first declined for a conflict of
    interest, the two others submitted. Returns (project, evaluation, experts)."""
    from datetime import timedelta

    from zcpark.core.threads import thread_message_post

    evaluation = evaluation_requested(actors, large=True)
    project = evaluation.project
    order = services.order_issue(
        by=world.province,
        project=project,
        title="补充验收材料",
        requirements="补充能耗监测数据",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    thread_message_post(by=actors["reviewer"], target=order, visibility="internal", text=INTERNAL_NOTE)
    services.order_answer(by=actors["staff"], order=order, answer="已补充")
    services.order_close(by=world.province, order=order)
    experts = [
        UserFactory(
            expert=True, username=f"blindexpert{n}x{evaluation.pk}", first_name=f"伟{n}", last_name="评审"
        )
        for n in range(1, 4)
    ]
    services.experts_assign(by=world.province, evaluation=evaluation, experts=experts)
    services.expert_conflict_declare(
        by=experts[0],
        review=evaluation.reviews.get(expert=experts[0]),
        conflict="other",
        note="曾为该园区咨询",
    )
    for expert in experts[1:]:
        services.expert_review_submit(
            by=expert,
            review=declared(evaluation.reviews.get(expert=expert)),
            scores=full_scores(),
            opinion="同意通过验收。",
            recommends_acceptance=True,
        )
    if decide:
        services.evaluation_decide(
            by=world.province,
            evaluation=evaluation,
            decision="accepted",
            comment="省发改委决定意见：予以通过。",
            document_no="赣发改环资〔2029〕9号",
        )
    evaluation.refresh_from_db()
    return ConstructionProject.objects.get(pk=project.pk), evaluation, experts
