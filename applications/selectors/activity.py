"""Reads for what happened to an application and what awaits each user: the timeline, the revision
changes, the eligibility facts of the city's checklist and the home page's to-do lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from indicators.engine.dataset import to_decimal
from indicators.models import ParkDataset, indicator_name
from indicators.templatetags.zc_format import format_number
from parks.models import ParkScope, Role, ZoneLevel
from zcpark.core.events import events_for_reader
from zcpark.core.models import TODO_LIMIT, AuditEvent

from .. import selectors
from ..dossier.sections import FORM_SECTIONS
from ..exemptions.models import ExemptionClaim
from ..exemptions.selectors import claims_waiting
from ..models import (
    HISTORY_YEARS,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    ConstructionList,
    DossierSection,
    ListObjection,
    ListStatus,
    ReviewOpinion,
    SectionCode,
)
from . import review
from .objections import objections_open_on_notice

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


# ---- the application's timeline -------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    event: AuditEvent
    opinion: ReviewOpinion | None = None
    # What the event is about when not the application itself (an exemption claim: its indicator).
    subject: str = ""

    @property
    def checklist(self) -> list[tuple[str, bool]]:
        """The opinion's checklist as (label, ticked), in the checklist's order."""
        from ..review_forms import CHECKLIST

        ticked = self.opinion.checklist if self.opinion else {}
        return [(str(label), bool(ticked[key])) for key, label in CHECKLIST.items() if key in ticked]


def application_timeline(application: Application, *, internal: bool = False) -> list[TimelineEntry]:
    """The application's events and its exemption claims' (the city's opinions, the province's decisions),
    newest first, each review decision paired with its written opinion (checklist, conditions): three
    queries. The reviewers' internal notes only when ``internal``."""
    claims = {
        str(pk): indicator_name(code)
        for pk, code in ExemptionClaim.objects.filter(application=application).values_list("pk", "indicator")
    }
    own = AuditEvent.objects.for_object(application)
    if claims:
        claim_type = ContentType.objects.get_for_model(ExemptionClaim, for_concrete_model=False)
        own = own | AuditEvent.objects.filter(target_type=claim_type, target_id__in=list(claims))
    events = events_for_reader(own.order_by("-created_at", "-id"), internal=internal, names=True)
    opinions: dict[str, list[ReviewOpinion]] = {}
    for written in selectors.opinion_list(application):
        opinions.setdefault(written.action, []).append(written)
    # The k-th event of an action goes with the k-th opinion of that action (both written together).
    seen: dict[str, int] = {}
    paired: list[TimelineEntry] = []
    for event in reversed(events):
        if event.target_type.model_class() is ExemptionClaim:
            paired.append(TimelineEntry(event=event, subject=claims.get(event.target_id, "")))
            continue
        opinion: ReviewOpinion | None = None
        if event.action in opinions:
            index = seen.get(event.action, 0)
            seen[event.action] = index + 1
            if index < len(opinions[event.action]):
                opinion = opinions[event.action][index]
        paired.append(TimelineEntry(event=event, opinion=opinion))
    return list(reversed(paired))


# ---- eligibility facts for the city's checklist ------------------------------------------------


def eligibility_facts(application: Application) -> dict[str, bool]:
    """What the dossier says about each checklist item (the reviewer confirms or corrects): two queries.

    ``boundary_stated`` is present only for a park within a park.
    """
    park = application.park
    sections = {
        s["code"]: s["data"]
        for s in application.sections.filter(
            code__in=(SectionCode.OVERVIEW, SectionCode.DECLARATIONS)
        ).values("code", "data")
    }
    declarations = sections.get(SectionCode.DECLARATIONS) or {}
    years = set(
        ParkDataset.objects.filter(park_id=park.pk, year__in=HISTORY_YEARS).values_list("year", flat=True)
    )
    facts = {"zone_in_catalog": park.zone.level in (ZoneLevel.NATIONAL, ZoneLevel.PROVINCIAL)}
    if park.scope == ParkScope.PARK_IN_PARK:
        overview = sections.get(SectionCode.OVERVIEW) or {}
        facts["boundary_stated"] = bool(overview.get("boundary_text") or park.boundary_text)
    facts["statistics_capability"] = bool(declarations.get("statistics_capability"))
    facts["no_major_accident"] = bool(declarations.get("no_major_accident"))
    facts["energy_years"] = years == set(HISTORY_YEARS)
    return facts


