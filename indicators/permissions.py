"""Who may change reference factors and schemes, and who may enter a park's yearly data.

Built on parks.permissions, so scope (which parks a user sees) has one definition.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parks.models import Role
from parks.permissions import acts_for_park, can_view_park, is_province_admin

if TYPE_CHECKING:
    from parks.models import Park

    from .models import ParkDataset


def can_view_factors(user: Any) -> bool:
    """The factor-set and scheme pages: the province, and observers read-only (nothing confidential)."""
    return is_province_admin(user) or (
        getattr(user, "is_authenticated", False) and user.role == Role.OBSERVER
    )


def can_manage_factors(user: Any) -> bool:
    """New factor-set and scheme versions: the province only."""
    return is_province_admin(user)


def can_edit_park_dataset(user: Any, park: Park) -> bool:
    """A park's yearly data: that park's own staff and the province."""
    return is_province_admin(user) or acts_for_park(user, Role.PARK_STAFF, park.pk, lambda: park.zone.city_id)


def can_view_park_dataset(user: Any, dataset: ParkDataset) -> bool:
    """A dataset and its results are visible wherever its park is."""
    return can_view_park(user, dataset.park)


def can_view_quality_rules(user: Any) -> bool:
    """The data-quality rules page: the province, observers and city reviewers (read-only)."""
    return can_view_factors(user) or (
        getattr(user, "is_authenticated", False) and user.role == Role.CITY_REVIEWER
    )


def can_manage_quality_rules(user: Any) -> bool:
    """Changing a data-quality rule (on/off, severity, threshold): the province only."""
    return is_province_admin(user)
