"""Who may see and do what in the construction period and acceptance (pure predicates).

Seeing follows the park (a city reviewer its city's projects, park staff their park's); experts see
only the evaluations they are assigned. Doing follows the role: the park reports and answers orders,
the city writes the self-assessment and requests acceptance, the province supervises and decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from parks.models import Role
from parks.permissions import WHOLE_PROGRAM_ROLES, _role, acts_for_park, park_visibility, sees_park

from .models import ArchiveAudience, EvaluationStatus, ExpertReview, ReviewStatus

if TYPE_CHECKING:
    from .models import AcceptanceEvaluation, CityProgressReport, ConstructionProject, ExpertReview


def project_visibility(user: Any, prefix: str = "") -> Q:
    """The construction projects ``user`` may see, as a filter (``prefix`` reaches the project)."""
    return park_visibility(user, f"{prefix}park__")


def can_view_project(user: Any, project: ConstructionProject) -> bool:
    return sees_park(user, project.park_id, lambda: project.park.zone.city_id)


def can_view_projects(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER, Role.PARK_STAFF)


def can_supervise(user: Any) -> bool:
    """Orders, removal, incentives, experts and decisions: the province."""
    return _role(user) == Role.PROVINCE_ADMIN


def can_view_supervision(user: Any) -> bool:
    """The 督导 list: the province acts from it, observers read it, a city reviewer its own parks' rows."""
    return _role(user) in (Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER)


def is_park_staff_of(user: Any, project: ConstructionProject) -> bool:
    """Annual reports and answers to orders: the park's own staff."""
    return acts_for_park(user, Role.PARK_STAFF, project.park_id, lambda: project.park.zone.city_id)


def is_city_reviewer_of(user: Any, project: ConstructionProject) -> bool:
    """The self-assessment and the request for acceptance: the park's city."""
    return acts_for_park(user, Role.CITY_REVIEWER, project.park_id, lambda: project.park.zone.city_id)


def evaluation_visibility(user: Any) -> Q:
    """The evaluations ``user`` may see: as projects, and an expert only what it is assigned."""
    if _role(user) == Role.EXPERT:
        # An expert who declined for a conflict of interest no longer sees the evaluation.
        # (A subquery: an exclusion across the reviews would drop evaluations another expert declined.)
        mine = ExpertReview.objects.filter(expert_id=user.pk).exclude(status=ReviewStatus.DECLINED)
        return Q(pk__in=mine.values("evaluation_id"))
    return project_visibility(user, prefix="project__")


def can_view_evaluation(user: Any, evaluation: AcceptanceEvaluation, reviews: list[ExpertReview]) -> bool:
    if _role(user) == Role.EXPERT:
        return any(r.expert_id == user.pk and r.status != ReviewStatus.DECLINED for r in reviews)
    return can_view_project(user, evaluation.project)


def can_view_evaluations(user: Any) -> bool:
    return can_view_projects(user) or _role(user) == Role.EXPERT


def can_see_scores(
    user: Any, evaluation: AcceptanceEvaluation, review: ExpertReview, reviews: list[ExpertReview]
) -> bool:
    """Blind review: an expert sees its own scores, and the others' only after submitting its own; the
    province sees them as they come in; everyone else who sees the evaluation, once it is decided."""
    role = _role(user)
    if review.status != ReviewStatus.SUBMITTED:
        return role == Role.EXPERT and review.expert_id == user.pk
    if role == Role.PROVINCE_ADMIN:
        return True
    if role == Role.EXPERT:
        own = next((r for r in reviews if r.expert_id == user.pk), None)
        return own is not None and (own.pk == review.pk or own.status == ReviewStatus.SUBMITTED)
    return evaluation.status == EvaluationStatus.DECIDED


def can_review(user: Any, review: ExpertReview) -> bool:
    return _role(user) == Role.EXPERT and review.expert_id == user.pk


