"""The park-year outlook's status as a state machine (zcpark.core.machines): the system moves it when a
push changes the projection against the target. Crossing the target (→ missing, missing → meeting) tells
the park's staff and its city's reviewers; a first projection that meets it, or one that can no longer be
made, tells nobody. A crossing is judged against the last side the projection was on
(``MonthlyOutlook.last_side``), so missing → not projected → meeting is told (``recover``) and missing →
not projected → missing is not (``miss_again``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role
from parks.selectors import recipients_of
from zcpark.core.machines import Machine, Step, Transition
from zcpark.core.models import Notice

from ..models.monthly import MonthlyOutlook, OutlookStatus

UNKNOWN, MEETING, MISSING = OutlookStatus.UNKNOWN, OutlookStatus.MEETING, OutlookStatus.MISSING


def _park_of(outlook: MonthlyOutlook) -> tuple[int, int | None]:
    return outlook.park_id, outlook.park.zone.city_id


_people = recipients_of(Role.PARK_STAFF, Role.CITY_REVIEWER, park=_park_of)


def _title(message: str) -> Any:
    def title(step: Step) -> Notice:
        return Notice(message, park=step.obj.park.name, year=step.obj.year)

    return title


def _body(step: Step) -> None:
    """The notice's body: the projection against the target (when the push gave its outlook)."""
    outlook = step.params.get("outlook")
    if outlook is None:
        return
    step.body = Notice(  # type: ignore[assignment]
        gettext_noop(
            "Core indicator projected at %(value)s tCO2/tce against the target %(target)s "
            "(%(months)s months received)."
        ),
        value=outlook.projection.value if outlook.projection else "",
        target=str(outlook.target),
        months=len(outlook.months),
    )


OUTLOOK = Machine(
    name="monthly_outlook",
    model=MonthlyOutlook,
    audit_prefix="outlook_",
    may=lambda user, obj, role: False,  # only the system moves it
    url=lambda outlook: reverse("evaluation:monthly-park", args=[outlook.park_id, outlook.year]),
    description="月度监测 · Monthly outlook (a park-year's year-end projection against its target)",
    transitions=(
        Transition("meet", (UNKNOWN,), MEETING, gettext_lazy("Projected to meet the target")),
        Transition(
            "miss",
            (UNKNOWN, MEETING),
            MISSING,
            gettext_lazy("Projected to miss the target"),
            writes=(_body,),
            notify=_people,
            title=_title(gettext_noop("%(park)s: the %(year)s year-end projection now misses the target")),
        ),
        # Back on the side it was on before a lapse to UNKNOWN: no crossing, nobody told.
        Transition("miss_again", (UNKNOWN,), MISSING, gettext_lazy("Projected to miss the target again")),
        Transition(
            "recover",
            (MISSING, UNKNOWN),
            MEETING,
            gettext_lazy("Projected to meet the target again"),
            writes=(_body,),
            notify=_people,
            title=_title(gettext_noop("%(park)s: the %(year)s year-end projection meets the target again")),
        ),
        Transition("reset", (MEETING, MISSING), UNKNOWN, gettext_lazy("No longer projected")),
    ),
)


def verb_for(before: str, after: str, last_side: str = "") -> str:
    """The move from ``before`` to ``after`` (they differ); ``last_side`` is the side of the target
    (meeting/missing) the projection was last on, which decides a move out of UNKNOWN: missing after
    missing is ``miss_again`` (silent), meeting after missing is ``recover`` (told)."""
    side = before if before in (MEETING, MISSING) else last_side
    if after == MISSING:
        return "miss_again" if side == MISSING else "miss"
    if after == MEETING:
        return "recover" if side == MISSING else "meet"
    return "reset"
