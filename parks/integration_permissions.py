"""Who may see and manage integration accounts (machine credentials of a park's 能碳平台).

Park staff manage their own park's; the province manages its own platforms and every park's; a city
reviewer reads its city's parks' accounts (read-only: it neither creates nor revokes). Others see none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from .models import Role
from .permissions import NOTHING, _role

if TYPE_CHECKING:
    from .models import Park


def can_manage_integration_accounts(user: Any, park: Park | None) -> bool:
    """Create and revoke accounts for ``park`` (None: a platform of the province)."""
    role = _role(user)
    if getattr(user, "is_machine", False):
        return False
    if role == Role.PROVINCE_ADMIN:
        return True
    return role == Role.PARK_STAFF and park is not None and park.pk == user.park_id


def can_view_integration_accounts(user: Any) -> bool:
    return not getattr(user, "is_machine", False) and _role(user) in (
        Role.PROVINCE_ADMIN,
        Role.CITY_REVIEWER,
        Role.PARK_STAFF,
    )


def integration_account_visibility(user: Any) -> Q:
    """The accounts ``user`` may see, as a filter."""
    if not can_view_integration_accounts(user):
        return NOTHING
    role = _role(user)
    if role == Role.PROVINCE_ADMIN:
        return Q()
    if role == Role.CITY_REVIEWER:
        return Q(park__zone__city_id=user.city_id)
    return Q(park_id=user.park_id)
