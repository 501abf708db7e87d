"""The scope probe's oracle: who may see what and who may act, written out again from the documented
rules (docs/decisions.md, parks/permissions.py's docstring) instead of calling the predicates under
test, so a bug in a predicate shows up as a leak rather than agreeing with itself.

* Park staff see their park, city reviewers their city's parks, the province and observers every park
  (observers not the applications still in draft); experts only the evaluations they are assigned
  (and that evaluation's evidence); nobody signed out sees anything but the public pages.
* Pages without an object are gated by role (``GATES``); object pages by scope, then role.
* ``ACTS`` names who may act on an action URL; the probe POSTs only as everyone else.
* Markers: strings that belong to one park (its contacts, its staff's names; its name and managing body
  while it is on no published list) and must never reach a user who does not see that park.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from applications.models import (
    Application,
    ApplicationRevision,
    ApplicationStatus,
    Attachment,
    Call,
    ConstructionList,
    DossierExport,
    ListStatus,
)
from evaluation.models import (
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    Evidence,
    ExpertReview,
    Incentive,
    RectificationOrder,
    SelfAssessment,
)
from parks.models import Park, Role, User
from zcpark.core.models import Notification

P, OB, C, S, E = Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER, Role.PARK_STAFF, Role.EXPERT
SIGNED = frozenset({P, OB, C, S, E})
WORKERS = frozenset({P, OB, C, S})
WHOLE = frozenset({P, OB})
PROVINCE = frozenset({P})
PUBLIC = "public"  # anyone, signed in or not

# Role gates of pages and API routes; a name not listed is open to every signed-in role and decided by
# the scope of its objects.
GATES: dict[str, frozenset[str] | str] = {
    "portal:landing": PUBLIC,
    "applications:public-lists": PUBLIC,
    "applications:public-list-detail": PUBLIC,
    "evaluation:public-progress": PUBLIC,
    ":login": PUBLIC,
    ":healthz": PUBLIC,
    ":set_language": PUBLIC,
    ":api-public-lists": PUBLIC,
    ":api-token": PUBLIC,
    "parks:park-list": WORKERS,
    "parks:park-create": PROVINCE,
    "parks:user-list": PROVINCE,
    "parks:user-create": PROVINCE,
    "parks:user-edit": PROVINCE,
    "parks:user-set-active": PROVINCE,
    "parks:user-set-password": PROVINCE,
    "parks:user-unlock": PROVINCE,
    ":two_factor_reset": PROVINCE,
    "indicators:factor-list": WHOLE,
    "indicators:grid-factor-add": PROVINCE,
    "indicators:factor-set-edit": PROVINCE,
    "indicators:scheme-version-create": PROVINCE,
    "indicators:draft-detail": PROVINCE,
    "applications:call-list": WORKERS,
    "applications:call-detail": WORKERS,
    "applications:call-create": PROVINCE,
    "applications:call-edit": PROVINCE,
    "applications:call-transition": PROVINCE,
    "applications:application-list": WORKERS,
    "applications:application-start": frozenset({S}),
    "applications:list-manage": WHOLE,
    "applications:list-create": PROVINCE,
    "applications:list-edit": PROVINCE,
    "applications:list-transition": PROVINCE,
    "applications:review-city": frozenset({C}),
    "applications:review-province": WHOLE,
    "evaluation:project-list": WORKERS,
    "evaluation:dashboard": WHOLE,
    "evaluation:order-create": PROVINCE,
    "evaluation:project-remove": PROVINCE,
    "evaluation:incentive-create": PROVINCE,
    "evaluation:experts-assign": PROVINCE,
    "evaluation:expert-unassign": PROVINCE,
    "evaluation:evaluation-decide": PROVINCE,
    "evaluation:report-regenerate": PROVINCE,
    ":api-call-transitions": PROVINCE,
    ":api-construction-list-transitions": PROVINCE,
    ":api-project-removal": PROVINCE,
    ":api-evaluation-experts": PROVINCE,
    ":api-evaluation-expert-detail": PROVINCE,
    ":api-evaluation-decision": PROVINCE,
    "admin": PROVINCE,
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
}


class World:
    """The demo's objects, read once, and the scope rules over them."""

    def __init__(self) -> None:
        self.parks = {p.pk: p for p in Park.objects.select_related("zone__city")}
        self.listed_park_ids = set(
            ConstructionList.objects.filter(status=ListStatus.PUBLISHED).values_list(
                "entries__park_id", flat=True
            )
        )
        self.assigned: dict[int, set[int]] = {}  # evaluation id -> expert ids
        for review in ExpertReview.objects.all():
            self.assigned.setdefault(review.evaluation_id, set()).add(review.expert_id)
        self.evaluation_project = dict(AcceptanceEvaluation.objects.values_list("pk", "project_id"))
        self.project_park = dict(ConstructionProject.objects.values_list("pk", "park_id"))
        self._markers = self._park_markers()

    # -- scope -----------------------------------------------------------------------------------------
    def sees_park(self, user: User | None, park_id: int) -> bool:
        if user is None:
            return False
        if user.role in WHOLE:
            return True
        if user.role == C:
            return self.parks[park_id].zone.city_id == user.city_id
        if user.role == S:
            return park_id == user.park_id
        return False

    def expert_project_ids(self, user: User | None) -> set[int]:
        if user is None or user.role != E:
            return set()
        return {self.evaluation_project[e] for e, experts in self.assigned.items() if user.pk in experts}

    def sees(self, user: User | None, obj: Any) -> bool:
        if user is None:
            return False
        if isinstance(obj, Park):
            return self.sees_park(user, obj.pk)
        if isinstance(obj, Application):
            if user.role == OB:
                return obj.status != ApplicationStatus.DRAFT
            return self.sees_park(user, obj.park_id)
        if isinstance(obj, Attachment | DossierExport | ApplicationRevision):
            return self.sees(user, obj.application)
        if isinstance(obj, Call):
            return user.role in WORKERS
        if isinstance(obj, ConstructionList):
            return obj.status != ListStatus.DRAFT or user.role in WHOLE
        if isinstance(obj, ConstructionProject):
            return self.sees_park(user, obj.park_id)
        if isinstance(obj, RectificationOrder | Incentive | AnnualReport | SelfAssessment):
            return self.sees_park(user, self.project_park[obj.project_id])
        if isinstance(obj, Evidence):
            project_id = obj.self_assessment.project_id
            return self.sees_park(
                user, self.project_park[project_id]
            ) or project_id in self.expert_project_ids(user)
        if isinstance(obj, AcceptanceEvaluation):
            if user.role == E:
                return user.pk in self.assigned.get(obj.pk, set())
            return self.sees_park(user, self.project_park[obj.project_id])
        if isinstance(obj, ExpertReview):
            return self.sees(user, obj.evaluation)
        if isinstance(obj, Notification):
            return obj.recipient_id == user.pk
        if isinstance(obj, User):
            return user.role == P
        return True  # reference data (schemes, factor kinds, years, section codes)

    def visible(self, name: str, user: User | None, objects: list[Any]) -> bool:
        """Every object of the URL is in ``user``'s scope (a public page: or published)."""
        public = GATES.get(name) == PUBLIC
        return all(
            self.sees(user, o)
            or (public and isinstance(o, ConstructionList) and o.status == ListStatus.PUBLISHED)
            for o in objects
        )

    def gate(self, name: str, user: User | None) -> bool:
        roles = GATES.get(name, GATES["admin"] if name.startswith("admin") else SIGNED)
        if roles == PUBLIC:
            return True
        return user is not None and user.role in roles

    # -- acting ------------------------------------------------------------------------------------------
    def may_act(self, name: str, user: User | None, objects: list[Any]) -> bool:
        """Whether ``user`` may (in some state of the objects) act on this URL: those users are not probed."""
        rule = ACTS.get(name)
        if rule is None or user is None:
            return False
        return rule(self, user, objects)

    def park_of(self, obj: Any) -> int | None:
        if isinstance(obj, Park):
            return obj.pk
        if isinstance(obj, Application | ConstructionProject):
            return obj.park_id
        if isinstance(obj, RectificationOrder):
            return self.project_park[obj.project_id]
        if isinstance(obj, AcceptanceEvaluation):
            return self.project_park[obj.project_id]
        if isinstance(obj, Evidence):
            return self.project_park[obj.self_assessment.project_id]
        return None

    def staff_of(self, user: User, objects: list[Any]) -> bool:
        return user.role == S and any(self.park_of(o) == user.park_id for o in objects if self.park_of(o))

    def city_of(self, user: User, objects: list[Any]) -> bool:
        parks = [self.park_of(o) for o in objects if self.park_of(o)]
        return user.role == C and any(self.parks[p].zone.city_id == user.city_id for p in parks if p)

    # -- markers -------------------------------------------------------------------------------------------
    def _park_markers(self) -> dict[int, list[str]]:
        markers: dict[int, list[str]] = {}
        staff = User.objects.filter(role=S).exclude(first_name="")
        for park in self.parks.values():
            found = [park.contact_email, park.contact_phone]
            found += [u.first_name for u in staff if u.park_id == park.pk]
            if park.pk not in self.listed_park_ids:
                found += [park.name, park.managing_body]
            markers[park.pk] = [m for m in found if m and len(m) >= 6]
        return markers

    def forbidden_markers(self, user: User | None) -> list[tuple[str, str]]:
        """(marker, park name) for every park ``user`` does not see."""
        seen = self.expert_project_ids(user)
        seen_parks = {self.project_park[p] for p in seen}
        return [
            (marker, self.parks[park_id].name)
            for park_id, markers in self._markers.items()
            if not self.sees_park(user, park_id) and park_id not in seen_parks
            for marker in markers
        ]


