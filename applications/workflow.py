"""The workflows of calls, applications and construction lists as tables (``zcpark.core.machines``); the
calls' and the lists' are in ``workflow_lists``, re-exported here (``CALL``, ``LIST``, ``LIST_STEPS``).

Read each table with workflow.md's diagram beside it (``manage.py workflow_diagrams`` writes them into
``docs/workflows.md`` from these tables). ``transition_apply`` is the only code that moves these objects;
it consults nothing but the table: roles and scope, the checks, the stamps, the writes and the recipients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from indicators.services import indicator_results_compute
from parks.models import Role
from parks.permissions import acts_for_park
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, audit_labels
from zcpark.core.models import Notice

from . import selectors
from .exemptions.services import (
    check_city_opinions,
    check_province_decisions,
    exemption_claims_close,
    exemption_claims_write,
    exemptions_start_counting,
)
from .models import (
    Application,
    ApplicationRevision,
    Call,
    ReviewOpinion,
    ReviewStage,
)
from .models import ApplicationStatus as S
from .workflow_lists import CALL as CALL
from .workflow_lists import LIST as LIST
from .workflow_lists import LIST_STEPS as LIST_STEPS
from .workflow_objections import OBJECTION

CONDITION_MAX_LENGTH = 500
OPINION_REQUIRED = gettext_lazy("Write the opinion that goes with this decision.")

# ---- applications --------------------------------------------------------------------------------


def _may(user: Any, application: Application, role: str) -> bool:
    return acts_for_park(user, role, application.park_id, lambda: application.park.zone.city_id)


def _lock(application: Application) -> Application:
    """The application row, locked for this transaction, with its park, zone, city and call loaded."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("park", "park__zone", "park__zone__city", "call")
        .get(pk=application.pk)
    )


def _compute_missing_results(application: Application) -> None:
    """A result still queued behind a busy worker (missing, or older than its dataset) is computed here,
    so a submission never waits on the worker nor snapshots a stale result."""
    results = selectors.history_results(application)
    for year, dataset in selectors.history_datasets(application).items():
        result = results[year]
        if dataset is not None and (result is None or result.computed_at < dataset.updated_at):
            indicator_results_compute(dataset=dataset, reason="submission")


def _check_gate(step: Step) -> None:
    """The submission gate: every Annex-1 condition, each named."""
    _compute_missing_results(step.obj)
    problems = selectors.submission_problems(step.obj, today=timezone.localdate())
    if problems:
        count = sum(len(items) for items in problems.values())
        raise ApplicationError(
            _("The dossier cannot be submitted yet: %(count)s condition(s) are not met.") % {"count": count},
            errors=problems,
        )


def _check_quota(step: Step) -> None:
    """Serialised on the call row, so two reviewers of one city cannot both take the last place."""
    application = step.obj
    call = Call.objects.select_for_update().get(pk=application.call_id)
    if call.quota_per_city is None:
        return
    used = selectors.recommended_count(
        call=call, city_id=application.park.zone.city_id, exclude_pk=application.pk
    )
    if used >= call.quota_per_city:
        raise ApplicationError(
            _("%(city)s has used all %(quota)s recommendations of this call.")
            % {"city": application.park.zone.city, "quota": call.quota_per_city},
            errors={
                "quota": [
                    _("Quota used: %(used)s of %(quota)s.") % {"used": used, "quota": call.quota_per_city}
                ]
            },
        )


def _check_conditions(step: Step) -> None:
    """The province's conditions of approval: a list of texts (or lines), each not too long."""
    conditions = step.params.get("conditions")
    if conditions in (None, "", []):
        conditions = []
    if isinstance(conditions, str):
        conditions = conditions.splitlines()
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise ValidationError({"conditions": [_("Give the conditions as a list of texts.")]})
    cleaned = [c.strip() for c in conditions if c.strip()]
    for index, condition in enumerate(cleaned):
        if len(condition) > CONDITION_MAX_LENGTH:
            raise ValidationError(
                {f"conditions.{index + 1}": [_("At most %(n)s characters.") % {"n": CONDITION_MAX_LENGTH}]}
            )
    step.params["cleaned_conditions"] = cleaned


