"""Helpers of the 公示 objection tests: a list of two parks on public notice, an objection to one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from applications import services
from applications.models import ConstructionList, ListObjection, ListStatus
from tests.applications.calls_lists_helpers import approved

NOTICE_DAYS = 5


def notice_list(world: Any, *, days: int = NOTICE_DAYS) -> ConstructionList:
    """park_a (南昌) and park_b (赣州) on a list on public notice until ``days`` from today."""
    clist = services.construction_list_create(
        by=world.province,
        title="2026年第一批省级零碳园区建设名单",
        application_ids=[approved(park=world.park_a).pk, approved(park=world.park_b).pk],
    )
    services.construction_list_transition(
        by=world.province,
        construction_list=clist,
        action="notice",
        objection_deadline=timezone.localdate() + dt.timedelta(days=days),
    )
    clist.refresh_from_db()
    assert clist.status == ListStatus.PUBLIC_NOTICE
    return clist


def objection_to(world: Any, clist: ConstructionList, park: Any, **kwargs: Any) -> ListObjection:
    return services.objection_record(
        by=world.province,
        construction_list=clist,
        park_id=park.pk,
        raised_by=kwargs.pop("raised_by", "某环保协会"),
        contact=kwargs.pop("contact", "0791-12345678"),
        received_on=kwargs.pop("received_on", timezone.localdate()),
        text=kwargs.pop("text", "园区四至范围与实际不符。"),
        **kwargs,
    )
