"""Reads of exemption claims: a dossier's claims with their evidence, what the park's results count, and
what waits for the city and the province."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parks.models import Role

from ..models import ApplicationStatus, Attachment, AttachmentKind
from .models import OPEN_STATUSES, ExemptionClaim, ExemptionStatus
from .workflow import EXEMPTION

# The applications whose accepted exemptions count: the province approved them (the park is, or is about
# to be, on the construction list). A claim accepted on a dossier the province then rejected counts for nothing.
COUNTING_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.LISTED)


def accepted_exemptions(park_ids: Collection[int]) -> dict[int, dict[str, str]]:
    """{park id: {indicator: reason}} of the exemptions the province accepted on the parks' approved or
    listed applications (the source ``indicators.exemptions`` reads; one query)."""
    rows = (
        ExemptionClaim.objects.filter(
            application__park_id__in=list(park_ids),
            application__status__in=COUNTING_STATUSES,
            status=ExemptionStatus.ACCEPTED,
        )
        .order_by("decided_at", "pk")
        .values_list("application__park_id", "indicator", "reason")
    )
    found: dict[int, dict[str, str]] = {}
    for park_id, indicator, reason in rows:
        found.setdefault(park_id, {})[indicator] = reason
    return found


@dataclass
class ClaimRow:
    """A claim as the dossier page shows it: with its evidence files and the actions the reader may take."""

    claim: ExemptionClaim
    evidence: list[Attachment] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)


def claims_of(application: Any) -> QuerySet[ExemptionClaim]:
    """The application's claims, the latest revision's first, superseded ones last."""
    return application.exemption_claims.select_related("city_by", "decided_by").order_by(
        "-revision_number", "indicator"
    )


def claim_rows(application: Any, user: Any) -> list[ClaimRow]:
    """The claims of the application's latest revision (and the decided ones of before), each with its
    evidence and the reader's actions: two queries."""
    claims = [c for c in claims_of(application) if c.status != ExemptionStatus.WITHDRAWN]
    evidence: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.filter(kind=AttachmentKind.EXEMPTION).order_by("pk"):
        evidence.setdefault(attachment.indicator, []).append(attachment)
    return [
        ClaimRow(claim, evidence.get(claim.indicator, []), exemption_actions_for(user, claim))
        for claim in claims
    ]


def exemption_actions_for(user: Any, claim: ExemptionClaim) -> list[tuple[str, str]]:
    """The (action, button) pairs ``user`` may try on ``claim`` now."""
    return [(t.verb, str(t.button)) for t in EXEMPTION.actions_for(user, claim)]


def claim_get_for_application(application: Any, pk: int) -> ExemptionClaim:
    """One claim of an application the caller already sees (404 otherwise)."""
    return get_object_or_404(claims_of(application), pk=pk)


def claims_waiting(*, user: Any) -> QuerySet[ExemptionClaim]:
    """The claims waiting for ``user``: a city reviewer's opinion on its city's dossiers under its review,
    the province's decision on recommended dossiers; none for anyone else."""
    role = getattr(user, "role", "")
    claims = ExemptionClaim.objects.select_related("application__park__zone__city").filter(
        status__in=OPEN_STATUSES
    )
    if role == Role.CITY_REVIEWER and user.city_id:
        return claims.filter(
            status=ExemptionStatus.DECLARED,
            application__status=ApplicationStatus.SUBMITTED,
            application__park__zone__city_id=user.city_id,
        ).order_by("application__submitted_at", "pk")
    if role == Role.PROVINCE_ADMIN:
        return claims.filter(
            status=ExemptionStatus.CITY_REVIEWED, application__status=ApplicationStatus.RECOMMENDED
        ).order_by("city_at", "pk")
    return claims.none()
