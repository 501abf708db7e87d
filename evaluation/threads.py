"""Clarification threads (``zcpark.core.threads``) on an annual report and on a rectification order: one
shared and one internal thread each, open in every state (a question neither returns nor closes)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from parks.permissions import thread_side
from parks.selectors import thread_people
from zcpark.core.models import Notice
from zcpark.core.threads import ThreadTarget, register_thread_target

from .models import AnnualReport, RectificationOrder
from .permissions import can_view_project, project_visibility


def _people(obj: Any, side: str) -> list[Any]:
    park = obj.project.park
    return thread_people(park.pk, park.zone.city_id, side)


def register() -> None:
    register_thread_target(
        ThreadTarget(
            model=AnnualReport,
            visible=lambda user: project_visibility(user, prefix="project__"),
            sees=lambda user, report: can_view_project(user, report.project),
            side=thread_side,
            people=_people,
            url=lambda report, _anchor: (
                reverse("evaluation:report-detail", args=[report.project_id, report.year]) + "#threads"
            ),
            title=lambda report, _anchor: Notice(
                gettext_noop("%(park)s · annual report %(year)s"),
                park=report.project.park.name,
                year=report.year,
            ),
        )
    )
    register_thread_target(
        ThreadTarget(
            model=RectificationOrder,
            visible=lambda user: project_visibility(user, prefix="project__"),
            sees=lambda user, order: can_view_project(user, order.project),
            side=thread_side,
            people=_people,
            url=lambda order, _anchor: reverse("evaluation:order-detail", args=[order.pk]) + "#threads",
            title=lambda order, _anchor: Notice(
                gettext_noop("%(park)s · rectification order: %(title)s"),
                park=order.project.park.name,
                title=order.title,
            ),
        )
    )
