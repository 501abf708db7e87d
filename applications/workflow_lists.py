"""The workflows of calls and construction lists as tables (``zcpark.core.machines``); the applications'
are in ``workflow``, which re-exports these (``CALL``, ``LIST``, ``LIST_STEPS``).

Read each table with workflow.md's diagram beside it (``manage.py workflow_diagrams`` writes them).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role, User
from parks.permissions import is_province_admin
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import MACHINES, Machine, Step, Transition, transition_apply
from zcpark.core.models import Notice

from .models import ApplicationStatus as S
from .models import Call, CallStatus, ConstructionList, ListStatus
from .signals import list_published
from .workflow_objections import (
    DROP_REASON_REQUIRED,
    answer_dropped_objections,
    check_drop,
    check_objections_answered,
    check_parks_left,
    drop_park,
)

PROVINCE = (Role.PROVINCE_ADMIN,)

# ---- calls ---------------------------------------------------------------------------------------


def _may_manage(user: Any, obj: Any, role: str) -> bool:
    """Calls and lists are the province's: no scope beyond the role."""
    return role == Role.PROVINCE_ADMIN and is_province_admin(user)


def _check_deadline_ahead(step: Step) -> None:
    """The deadline is not past."""
    if step.obj.deadline < timezone.localdate():
        raise ValidationError({"deadline": [_("The deadline has passed; set a later one first.")]})


CALL = Machine(
    name="call",
    model=Call,
    may=_may_manage,
    audit_prefix="call_",
    description="申报批次 · Call for applications",
    transitions=(
        Transition(
            "open",
            (CallStatus.DRAFT,),
            CallStatus.OPEN,
            gettext_lazy("Call opened"),
            gettext_lazy("Open the call"),
            PROVINCE,
            checks=(_check_deadline_ahead,),
            stamps=("opened_at",),
            refusal=gettext_lazy("Only a draft call can be opened."),
        ),
        Transition(
            "close",
            (CallStatus.OPEN,),
            CallStatus.CLOSED,
            gettext_lazy("Call closed"),
            gettext_lazy("Close the call"),
            PROVINCE,
            stamps=("closed_at",),
            refusal=gettext_lazy("Only an open call can be closed."),
        ),
    ),
)


# ---- construction lists --------------------------------------------------------------------------


def _check_notice(step: Step) -> None:
    """An objection deadline not in the past, and parks on the list."""
    deadline = step.params.get("objection_deadline")
    if deadline is None:
        raise ValidationError({"objection_deadline": [_("Set the last day for objections.")]})
    if deadline < timezone.localdate():
        raise ValidationError({"objection_deadline": [_("The objection deadline cannot be in the past.")]})
    if not step.obj.entries.exists():
        raise ApplicationError(_("The list has no parks."))


def _write_objection_deadline(step: Step) -> None:
    """The objection deadline."""
    step.obj.objection_deadline = step.params["objection_deadline"]


def _check_objections_over(step: Step) -> None:
    """The objection period is over."""
    deadline = step.obj.objection_deadline
    if deadline and timezone.localdate() < deadline:
        raise ApplicationError(
            _("The list can be published from %(date)s, the end of the objection period.")
            % {"date": deadline},
            errors={"objection_deadline": [_("Objections are open until %(date)s.") % {"date": deadline}]},
        )


def _list_applications(step: Step) -> None:
    """Publishing puts each entry's application on the list and, through ``list_published``, opens the
    parks' construction projects (the evaluation app's)."""
    # The applications' machine (``workflow``, which imports this module), as the app registered it.
    application_machine = MACHINES["application"]
    entries = step.obj.entries.select_related("application", "application__park")
    for application in sorted((e.application for e in entries), key=lambda a: a.pk):
        if application.status != S.APPROVED:
            raise ApplicationError(
                _("%(park)s is %(status)s, not approved.")
                % {"park": application.park, "status": application.get_status_display()}
            )
        transition_apply(
            application_machine, application, "listed", by=step.by, comment=step.obj.title, system=True
        )
    list_published.send(sender=ConstructionList, by=step.by, construction_list=step.obj)


def _list_parks_staff(construction_list: ConstructionList) -> list[User]:
    """The staff of the listed parks."""
    park_ids = list(construction_list.entries.values_list("park_id", flat=True))
    return list(User.objects.filter(role=Role.PARK_STAFF, park_id__in=park_ids, is_active=True))


def _list_title(construction_list: Any, transition: Transition) -> Notice:
    return Notice(
        gettext_noop("Your park is on the construction list: %(title)s"), title=construction_list.title
    )


LIST = Machine(
    name="construction_list",
    model=ConstructionList,
    may=_may_manage,
    audit_prefix="list_",
    title=_list_title,
    url=lambda construction_list: reverse("applications:public-lists"),
    description="建设名单 · Construction list",
    transitions=(
        Transition(
            "notice",
            (ListStatus.DRAFT,),
            ListStatus.PUBLIC_NOTICE,
            gettext_lazy("Public notice started"),
            gettext_lazy("Start the public notice"),
            PROVINCE,
            checks=(_check_notice,),
            stamps=("noticed_at",),
            writes=(_write_objection_deadline,),
            refusal=gettext_lazy("Only a draft list can go on public notice."),
        ),
        Transition(
            "publish",
            (ListStatus.PUBLIC_NOTICE,),
            ListStatus.PUBLISHED,
            gettext_lazy("List published"),
            gettext_lazy("Publish the list"),
            PROVINCE,
            checks=(_check_objections_over, check_parks_left, check_objections_answered),
            stamps=("published_at",),
            after=(answer_dropped_objections, _list_applications),
            notify=_list_parks_staff,
            refusal=gettext_lazy("Only a list on public notice can be published."),
        ),
        # A park taken off the list before it is published (after an objection, say): the list stays on
        # notice, the application stays approved (``workflow_objections.drop_park``).
        Transition(
            "drop",
            (ListStatus.PUBLIC_NOTICE,),
            ListStatus.PUBLIC_NOTICE,
            gettext_lazy("Park dropped from the public notice"),
            gettext_lazy("Drop the park"),
            PROVINCE,
            checks=(check_drop,),
            after=(drop_park,),
            comment_required=DROP_REASON_REQUIRED,
            refusal=gettext_lazy("A park can be dropped only from a list on public notice."),
        ),
    ),
)

# The list's moves from one state to the next (dropping a park has its own form and endpoint).
LIST_STEPS = tuple(t for t in LIST.transitions if t.verb != "drop")
