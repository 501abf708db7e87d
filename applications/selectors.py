"""Reads for calls, applications and lists: scoped querysets, the submission gate, snapshots and diffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from indicators import engine
from indicators.models import IndicatorResult, ParkDataset
from parks.models import City, Park, ParkScope, Role, ZoneLevel
from parks.permissions import can_view_whole_program

from .dossier.schema import flatten_section, section_problems
from .dossier.sections import FORM_SECTIONS
from .models import (
    HISTORY_YEARS,
    RECOMMENDED_STATUSES,
    Application,
    ApplicationRevision,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Call,
    CallStatus,
    ConstructionList,
    ConstructionListEntry,
    DossierSection,
    ListStatus,
    ReviewOpinion,
    SectionCode,
)
from .permissions import application_visibility, can_view_application, can_view_list, is_call_accepting

SCHEME_JIANGXI = "jiangxi-2025"
SCHEME_NATIONAL = "national-2025"


def application_list_visible_to(*, user: Any) -> QuerySet[Application]:
    """The applications ``user`` may see, with park, zone, city and call joined (one query)."""
    return Application.objects.with_places().filter(application_visibility(user))


def application_get_for_user(*, user: Any, pk: int) -> Application:
    """One application ``user`` may see, or 404 (an object outside one's scope does not exist)."""
    application = Application.objects.with_places().filter(pk=pk).first()
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def call_list() -> QuerySet[Call]:
    """Every call, newest deadline first, with its application count."""
    return Call.objects.annotate(application_count=Count("applications")).order_by("-deadline", "-id")


def call_list_accepting(*, today: date) -> QuerySet[Call]:
    """The calls parks may apply in today."""
    return Call.objects.filter(status=CallStatus.OPEN, deadline__gte=today)


def section_map(application: Application) -> dict[str, DossierSection]:
    return {section.code: section for section in application.sections.all()}


def history_datasets(application: Application) -> dict[int, ParkDataset | None]:
    """The park's datasets for the dossier's three energy years (None where missing)."""
    found = {
        d.year: d for d in ParkDataset.objects.filter(park_id=application.park_id, year__in=HISTORY_YEARS)
    }
    return {year: found.get(year) for year in HISTORY_YEARS}


def history_results(
    application: Application, *, scheme_code: str = SCHEME_JIANGXI
) -> dict[int, IndicatorResult | None]:
    """The current result of each energy year under ``scheme_code`` (None where not computed yet)."""
    found = {
        r.dataset.year: r
        for r in IndicatorResult.objects.current()
        .select_related("dataset")
        .filter(
            dataset__park_id=application.park_id, dataset__year__in=HISTORY_YEARS, scheme_code=scheme_code
        )
    }
    return {year: found.get(year) for year in HISTORY_YEARS}


def energy_problems(application: Application) -> list[str]:
    """The energy section is complete when each of the three years is stored and computes without errors."""
    problems = []
    datasets = history_datasets(application)
    results = history_results(application)
    for year in HISTORY_YEARS:
        if datasets[year] is None:
            problems.append(_("Energy data for %(year)s is missing.") % {"year": year})
        elif results[year] is None:
            problems.append(
                _("The indicators for %(year)s are still being computed; try again shortly.") % {"year": year}
            )
        elif not results[year].ok:
            count = len(results[year].document.get("errors", []))
            problems.append(
                _("Energy data for %(year)s has %(count)s error(s); open the year to see them.")
                % {"year": year, "count": count}
            )
    return problems


def required_attachment_kinds(application: Application) -> list[str]:
    kinds = [AttachmentKind.ZONE_APPROVAL]
    if application.park.scope == ParkScope.PARK_IN_PARK:
        kinds.append(AttachmentKind.BOUNDARY_MAP)
    return kinds


def attachment_problems(application: Application) -> list[str]:
    present = set(application.attachments.values_list("kind", flat=True))
    labels = dict(AttachmentKind.choices)
    return [
        _("Attach: %(kind)s.") % {"kind": labels[kind]}
        for kind in required_attachment_kinds(application)
        if kind not in present
    ]


def eligibility_problems(application: Application) -> list[str]:
    """The plan's conditions (三、(一)) that registration data decides."""
    park, problems = application.park, []
    if park.zone.level not in (ZoneLevel.NATIONAL, ZoneLevel.PROVINCIAL):
        problems.append(_("The development zone must be provincial or national level."))
    if park.scope == ParkScope.PARK_IN_PARK:
        overview = application.sections.filter(code=SectionCode.OVERVIEW).first()
        boundary = (overview.data.get("boundary_text") if overview else None) or park.boundary_text
        if not boundary:
            problems.append(_("A park within a park must state its four borders (overview)."))
    return problems


@dataclass(frozen=True)
class SectionState:
    code: str
    title: str
    complete: bool
    problems: list[str]


def dossier_progress(application: Application) -> list[SectionState]:
    """Every section in Annex 1's order with what keeps it from being complete."""
    sections = section_map(application)
    energy = energy_problems(application)
    states = []
    for code, title in SectionCode.choices:
        if code in FORM_SECTIONS:
            section = sections.get(code)
            problems = section_problems(FORM_SECTIONS[code], section.data if section else {})
        elif code in (SectionCode.ENERGY, SectionCode.EMISSIONS):
            # Emissions are computed from the energy years, never typed.
            problems = (
                energy
                if code == SectionCode.ENERGY
                else ([_("Computed once the three energy years are complete.")] if energy else [])
            )
        else:
            problems = attachment_problems(application)
        states.append(SectionState(code=code, title=str(title), complete=not problems, problems=problems))
    return states


def submission_problems(application: Application, *, today: date) -> dict[str, list[str]]:
    """Every unmet condition of submission, grouped (call, eligibility, then each incomplete section).

    Empty when the dossier may be submitted.
    """
    problems: dict[str, list[str]] = {}
    # The deadline is for first submissions; a returned dossier is resubmitted after the city's review.
    if application.status == ApplicationStatus.DRAFT and not is_call_accepting(application.call, today):
        problems["call"] = [
            _("%(call)s is not open for submissions (deadline %(deadline)s).")
            % {"call": application.call, "deadline": application.call.deadline}
        ]
    eligibility = eligibility_problems(application)
    if eligibility:
        problems["eligibility"] = eligibility
    for state in dossier_progress(application):
        if state.problems and state.code != SectionCode.EMISSIONS:
            problems[state.code] = state.problems
    return problems


def snapshot_build(application: Application) -> dict[str, Any]:
    """The dossier as it stands, for a revision: sections, datasets, computed indicators, attachments."""
    sections = section_map(application)
    datasets = history_datasets(application)
    results = history_results(application)
    park = application.park
    return {
        "park": {
            "name": park.name,
            "zone": park.zone.name,
            "zone_level": park.zone.level,
            "city": park.zone.city.name,
            "scope": park.scope,
            "park_type": park.park_type,
            "boundary_text": park.boundary_text,
        },
        "sections": {code: sections[code].data for code in FORM_SECTIONS if code in sections},
        "datasets": {str(year): d.document for year, d in datasets.items() if d is not None},
        "results": {str(year): r.document for year, r in results.items() if r is not None and r.ok},
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "size_bytes": a.size_bytes, "sha256": a.sha256}
            for a in application.attachments.all()
        ],
    }


