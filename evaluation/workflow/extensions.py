"""The extension request's machine (延期申请): the city requests more years for a project whose period ended
failing the core indicator; the province approves (the project's ``extension_granted``: back under
construction with the extra years and their annual reports) or rejects (the project stays in
self-assessment; removal remains possible). A request is filed by ``services.extension_request_file``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import PERIOD_YEARS_MAX
from parks.models import Role
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, transition_apply
from zcpark.core.models import Notice

from ..models import EXTENSION_YEARS_MAX, ConstructionProject, ExtensionRequest
from ..models import ExtensionStatus as X
from ..models import ProjectStatus as P
from .common import lock_project, may_for_project, park_title
from .projects import PROJECT

PROVINCE = (Role.PROVINCE_ADMIN,)


def extension_room(project: ConstructionProject) -> int:
    """The years a project may still be given: at most EXTENSION_YEARS_MAX in all, and the plan's
    3–5 years (建设周期一般为3~5年) with the extensions included."""
    return max(
        0,
        min(
            EXTENSION_YEARS_MAX - project.extension_years,
            PERIOD_YEARS_MAX - project.period_years - project.extension_years,
        ),
    )


def years_checked(project: ConstructionProject, years: Any) -> int:
    room = extension_room(project)
    if not room:
        raise ValidationError({"years": [_("The period cannot be extended further.")]})
    if not isinstance(years, int) or not 1 <= years <= room:
        raise ValidationError({"years": [_("Extend by 1 to %(n)s year(s).") % {"n": room}]})
    return years


def _lock(request: ExtensionRequest) -> ExtensionRequest:
    """The project first, then the request (every construction-period write locks in that order)."""
    lock_project(request.project_id)
    return (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("project", "project__park", "project__park__zone")
        .get(pk=request.pk)
    )


def _may(user: Any, request: ExtensionRequest, role: str) -> bool:
    return may_for_project(user, request.project, role)


def _people(*roles: str) -> Any:
    return recipients_of(*roles, park=lambda r: (r.project.park_id, r.project.park.zone.city_id))


def _titled(message: Any) -> Any:
    def title(step: Step) -> Notice:
        return park_title(step.obj.project, Notice(message, years=step.obj.years))

    return title


def _check_approval(step: Step) -> None:
    """The project still at the end of its period, and the years still within the plan."""
    project = step.obj.project
    if project.status != P.SELF_ASSESSMENT:
        raise ApplicationError(
            _("A project that is %(status)s cannot be extended.") % {"status": project.get_status_display()},
            errors={"action": [_("Not allowed in this state.")]},
        )
    years_checked(project, step.obj.years)


def _write_decision(step: Step) -> None:
    """Who decided, the opinion and the document number."""
    step.obj.decided_by = step.by
    step.obj.decision_comment = step.comment
    step.obj.decision_document_no = (step.params.get("document_no") or "").strip()


def _extend_project(step: Step) -> None:
    """The project's ``extension_granted``: the extra years, back under construction, new reports due."""
    transition_apply(
        PROJECT,
        step.obj.project,
        "extension_granted",
        by=step.by,
        comment=step.comment,
        locked=True,
        extension_years=step.obj.years,
    )
    step.audit_comment = f"+{step.obj.years} · {step.comment}"


EXTENSION = Machine(
    name="extension_request",
    model=ExtensionRequest,
    may=_may,
    lock=_lock,
    audit_prefix="extension_",
    title=lambda request, transition: park_title(request.project, transition.label),
    url=lambda request: reverse("evaluation:project-extension", args=[request.project_id]),
    refusal=gettext_lazy("An extension request that is %(status)s cannot be %(action)s."),
    description="延期申请 · Extension request",
    transitions=(
        Transition(
            "approve",
            (X.REQUESTED,),
            X.APPROVED,
            gettext_lazy("Extension approved"),
            gettext_lazy("Approve the extension"),
            PROVINCE,
            checks=(_check_approval,),
            stamps=("decided_at",),
            writes=(_write_decision,),
            after=(_extend_project,),
            notify=_people(Role.CITY_REVIEWER, Role.PARK_STAFF),
            title=_titled(gettext_lazy("Extension of %(years)s year(s) approved")),
            comment_required=gettext_lazy("Give the province's opinion."),
        ),
        Transition(
            "reject",
            (X.REQUESTED,),
            X.REJECTED,
            gettext_lazy("Extension rejected"),
            gettext_lazy("Reject the extension"),
            PROVINCE,
            stamps=("decided_at",),
            writes=(_write_decision,),
            notify=_people(Role.CITY_REVIEWER, Role.PARK_STAFF),
            title=_titled(gettext_lazy("Extension of %(years)s year(s) rejected")),
            comment_required=gettext_lazy("Give the reason for the rejection."),
        ),
    ),
)