# ---- home to-do lists -------------------------------------------------------------------------


class DraftFacts(TypedDict):
    """A draft on the park's to-do list: what its dossier holds, and how many parts are still missing."""

    complete_sections: int
    energy_years: int
    has_zone_approval: bool
    has_boundary_map: bool
    return_opinion: str | None  # the newest return's opinion (a returned dossier's)
    missing_parts: int  # set on the row from the others, not by the query
    return_excerpt: str  # the opinion's first lines, set on the row


@dataclass
class TodoList:
    """What waits for the user, per role: short lists (at most TODO_LIMIT rows each) and their totals."""

    role: str
    drafts: list[WithAnnotations[Application, DraftFacts]] = field(default_factory=list)
    submitted: list[Application] = field(default_factory=list)
    recommended: list[Application] = field(default_factory=list)
    approved_unlisted: list[Application] = field(default_factory=list)
    lists_ready: list[ConstructionList] = field(default_factory=list)
    objections_open: list[ListObjection] = field(default_factory=list)
    # Exemption claims waiting for the city's opinion or the province's decision.
    exemptions: list[ExemptionClaim] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.drafts,
                self.submitted,
                self.recommended,
                self.approved_unlisted,
                self.lists_ready,
                self.objections_open,
                self.exemptions,
            )
        )


RETURN_EXCERPT_LINES = 3
RETURN_EXCERPT_CHARS = 160


def opinion_excerpt(text: str | None) -> str:
    """An opinion's first lines (at most RETURN_EXCERPT_LINES non-empty ones, RETURN_EXCERPT_CHARS
    characters), "…" where it was cut."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    excerpt = "\n".join(lines[:RETURN_EXCERPT_LINES])
    cut = len(lines) > RETURN_EXCERPT_LINES or len(excerpt) > RETURN_EXCERPT_CHARS
    return excerpt[:RETURN_EXCERPT_CHARS].rstrip() + ("…" if cut else "")


def _drafts_with_missing(user: Any) -> list[WithAnnotations[Application, DraftFacts]]:
    """The park's drafts and returned dossiers with ``missing_parts`` annotated (of the
    form sections, the energy years and the attachments) and, for a returned one, the opinion it was
    returned with: one query."""
    complete = (
        DossierSection.objects.filter(application_id=OuterRef("pk"), is_complete=True)
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    years = (
        ParkDataset.objects.filter(park_id=OuterRef("park_id"), year__in=HISTORY_YEARS)
        .order_by()
        .values("park_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    zone_approval = Attachment.objects.filter(
        application_id=OuterRef("pk"), kind=AttachmentKind.ZONE_APPROVAL
    )
    boundary_map = Attachment.objects.filter(application_id=OuterRef("pk"), kind=AttachmentKind.BOUNDARY_MAP)
    returned_with = (
        ReviewOpinion.objects.filter(application_id=OuterRef("pk"), action="return")
        .order_by("-created_at", "-id")
        .values("text")[:1]
    )
    # ApplicationQuerySet is not generic, so django-stubs cannot carry the annotations through it.
    applications = cast(
        "list[WithAnnotations[Application, DraftFacts]]",
        list(
            Application.objects.with_places()
            .filter(park_id=user.park_id, status__in=(ApplicationStatus.DRAFT, ApplicationStatus.RETURNED))
            .annotate(
                complete_sections=Coalesce(Subquery(complete, output_field=IntegerField()), Value(0)),
                energy_years=Coalesce(Subquery(years, output_field=IntegerField()), Value(0)),
                has_zone_approval=Exists(zone_approval),
                has_boundary_map=Exists(boundary_map),
                return_opinion=Case(
                    When(status=ApplicationStatus.RETURNED, then=Subquery(returned_with)),
                    default=Value(None),
                    output_field=TextField(),
                ),
            )
            .order_by("call__deadline", "pk")[:TODO_LIMIT]
        ),
    )
    for application in applications:
        present: dict[str, bool] = {AttachmentKind.ZONE_APPROVAL: application.has_zone_approval}
        present[AttachmentKind.BOUNDARY_MAP] = application.has_boundary_map
        attachments_ok = all(present[kind] for kind in selectors.required_attachment_kinds(application))
        application.missing_parts = (
            max(len(FORM_SECTIONS) - application.complete_sections, 0)
            + (0 if application.energy_years >= len(HISTORY_YEARS) else 1)
            + (0 if attachments_ok else 1)
        )
        application.return_excerpt = opinion_excerpt(application.return_opinion)
    return applications


def home_todo(*, user: Any, today: date) -> TodoList:
    """The user's to-do list for the home page, in a fixed number of queries per role."""
    role = getattr(user, "role", "")
    todo = TodoList(role=role)
    if role == Role.PARK_STAFF and user.park_id:
        todo.drafts = _drafts_with_missing(user)
    elif role == Role.CITY_REVIEWER:
        waiting = review.city_queue(user=user, status=ApplicationStatus.SUBMITTED)
        todo.submitted = list(waiting[:TODO_LIMIT])
        todo.counts = {"submitted": waiting.count()}
    elif role == Role.PROVINCE_ADMIN:
        todo.recommended = list(
            Application.objects.with_places()
            .filter(status=ApplicationStatus.RECOMMENDED)
            .order_by("updated_at", "pk")[:TODO_LIMIT]
        )
        todo.approved_unlisted = list(
            selectors.applications_approved_unlisted().order_by("decided_at", "pk")[:TODO_LIMIT]
        )
        todo.lists_ready = list(
            ConstructionList.objects.filter(status=ListStatus.PUBLIC_NOTICE, objection_deadline__lte=today)
            .annotate(park_count=Count("entries", filter=Q(entries__removed_on__isnull=True)))
            .order_by("objection_deadline", "pk")
        )
        objections = objections_open_on_notice()
        todo.objections_open = list(objections[:TODO_LIMIT])
        todo.counts = Application.objects.aggregate(
            recommended=Count("pk", filter=Q(status=ApplicationStatus.RECOMMENDED)),
            approved_unlisted=Count(
                "pk", filter=Q(status=ApplicationStatus.APPROVED, list_entry__isnull=True)
            ),
        )
        if todo.objections_open:
            todo.counts["objections_open"] = objections.count()
    if role in (Role.CITY_REVIEWER, Role.PROVINCE_ADMIN):
        waiting_claims = claims_waiting(user=user)
        todo.exemptions = list(waiting_claims[:TODO_LIMIT])
        todo.counts["exemptions"] = waiting_claims.count()
    return todo


