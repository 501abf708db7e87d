"""The demo's applications: an open call and, for each demo park, a complete draft ready to submit.

Idempotent: an application that already exists (in any state — a user may be walking it through the
review) is left as it is.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db import transaction
from django.utils import timezone, translation

from parks.models import Park, Role, User

from . import selectors, services
from .models import Application, ApplicationStatus, AttachmentKind, Call, CallStatus, SectionCode
from .samples import sample_datasets, sample_sections

DEMO_CALL_TITLE = "2026年江西省零碳园区建设申报（第一批）"
DEMO_CALL_DAYS_OPEN = 60
DEMO_PARK_NAMES = ("南昌经开区零碳示范园", "赣州经开区零碳园区")
# The second park asks for one guiding indicator to be exempted, with its evidence (issue 14): submitted,
# it waits for the city's opinion, then the province's decision.
DEMO_EXEMPTION = (
    "product_energy_grade",
    "园区唯一平板玻璃生产线为省产能置换保留项目，窑炉须待2028年冷修时方可技改，此前客观上无法达到二级能耗限额。",
    "产能置换批复及窑炉冷修计划-示例.pdf",
)
# A minimal, valid one-page PDF: stands in for scanned evidence in the demo and the tests.
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _evidence_name(kind: str) -> str:
    """A sample file named as a park would name it: after what it proves (四至范围图-示例.pdf), in Chinese."""
    with translation.override("zh-hans"):
        return f"{AttachmentKind(kind).label}-示例.pdf"


def dossier_fill_sample(*, by: User, application: Application) -> Application:
    """Fill every section, the three energy years and the required evidence with the sample dossier,
    through the same services a park uses."""
    park = application.park
    sections = sample_sections(managing_body=park.managing_body, boundary_text=park.boundary_text)
    for code, data in sections.items():
        services.dossier_section_save(by=by, application=application, code=code, data=data)
    for year, document in sample_datasets(park_name=park.name, park_type=park.park_type).items():
        services.application_dataset_save(by=by, application=application, year=year, document=document)
    for kind in selectors.required_attachment_kinds(application):
        services.attachment_add(
            by=by,
            application=application,
            kind=kind,
            file=io.BytesIO(EVIDENCE_PDF),
            name=_evidence_name(kind),
        )
    application.refresh_from_db()
    return application


def _demo_call(province: User | None) -> Call:
    deadline = timezone.localdate() + dt.timedelta(days=DEMO_CALL_DAYS_OPEN)
    call = Call.objects.filter(title=DEMO_CALL_TITLE).first()
    if call is None:
        call = services.call_create(
            by=province,
            title=DEMO_CALL_TITLE,
            deadline=deadline,
            quota_per_city=2,
            description="各设区市发展改革委组织辖区内省级及以上开发区按附件1大纲编制申报书，经市级审核推荐后报省发展改革委。",
        )
    if call.status == CallStatus.DRAFT:
        call = services.call_transition(by=province, call=call, action="open")
    elif call.status == CallStatus.OPEN and call.deadline < timezone.localdate():
        # A demo seeded long ago is refreshed into a call that still accepts submissions.
        call = services.call_update(by=province, call=call, data={"deadline": deadline})
    return call


@transaction.atomic
def demo_applications_seed() -> list[Application]:
    """Open the demo call and give each demo park a complete draft (unless it has an application already)."""
    province = User.objects.filter(role=Role.PROVINCE_ADMIN, username="province_demo").first()
    call = _demo_call(province)
    applications = []
    for name in DEMO_PARK_NAMES:
        park = Park.objects.get(name=name)
        existing = (
            Application.objects.filter(call=call, park=park)
            .exclude(status=ApplicationStatus.WITHDRAWN)
            .first()
        )
        if existing is not None:
            applications.append(existing)
            continue
        staff = User.objects.filter(role=Role.PARK_STAFF, park=park, is_active=True).order_by("id").first()
        if staff is None:
            continue
        application = services.application_create(by=staff, park=park, call=call)
        application = dossier_fill_sample(by=staff, application=application)
        if name == DEMO_PARK_NAMES[1]:
            _declare_exemption(staff, application)
        applications.append(application)
    return applications


def _declare_exemption(staff: User, application: Application) -> None:
    """The demo's exemption: a row of the targets section and its evidence."""
    indicator, reason, evidence = DEMO_EXEMPTION
    targets = application.sections.get(code=SectionCode.TARGETS).data
    services.dossier_section_save(
        by=staff,
        application=application,
        code=SectionCode.TARGETS,
        data={**targets, "exemptions": [{"indicator": indicator, "reason": reason}]},
    )
    services.attachment_add(
        by=staff,
        application=application,
        kind=AttachmentKind.EXEMPTION,
        indicator=indicator,
        file=io.BytesIO(EVIDENCE_PDF),
        name=evidence,
    )
