"""Clarification threads (``zcpark.core.threads``) on an annual report and on a rectification order: one
shared and one internal thread each, open in every state (a question neither returns nor closes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
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


def _project_target(
    model: type[models.Model], url: Callable[[Any], str], title: Callable[[Any], Notice]
) -> ThreadTarget:
    """A thread target on an object of a project (an annual report, an order): seen, written and told
    as its project is."""
    return ThreadTarget(
        model=model,
        visible=lambda user: project_visibility(user, prefix="project__"),
        sees=lambda user, obj: can_view_project(user, obj.project),
        side=thread_side,
        people=_people,
        url=lambda obj, _anchor: url(obj) + "#threads",
        title=lambda obj, _anchor: title(obj),
        related=("project__park",),
    )


def register() -> None:
    register_thread_target(
        _project_target(
            AnnualReport,
            url=lambda report: reverse("evaluation:report-detail", args=[report.project_id, report.year]),
            title=lambda report: Notice(
                gettext_noop("%(park)s · annual report %(year)s"),
                park=report.project.park.name,
                year=report.year,
            ),
        )
    )
    register_thread_target(
        _project_target(
            RectificationOrder,
            url=lambda order: reverse("evaluation:order-detail", args=[order.pk]),
            title=lambda order: Notice(
                gettext_noop("%(park)s · rectification order: %(title)s"),
                park=order.project.park.name,
                title=order.title,
            ),
        )
    )
