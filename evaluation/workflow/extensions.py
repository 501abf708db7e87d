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

from parks.models import Role
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, transition_apply
from zcpark.core.models import Notice

from ..models import ConstructionProject, ExtensionRequest
from ..models import ExtensionStatus as X
from ..models import ProjectStatus as P
from .common import extension_years_error, lock_with_project, may_for_record, park_title, record_people
from .projects import PROJECT

PROVINCE = (Role.PROVINCE_ADMIN,)


def years_checked(project: ConstructionProject, years: Any) -> int:
    error = extension_years_error(project, years)
    if error:
        raise ValidationError({"years": [error]})
    return int(years)


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
    may=may_for_record,
    lock=lock_with_project,
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
            notify=record_people(Role.CITY_REVIEWER, Role.PARK_STAFF),
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
            notify=record_people(Role.CITY_REVIEWER, Role.PARK_STAFF),
            title=_titled(gettext_lazy("Extension of %(years)s year(s) rejected")),
            comment_required=gettext_lazy("Give the reason for the rejection."),
        ),
        # The park left the list while the request waited (the project's ``removed``): the system's move.
        Transition(
            "lapsed",
            (X.REQUESTED,),
            X.REJECTED,
            gettext_lazy("Extension request closed by the removal from the list"),
            stamps=("decided_at",),
            writes=(_write_decision,),
        ),
    ),
)
