"""Reads of calls for applications: the lists, one call with its applications by city, the calls open
to a park."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from parks.models import City, Park, Role

from ..models import (
    RECOMMENDED_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
)
from .applications import application_list_visible_to


def call_list() -> QuerySet[Call]:
    """Every call, newest deadline first, with its application count."""
    return Call.objects.annotate(application_count=Count("applications")).order_by("-deadline", "-id")


def call_list_accepting(*, today: date) -> QuerySet[Call]:
    """The calls parks may apply in today."""
    return Call.objects.filter(status=CallStatus.OPEN, deadline__gte=today)


@dataclass(frozen=True)
class CallRow:
    call: Call
    counts: list[tuple[str, str, int]]  # (status, label, count) for the statuses that occur
    total: int


@dataclass(frozen=True)
class CityGroup:
    city: City
    applications: list[Application]
    recommended: int
    quota: int | None

    @property
    def quota_reached(self) -> bool:
        return self.quota is not None and self.recommended >= self.quota


def call_list_visible_to(user: Any) -> QuerySet[Call]:
    """The calls ``user`` may see, newest deadline first: every call for the province; open and closed
    ones for the other roles that take part (a draft call is the province's own)."""
    # call_list annotates a count, and a GROUP BY query drops Meta.ordering: pages need an order.
    calls = call_list().order_by("-deadline", "-id")
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.PROVINCE_ADMIN:
        return calls
    if role in (Role.OBSERVER, Role.PARK_STAFF, Role.CITY_REVIEWER):
        return calls.exclude(status=CallStatus.DRAFT)
    return calls.none()


def call_filter(
    calls: QuerySet[Call],
    *,
    q: str | None = "",
    status: str | None = "",
    deadline_from: date | None = None,
    deadline_to: date | None = None,
) -> QuerySet[Call]:
    """``calls`` narrowed by the calls list's filters: a word of the title, the state, the deadline
    between two days (both included). Empty values filter nothing."""
    if q and q.strip():
        calls = calls.filter(title__icontains=q.strip())
    if status:
        calls = calls.filter(status=status)
    if deadline_from:
        calls = calls.filter(deadline__gte=deadline_from)
    if deadline_to:
        calls = calls.filter(deadline__lte=deadline_to)
    return calls


def call_get_for_user(*, user: Any, pk: int) -> Call:
    """One call ``user`` may see, or 404."""
    call = call_list_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def call_rows(user: Any, calls: QuerySet[Call]) -> list[CallRow]:
    """Each call with the count of the user's visible applications per status (one grouped query)."""
    counts: dict[int, dict[str, int]] = {}
    grouped = (
        application_list_visible_to(user=user)
        .order_by()
        .values_list("call_id", "status")
        .annotate(n=Count("pk"))
    )
    for call_id, status, n in grouped:
        counts.setdefault(call_id, {})[status] = n
    rows = []
    for call in calls:
        found = counts.get(call.pk, {})
        per_status = [
            (value, str(label), found[value]) for value, label in ApplicationStatus.choices if value in found
        ]
        rows.append(CallRow(call=call, counts=per_status, total=sum(found.values())))
    return rows


def city_groups(call: Call, applications: QuerySet[Application]) -> list[CityGroup]:
    """The call's applications by city, with how many recommendations each city has used."""
    ordered = applications.filter(call=call).order_by("park__zone__city__code", "park__name")
    groups = []
    for _city_id, items in groupby(ordered, key=lambda a: a.park.zone.city_id):
        members = list(items)
        groups.append(
            CityGroup(
                city=members[0].park.zone.city,
                applications=members,
                recommended=sum(a.status in RECOMMENDED_STATUSES for a in members),
                quota=call.quota_per_city,
            )
        )
    return groups


# ---- construction lists ----------------------------------------------------------------------


def calls_open_to(park: Park | None, *, today: date) -> Any:
    """The accepting calls ``park`` has no live (non-withdrawn) application in."""
    if park is None:
        return Call.objects.none()
    taken = (
        Application.objects.filter(park=park).exclude(status=ApplicationStatus.WITHDRAWN).values("call_id")
    )
    return call_list_accepting(today=today).exclude(pk__in=taken).order_by("deadline", "id")
