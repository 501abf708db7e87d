"""The review of an exemption claim as a table (``zcpark.core.machines``): the city's opinion during its
review of the dossier, then the province's decision while the dossier is before it.

declared → city_reviewed (the city agrees or disagrees, with its opinion) → granted | refused (the
province, with its decision). A claim still open when the park submits a new revision is superseded by
that revision's claims, and one still open when the dossier is declined, rejected or withdrawn closes with
it (the system's moves). Decided claims never change.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from parks.models import Role
from parks.permissions import acts_for_park
from parks.selectors import recipients_of
from zcpark.core.exceptions import ApplicationError
from zcpark.core.machines import Machine, Step, Transition, audit_labels
from zcpark.core.models import Notice

from ..models import ApplicationStatus
from .models import ExemptionClaim
from .models import ExemptionStatus as E

CITY, PROVINCE = (Role.CITY_REVIEWER,), (Role.PROVINCE_ADMIN,)
CITY_OPINION_REQUIRED = gettext_lazy("Write the city's opinion on this exemption.")
DECISION_REQUIRED = gettext_lazy("Write the reason for the decision on this exemption.")


def _may(user: Any, claim: ExemptionClaim, role: str) -> bool:
    park = claim.application.park
    return acts_for_park(user, role, park.pk, lambda: park.zone.city_id)


def _lock(claim: ExemptionClaim) -> ExemptionClaim:
    return (
        ExemptionClaim.objects.select_for_update(of=("self",))
        .select_related("application__park__zone__city")
        .get(pk=claim.pk)
    )


def _check_stage(status: str, message: Any) -> Any:
    def check(step: Step) -> None:
        application = step.obj.application
        if application.status != status or step.obj.revision_number != application.revision:
            raise ApplicationError(
                str(message) % {"status": application.get_status_display()},
                errors={"action": [_("Not allowed in this state.")]},
            )

    check.__doc__ = f"The dossier is {status}, at the claim's revision."
    return check


_check_city_stage = _check_stage(
    ApplicationStatus.SUBMITTED,
    gettext_lazy("The city gives its opinion while it reviews the dossier; the dossier is %(status)s."),
)
_check_province_stage = _check_stage(
    ApplicationStatus.RECOMMENDED,
    gettext_lazy("The province decides while the dossier is recommended to it; the dossier is %(status)s."),
)


def _city_opinion(agrees: bool) -> Any:
    def write(step: Step) -> None:
        claim = step.obj
        claim.city_agrees, claim.city_opinion, claim.city_by = agrees, step.comment, step.by

    write.__doc__ = "The city's opinion: agrees." if agrees else "The city's opinion: disagrees."
    return write


def _write_decision(step: Step) -> None:
    """The province's decision and its reason."""
    step.obj.province_opinion, step.obj.decided_by = step.comment, step.by


def _park_of(claim: ExemptionClaim) -> tuple[int, int | None]:
    park = claim.application.park
    return park.pk, park.zone.city_id


def _title(claim: Any, transition: Transition) -> Notice:
    return Notice(
        gettext_noop("%(park)s: exemption of %(indicator)s: %(event)s"),
        park=str(claim.application.park),
        indicator=claim.get_indicator_display(),
        event=transition.label,
    )


def _url(claim: ExemptionClaim) -> str:
    return reverse("applications:application-detail", args=[claim.application_id]) + "#exemptions"


_park_staff = recipients_of(Role.PARK_STAFF, park=_park_of)
_park_and_city = recipients_of(Role.PARK_STAFF, Role.CITY_REVIEWER, park=_park_of)

EXEMPTION = Machine(
    name="exemption",
    model=ExemptionClaim,
    may=_may,
    lock=_lock,
    title=_title,
    url=_url,
    audit_prefix="exemption_",
    refusal=gettext_lazy("An exemption that is %(status)s cannot be %(action)s."),
    description="指标豁免 · Indicator exemption",
    transitions=(
        Transition(
            "city_agree",
            (E.DECLARED,),
            E.CITY_REVIEWED,
            gettext_lazy("The city agrees with the exemption"),
            gettext_lazy("Agree"),
            CITY,
            checks=(_check_city_stage,),
            stamps=("city_at",),
            writes=(_city_opinion(True),),
            notify=_park_staff,
            comment_required=CITY_OPINION_REQUIRED,
        ),
        Transition(
            "city_disagree",
            (E.DECLARED,),
            E.CITY_REVIEWED,
            gettext_lazy("The city disagrees with the exemption"),
            gettext_lazy("Disagree"),
            CITY,
            checks=(_check_city_stage,),
            stamps=("city_at",),
            writes=(_city_opinion(False),),
            notify=_park_staff,
            comment_required=CITY_OPINION_REQUIRED,
        ),
        Transition(
            "accept",
            (E.CITY_REVIEWED,),
            E.ACCEPTED,
            gettext_lazy("Exemption accepted"),
            gettext_lazy("Accept the exemption"),
            PROVINCE,
            checks=(_check_province_stage,),
            stamps=("decided_at",),
            writes=(_write_decision,),
            notify=_park_and_city,
            comment_required=DECISION_REQUIRED,
        ),
        Transition(
            "reject",
            (E.CITY_REVIEWED,),
            E.REJECTED,
            gettext_lazy("Exemption rejected"),
            gettext_lazy("Reject the exemption"),
            PROVINCE,
            checks=(_check_province_stage,),
            stamps=("decided_at",),
            writes=(_write_decision,),
            notify=_park_and_city,
            comment_required=DECISION_REQUIRED,
        ),
        # A new revision of the dossier declares its own claims; the open ones of before give way.
        Transition(
            "withdraw",
            (E.DECLARED, E.CITY_REVIEWED),
            E.WITHDRAWN,
            gettext_lazy("Exemption claim replaced by a later revision"),
        ),
        # The dossier was declined, rejected or withdrawn: its open claims close with it, undecided.
        Transition(
            "close",
            (E.DECLARED, E.CITY_REVIEWED),
            E.CLOSED,
            gettext_lazy("Closed with the dossier"),
        ),
    ),
)

TRANSITIONS: dict[str, Transition] = {t.verb: t for t in EXEMPTION.transitions if t.roles}
ACTION_LABELS = audit_labels(EXEMPTION)
