"""Who may see and do what: pure predicates shared by views, the API and templates.

Seeing is scope (an object outside it answers 404); doing is role (a visible object the user may not
act on answers 403). ``park_visibility`` is the same rule as a queryset filter, so lists and
detail pages can never disagree with ``can_view_park``.
"""

from __future__ import annotations

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


def park_visibility(user: Any) -> Q:
    """The parks ``user`` may see, as a filter on Park."""
    role = _role(user)
    if role in (Role.PROVINCE_ADMIN, Role.OBSERVER):
        return Q()
    if role == Role.CITY_REVIEWER:
        return Q(zone__city_id=user.city_id)
    if role == Role.PARK_STAFF:
        return Q(pk=user.park_id)
    # Experts see only what they are assigned (evaluations); anonymous users see public pages only.
    return NOTHING


def can_view_park(user: Any, park: Park) -> bool:
    role = _role(user)
    if role in (Role.PROVINCE_ADMIN, Role.OBSERVER):
        return True
    if role == Role.CITY_REVIEWER:
        return park.zone.city_id == user.city_id
    if role == Role.PARK_STAFF:
        return park.pk == user.park_id
    return False


def can_edit_park_profile(user: Any, park: Park) -> bool:
    """Managing body, contacts and boundary: the park's own staff and the province."""
    role = _role(user)
    return role == Role.PROVINCE_ADMIN or (role == Role.PARK_STAFF and park.pk == user.park_id)


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
