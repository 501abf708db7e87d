"""Reads of construction lists: the province's, the public's, their entries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from parks.permissions import can_view_whole_program

from ..models import (
    ConstructionList,
    ConstructionListEntry,
    ListStatus,
)
from ..permissions import can_view_list


def construction_list_all() -> QuerySet[ConstructionList]:
    return ConstructionList.objects.annotate(
        park_count=Count("entries", filter=Q(entries__removed_on__isnull=True))
    ).order_by("-created_at", "-id")


def construction_list_filter(
    lists: QuerySet[ConstructionList],
    *,
    q: str | None = "",
    status: str | None = "",
    published_from: dt.date | None = None,
    published_to: dt.date | None = None,
) -> QuerySet[ConstructionList]:
    """``lists`` narrowed by the province's filters: a word of the title or the document number, the
    state, the day of publication between two days (both included). Empty values filter nothing."""
    if q and q.strip():
        lists = lists.filter(Q(title__icontains=q.strip()) | Q(document_no__icontains=q.strip()))
    if status:
        lists = lists.filter(status=status)
    if published_from:
        lists = lists.filter(published_at__date__gte=published_from)
    if published_to:
        lists = lists.filter(published_at__date__lte=published_to)
    return lists


def construction_list_visible_to(*, user: Any) -> QuerySet[ConstructionList]:
    """Every list for the province and observers; the others see lists on notice and published ones.
    Entries (with park, zone and city) are prefetched: two queries whatever the number of lists."""
    lists = construction_list_all().prefetch_related(entries_prefetch())
    if can_view_whole_program(user):
        return lists
    return lists.filter(status__in=[ListStatus.PUBLIC_NOTICE, ListStatus.PUBLISHED])


def construction_list_get_for_user(*, user: Any, pk: int) -> ConstructionList:
    construction_list = ConstructionList.objects.filter(pk=pk).first()
    if construction_list is None or not can_view_list(user, construction_list):
        raise Http404
    return construction_list


def entries_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "entries",
        queryset=ConstructionListEntry.objects.select_related(
            "park", "park__zone", "park__zone__city", "application"
        ).order_by("park__zone__city__code", "park__name"),
    )


def public_list_published() -> QuerySet[ConstructionList]:
    """Published lists with their entries (removed ones included, with date and reason): two queries."""
    return (
        ConstructionList.objects.filter(status=ListStatus.PUBLISHED)
        .prefetch_related(entries_prefetch())
        .order_by("-published_at", "-id")
    )


def public_list_on_notice() -> QuerySet[ConstructionList]:
    """Lists on public notice (公示), open to objections, with their entries."""
    return (
        ConstructionList.objects.filter(status=ListStatus.PUBLIC_NOTICE)
        .prefetch_related(entries_prefetch())
        .order_by("objection_deadline", "-id")
    )


def public_list_all() -> QuerySet[ConstructionList]:
    """Lists on public notice (by objection deadline) then published ones (newest first): two queries."""
    on_notice = Q(status=ListStatus.PUBLIC_NOTICE)
    return (
        ConstructionList.objects.filter(on_notice | Q(status=ListStatus.PUBLISHED))
        .annotate(notice_first=Case(When(on_notice, then=Value(0)), default=Value(1)))
        .prefetch_related(entries_prefetch())
        .order_by("notice_first", "-published_at", "objection_deadline", "-id")
    )


def construction_list_entries(
    construction_list: ConstructionList, *, q: str | None = "", city: str | None = ""
) -> QuerySet[ConstructionListEntry]:
    """The list's entries by city and park, with park, zone, city and application joined; ``q`` narrows
    them to a word of the park's or the development zone's name, ``city`` to one city (its code)."""
    entries = construction_list.entries.select_related(
        "park", "park__zone", "park__zone__city", "application"
    ).order_by("park__zone__city__code", "park__name")
    if q and q.strip():
        entries = entries.filter(
            Q(park__name__icontains=q.strip()) | Q(park__zone__name__icontains=q.strip())
        )
    if city:
        entries = entries.filter(park__zone__city__code=city)
    return entries


def public_list_get(*, pk: int) -> ConstructionList:
    """A published list or one on public notice, with its entries; drafts do not exist for the public."""
    for candidates in (public_list_published(), public_list_on_notice()):
        found = candidates.filter(pk=pk).first()
        if found is not None:
            return found
    raise Http404
