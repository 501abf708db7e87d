"""The workflows of calls, applications and construction lists as tables (``zcpark.core.machines``).

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
from parks.models import Role, User
from parks.permissions import acts_for_park, is_province_admin
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, audit_labels, transition_apply
from zcpark.core.models import Notice

from . import selectors
from .exemptions.services import (
    check_city_opinions,
    check_province_decisions,
    exemption_claims_write,
    exemptions_start_counting,
)
from .models import (
    Application,
    ApplicationRevision,
    Call,
    CallStatus,
    ConstructionList,
    ListStatus,
    ReviewOpinion,
    ReviewStage,
)
from .models import ApplicationStatus as S
from .signals import list_published
from .workflow_objections import (
    DROP_REASON_REQUIRED,
    OBJECTION,
    check_drop,
    check_objections_answered,
    check_parks_left,
    drop_park,
)

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
            **CITY_DECISION,
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
            **CITY_DECISION,
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
    entries = step.obj.entries.select_related("application", "application__park")
    for application in sorted((e.application for e in entries), key=lambda a: a.pk):
        if application.status != S.APPROVED:
            raise ApplicationError(
                _("%(park)s is %(status)s, not approved.")
                % {"park": application.park, "status": application.get_status_display()}
            )
        transition_apply(APPLICATION, application, "listed", by=step.by, comment=step.obj.title, system=True)
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
            after=(_list_applications,),
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
