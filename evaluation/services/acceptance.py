"""Self-assessment, the acceptance gate, expert review and the province's decision."""

from __future__ import annotations

from datetime import date
from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Field
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from applications.workflow import OPINION_REQUIRED
from indicators.models import ParkDataset
from parks.models import Role, User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import transition_apply
from zcpark.core.models import Notice
from zcpark.core.services import notification_send
from zcpark.core.uploads import upload_check

from .. import selectors
from ..models import (
    AcceptanceEvaluation,
    Conclusion,
    ConflictKind,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    Evidence,
    ExpertReview,
    ProjectStatus,
    ReviewStatus,
    SelfAssessment,
)
from ..permissions import can_review, can_supervise, is_city_reviewer_of
from ..scoring import scores_clean
from ..workflow import EVALUATION, EXPERT_REVIEW, PROJECT
from .acceptance_reports import acceptance_report_schedule
from .common import lock_project, notify, project_move, record, require
from .projects import project_remove

# An evaluation is decided on at least this many submitted expert opinions (and all assigned ones).
SUMMARY_MAX = 20000


def _lock_self_assessment(
    self_assessment: SelfAssessment, by: User | None
) -> tuple[ConstructionProject, SelfAssessment]:
    project = lock_project(self_assessment.project_id)
    require(by is None or is_city_reviewer_of(by, project))
    locked = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    if project.status != ProjectStatus.SELF_ASSESSMENT:
        raise ApplicationError(
            _("The project is %(status)s, not in self-assessment.") % {"status": project.get_status_display()}
        )
    if locked.is_submitted:
        raise ApplicationError(_("The self-assessment has been submitted."))
    return project, locked


@transaction.atomic
def self_assessment_save(
    *,
    by: User | None,
    self_assessment: SelfAssessment,
    conclusion: str | None = None,
    summary: str | None = None,
) -> SelfAssessment:
    """Save the city's draft: its conclusion and the written assessment."""
    _project, locked = _lock_self_assessment(self_assessment, by)
    data: dict[str, Any] = {}
    if conclusion is not None:
        if conclusion not in ("", *Conclusion.values):
            raise ValidationError({"conclusion": [_("Choose a conclusion.")]})
        data["conclusion"] = conclusion
    if summary is not None:
        if len(summary) > SUMMARY_MAX:
            raise ValidationError({"summary": [_("At most %(n)s characters.") % {"n": SUMMARY_MAX}]})
        data["summary"] = summary.strip()
    changed = [name for name, value in data.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, data[name])
    if changed:
        locked.save()
        # ``conclusion`` and ``summary`` are the model's own fields (never a reverse relation).
        labels = [
            str(cast("Field[Any, Any]", SelfAssessment._meta.get_field(name)).verbose_name)
            for name in changed
        ]
        record(by, locked, "self_assessment_saved", comment="、".join(labels))
    return locked


