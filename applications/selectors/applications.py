"""Reads of applications: the scoped list and detail, the dossier's sections, years, results, progress and
what still stops a submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from indicators.models import IndicatorResult, ParkDataset, indicator_name
from indicators.selectors import local_scheme_code
from parks.models import ParkScope, ZoneLevel

from ..dossier.schema import section_problems
from ..dossier.sections import FORM_SECTIONS
from ..models import (
    HISTORY_YEARS,
    RECOMMENDED_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Call,
    DossierSection,
    ReviewOpinion,
    SectionCode,
)
from ..permissions import application_visibility, can_view_application, is_call_accepting


def application_list_visible_to(*, user: Any) -> QuerySet[Application]:
    """The applications ``user`` may see, with park, zone, city and call joined (one query)."""
    return Application.objects.with_places().filter(application_visibility(user))


def application_get_for_user(*, user: Any, pk: int) -> Application:
    """One application ``user`` may see, or 404 (an object outside one's scope does not exist)."""
    application = Application.objects.with_places().filter(pk=pk).first()
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def section_map(application: Application) -> dict[str, DossierSection]:
    return {section.code: section for section in application.sections.all()}


def history_datasets(application: Application) -> dict[int, ParkDataset | None]:
    """The park's datasets for the dossier's three energy years (None where missing)."""
    found = {
        d.year: d for d in ParkDataset.objects.filter(park_id=application.park_id, year__in=HISTORY_YEARS)
    }
    return {year: found.get(year) for year in HISTORY_YEARS}


def history_results(
    application: Application, *, scheme_code: str | None = None
) -> dict[int, IndicatorResult | None]:
    """The current result of each energy year under ``scheme_code`` (None where not computed yet)."""
    scheme_code = scheme_code or local_scheme_code()
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
        result = results[year]
        if datasets[year] is None:
            problems.append(_("Energy data for %(year)s is missing.") % {"year": year})
        elif result is None:
            problems.append(
                _("The indicators for %(year)s are still being computed; try again shortly.") % {"year": year}
            )
        elif not result.ok:
            count = len(result.document.get("errors", []))
            problems.append(
                _("Energy data for %(year)s has %(count)s error(s); open the year to see them.")
                % {"year": year, "count": count}
            )
    return problems


def required_attachment_kinds(application: Application) -> list[str]:
    kinds: list[str] = [AttachmentKind.ZONE_APPROVAL]
    if application.park.scope == ParkScope.PARK_IN_PARK:
        kinds.append(AttachmentKind.BOUNDARY_MAP)
    return kinds


def declared_exemptions(application: Application) -> dict[str, str]:
    """The guiding indicators the dossier's targets section asks to exempt, with their reasons."""
    section = application.sections.filter(code=SectionCode.TARGETS).only("data").first()
    rows = (section.data.get("exemptions") if section else None) or []
    return {row["indicator"]: row.get("reason") or "" for row in rows if row.get("indicator")}


def attachment_problems(application: Application) -> list[str]:
    """The required evidence that is missing: the zone's approval, a 园中园's map, and the evidence for each
    exemption the dossier asks for."""
    found = list(application.attachments.values_list("kind", "indicator"))
    present = {kind for kind, _indicator in found}
    labels = dict(AttachmentKind.choices)
    problems = [
        _("Attach: %(kind)s.") % {"kind": labels[kind]}
        for kind in required_attachment_kinds(application)
        if kind not in present
    ]
    evidenced = {indicator for kind, indicator in found if kind == AttachmentKind.EXEMPTION}
    problems += [
        _("Attach the evidence for the exemption of %(indicator)s.") % {"indicator": indicator_name(code)}
        for code in declared_exemptions(application)
        if code not in evidenced
    ]
    return problems


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


def opinion_list(application: Application) -> QuerySet[ReviewOpinion]:
    return application.opinions.select_related("author").order_by("created_at", "id")


def attachment_list(application: Application) -> QuerySet[Attachment]:
    return application.attachments.select_related("uploaded_by")


def recommended_count(*, call: Call, city_id: int, exclude_pk: int | None = None) -> int:
    """How many of the city's applications in ``call`` have used a recommendation."""

    qs = Application.objects.filter(call=call, park__zone__city_id=city_id, status__in=RECOMMENDED_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


# ---- calls ------------------------------------------------------------------------------------


def applications_approved_unlisted() -> QuerySet[Application]:
    """Approved applications not yet on any list: what a new list can draw from."""
    return Application.objects.with_places().filter(
        status=ApplicationStatus.APPROVED, list_entry__isnull=True
    )