def _province(world: World, user: User, objects: list[Any]) -> bool:
    return user.role == P


def _signed(world: World, user: User, objects: list[Any]) -> bool:
    return True


def _staff(world: World, user: User, objects: list[Any]) -> bool:
    """The park's own staff (the province too, where it may act for a park)."""
    return user.role == P or world.staff_of(user, objects)


def _park_staff(world: World, user: User, objects: list[Any]) -> bool:
    return user.role == S


def _staff_only(world: World, user: User, objects: list[Any]) -> bool:
    return world.staff_of(user, objects)


def _people_of_application(world: World, user: User, objects: list[Any]) -> bool:
    """Submit/withdraw (the park), recommend/return (its city), approve (the province)."""
    return user.role == P or world.staff_of(user, objects) or world.city_of(user, objects)


def _city(world: World, user: User, objects: list[Any]) -> bool:
    return user.role == P or world.city_of(user, objects)


def _viewer(world: World, user: User, objects: list[Any]) -> bool:
    return all(world.sees(user, o) for o in objects)


def _recipient(world: World, user: User, objects: list[Any]) -> bool:
    return any(isinstance(o, Notification) and o.recipient_id == user.pk for o in objects)


def _assigned_expert(world: World, user: User, objects: list[Any]) -> bool:
    return user.role == E and any(
        isinstance(o, AcceptanceEvaluation) and user.pk in world.assigned.get(o.pk, set()) for o in objects
    )


