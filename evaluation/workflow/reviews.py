"""The expert review's machine: an assigned expert declines for a conflict of interest before reading the
assignment (the province is told and assigns another). Declaring no conflict is a write beside it (the
review stays assigned and its content opens); submitting the opinion is ``services.expert_review_submit``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Role
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition

from ..models import ConflictKind, EvaluationStatus, ExpertReview
from ..models import ReviewStatus as R
from .common import lock_project, park_title


def _lock(review: ExpertReview) -> ExpertReview:
    """The project first, then the review (every construction-period write locks in that order)."""
    lock_project(review.evaluation.project_id)
    return (
        ExpertReview.objects.select_for_update(of=("self",))
        .select_related("evaluation", "evaluation__project", "evaluation__project__park__zone")
        .get(pk=review.pk)
    )


def _may(user: Any, review: ExpertReview, role: str) -> bool:
    """Only the assigned expert declares for its review."""
    return (
        role == Role.EXPERT
        and getattr(user, "role", None) == Role.EXPERT
        and getattr(user, "is_active", False)
        and review.expert_id == user.pk
    )


def _check_conflict(step: Step) -> None:
    """A conflict's kind (not "none"), while the evaluation is in review and before the expert has declared
    (a declaration of no conflict is decided: it is never overwritten)."""
    if step.obj.evaluation.status != EvaluationStatus.IN_REVIEW:
        raise ApplicationError(_("The evaluation has been decided."))
    if step.obj.declared_at is not None:
        raise ApplicationError(_("You have declared already."))
    if step.params.get("conflict") not in set(ConflictKind.values) - {ConflictKind.NONE}:
        raise ValidationError({"conflict": [_("Say which conflict of interest you have.")]})


def _write_conflict(step: Step) -> None:
    step.obj.conflict = step.params["conflict"]
    step.obj.conflict_note = step.comment


EXPERT_REVIEW = Machine(
    name="expert_review",
    model=ExpertReview,
    may=_may,
    lock=_lock,
    audit_prefix="expert_review_",
    title=lambda review, transition: park_title(review.evaluation.project, transition.label),
    url=lambda review: reverse("evaluation:evaluation-detail", args=[review.evaluation_id]),
    refusal=gettext_lazy("Your review is %(status)s: it cannot be declined now."),
    description="专家评审 · Expert review",
    transitions=(
        Transition(
            "declined",
            (R.ASSIGNED,),
            R.DECLINED,
            gettext_lazy("Expert declined for a conflict of interest"),
            gettext_lazy("Declare the conflict and decline"),
            (Role.EXPERT,),
            checks=(_check_conflict,),
            stamps=("declared_at",),
            writes=(_write_conflict,),
            notify=recipients_of(
                Role.PROVINCE_ADMIN,
                park=lambda review: (
                    review.evaluation.project.park_id,
                    review.evaluation.project.park.zone.city_id,
                ),
            ),
            comment_required=gettext_lazy("Describe the conflict of interest."),
        ),
    ),
)
