"""Who may see and do what: pure predicates shared by views, the API and templates.

Seeing is scope (an object outside it answers 404); doing is role (a visible object the user may not
act on answers 403). The park scope is written once: ``sees_park`` for one object and
``park_visibility`` as its queryset twin, for any model that reaches a park (applications, projects,
evaluations pass the path to it), so lists and detail pages can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .models import Role

if TYPE_CHECKING:
    from .models import Park

NOTHING = Q(pk__in=[])


def _role(user: Any) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.role


def is_province_admin(user: Any) -> bool:
    return _role(user) == Role.PROVINCE_ADMIN


# The roles that read the whole program (every city); the province also acts on it.
WHOLE_PROGRAM_ROLES = (Role.PROVINCE_ADMIN, Role.OBSERVER)


def park_visibility(user: Any, path: str = "") -> Q:
    """The objects ``user`` may see by their park, as a filter; ``path`` leads to the park ("park__",
    "project__park__"), empty for Park itself."""
    role = _role(user)
    if role in WHOLE_PROGRAM_ROLES:
        return Q()
    if role == Role.CITY_REVIEWER:
        return Q(**{f"{path}zone__city_id": user.city_id})
    if role == Role.PARK_STAFF:
        return Q(**{f"{path}pk": user.park_id})
    # Experts see only what they are assigned (evaluations); anonymous users see public pages only.
    return NOTHING


def sees_park(user: Any, park_id: int | None, city_id: Callable[[], int | None]) -> bool:
    """``park_visibility`` for one object: its park's id, and its city's id read only when needed."""
    role = _role(user)
    if role in WHOLE_PROGRAM_ROLES:
        return True
    if role == Role.CITY_REVIEWER:
        return city_id() == user.city_id
    if role == Role.PARK_STAFF:
        return park_id == user.park_id
    return False


def acts_for_park(user: Any, role: str, park_id: int | None, city_id: Callable[[], int | None]) -> bool:
    """``user`` holds ``role`` and the park is in its scope (the province's covers every park)."""
    return _role(user) == role and sees_park(user, park_id, city_id)


def can_view_park(user: Any, park: Park) -> bool:
    return sees_park(user, park.pk, lambda: park.zone.city_id)


def can_view_whole_program(user: Any) -> bool:
    """The province and observers read the whole program (every city, timelines, list management)."""
    return _role(user) in WHOLE_PROGRAM_ROLES


def can_edit_park_profile(user: Any, park: Park) -> bool:
    """Managing body, contacts and boundary: the park's own staff and the province."""
    return is_province_admin(user) or acts_for_park(user, Role.PARK_STAFF, park.pk, lambda: park.zone.city_id)


def can_edit_park_registration(user: Any, park: Park | None = None) -> bool:
    """Name, zone, scope and park type decide eligibility and thresholds: the province only."""
    return is_province_admin(user)


def can_create_park(user: Any) -> bool:
    return is_province_admin(user)


def can_manage_users(user: Any) -> bool:
    return is_province_admin(user)


def can_manage_account(user: Any, account: Any) -> bool:
    """A province admin manages portal accounts; Django superusers only another superuser may touch."""
    if not can_manage_users(user):
        return False
    return user.is_superuser or not account.is_superuser


def can_manage_reference_data(user: Any) -> bool:
    return is_province_admin(user)


def can_view_parks_list(user: Any) -> bool:
    return _role(user) in (Role.PROVINCE_ADMIN, Role.OBSERVER, Role.CITY_REVIEWER, Role.PARK_STAFF)


def thread_side(user: Any) -> str | None:
    """The side a user takes in clarification threads (``zcpark.core.threads``): the park's staff, the
    reviewers (city and province), or a reader (observers read every thread and write none)."""
    role = _role(user)
    if role == Role.PARK_STAFF:
        return "park"
    if role in (Role.CITY_REVIEWER, Role.PROVINCE_ADMIN):
        return "reviewers"
    if role == Role.OBSERVER:
        return "reader"
    return None
