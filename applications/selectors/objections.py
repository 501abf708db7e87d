"""Reads of 公示 objections and of the parks dropped from a list on public notice, by scope: the province
and observers read all, a city reviewer its city's parks', park staff their own park's."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from parks.permissions import park_visibility, sees_park

from ..models import Application, ConstructionList, ListDrop, ListObjection, ListStatus, ObjectionStatus


def objection_visible_to(*, user: Any) -> QuerySet[ListObjection]:
    """The objections ``user`` may read (none for experts and the public), park, city and list joined."""
    return (
        ListObjection.objects.filter(park_visibility(user, "park__"))
        .select_related("park", "park__zone", "park__zone__city", "construction_list", "answered_by")
        .order_by("-received_on", "-id")
    )


def objection_get_for_user(*, user: Any, pk: int) -> ListObjection:
    objection = (
        ListObjection.objects.select_related(
            "park", "park__zone", "park__zone__city", "construction_list", "application"
        )
        .filter(pk=pk)
        .first()
    )
    if objection is None or not sees_park(user, objection.park_id, lambda: objection.park.zone.city_id):
        raise Http404
    return objection


def objection_list_for(construction_list: ConstructionList) -> list[ListObjection]:
    """A list's objections, by park then day received."""
    return list(
        construction_list.objections.select_related("park", "answered_by", "recorded_by").order_by(
            "park__name", "received_on", "id"
        )
    )


def objection_list_for_application(application: Application) -> list[ListObjection]:
    return list(
        application.list_objections.select_related("construction_list", "answered_by").order_by(
            "received_on", "id"
        )
    )


def drop_list_for(construction_list: ConstructionList) -> list[ListDrop]:
    return list(
        construction_list.drops.select_related("park", "park__zone", "park__zone__city", "dropped_by")
    )


def drop_list_for_application(application: Application) -> list[ListDrop]:
    return list(application.list_drops.select_related("construction_list", "dropped_by"))


def objections_open_on_notice() -> QuerySet[ListObjection]:
    """Unanswered objections on lists still on public notice: the province's to-do."""
    return (
        ListObjection.objects.filter(
            status=ObjectionStatus.OPEN, construction_list__status=ListStatus.PUBLIC_NOTICE
        )
        .select_related("park", "construction_list")
        .order_by("received_on", "id")
    )


def application_notice_context(application: Application) -> dict[str, Any]:
    """What the application's page shows of its public notices: objections to it and any drop, to everyone
    who may see the application (read-only)."""
    return {
        "notice_objections": objection_list_for_application(application),
        "notice_drops": drop_list_for_application(application),
    }


def list_notice_context(construction_list: ConstructionList) -> dict[str, Any]:
    """The province's list page: the objections (by park, with the count still to answer) and the parks
    dropped from the notice (a draft has neither: no query)."""
    if construction_list.status == ListStatus.DRAFT:
        return {"objections": [], "objections_open": 0, "objections_blocking": False, "drops": []}
    objections = objection_list_for(construction_list)
    drops = drop_list_for(construction_list)
    dropped = {drop.park_id for drop in drops}
    unanswered = [o for o in objections if o.status == ObjectionStatus.OPEN]
    return {
        "objections": objections,
        "objections_open": len(unanswered),
        # publishing waits for the answers to the objections to parks still on the list
        "objections_blocking": any(o.park_id not in dropped for o in unanswered),
        "drops": drops,
    }
