"""The construction project's machine (workflow.md, "Construction project").

```
in_construction ──order──▶ under_rectification ──last order closed──▶ in_construction
in_construction ──period ends──▶ self_assessment ──city requests acceptance──▶ acceptance_review
acceptance_review ──accept──▶ accepted   ──not accept──▶ in_construction (extension) or removed
self_assessment ──extension approved (the city's request, the province's decision)──▶ in_construction
any active state ──remove──▶ removed
```
A project is opened by a published list (``services.projects_open_for_list``), not by a move.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import ConstructionList, ConstructionListEntry
from parks.models import Role
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import MACHINES, Machine, Step, Transition, transition_apply
from zcpark.core.services import audit_event_record

from .. import selectors
from ..models import (
    ACTIVE_PROJECT_STATUSES,
    AcceptanceEvaluation,
    ConstructionProject,
    EvaluationStatus,
    ExtensionRequest,
    ExtensionStatus,
    SelfAssessment,
)
from ..models import ProjectStatus as P
from .common import annual_reports_plan, lock_project, may_for_project, park_title, today_or
from .evaluations import EVALUATION

CITY, PROVINCE = (Role.CITY_REVIEWER,), (Role.PROVINCE_ADMIN,)


def _park_of(project: ConstructionProject) -> tuple[int, int | None]:
    return project.park_id, project.park.zone.city_id


_park_and_city = recipients_of(Role.PARK_STAFF, Role.CITY_REVIEWER, park=_park_of)
_province_and_park = recipients_of(Role.PROVINCE_ADMIN, Role.PARK_STAFF, park=_park_of)


def _start_self_assessment(step: Step) -> None:
    """The city's self-assessment of the final year is started."""
    SelfAssessment.objects.get_or_create(project=step.obj, assessment_year=step.obj.final_year)


def _check_acceptance_gate(step: Step) -> None:
    """The gate: 一票否决 on the core indicator, no open order, the self-assessment in and concluding
    the park meets the requirements; every unmet condition is listed."""
    unmet = [item.message for item in selectors.acceptance_gate(step.obj) if not item.ok]
    if unmet:
        raise ApplicationError(
            _("Acceptance cannot be requested yet: %(count)s condition(s) are not met.")
            % {"count": len(unmet)},
            errors={"gate": unmet},
        )


def _open_evaluation(step: Step) -> None:
    """The acceptance evaluation of the final year opens; the notification links to it."""
    project = step.obj
    evaluation = AcceptanceEvaluation.objects.create(
        project=project,
        self_assessment=SelfAssessment.objects.get(project=project, assessment_year=project.final_year),
        assessment_year=project.final_year,
        requested_at=step.now,
        requested_by=step.by,
    )
    step.params["evaluation"] = evaluation
    step.url = reverse("evaluation:evaluation-detail", args=[evaluation.pk])


def _write_acceptance(step: Step) -> None:
    """Whether it meets the national scheme (the recommendation itself is the province's later act)."""
    step.obj.national_recommended = bool(step.params.get("national_recommended"))
    step.audit_comment = f"{step.params.get('document_no', '')}: {step.comment}"


def _flag_national(step: Step) -> None:
    """Meeting the national scheme, on the timeline."""
    if step.obj.national_recommended:
        audit_event_record(
            actor=step.by, target=step.obj, action="national_flagged", comment=str(step.obj.final_year)
        )


def _write_extension(step: Step) -> None:
    """The extra years."""
    years = int(step.params.get("extension_years") or 0)
    step.obj.extension_years += years
    step.audit_comment = f"+{years} · {step.comment}"


def _plan_reports(step: Step) -> None:
    """An annual report due for each extra year."""
    annual_reports_plan(step.obj)


def _check_removal(step: Step) -> None:
    """A reason and the removal document's number."""
    errors = {}
    if not step.comment:
        errors["reason"] = [_("Give the reason for the removal.")]
    if not (step.params.get("document_no") or "").strip():
        errors["document_no"] = [_("Give the number of the removal document.")]
    if errors:
        raise ValidationError(errors)