def sees_expert_names(user: Any) -> bool:
    """Who the review experts are: the province only; the park, the city and observers read the opinions
    as 专家一, 专家二 (and the experts each other's likewise)."""
    return _role(user) == Role.PROVINCE_ADMIN


def can_download_acceptance_report(user: Any, evaluation: AcceptanceEvaluation) -> bool:
    """The report shows the experts' scores: the province any time, the others who see the evaluation once
    it is decided (the caller has checked that the user sees it)."""
    return evaluation.status == EvaluationStatus.DECIDED or can_supervise(user)


def can_remind_late_reports(user: Any) -> bool:
    """The province reminds every late park, a city reviewer its city's parks."""
    role = getattr(user, "role", "")
    return role == Role.PROVINCE_ADMIN or (
        role == Role.CITY_REVIEWER and bool(getattr(user, "city_id", None))
    )


def may_for_city_report(user: Any, report: CityProgressReport, role: str) -> bool:
    """``user`` acts with ``role`` on a city progress report: the city's own reviewers write and submit it,
    the province returns it."""
    if _role(user) != role:
        return False
    if role == Role.CITY_REVIEWER:
        return bool(user.city_id) and user.city_id == report.city_id
    return role == Role.PROVINCE_ADMIN


def can_view_city_reports(user: Any) -> bool:
    """The province and observers read every city's reports, a city reviewer its own city's."""
    role = _role(user)
    return role in WHOLE_PROGRAM_ROLES or (role == Role.CITY_REVIEWER and bool(user.city_id))


def can_write_city_report(user: Any, report: CityProgressReport) -> bool:
    """The city's own reviewers, while the report is a draft or returned."""
    return report.is_open and may_for_city_report(user, report, Role.CITY_REVIEWER)


def can_return_city_report(user: Any, report: CityProgressReport) -> bool:
    return report.status == "submitted" and may_for_city_report(user, report, Role.PROVINCE_ADMIN)


def can_remind_late_cities(user: Any) -> bool:
    return _role(user) == Role.PROVINCE_ADMIN


def can_recommend_nationally(user: Any) -> bool:
    """The recommendation to the national programme and its package: the province."""
    return can_supervise(user)


def can_archive_park(user: Any, park_id: int, city_id: int | None) -> bool:
    """A park's archive (a project's or the whole park's): the province any park, a city reviewer its
    city's parks, park staff their own park. Observers read the program but not the files."""
    role = _role(user)
    if role == Role.PROVINCE_ADMIN:
        return True
    if role == Role.CITY_REVIEWER:
        return city_id == user.city_id
    if role == Role.PARK_STAFF:
        return park_id == user.park_id
    return False


# Whose copy of an archive each role that may ask for one gets (anyone else: the park's, the least).
AUDIENCE_ROLES = {
    ArchiveAudience.PROVINCE: Role.PROVINCE_ADMIN,
    ArchiveAudience.CITY: Role.CITY_REVIEWER,
    ArchiveAudience.PARK: Role.PARK_STAFF,
}


def archive_audience(user: Any) -> ArchiveAudience:
    """Whose copy of a park's archive ``user`` asks for and downloads: the province's, the city's or the
    park's (each reads in it what its role reads on the pages)."""
    role = _role(user)
    return next((a for a, r in AUDIENCE_ROLES.items() if r == role), ArchiveAudience.PARK)


@dataclass(frozen=True)
class ArchiveReader:
    """Who reads an archive's copy, as the predicates above see a user: its role and nothing else (no
    account, park or city: the archive is already scoped), so a copy is written by the pages' rules
    (``timeline_for_reader``, ``sees_expert_names``, ``can_see_scores``, ``can_download_acceptance_report``)."""

    role: str
    pk: None = None
    is_authenticated: bool = True
    is_active: bool = True


def archive_reader(audience: str) -> ArchiveReader:
    return ArchiveReader(role=AUDIENCE_ROLES[ArchiveAudience(audience)])