ACTS: dict[str, Callable[[World, User, list[Any]], bool]] = {
    "portal:notification-open": _recipient,
    "portal:notifications-read-all": _signed,
    "parks:park-create": _province,
    "parks:park-edit": _staff,
    "parks:user-create": _province,
    "parks:user-edit": _province,
    "parks:user-set-active": _province,
    "parks:user-set-password": _province,
    "parks:user-unlock": _province,
    ":two_factor_reset": _province,
    "indicators:calculator": _signed,
    "indicators:calculator-download": _signed,
    "indicators:grid-factor-add": _province,
    "indicators:factor-set-edit": _province,
    "indicators:scheme-version-create": _province,
    "indicators:draft-detail": _province,
    "applications:call-create": _province,
    "applications:call-edit": _province,
    "applications:call-transition": _province,
    "applications:application-start": _park_staff,
    "applications:section-edit": _staff_only,
    "applications:energy-year": _staff_only,
    "applications:section-attachments": _staff_only,
    "applications:attachment-delete": _staff_only,
    "applications:application-export": _viewer,
    "applications:list-create": _province,
    "applications:list-edit": _province,
    "applications:list-transition": _province,
    "applications:application-review": _people_of_application,
    "applications:application-review-panel": _people_of_application,
    "applications:application-transition": _people_of_application,
    "evaluation:report-detail": _staff,
    "evaluation:order-create": _province,
    "evaluation:order-detail": _staff,
    "evaluation:project-remove": _province,
    "evaluation:incentive-create": _province,
    "evaluation:self-assessment": _city,
    "evaluation:evidence-delete": _city,
    "evaluation:expert-review": _assigned_expert,
    "evaluation:experts-assign": _province,
    "evaluation:expert-unassign": _province,
    "evaluation:evaluation-decide": _province,
    "evaluation:report-regenerate": _province,
    ":password_change": _signed,
    ":api-token-list": _signed,
    ":api-token-detail": _signed,
    ":api-calculator": _signed,
    ":api-application-list": _park_staff,
    ":api-application-detail": _staff_only,
    ":api-application-dataset": _staff,
    ":api-application-transitions": _people_of_application,
    ":api-application-attachments": _staff_only,
    ":api-application-attachment-detail": _staff_only,
    ":api-call-list": _province,
    ":api-call-transitions": _province,
    ":api-construction-list-list": _province,
    ":api-construction-list-transitions": _province,
    ":api-project-removal": _province,
    ":api-project-incentives": _province,
    ":api-project-report-detail": _staff,
    ":api-project-report-submit": _staff,
    ":api-project-orders": _province,
    ":api-order-transitions": _staff,
    ":api-project-self-assessment": _city,
    ":api-project-self-assessment-submit": _city,
    ":api-project-evidence": _city,
    ":api-project-evidence-detail": _city,
    ":api-project-acceptance-request": _city,
    ":api-evaluation-experts": _province,
    ":api-evaluation-expert-detail": _province,
    ":api-evaluation-review": _assigned_expert,
    ":api-evaluation-decision": _province,
    ":api-evaluation-report": _viewer,
}
# Edit pages whose form itself is refused (403) to whoever may not act.
GET_AS_ACT = {"parks:park-edit"}
# Never POSTed: they sign in or out, or change only the visitor's own language.
NOT_PROBED_WRITES = {":login", ":logout", ":set_language", ":api-token"}


def post_bodies(name: str, method: str) -> list[dict[str, Any]]:
    """What to send to an action URL: each action it takes (a view that reads ``action`` before deciding
    who may act must be asked for a real one), else an empty body."""
    from applications.workflow import TRANSITIONS

    comment = {"comment": "探针", "answer": "探针", "narrative": "探针", "deadline": "2030-12-31"}
    actions = {
        "applications:application-transition": list(TRANSITIONS),
        ":api-application-transitions": list(TRANSITIONS),
        "evaluation:order-detail": ["answer", "close", "return"],
        ":api-order-transitions": ["answer", "close", "return"],
        "evaluation:self-assessment": ["save", "evidence", "submit", "request"],
        "evaluation:report-detail": ["save", "submit"],
        "applications:call-transition": ["open", "close"],
        ":api-call-transitions": ["open", "close"],
        "applications:list-transition": ["notice", "publish"],
        ":api-construction-list-transitions": ["notice", "publish"],
    }.get(name)
    if actions is None or method not in ("post", "put", "patch"):
        return [{}]
    return [{"action": action, **comment} for action in actions]
