"""Reads for parks, places and people: querysets already scoped and joined for their pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zcpark.core.models import AuditEvent

from .models import City, DevelopmentZone, Park, Province, Role, User
from .permissions import park_visibility

# The province this deployment runs, kept once read: a row every page would otherwise read again. A save
# or delete of the province replaces it (parks' ready() connects the signals).
_PROVINCE: list[Province] = []


def province_current() -> Province:
    """The province of this portal: the loaded row, or (before load_reference_data) its reference data
    from settings.PROVINCE_DIR, unsaved, so names, scheme and goals are known from the first page."""
    if not _PROVINCE:
        province = Province.objects.order_by("pk").first() or province_from_fixture()
        _PROVINCE.append(province)
    return _PROVINCE[0]


def province_cache_set(province: Province | None = None) -> None:
    """Forget the kept province (or keep ``province``): after a save or delete, and between tests."""
    _PROVINCE.clear()
    if province is not None:
        _PROVINCE.append(province)


def province_document(directory: Path | None = None) -> dict[str, Any]:
    """The province's reference document (``province.json``) in ``directory`` (settings.PROVINCE_DIR)."""
    path = Path(directory or settings.PROVINCE_DIR) / "province.json"
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def province_from_fixture(directory: Path | None = None) -> Province:
    document = province_document(directory)
    return Province(**{name: document[name] for name in PROVINCE_FIELDS})


PROVINCE_FIELDS = (
    "code",
    "name",
    "name_en",
    "authority",
    "authority_en",
    "portal_title",
    "portal_title_en",
    "scheme_code",
    "bounds",
    "goals",
)


def park_people(park_id: int, city_id: int | None, *roles: str) -> list[User]:
    """The active users of ``roles`` concerned with a park: its staff, its city's reviewers, and (any other
    role) everyone who holds it, such as the province. Whom every workflow notifies."""
    scoped: dict[str, Q] = {Role.PARK_STAFF: Q(park_id=park_id), Role.CITY_REVIEWER: Q(city_id=city_id)}
    wanted = Q(pk__in=[])
    for role in roles:
        wanted |= Q(role=role) & scoped.get(role, Q())
    return list(User.objects.filter(wanted, is_active=True, is_machine=False))


def recipients_of(*roles: str, park: Callable[[Any], tuple[int, int | None]]) -> Callable[[Any], list[User]]:
    """A state machine's recipients: the ``park_people`` of ``roles`` for the object's (park id, city id);
    ``recipients.roles`` names them for the generated workflow docs."""

    def recipients(obj: Any) -> list[User]:
        return park_people(*park(obj), *roles)

    recipients.roles = roles  # type: ignore[attr-defined]
    return recipients


def park_list_visible_to(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Park]:
    """The parks ``user`` may see, with zone and city joined (one query for any page size)."""
    qs = Park.objects.with_places().filter(park_visibility(user))
    filters = filters or {}
    if filters.get("city"):
        qs = qs.filter(zone__city__code=filters["city"])
    if filters.get("park_type"):
        qs = qs.filter(park_type=filters["park_type"])
    if filters.get("scope"):
        qs = qs.filter(scope=filters["scope"])
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(name__icontains=term) | Q(zone__name__icontains=term) | Q(managing_body__icontains=term)
        )
    return qs


def park_get_visible_to(*, user: Any, pk: int) -> Park:
    """One park ``user`` may see, or Http404 (the same answer as for a park that does not exist)."""
    try:
        return park_list_visible_to(user=user).get(pk=pk)
    except Park.DoesNotExist as exc:
        raise Http404 from exc


def park_events(*, park: Park, limit: int = 50) -> QuerySet[AuditEvent]:
    """The park's audit timeline, newest first."""
    return AuditEvent.objects.for_object(park)[:limit]


def city_list() -> QuerySet[City]:
    return City.objects.annotate(
        zone_count=Count("zones", distinct=True), park_count=Count("zones__parks", distinct=True)
    ).order_by("code")


def zone_list(*, city: City | None = None) -> QuerySet[DevelopmentZone]:
    qs = DevelopmentZone.objects.select_related("city")
    return qs.filter(city=city) if city else qs


def user_list(*, by: Any, role: str = "", city_code: str = "", q: str = "") -> QuerySet[User]:
    """Portal users ``by`` may manage, with their scope joined (superusers only for superusers). Service
    users of integration platforms are managed on the integration accounts page instead."""
    qs = (
        User.objects.select_related("park", "park__zone", "city")
        .filter(is_machine=False)
        .order_by("role", "username")
    )
    if not by.is_superuser:
        qs = qs.filter(is_superuser=False)
    if role:
        qs = qs.filter(role=role)
    if city_code:
        qs = qs.filter(Q(city__code=city_code) | Q(park__zone__city__code=city_code))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    return qs


def user_get_manageable(*, by: Any, pk: int) -> User:
    """An account ``by`` may manage, or Http404 (a superuser is invisible to other managers)."""
    try:
        return user_list(by=by).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows a user: its scope and counts within it."""

    role: str
    park: Park | None = None
    city: City | None = None
    park_count: int = 0
    zone_count: int = 0
    user_count: int = 0
    parks_by_city: list[City] = field(default_factory=list)
    recent_events: list[AuditEvent] = field(default_factory=list)


def home_summary(*, user: Any) -> HomeSummary:
    """The counts and objects each role's home page shows, within the user's scope."""
    role = user.role
    if role == Role.PARK_STAFF:
        park = Park.objects.with_places().get(pk=user.park_id)
        return HomeSummary(role=role, park=park, recent_events=list(park_events(park=park, limit=5)))
    if role == Role.CITY_REVIEWER:
        city = City.objects.get(pk=user.city_id)
        return HomeSummary(
            role=role,
            city=city,
            park_count=Park.objects.in_city(city.pk).count(),
            zone_count=DevelopmentZone.objects.filter(city=city).count(),
        )
    if role in (Role.PROVINCE_ADMIN, Role.OBSERVER):
        return HomeSummary(
            role=role,
            park_count=Park.objects.count(),
            zone_count=DevelopmentZone.objects.count(),
            user_count=(
                User.objects.filter(is_active=True, is_machine=False).count()
                if role == Role.PROVINCE_ADMIN
                else 0
            ),
            parks_by_city=list(city_list()),
        )
    return HomeSummary(role=role)


def thread_people(park_id: int, city_id: int | None, side: str) -> list[User]:
    """The people of a side of a park's clarification threads: its staff, or its reviewers (its city's and
    the province)."""
    if side == "park":
        return park_people(park_id, city_id, Role.PARK_STAFF)
    return park_people(park_id, city_id, Role.CITY_REVIEWER, Role.PROVINCE_ADMIN)