def _write_revision(step: Step) -> None:
    """A submission freezes the dossier as a new numbered revision."""
    application = step.obj
    application.revision += 1
    ApplicationRevision.objects.create(
        application=application,
        number=application.revision,
        snapshot=selectors.snapshot_build(application),
        submitted_by=step.by,
    )


def _write_conditions(step: Step) -> None:
    """The province's conditions of approval, kept on the application."""
    conditions = step.params["cleaned_conditions"]
    step.obj.conditions = conditions
    if conditions:
        step.changes["conditions"] = ([], conditions)


def _write_opinion(step: Step) -> None:
    """The reviewer's written opinion, kept with the revision it judged."""
    stage = review_stage(step.transition)
    # Only the decisions (CITY_DECISION: an opinion is required) write one, and each has a stage.
    assert stage is not None
    ReviewOpinion.objects.create(
        application=step.obj,
        revision_number=step.obj.revision,
        stage=stage,
        action=step.transition.verb,
        text=step.comment,
        checklist={str(k): bool(v) for k, v in (step.params.get("checklist") or {}).items()},
        conditions=step.params.get("cleaned_conditions", []),
        author=step.by,
    )


def _park_of(application: Application) -> tuple[int, int | None]:
    return application.park_id, application.park.zone.city_id


_park_staff = recipients_of(Role.PARK_STAFF, park=_park_of)
_city_reviewers = recipients_of(Role.CITY_REVIEWER, park=_park_of)
_province_and_park = recipients_of(Role.PROVINCE_ADMIN, Role.PARK_STAFF, park=_park_of)
_park_and_city = recipients_of(Role.PARK_STAFF, Role.CITY_REVIEWER, park=_park_of)


def _title(application: Any, transition: Transition) -> Notice:
    return Notice(gettext_noop("%(park)s: %(event)s"), park=str(application.park), event=transition.label)


def _url(application: Application) -> str:
    return reverse("applications:application-detail", args=[application.pk])


class _Submission(TypedDict):
    """What a submission and a resubmission share: ``Transition`` keywords."""

    checks: tuple[Callable[[Step], None], ...]
    stamps: tuple[str, ...]
    writes: tuple[Callable[[Step], None], ...]
    after: tuple[Callable[[Step], None], ...]


class _Decision(TypedDict):
    """What every review decision shares: ``Transition`` keywords."""

    comment_required: Promise
    after: tuple[Callable[[Step], None], ...]


PARK, CITY, PROVINCE = (Role.PARK_STAFF,), (Role.CITY_REVIEWER,), (Role.PROVINCE_ADMIN,)
SUBMISSION: _Submission = {
    "checks": (_check_gate,),
    "stamps": ("submitted_at",),
    "writes": (_write_revision,),
    "after": (exemption_claims_write,),
}
CITY_DECISION: _Decision = {"comment_required": OPINION_REQUIRED, "after": (_write_opinion,)}
# A decision that ends the dossier undecided closes its open exemption claims with it.
ENDING_DECISION: _Decision = {
    "comment_required": OPINION_REQUIRED,
    "after": (_write_opinion, exemption_claims_close),
}

