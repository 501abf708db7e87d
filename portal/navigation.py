"""Template context every page needs: the navigation the user's role allows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from applications import permissions as application_permissions
from evaluation import permissions as evaluation_permissions
from indicators import permissions as indicator_permissions
from indicators.models import NATIONAL_SCHEME
from indicators.selectors import local_scheme_code, scheme_title
from parks import permissions
from parks.selectors import province_current
from zcpark.core.models import Notification


# The bar's labels are short (English runs about half again as wide as Chinese): "Lists" for the construction
# lists (建设名单), "Projects" for construction (建设项目), "Progress" for the programme's (建设进展); pages keep
# their full titles. tests/browser/test_navbar_fit.py holds the bar to one row at 1200 and 1440 px.
@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    active_prefix: str
    # "" = the main bar; "more" = the "More" menu (administration and reference pages).
    group: str = ""


def navigation_for(user: Any) -> list[NavItem]:
    """The menu entries ``user`` may open, in display order."""
    if not user.is_authenticated:
        return [_public_lists_item(), _public_progress_item(), _practices_item()]
    items = [NavItem(str(_("Home")), reverse("portal:home"), "house", "/home")]
    if application_permissions.can_view_applications(user):
        items.append(
            NavItem(
                str(_("Applications")),
                reverse("applications:application-list"),
                "folder2-open",
                "/applications/",
            )
        )
    if application_permissions.can_view_city_queue(user):
        items.append(
            NavItem(str(_("Review")), reverse("applications:review-city"), "clipboard-check", "/review/")
        )
    elif application_permissions.can_view_province_queue(user):
        items.append(
            NavItem(str(_("Review")), reverse("applications:review-province"), "clipboard-check", "/review/")
        )
    if application_permissions.can_view_calls(user):
        items.append(NavItem(str(_("Calls")), reverse("applications:call-list"), "megaphone", "/calls/"))
    if permissions.can_view_whole_program(user):
        items.append(NavItem(str(_("Lists")), reverse("applications:list-manage"), "list-check", "/lists/"))
    else:
        items.append(_public_lists_item())
    if evaluation_permissions.can_view_projects(user):
        items.append(
            NavItem(str(_("Projects")), reverse("evaluation:project-list"), "cone-striped", "/projects/")
        )
    if evaluation_permissions.can_view_evaluations(user):
        items.append(
            NavItem(str(_("Acceptance")), reverse("evaluation:evaluation-list"), "award", "/evaluations/")
        )
    if permissions.can_view_whole_program(user):
        items.append(
            NavItem(str(_("Dashboard")), reverse("evaluation:dashboard"), "speedometer2", "/dashboard/")
        )
    else:
        items.append(_public_progress_item())
    if permissions.can_view_parks_list(user):
        items.append(NavItem(str(_("Parks")), reverse("parks:park-list"), "buildings", "/parks/"))
    if evaluation_permissions.can_view_city_reports(user):
        items.append(
            NavItem(
                str(_("City reports")),
                reverse("evaluation:city-report-list"),
                "journal-text",
                "/city-reports/",
                "more",
            )
        )
    items.append(_practices_item("more"))

    if evaluation_permissions.can_view_supervision(user):
        # In the "More" menu: the main bar is held to one row (tests/browser/test_navbar_fit.py).
        items.append(
            NavItem(
                str(_("Supervision")),
                reverse("evaluation:supervision-list"),
                "binoculars",
                "/supervision/",
                "more",
            )
        )
    if permissions.can_view_parks_list(user):
        items.append(
            NavItem(
                str(_("Monthly outlook")),
                reverse("evaluation:monthly-list"),
                "graph-up-arrow",
                "/monthly/",
                "more",
            )
        )
    if permissions.can_manage_users(user):
        items.append(NavItem(str(_("Users")), reverse("parks:user-list"), "people", "/users/", "more"))
    if indicator_permissions.can_view_factors(user):
        items.append(
            NavItem(
                str(_("Factors")),
                reverse("indicators:factor-list"),
                "sliders",
                "/indicators/factors/",
                "more",
            )
        )
    if indicator_permissions.can_view_quality_rules(user):
        items.append(
            NavItem(
                str(_("Data-quality rules")),
                reverse("indicators:quality-rule-list"),
                "clipboard-check",
                "/indicators/quality-rules/",
                "more",
            )
        )
    if permissions.can_manage_reference_data(user):
        items.append(
            NavItem(
                str(_("Reference data")), reverse("admin:index"), "database", reverse("admin:index"), "more"
            )
        )
    if user.is_authenticated:
        items.append(
            NavItem(
                str(_("Calculator")),
                reverse("indicators:calculator"),
                "calculator",
                "/indicators/calculator/",
                "more",
            )
        )
        items.append(NavItem(str(_("API docs")), reverse("api-docs"), "braces", "/api/", "more"))
    return items


def _public_lists_item() -> NavItem:
    return NavItem(str(_("Lists")), reverse("applications:public-lists"), "list-check", "/public/")


def _public_progress_item() -> NavItem:
    return NavItem(
        str(_("Progress")),
        reverse("evaluation:public-progress"),
        "graph-up-arrow",
        "/public/progress/",
    )


def _practices_item(group: str = "") -> NavItem:
    """The public library of typical practices (典型场景) of accepted parks."""
    return NavItem(
        str(_("Practices")), reverse("evaluation:practice-library"), "lightbulb", "/public/practices/", group
    )


def portal(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    items = navigation_for(user)
    return {
        "province": SimpleLazyObject(province_current),
        # The schemes by their titles (a page names them, never their codes); read only where a page shows one.
        "local_scheme": SimpleLazyObject(lambda: scheme_title(local_scheme_code())),
        "national_scheme": SimpleLazyObject(lambda: scheme_title(NATIONAL_SCHEME)),
        "portal_title": SimpleLazyObject(lambda: province_current().title),
        "nav_items": [item for item in items if not item.group],
        "nav_more": [item for item in items if item.group == "more"],
        "nav_active": _active_prefix(request.path, items),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "unread_notifications": _unread_count(user),
    }


def _unread_count(user: Any) -> Any:
    """The header bell's number: one indexed COUNT, run only when a page renders it; None when signed out."""
    if not user.is_authenticated:
        return None
    return SimpleLazyObject(lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count())


def _active_prefix(path: str, items: list[NavItem]) -> str:
    """The longest menu prefix the current path starts with (the entry to highlight)."""
    matches = [item.active_prefix for item in items if path.startswith(item.active_prefix)]
    return max(matches, key=len, default="")