@dataclass(frozen=True)
class DiffRow:
    group: str
    label: str
    old: str
    new: str


def _flatten_json(value: Any, prefix: str = "") -> dict[str, str]:
    """Leaves of a JSON document under dotted paths (list items by index, or by a name they carry)."""
    flat: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(_flatten_json(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            name = None
            if isinstance(item, dict):
                name = item.get("code") or item.get("name")
                if name and item.get("carrier"):
                    name = f"{item.get('carrier')}/{item.get('use')}/{name}"
                elif item.get("carrier"):
                    name = f"{item.get('carrier')}/{item.get('use')}/#{index + 1}"
            flat.update(_flatten_json(item, f"{prefix}[{name or index + 1}]"))
    else:
        flat[prefix] = "—" if value is None else str(value)
    return flat


def _result_summary(document: dict[str, Any]) -> dict[str, str]:
    """The numbers a reviewer compares: totals and each indicator's value and status."""
    factors = document.get("factors") or {}
    summary = {
        # Which method and data the numbers come from: a recomputation under a new version shows here.
        _("Factor set"): str(factors.get("set", "—")),
        _("Engine version"): str(document.get("engine_version", "—")),
        **{
            f"{_('Totals')} · {key}": str(value)
            for key, value in (document.get("totals") or {}).items()
            if not isinstance(value, dict)
        },
    }
    for indicator in document.get("indicators") or []:
        summary[f"{indicator.get('name')}"] = (
            f"{indicator.get('value')} {indicator.get('unit', '')} ({indicator.get('status')})"
        )
    return summary


def _upgraded(document: Any) -> Any:
    return engine.upgrade(document)[0] if isinstance(document, dict) else document


def _diff(group: str, before: dict[str, str], after: dict[str, str]) -> list[DiffRow]:
    rows = []
    for key in list(before) + [k for k in after if k not in before]:
        old, new = before.get(key, "—"), after.get(key, "—")
        if old != new:
            rows.append(DiffRow(group=group, label=key, old=old, new=new))
    return rows


def revision_diff(old: dict[str, Any], new: dict[str, Any]) -> list[DiffRow]:
    """What changed between two snapshots: every section value, dataset number and computed indicator."""
    rows: list[DiffRow] = []
    for code, spec in FORM_SECTIONS.items():
        before = dict(flatten_section(spec, old.get("sections", {}).get(code, {})).values())
        after = dict(flatten_section(spec, new.get("sections", {}).get(code, {})).values())
        rows.extend(_diff(str(spec.title), before, after))
    for year in map(str, HISTORY_YEARS):
        rows.extend(
            _diff(
                _("Energy data %(year)s") % {"year": year},
                # A v1 snapshot is compared as its v2 equivalent: the upgrade itself is no change.
                _flatten_json(_upgraded(old.get("datasets", {}).get(year))),
                _flatten_json(_upgraded(new.get("datasets", {}).get(year))),
            )
        )
        rows.extend(
            _diff(
                _("Indicators %(year)s") % {"year": year},
                _result_summary(old.get("results", {}).get(year) or {}),
                _result_summary(new.get("results", {}).get(year) or {}),
            )
        )
    before = {f"{a['kind']}:{a['name']}": a["sha256"][:12] for a in old.get("attachments", [])}
    after = {f"{a['kind']}:{a['name']}": a["sha256"][:12] for a in new.get("attachments", [])}
    rows.extend(_diff(_("Attachments"), before, after))
    return rows


def revision_list(application: Application) -> QuerySet[ApplicationRevision]:
    return application.revisions.select_related("submitted_by").order_by("-number")


def opinion_list(application: Application) -> QuerySet[ReviewOpinion]:
    return application.opinions.select_related("author").order_by("created_at", "id")


def attachment_list(application: Application) -> QuerySet[Attachment]:
    return application.attachments.select_related("uploaded_by")


def recommended_count(*, call: Call, city_id: int, exclude_pk: int | None = None) -> int:
    """How many of the city's applications in ``call`` have used a recommendation."""
    from .models import RECOMMENDED_STATUSES

    qs = Application.objects.filter(call=call, park__zone__city_id=city_id, status__in=RECOMMENDED_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


# ---- calls ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallRow:
    call: Call
    counts: list[tuple[str, str, int]]  # (status, label, count) for the statuses that occur
    total: int


@dataclass(frozen=True)
class CityGroup:
    city: City
    applications: list[Application]
    recommended: int
    quota: int | None

    @property
    def quota_reached(self) -> bool:
        return self.quota is not None and self.recommended >= self.quota


def call_list_visible_to(user: Any) -> QuerySet[Call]:
    """The calls ``user`` may see, newest deadline first: every call for the province; open and closed
    ones for the other roles that take part (a draft call is the province's own)."""
    # call_list annotates a count, and a GROUP BY query drops Meta.ordering: pages need an order.
    calls = call_list().order_by("-deadline", "-id")
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.PROVINCE_ADMIN:
        return calls
    if role in (Role.OBSERVER, Role.PARK_STAFF, Role.CITY_REVIEWER):
        return calls.exclude(status=CallStatus.DRAFT)
    return calls.none()


def call_get_for_user(*, user: Any, pk: int) -> Call:
    """One call ``user`` may see, or 404."""
    call = call_list_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def call_rows(user: Any, calls: QuerySet[Call]) -> list[CallRow]:
    """Each call with the count of the user's visible applications per status (one grouped query)."""
    counts: dict[int, dict[str, int]] = {}
    grouped = (
        application_list_visible_to(user=user)
        .order_by()
        .values_list("call_id", "status")
        .annotate(n=Count("pk"))
    )
    for call_id, status, n in grouped:
        counts.setdefault(call_id, {})[status] = n
    rows = []
    for call in calls:
        found = counts.get(call.pk, {})
        per_status = [
            (value, str(label), found[value]) for value, label in ApplicationStatus.choices if value in found
        ]
        rows.append(CallRow(call=call, counts=per_status, total=sum(found.values())))
    return rows


def city_groups(call: Call, applications: QuerySet[Application]) -> list[CityGroup]:
    """The call's applications by city, with how many recommendations each city has used."""
    ordered = applications.filter(call=call).order_by("park__zone__city__code", "park__name")
    groups = []
    for _city_id, items in groupby(ordered, key=lambda a: a.park.zone.city_id):
        members = list(items)
        groups.append(
            CityGroup(
                city=members[0].park.zone.city,
                applications=members,
                recommended=sum(a.status in RECOMMENDED_STATUSES for a in members),
                quota=call.quota_per_city,
            )
        )
    return groups


# ---- construction lists ----------------------------------------------------------------------


def construction_list_all() -> QuerySet[ConstructionList]:
    return ConstructionList.objects.annotate(
        park_count=Count("entries", filter=Q(entries__removed_on__isnull=True))
    ).order_by("-created_at", "-id")


def construction_list_visible_to(*, user: Any) -> QuerySet[ConstructionList]:
    """Every list for the province and observers; the others see lists on notice and published ones.
    Entries (with park, zone and city) are prefetched: two queries whatever the number of lists."""
    lists = construction_list_all().prefetch_related(entries_prefetch())
    if can_view_whole_program(user):
        return lists
    return lists.filter(status__in=[ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED])


def construction_list_get_for_user(*, user: Any, pk: int) -> ConstructionList:
    construction_list = ConstructionList.objects.filter(pk=pk).first()
    if construction_list is None or not can_view_list(user, construction_list):
        raise Http404
    return construction_list


def entries_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "entries",
        queryset=ConstructionListEntry.objects.select_related(
            "park", "park__zone", "park__zone__city", "application"
        ).order_by("park__zone__city__code", "park__name"),
    )


def public_list_published() -> QuerySet[ConstructionList]:
    """Published lists with their entries (removed ones included, with date and reason): two queries."""
    return (
        ConstructionList.objects.filter(status=ListStatus.PUBLISHED)
        .prefetch_related(entries_prefetch())
        .order_by("-published_at", "-id")
    )


def public_list_on_notice() -> QuerySet[ConstructionList]:
    """Lists on public notice (公示), open to objections, with their entries."""
    return (
        ConstructionList.objects.filter(status=ListStatus.PUBLIC_NOTICE)
        .prefetch_related(entries_prefetch())
        .order_by("objection_deadline", "-id")
    )


def applications_approved_unlisted() -> QuerySet[Application]:
    """Approved applications not yet on any list: what a new list can draw from."""
    return Application.objects.with_places().filter(
        status=ApplicationStatus.APPROVED, list_entry__isnull=True
    )


def construction_list_entries(construction_list: ConstructionList) -> QuerySet[ConstructionListEntry]:
    """The list's entries by city and park, with park, zone, city and application joined."""
    return construction_list.entries.select_related(
        "park", "park__zone", "park__zone__city", "application"
    ).order_by("park__zone__city__code", "park__name")


def public_list_get(*, pk: int) -> ConstructionList:
    """A published list or one on public notice, with its entries; drafts do not exist for the public."""
    for candidates in (public_list_published(), public_list_on_notice()):
        found = candidates.filter(pk=pk).first()
        if found is not None:
            return found
    raise Http404


def calls_open_to(park: Park | None, *, today: date) -> Any:
    """The accepting calls ``park`` has no live (non-withdrawn) application in."""
    if park is None:
        return Call.objects.none()
    taken = (
        Application.objects.filter(park=park).exclude(status=ApplicationStatus.WITHDRAWN).values("call_id")
    )
    return call_list_accepting(today=today).exclude(pk__in=taken).order_by("deadline", "id")
