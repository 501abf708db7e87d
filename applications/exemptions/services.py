"""Exemption claim writes: made from the dossier at each submission, moved by the city and the province
through ``workflow.EXEMPTION``, and the park's results recomputed when what counts changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import ParkDataset, indicator_name
from parks.models import User
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Step, action_unknown_message, transition_apply
from zcpark.core.outbox import task_enqueue_on_commit

from ..models import Application
from ..selectors.applications import declared_exemptions
from .models import OPEN_STATUSES, ExemptionClaim, ExemptionStatus
from .workflow import EXEMPTION, TRANSITIONS


def exemption_claims_write(step: Step) -> None:
    """A submission's claims (the application machine's ``after`` on submit and resubmit): the open claims of
    the revision before give way, and each exemption the targets section asks for becomes a claim of the
    new revision. Decided claims stay as they were decided."""
    application: Application = step.obj
    for claim in application.exemption_claims.filter(status__in=OPEN_STATUSES).order_by("pk"):
        transition_apply(EXEMPTION, claim, "withdraw", by=step.by, system=True)
    decided = set(
        application.exemption_claims.filter(
            status__in=(ExemptionStatus.ACCEPTED, ExemptionStatus.REJECTED)
        ).values_list("indicator", flat=True)
    )
    for indicator, reason in declared_exemptions(application).items():
        if indicator in decided:
            continue
        claim = ExemptionClaim(
            application=application,
            revision_number=application.revision,
            indicator=indicator,
            reason=reason,
        )
        claim.full_clean()
        claim.save()


def exemption_claims_close(step: Step) -> None:
    """The claims still open close with the dossier, which ended undecided.

    The application machine's ``after`` on decline, reject and withdraw: the system's move, audited, so no
    claim waits for an opinion that will never come."""
    for claim in step.obj.exemption_claims.filter(status__in=OPEN_STATUSES).order_by("pk"):
        transition_apply(EXEMPTION, claim, "close", by=step.by, system=True)


def _unmet(application: Application, status: str) -> list[str]:
    return [
        indicator_name(code)
        for code in application.exemption_claims.filter(
            status=status, revision_number=application.revision
        ).values_list("indicator", flat=True)
    ]


def check_city_opinions(step: Step) -> None:
    """The city has given its opinion on every exemption the revision asks for."""
    missing = _unmet(step.obj, ExemptionStatus.DECLARED)
    if missing:
        raise ApplicationError(
            _("Give the city's opinion on each exemption first."),
            errors={
                "exemptions": [_("No opinion yet: %(indicators)s.") % {"indicators": "、".join(missing)}]
            },
        )


def check_province_decisions(step: Step) -> None:
    """The province has accepted or rejected every exemption the revision asks for."""
    missing = _unmet(step.obj, ExemptionStatus.CITY_REVIEWED)
    if missing:
        raise ApplicationError(
            _("Accept or reject each exemption first."),
            errors={
                "exemptions": [_("Not decided yet: %(indicators)s.") % {"indicators": "、".join(missing)}]
            },
        )


def results_recompute_for_park(park_id: int, reason: str) -> None:
    """Recompute every dataset of the park after commit: which exemptions count has changed."""
    for dataset_id in ParkDataset.objects.filter(park_id=park_id).order_by("pk").values_list("pk", flat=True):
        task_enqueue_on_commit("indicators.results_compute", dataset_id, reason)


def exemptions_start_counting(step: Step) -> None:
    """The province approved the dossier: its accepted exemptions now count in the park's results."""
    if step.obj.exemption_claims.filter(status=ExemptionStatus.ACCEPTED).exists():
        results_recompute_for_park(step.obj.park_id, "exemptions accepted")


@transaction.atomic
def exemption_transition(
    *, by: User, claim: ExemptionClaim, action: str, comment: str = ""
) -> ExemptionClaim:
    """The city's opinion (``city_agree``, ``city_disagree``) or the province's decision (``accept``,
    ``reject``) on one claim, with its text: role and scope (403), the claim's and the dossier's state and
    the text (400), then the state, the audit event and the notifications."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": [action_unknown_message(action, EXEMPTION.audit_prefix)]})
    return transition_apply(EXEMPTION, claim, action, by=by, comment=comment)