APPLICATION = Machine(
    name="application",
    model=Application,
    may=_may,
    lock=_lock,
    title=_title,
    url=_url,
    refusal=gettext_lazy("An application that is %(status)s cannot be %(action)s."),
    description="申报书 · Application",
    transitions=(
        Transition(
            "submit",
            (S.DRAFT,),
            S.SUBMITTED,
            gettext_lazy("Submitted"),
            gettext_lazy("Submit"),
            PARK,
            notify=_city_reviewers,
            **SUBMISSION,
        ),
        Transition(
            "resubmit",
            (S.RETURNED,),
            S.SUBMITTED,
            gettext_lazy("Resubmitted"),
            gettext_lazy("Resubmit"),
            PARK,
            notify=_city_reviewers,
            **SUBMISSION,
        ),
        Transition(
            "withdraw",
            (S.DRAFT, S.RETURNED, S.SUBMITTED),
            S.WITHDRAWN,
            gettext_lazy("Withdrawn"),
            gettext_lazy("Withdraw"),
            PARK,
            notify=_city_reviewers,
            after=(exemption_claims_close,),
        ),
        Transition(
            "return",
            (S.SUBMITTED,),
            S.RETURNED,
            gettext_lazy("Returned for revision"),
            gettext_lazy("Return for revision"),
            CITY,
            notify=_park_staff,
            **CITY_DECISION,
        ),
        Transition(
            "recommend",
            (S.SUBMITTED,),
            S.RECOMMENDED,
            gettext_lazy("Recommended"),
            gettext_lazy("Recommend"),
            CITY,
            checks=(_check_quota, check_city_opinions),
            notify=_province_and_park,
            **CITY_DECISION,
        ),
        Transition(
            "decline",
            (S.SUBMITTED,),
            S.DECLINED,
            gettext_lazy("Declined"),
            gettext_lazy("Decline"),
            CITY,
            stamps=("decided_at",),
            notify=_park_staff,
            **ENDING_DECISION,
        ),
        Transition(
            "approve",
            (S.RECOMMENDED,),
            S.APPROVED,
            gettext_lazy("Approved"),
            gettext_lazy("Approve"),
            PROVINCE,
            checks=(_check_conditions, check_province_decisions),
            stamps=("decided_at",),
            writes=(_write_conditions,),
            notify=_park_and_city,
            comment_required=OPINION_REQUIRED,
            after=(_write_opinion, exemptions_start_counting),
        ),
        Transition(
            "reject",
            (S.RECOMMENDED,),
            S.REJECTED,
            gettext_lazy("Rejected"),
            gettext_lazy("Reject"),
            PROVINCE,
            stamps=("decided_at",),
            notify=_park_and_city,
            **ENDING_DECISION,
        ),
        # Publishing a construction list moves its applications on; no user takes this step.
        Transition(
            "listed",
            (S.APPROVED,),
            S.LISTED,
            gettext_lazy("Put on the construction list"),
            refusal=gettext_lazy("An application that is %(status)s cannot be put on a list."),
        ),
    ),
)

# The actions people take (the system's "listed" aside), by verb.
TRANSITIONS: dict[str, Transition] = {t.verb: t for t in APPLICATION.transitions if t.roles}


def review_stage(transition: Transition) -> str | None:
    """The review stage whose opinion a decision records (None for the park's own steps)."""
    if transition.comment_required is None:
        return None
    return ReviewStage.PROVINCE if Role.PROVINCE_ADMIN in transition.roles else ReviewStage.CITY


# Every event of the timeline: the machines' moves and the edits beside them.
ACTION_LABELS = {
    "application_created": gettext_lazy("Application started"),
    "section_saved": gettext_lazy("Dossier section saved"),
    "dataset_attached": gettext_lazy("Energy year saved"),
    "attachment_added": gettext_lazy("Attachment added"),
    "attachment_removed": gettext_lazy("Attachment removed"),
    "call_created": gettext_lazy("Call created"),
    "call_updated": gettext_lazy("Call changed"),
    "list_created": gettext_lazy("List drafted"),
    "list_updated": gettext_lazy("List changed"),
    "document_issued": gettext_lazy("Official document issued"),
    "document_reissued": gettext_lazy("Official document re-issued with a corrected number"),
    "list_park_dropped": gettext_lazy("Dropped from the list on public notice"),
    "objection_recorded": gettext_lazy("Objection recorded"),
    **audit_labels(APPLICATION, CALL, LIST, OBJECTION),
}

# Button labels in the review forms (the verb, not the resulting event).
ACTION_VERBS = {verb: t.button for verb, t in TRANSITIONS.items()}