@transaction.atomic
def evidence_add(
    *, by: User | None, self_assessment: SelfAssessment, file: IO[bytes], name: str, title: str = ""
) -> Evidence:
    """Attach a piece of evidence (type checked by extension and content, size limited)."""
    _project, locked = _lock_self_assessment(self_assessment, by)
    checked = upload_check(file, name)
    evidence = Evidence(
        self_assessment=locked,
        title=(title or name)[:200],
        original_name=name[-255:],
        size_bytes=checked.size_bytes,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    evidence.file.save(f"evidence.{checked.extension}", File(file), save=False)
    evidence.full_clean()
    evidence.save()
    record(by, locked, "evidence_added", comment=name)
    return evidence


@transaction.atomic
def evidence_remove(*, by: User | None, evidence: Evidence) -> None:
    _project, locked = _lock_self_assessment(evidence.self_assessment, by)
    storage, path, name = evidence.file.storage, evidence.file.name, evidence.original_name
    assert path is not None  # every stored piece of evidence has its file (``evidence_add`` saves it)
    evidence.delete()
    record(by, locked, "evidence_removed", comment=name)
    transaction.on_commit(lambda: storage.delete(path))


@transaction.atomic
def self_assessment_submit(*, by: User | None, self_assessment: SelfAssessment) -> SelfAssessment:
    """Submit the self-assessment: a conclusion, the assessment, evidence, and the park's dataset for the
    assessment year (from its last annual report)."""
    project, locked = _lock_self_assessment(self_assessment, by)
    problems = selectors.self_assessment_problems(locked)
    if problems:
        raise ApplicationError(
            _("The self-assessment cannot be submitted yet: %(count)s condition(s) are not met.")
            % {"count": len(problems)},
            errors={"__all__": problems},
        )
    locked.dataset = ParkDataset.objects.get(park_id=project.park_id, year=locked.assessment_year)
    locked.submitted_at, locked.submitted_by = timezone.now(), by
    locked.save()
    record(by, locked, "self_assessment_submitted", comment=locked.get_conclusion_display())
    notify(project, (Role.PROVINCE_ADMIN, Role.PARK_STAFF), event=gettext_lazy("Self-assessment submitted"))
    return locked


@transaction.atomic
def acceptance_request(
    *, by: User | None, project: ConstructionProject, comment: str = ""
) -> AcceptanceEvaluation:
    """The city asks the province for acceptance. The gate (一票否决 on the core indicator, no open
    rectification order, the self-assessment in and concluding the park meets the requirements) must hold;
    every unmet condition is listed (``PROJECT``'s ``acceptance_requested``)."""
    requested = transition_apply(PROJECT, project, "acceptance_requested", by=by, comment=comment)
    evaluation = AcceptanceEvaluation.objects.filter(project=requested).order_by("-id").first()
    assert evaluation is not None  # the move's ``after`` step (``_open_evaluation``) has just created it
    return evaluation


def _lock_evaluation(evaluation: AcceptanceEvaluation) -> tuple[ConstructionProject, AcceptanceEvaluation]:
    project = lock_project(evaluation.project_id)
    locked = AcceptanceEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    return project, locked


def _require_in_review(evaluation: AcceptanceEvaluation) -> None:
    if evaluation.status != EvaluationStatus.IN_REVIEW:
        raise ApplicationError(
            _("The evaluation has been decided."), errors={"action": [_("Not allowed in this state.")]}
        )


@transaction.atomic
def experts_assign(
    *, by: User | None, evaluation: AcceptanceEvaluation, experts: list[User]
) -> list[ExpertReview]:
    """Assign review experts (role ``expert``) to an evaluation; each is told and sees only its assignments."""
    require(by is None or can_supervise(by))
    project, locked = _lock_evaluation(evaluation)
    _require_in_review(locked)
    if not experts:
        raise ValidationError({"experts": [_("Choose at least one expert.")]})
    wrong = [str(user) for user in experts if user.role != Role.EXPERT or not user.is_active]
    if wrong:
        raise ValidationError(
            {"experts": [_("Not an active review expert: %(names)s.") % {"names": "、".join(wrong)}]}
        )
    have = set(locked.reviews.values_list("expert_id", flat=True))
    experts = list({user.pk: user for user in experts}.values())
    new = [
        ExpertReview(evaluation=locked, expert=user, assigned_by=by)
        for user in experts
        if user.pk not in have
    ]
    ExpertReview.objects.bulk_create(new)
    if new:
        names = "、".join(user.get_full_name() or user.username for user in experts if user.pk not in have)
        record(by, locked, "experts_assigned", comment=names)
        notification_send(
            recipients=[review.expert for review in new],
            title=Notice(gettext_noop("Acceptance evaluation assigned: %(park)s"), park=str(project.park)),
            url=reverse("evaluation:evaluation-detail", args=[locked.pk]),
        )
        acceptance_report_schedule(locked)
    return new


@transaction.atomic
def experts_assign_bulk(
    *, by: User | None, evaluations: list[AcceptanceEvaluation], experts: list[User]
) -> dict[int, list[ExpertReview]]:
    """Assign the same experts to several evaluations at once, all or nothing: each evaluation goes through
    ``experts_assign`` (its checks, its audit event, its notices) as if assigned on its own page; the first
    refusal undoes the whole batch and names the park whose evaluation blocked it. An expert already on an
    evaluation is left as is there, as on its page. Returns the new reviews by evaluation."""
    require(by is None or can_supervise(by))
    if not evaluations:
        raise ValidationError({"evaluations": [_("Choose at least one evaluation.")]})
    assigned: dict[int, list[ExpertReview]] = {}
    for evaluation in sorted({e.pk: e for e in evaluations}.values(), key=lambda e: e.pk):
        try:
            assigned[evaluation.pk] = experts_assign(by=by, evaluation=evaluation, experts=experts)
        except ApplicationError as exc:
            raise ApplicationError(
                _("%(park)s: %(message)s") % {"park": evaluation.project.park, "message": exc.message},
                errors=exc.errors,
            ) from exc
    return assigned


@transaction.atomic
def expert_unassign(*, by: User | None, review: ExpertReview) -> None:
    """Withdraw an expert who has not yet submitted."""
    require(by is None or can_supervise(by))
    _project, locked = _lock_evaluation(review.evaluation)
    _require_in_review(locked)
    review = ExpertReview.objects.select_for_update().select_related("expert").get(pk=review.pk)
    if review.status == ReviewStatus.SUBMITTED:
        raise ApplicationError(_("A submitted opinion stays on the record."))
    if review.status == ReviewStatus.DECLINED:
        raise ApplicationError(_("A declaration of conflict stays on the record."))
    name = review.expert.get_full_name() or review.expert.username
    review.delete()
    record(by, locked, "expert_unassigned", comment=name)


@transaction.atomic
def expert_conflict_declare(
    *, by: User | None, review: ExpertReview, conflict: str, note: str = ""
) -> ExpertReview:
    """The assigned expert's declaration, before it reads the assignment: no conflict of interest opens the
    review to it (audited); a conflict (same city as the park, involvement with the park in the last
    ``CONFLICT_YEARS`` years, other; described) declines the review (``EXPERT_REVIEW``'s ``declined``): the
    expert no longer sees the evaluation and the province is told to assign another."""
    if conflict not in ConflictKind.values:
        raise ValidationError({"conflict": [_("Say whether you have a conflict of interest.")]})
    if conflict != ConflictKind.NONE:
        return transition_apply(EXPERT_REVIEW, review, "declined", by=by, comment=note, conflict=conflict)
    _project, evaluation = _lock_evaluation(review.evaluation)
    locked = ExpertReview.objects.select_for_update().get(pk=review.pk)
    require(by is None or can_review(by, locked))
    _require_in_review(evaluation)
    if not locked.needs_declaration:
        raise ApplicationError(_("You have declared already."))
    locked.conflict, locked.declared_at = ConflictKind.NONE, timezone.now()
    locked.save(update_fields=["conflict", "declared_at", "updated_at"])
    record(by, locked, "expert_declared")
    return locked


@transaction.atomic
def expert_review_submit(
    *, by: User | None, review: ExpertReview, scores: Any, opinion: str, recommends_acceptance: bool | None
) -> ExpertReview:
    """An assigned expert submits its points per area and its opinion, once; then it may see the others'."""
    project, evaluation = _lock_evaluation(review.evaluation)
    locked = ExpertReview.objects.select_for_update().get(pk=review.pk)
    require(by is None or can_review(by, locked))
    _require_in_review(evaluation)
    if locked.status == ReviewStatus.SUBMITTED:
        raise ApplicationError(_("Your opinion has been submitted."))
    if locked.status == ReviewStatus.DECLINED:
        raise ApplicationError(_("You declined this review for a conflict of interest."))
    if locked.needs_declaration:
        raise ApplicationError(_("Declare your conflicts of interest first."))
    cleaned, total, errors = scores_clean(scores)
    if not (opinion or "").strip():
        errors["opinion"] = [str(_("Write your opinion."))]
    if recommends_acceptance is None:
        errors["recommends_acceptance"] = [str(_("Say whether you recommend acceptance."))]
    if errors:
        raise ValidationError(errors)
    locked.scores, locked.total_score, locked.opinion = cleaned, total, opinion.strip()
    locked.recommends_acceptance = recommends_acceptance
    locked.status, locked.submitted_at = ReviewStatus.SUBMITTED, timezone.now()
    locked.full_clean()
    locked.save()
    # The timeline says who submitted, not the scores: other experts read it too.
    record(by, evaluation, "expert_review_submitted", comment=by.get_full_name() if by else "")
    notify(
        project,
        (Role.PROVINCE_ADMIN,),
        event=gettext_lazy("Expert opinion submitted"),
        url=reverse("evaluation:evaluation-detail", args=[evaluation.pk]),
    )
    acceptance_report_schedule(evaluation)
    return locked


@transaction.atomic
def evaluation_decide(
    *,
    by: User | None,
    evaluation: AcceptanceEvaluation,
    decision: str,
    comment: str,
    document_no: str = "",
    extension_years: int | None = None,
    today: date | None = None,
) -> AcceptanceEvaluation:
    """Record the province's decision (``EVALUATION``): accepted (a provincial zero-carbon park, flagged for
    national recommendation when the assessment-year result passes the national scheme); not accepted with
    an extension (back to construction); or not accepted and removed from the list. The project follows."""
    require(by is None or can_supervise(by))
    if decision not in Decision.values:
        errors = {"decision": [_("Choose a decision.")]}
        if not (comment or "").strip():
            errors["comment"] = [str(OPINION_REQUIRED)]
        raise ValidationError(errors)
    decided: AcceptanceEvaluation = transition_apply(
        EVALUATION,
        evaluation,
        decision,
        by=by,
        comment=comment,
        document_no=document_no,
        extension_years=extension_years,
    )
    project = lock_project(decided.project_id)
    document_no, comment = decided.decision_document_no, decided.decision_comment
    if decision == Decision.ACCEPTED:
        national = bool(decided.national_passed)
        project_move(
            project,
            action="accepted",
            by=by,
            comment=comment,
            document_no=document_no,
            national_recommended=national,
        )
    elif decision == Decision.EXTENDED:
        project_move(project, action="extended", by=by, comment=comment, extension_years=extension_years)
    else:
        project_remove(by=by, project=project, reason=comment, document_no=document_no, today=today)
    acceptance_report_schedule(decided)
    return decided
