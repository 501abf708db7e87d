"""Recorded decisions to issue official documents from (written directly: the documents only read them),
a valid 文号 for this year, and the text of an issued document's PDF."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from applications.document_models import OfficialDocument
from applications.models import Application, ApplicationStatus, ReviewOpinion, ReviewStage
from applications.official import document_spec
from applications.official.render import document_html
from evaluation.models import AcceptanceEvaluation, Decision, EvaluationStatus, RectificationOrder
from tests.applications.calls_lists_helpers import approved, make_list
from tests.applications.factories import ApplicationFactory
from tests.evaluation.factories import bare_evaluation
from tests.pdf import document_text
from zcpark.core.pdf import pdf_document

RECOMMEND_TEXT = "园区产业基础扎实，能源统计体系健全，同意推荐。"
APPROVE_TEXT = "经研究，同意该园区开展省级零碳园区建设。"
CONDITIONS = ["2027年底前建成园区能碳管理平台", "每年报送建设进展"]
REQUIREMENTS = "补报2026年度能源消费数据并说明光伏项目延期原因。"
DECISION_TEXT = "园区单位能耗碳排放达到要求，同意通过验收。"


def number(serial: int = 12, prefix: str = "赣发改环资") -> str:
    return f"{prefix}〔{timezone.localdate().year}〕{serial}号"


def today() -> Any:
    return timezone.localdate()


def _opinion(application: Application, stage: str, action: str, text: str, **extra: Any) -> None:
    ReviewOpinion.objects.create(
        application=application,
        revision_number=1,
        stage=stage,
        action=action,
        text=text,
        author=None,
        **extra,
    )


def recommended(park: Any, status: str = ApplicationStatus.RECOMMENDED) -> Application:
    application = ApplicationFactory(park=park, status=status, revision=1)
    _opinion(application, ReviewStage.CITY, "recommend", RECOMMEND_TEXT)
    return application


def approved_with_conditions(park: Any) -> Application:
    application = recommended(park, ApplicationStatus.APPROVED)
    _opinion(application, ReviewStage.PROVINCE, "approve", APPROVE_TEXT, conditions=CONDITIONS)
    application.conditions = CONDITIONS
    application.save(update_fields=["conditions"])
    return application


def published_list(world: Any, parks: tuple[Any, ...] = ()) -> Any:
    """A published list of ``parks`` (world's two parks by default); publishing opens their projects."""
    return make_list(
        "published",
        by=world.province,
        applications=[approved(park=park) for park in parks or (world.park_a, world.park_b)],
        document_no=number(3),
    )


def an_order(park: Any = None, *, project: Any = None) -> RectificationOrder:
    project = project or bare_evaluation(park).project
    return RectificationOrder.objects.create(
        project=project,
        number=1,
        title="年度报告数据缺失",
        requirements=REQUIREMENTS,
        deadline=today() + timedelta(days=30),
        issued_at=timezone.now(),
    )


def decided_evaluation(park: Any) -> AcceptanceEvaluation:
    evaluation = bare_evaluation(park)
    evaluation.status = EvaluationStatus.DECIDED
    evaluation.decision = Decision.ACCEPTED
    evaluation.decision_comment = DECISION_TEXT
    evaluation.decided_at = timezone.now()
    evaluation.save()
    return evaluation


def pdf_text(document: OfficialDocument) -> str:
    """The text of ``document``'s PDF as the service laid it out (the stored bytes are compressed), its
    lines joined (a long title wraps)."""
    spec = document_spec(document.kind)
    html = document_html(
        content=spec.content(document.source),
        issuer=document.issuer,
        number=document.number,
        issued_on=document.issued_on,
    )
    return document_text(pdf_document(html)).replace("\n", "")
