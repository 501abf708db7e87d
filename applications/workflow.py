"""The application workflow as data: every action, the states it leaves from, where it goes and who takes it.

Read this table with workflow.md's diagram beside it; ``services.workflow.application_transition`` is the
only code that moves an application, and it consults nothing but this table, the permission predicates
and the submission gate.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from parks.models import Role

from .models import ApplicationStatus as S
from .models import ReviewStage


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    role: str
    # A written opinion is required (and recorded as a ReviewOpinion of this stage).
    stage: str | None = None
    # The submission gate (every Annex-1 condition) must hold.
    gated: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", (S.DRAFT,), S.SUBMITTED, Role.PARK_STAFF, gated=True),
        Transition("resubmit", (S.RETURNED,), S.SUBMITTED, Role.PARK_STAFF, gated=True),
        Transition("withdraw", (S.DRAFT, S.RETURNED, S.SUBMITTED), S.WITHDRAWN, Role.PARK_STAFF),
        Transition("return", (S.SUBMITTED,), S.RETURNED, Role.CITY_REVIEWER, stage=ReviewStage.CITY),
        Transition("recommend", (S.SUBMITTED,), S.RECOMMENDED, Role.CITY_REVIEWER, stage=ReviewStage.CITY),
        Transition("decline", (S.SUBMITTED,), S.DECLINED, Role.CITY_REVIEWER, stage=ReviewStage.CITY),
        Transition("approve", (S.RECOMMENDED,), S.APPROVED, Role.PROVINCE_ADMIN, stage=ReviewStage.PROVINCE),
        Transition("reject", (S.RECOMMENDED,), S.REJECTED, Role.PROVINCE_ADMIN, stage=ReviewStage.PROVINCE),
    )
}

# Publishing a construction list moves its applications on; no user action does this directly.
LIST_PUBLISHED_ACTION = "listed"

ACTION_LABELS = {
    "application_created": _("Application started"),
    "section_saved": _("Dossier section saved"),
    "dataset_attached": _("Energy year saved"),
    "attachment_added": _("Attachment added"),
    "attachment_removed": _("Attachment removed"),
    "submit": _("Submitted"),
    "resubmit": _("Resubmitted"),
    "withdraw": _("Withdrawn"),
    "return": _("Returned for revision"),
    "recommend": _("Recommended"),
    "decline": _("Declined"),
    "approve": _("Approved"),
    "reject": _("Rejected"),
    LIST_PUBLISHED_ACTION: _("Put on the construction list"),
    "call_created": _("Call created"),
    "call_updated": _("Call changed"),
    "call_open": _("Call opened"),
    "call_close": _("Call closed"),
    "list_created": _("List drafted"),
    "list_updated": _("List changed"),
    "list_notice": _("Public notice started"),
    "list_publish": _("List published"),
}

# Button labels in the review forms (the verb, not the resulting event).
ACTION_VERBS = {
    "submit": _("Submit"),
    "resubmit": _("Resubmit"),
    "withdraw": _("Withdraw"),
    "return": _("Return for revision"),
    "recommend": _("Recommend"),
    "decline": _("Decline"),
    "approve": _("Approve"),
    "reject": _("Reject"),
}