# ---- revision changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    label: str
    old: str
    new: str
    # new − old when both are numbers in the same unit, signed ("+4000", "-0.0123"); else "".
    delta: str


def _split_number(text: str) -> tuple[Decimal, str] | None:
    """A displayed value's leading number and its unit (a trailing "(status)" dropped), if it has one."""
    head, _sep, rest = text.strip().partition(" ")
    number = to_decimal(head.replace(",", ""))
    if number is None or not number.is_finite():
        return None
    unit = rest.strip()
    if unit.endswith(")") and "(" in unit:
        unit = unit[: unit.rindex("(")].strip()
    return number, unit


def _delta(old: str, new: str) -> str:
    before, after = _split_number(old), _split_number(new)
    if before is None or after is None or before[1] != after[1]:
        return ""
    difference = after[0] - before[0]
    sign = "+" if difference > 0 else ""
    unit = f" {after[1]}" if after[1] else ""
    return f"{sign}{format_number(difference.normalize()) if difference else '0'}{unit}"


def revision_pair(revisions: list[Any], *, old: str | None, new: str | None) -> tuple[Any | None, Any | None]:
    """The two revisions to compare: ``new`` (default the latest) and ``old`` (default the one before it),
    chosen by number; unknown numbers fall back to the defaults."""
    by_number = {revision.number: revision for revision in revisions}

    def pick(value: str | None) -> Any | None:
        return by_number.get(int(value)) if value and value.isdigit() else None

    newer = pick(new) or (revisions[0] if revisions else None)
    older = pick(old)
    if older is None and newer is not None:
        older = by_number.get(newer.number - 1)
    return older, newer


def revision_changes(old: Any | None, new: Any | None) -> list[tuple[str, list[ChangeLine]]]:
    """What changed from ``old`` to ``new``, grouped by section (in the diff's order), numbers with deltas."""
    if old is None or new is None or old.pk == new.pk:
        return []
    groups: dict[str, list[ChangeLine]] = {}
    for row in selectors.revision_diff(old.snapshot, new.snapshot):
        groups.setdefault(row.group, []).append(
            ChangeLine(label=row.label, old=row.old, new=row.new, delta=_delta(row.old, row.new))
        )
    return list(groups.items())
