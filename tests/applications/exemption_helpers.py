"""Dossiers that ask for exemptions, walked through the workflow with the services."""

from __future__ import annotations

from typing import Any

from applications import services
from applications.exemptions.services import exemption_transition
from applications.models import Application, ApplicationStatus, AttachmentKind, ExemptionClaim, SectionCode
from parks.models import User
from tests.applications.factories import pdf_file, ready_application

REASON = "园区无大宗货运，清洁运输比例不具备统计条件"


def declare(application: Application, staff: User, *codes: str) -> Application:
    """Ask for ``codes`` to be exempted in the targets section, each with one piece of evidence."""
    targets = application.sections.get(code=SectionCode.TARGETS).data
    rows = [{"indicator": code, "reason": f"{REASON}（{code}）"} for code in codes]
    services.dossier_section_save(
        by=staff, application=application, code=SectionCode.TARGETS, data={**targets, "exemptions": rows}
    )
    for code in codes:
        services.attachment_add(
            by=staff,
            application=application,
            kind=AttachmentKind.EXEMPTION,
            indicator=code,
            file=pdf_file(f"{code}.pdf"),
            name=f"{code}.pdf",
        )
    return application


def claimed(actors: dict[str, User], *codes: str, status: str = ApplicationStatus.SUBMITTED) -> Application:
    """A dossier of ``actors``' park asking for ``codes`` (default clean transport), submitted and walked to
    ``status`` (recommended: the city agreed with each first; approved: the province accepted each first)."""
    codes = codes or ("clean_transport_share",)
    application = declare(ready_application(staff=actors["staff"]), actors["staff"], *codes)
    application = services.application_transition(
        by=actors["staff"], application=application, action="submit"
    )
    if status == ApplicationStatus.SUBMITTED:
        return application
    decide(application, actors["reviewer"], "city_agree")
    application = services.application_transition(
        by=actors["reviewer"], application=application, action="recommend", comment="推荐"
    )
    if status == ApplicationStatus.RECOMMENDED:
        return application
    decide(application, actors["province"], "accept")
    return services.application_transition(
        by=actors["province"], application=application, action="approve", comment="批准"
    )


def decide(application: Application, by: User, action: str, **kwargs: Any) -> list[ExemptionClaim]:
    """Take ``action`` on every open claim of the application's latest revision."""
    claims = application.exemption_claims.filter(revision_number=application.revision).exclude(
        status__in=("granted", "refused", "superseded")
    )
    return [
        exemption_transition(by=by, claim=claim, action=action, comment=f"{action} 意见") for claim in claims
    ]
