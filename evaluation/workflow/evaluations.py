"""The acceptance evaluation's machine: in expert review until the province decides.

The decision is the verb: ``accepted``, ``extended`` or ``removed`` (each moves the project on, which the
deciding service does next), or ``ended_by_removal`` when the park leaves the list while under review.
An evaluation is opened by the city's request for acceptance (the project's ``acceptance_requested``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.workflow import OPINION_REQUIRED
from parks.models import Role
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition

from .. import selectors
from ..models import AcceptanceEvaluation, Decision
from ..models import EvaluationStatus as E
from .common import extension_years_error, lock_project, may_for_project, park_title

MIN_EXPERT_REVIEWS = 2
PROVINCE = (Role.PROVINCE_ADMIN,)


def _lock(evaluation: AcceptanceEvaluation) -> AcceptanceEvaluation:
    """The project first, then the evaluation (every construction-period write locks in that order)."""
    lock_project(evaluation.project_id)
    return AcceptanceEvaluation.objects.select_for_update().select_related("project").get(pk=evaluation.pk)


def _may(user: object, evaluation: AcceptanceEvaluation, role: str) -> bool:
    return may_for_project(user, evaluation.project, role)


def _check_decision(step: Step) -> None:
    """The decision's own fields: an opinion, the decision document, the years of an extension."""
    decision, project = step.transition.verb, step.obj.project
    errors: dict[str, list[str]] = {}
    if not step.comment:
        errors["comment"] = [str(OPINION_REQUIRED)]
    if (
        decision in (Decision.ACCEPTED, Decision.REMOVED)
        and not (step.params.get("document_no") or "").strip()
    ):
        errors["document_no"] = [_("Give the number of the decision document.")]
    # The one rule of an extension's years, as the city's request has it (``extension_room``).
    error = extension_years_error(project, step.params.get("extension_years"))
    if decision == Decision.EXTENDED and error:
        errors["extension_years"] = [error]
    if errors:
        raise ValidationError(errors)


def _check_opinions(step: Step) -> None:
    """At least two expert opinions, none outstanding; to accept, the core indicator passes."""
    # An expert who declined for a conflict of interest is off the evaluation.
    reviews = selectors.reviews_active(list(step.obj.reviews.all()))
    submitted = selectors.reviews_submitted(reviews)
    unmet = []
    if len(submitted) < MIN_EXPERT_REVIEWS:
        unmet.append(
            _("At least %(n)s expert opinions are needed; %(have)s submitted.")
            % {"n": MIN_EXPERT_REVIEWS, "have": len(submitted)}
        )
    if len(submitted) < len(reviews):
        unmet.append(_("%(n)s assigned expert(s) have not submitted.") % {"n": len(reviews) - len(submitted)})
    results = selectors.assessment_results(step.obj.project)
    if step.transition.verb == Decision.ACCEPTED:
        if not (results.local and results.local.core_passed):
            unmet.append(
                _("The core indicator does not pass for %(year)s.") % {"year": step.obj.project.final_year}
            )
        step.params["national_passed"] = bool(results.national and results.national.core_passed)
    if unmet:
        raise ApplicationError(_("The decision cannot be recorded yet."), errors={"__all__": unmet})


def _write_decision(step: Step) -> None:
    """The decision, its opinion and document, who decided; the national result when accepting."""
    evaluation = step.obj
    evaluation.decision = (
        Decision.REMOVED if step.transition.verb == "ended_by_removal" else step.transition.verb
    )
    evaluation.decision_comment = step.comment
    evaluation.decision_document_no = (step.params.get("document_no") or "").strip()
    evaluation.decided_by = step.by
    if "national_passed" in step.params:
        evaluation.national_passed = step.params["national_passed"]


class _DecisionMove(TypedDict):
    """What the three decisions share, as ``Transition`` keyword arguments."""

    roles: tuple[str, ...]
    checks: tuple[Callable[[Step], None], ...]
    stamps: tuple[str, ...]
    writes: tuple[Callable[[Step], None], ...]


DECISION: _DecisionMove = {
    "roles": PROVINCE,
    "checks": (_check_decision, _check_opinions),
    "stamps": ("decided_at",),
    "writes": (_write_decision,),
}

EVALUATION = Machine(
    name="acceptance_evaluation",
    model=AcceptanceEvaluation,
    may=_may,
    lock=_lock,
    title=lambda evaluation, transition: park_title(evaluation.project, transition.label),
    url=lambda evaluation: reverse("evaluation:evaluation-detail", args=[evaluation.pk]),
    refusal=gettext_lazy("The evaluation has been decided."),
    description="评估验收 · Acceptance evaluation",
    transitions=(
        Transition(
            "accepted",
            (E.IN_REVIEW,),
            E.DECIDED,
            gettext_lazy("Accepted as a provincial zero-carbon park"),
            gettext_lazy("Accept"),
            **DECISION,
        ),
        Transition(
            "extended",
            (E.IN_REVIEW,),
            E.DECIDED,
            gettext_lazy("Not accepted: construction extended"),
            gettext_lazy("Extend the construction"),
            **DECISION,
        ),
        Transition(
            "removed",
            (E.IN_REVIEW,),
            E.DECIDED,
            gettext_lazy("Removed from the construction list"),
            gettext_lazy("Remove from the list"),
            **DECISION,
        ),
        # The park left the list while under review (the project's ``removed``): the system's move.
        Transition(
            "ended_by_removal",
            (E.IN_REVIEW,),
            E.DECIDED,
            gettext_lazy("Ended by the removal from the list"),
            stamps=("decided_at",),
            writes=(_write_decision,),
        ),
    ),
)