def _remove_from_list(step: Step) -> None:
    """The list entry records the date, reason and document number; the published list's version goes up;
    an evaluation under way ends with the removal."""
    project, reason = step.obj, step.comment
    document_no = step.params["document_no"].strip()
    entry = ConstructionListEntry.objects.select_for_update().get(pk=project.list_entry_id)
    the_list = ConstructionList.objects.select_for_update().get(pk=entry.construction_list_id)
    the_list.version += 1
    the_list.save(update_fields=["version", "updated_at"])
    entry.removed_on, entry.removal_reason = today_or(step.params.get("today")), reason
    entry.removal_document_no, entry.removed_in_version = document_no, the_list.version
    entry.save(
        update_fields=[
            "removed_on",
            "removal_reason",
            "removal_document_no",
            "removed_in_version",
            "updated_at",
        ]
    )
    audit_event_record(
        actor=step.by,
        target=the_list,
        action="list_entry_removed",
        comment=f"{project.park} · {document_no} · {reason}",
    )
    for evaluation in AcceptanceEvaluation.objects.filter(project=project, status=EvaluationStatus.IN_REVIEW):
        transition_apply(
            EVALUATION, evaluation, "ended_by_removal", by=step.by, comment=reason, document_no=document_no
        )
    step.audit_comment = f"{document_no}: {reason}"


def _close_extension_requests(step: Step) -> None:
    """An extension request still waiting lapses with the removal (``extension_request``'s ``lapsed``)."""
    # The extension machine moves projects (it imports this module): read from the registry.
    extension = MACHINES["extension_request"]
    for request in ExtensionRequest.objects.filter(project=step.obj, status=ExtensionStatus.REQUESTED):
        transition_apply(
            extension,
            request,
            "lapsed",
            by=step.by,
            comment=step.comment,
            document_no=step.params["document_no"],
        )


PROJECT = Machine(
    name="construction_project",
    model=ConstructionProject,
    may=may_for_project,
    lock=lock_project,
    title=lambda project, transition: park_title(project, transition.label),
    url=lambda project: reverse("evaluation:project-detail", args=[project.pk]),
    refusal=gettext_lazy("A project that is %(status)s cannot be %(action)s."),
    description="建设期项目 · Construction project",
    transitions=(
        # Moves the system makes: an order issued or the last one closed, the period's end.
        Transition(
            "order_issued",
            (P.IN_CONSTRUCTION,),
            P.UNDER_RECTIFICATION,
            gettext_lazy("Rectification order issued"),
        ),
        Transition(
            "rectified", (P.UNDER_RECTIFICATION,), P.IN_CONSTRUCTION, gettext_lazy("Rectification completed")
        ),
        Transition(
            "period_ended",
            (P.IN_CONSTRUCTION,),
            P.SELF_ASSESSMENT,
            gettext_lazy("Construction period ended"),
            after=(_start_self_assessment,),
            notify=_park_and_city,
        ),
        Transition(
            "acceptance_requested",
            (P.SELF_ASSESSMENT,),
            P.ACCEPTANCE_REVIEW,
            gettext_lazy("Acceptance requested"),
            gettext_lazy("Request acceptance"),
            CITY,
            checks=(_check_acceptance_gate,),
            after=(_open_evaluation,),
            notify=_province_and_park,
            refusal=gettext_lazy(
                "Acceptance can be requested in self-assessment; the project is %(status)s."
            ),
        ),
        # The province's decision on the evaluation moves the project on.
        Transition(
            "accepted",
            (P.ACCEPTANCE_REVIEW,),
            P.ACCEPTED,
            gettext_lazy("Accepted as a provincial zero-carbon park"),
            roles=PROVINCE,
            stamps=("accepted_at",),
            writes=(_write_acceptance,),
            after=(_flag_national,),
            notify=_park_and_city,
        ),
        Transition(
            "extended",
            (P.ACCEPTANCE_REVIEW,),
            P.IN_CONSTRUCTION,
            gettext_lazy("Not accepted: construction extended"),
            roles=PROVINCE,
            writes=(_write_extension,),
            after=(_plan_reports,),
            notify=_park_and_city,
        ),
        # The province approves the city's extension request (``extension_request``'s ``approve``).
        Transition(
            "extension_granted",
            (P.SELF_ASSESSMENT,),
            P.IN_CONSTRUCTION,
            gettext_lazy("Construction period extended on the city's request"),
            writes=(_write_extension,),
            after=(_plan_reports,),
            notify=_park_and_city,
        ),
        Transition(
            "removed",
            ACTIVE_PROJECT_STATUSES,
            P.REMOVED,
            gettext_lazy("Removed from the construction list"),
            gettext_lazy("Remove from the list"),
            PROVINCE,
            checks=(_check_removal,),
            stamps=("removed_at",),
            after=(_remove_from_list, _close_extension_requests),
            notify=_park_and_city,
            refusal=gettext_lazy("A project that is %(status)s cannot be removed."),
        ),
    ),
)
