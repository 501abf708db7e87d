"""Template context every page needs: the navigation the user's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from indicators import permissions as indicator_permissions
from parks import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active_prefix: str


def navigation_for(user: Any) -> list[NavItem]:
    """The menu entries ``user`` may open, in display order."""
    items = [NavItem(str(_("Home")), reverse("core:home"), "house", "/home")]
    if permissions.can_view_parks_list(user):
        items.append(NavItem(str(_("Parks")), reverse("parks:park-list"), "buildings", "/parks/"))
    if permissions.can_manage_users(user):
        items.append(NavItem(str(_("Users")), reverse("parks:user-list"), "people", "/users/"))
    if indicator_permissions.can_view_factors(user):
        items.append(
            NavItem(str(_("Factors")), reverse("indicators:factor-list"), "sliders", "/indicators/factors/")
        )
    if permissions.can_manage_reference_data(user):
        items.append(NavItem(str(_("Reference data")), reverse("admin:index"), "database", "/admin/"))
    if user.is_authenticated:
        items.append(
            NavItem(
                str(_("Calculator")),
                reverse("indicators:calculator"),
                "calculator",
                "/indicators/calculator/",
            )
        )
        items.append(NavItem(str(_("API docs")), reverse("api-docs"), "braces", "/api/"))
    return items


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = navigation_for(user) if user.is_authenticated else []
    return {
        "portal_title": settings.PORTAL_TITLE,
        "nav_items": items,
        "nav_active": _active_prefix(request.path, items),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def _active_prefix(path: str, items: list[NavItem]) -> str:
    """The longest menu prefix the current path starts with (the entry to highlight)."""
    matches = [item.active_prefix for item in items if path.startswith(item.active_prefix)]
    return max(matches, key=len, default="")
