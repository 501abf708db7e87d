"""The official documents of the construction period: the province's 整改通知书 (from a rectification
order) and 验收意见 (from a decided acceptance evaluation). Registered with the applications app's
documents in ready(); the model, the issuing service and the pages' documents section are theirs."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.document_models import DocumentKind
from applications.official import (
    DocumentContent,
    DocumentSpec,
    city_authority,
    managing_body,
    register_document_spec,
    text_lines,
)
from parks.models import Park, Role

from .models import AcceptanceEvaluation, Decision, EvaluationStatus, RectificationOrder


def _order(user: Any, pk: int) -> RectificationOrder:
    from .selectors import order_get_for_user

    return order_get_for_user(user=user, pk=pk)


def _evaluation(user: Any, pk: int) -> AcceptanceEvaluation:
    from .selectors import evaluation_get_for_user

    return evaluation_get_for_user(user=user, pk=pk)[0]


def _park(source: RectificationOrder | AcceptanceEvaluation) -> Park:
    park: Park = source.project.park
    return park


def _order_issued_on(order: RectificationOrder) -> date:
    # An order is recorded when the province issues it: it has a notice from then on, whatever its state.
    return timezone.localdate(order.issued_at)


def _rectification(order: RectificationOrder) -> DocumentContent:
    park = _park(order)
    return DocumentContent(
        title=_("Notice on the rectification of %(park)s within a time limit") % {"park": park.name},
        addressees=managing_body(park) or [park.name],
        paragraphs=[
            _("In supervising the construction of %(park)s, we found the following (%(title)s).")
            % {"park": park.name, "title": order.title},
            *text_lines(order.requirements),
        ],
        closing=_(
            "Complete the rectification and report on it by %(deadline)s. A park that does not rectify "
            "may be removed from the construction list."
        )
        % {"deadline": date_format(order.deadline, "DATE_FORMAT")},
        copies=[city_authority(park.zone.city)],
    )


def _evaluation_decided_on(evaluation: AcceptanceEvaluation) -> date:
    if evaluation.status != EvaluationStatus.DECIDED or evaluation.decided_at is None:
        raise ValidationError(
            _("The acceptance evaluation is not decided: there is no acceptance opinion to issue.")
        )
    return timezone.localdate(evaluation.decided_at)


def _acceptance(evaluation: AcceptanceEvaluation) -> DocumentContent:
    _evaluation_decided_on(evaluation)
    park = _park(evaluation)
    return DocumentContent(
        title=_("Opinion on the acceptance evaluation of %(park)s") % {"park": park.name},
        addressees=[city_authority(park.zone.city)],
        paragraphs=[
            _(
                "Having reviewed the self-assessment of %(park)s for the assessment year %(year)s with experts, "
                "we give our opinion as follows."
            )
            % {"park": park.name, "year": evaluation.assessment_year},
            _("Conclusion: %(decision)s.") % {"decision": Decision(evaluation.decision).label},
            *text_lines(evaluation.decision_comment),
        ],
        copies=managing_body(park),
    )


def documents_register() -> None:
    """Register the 整改通知书 and the 验收意见 with the applications app's documents."""
    register_document_spec(
        DocumentSpec(
            kind=DocumentKind.RECTIFICATION,
            model=RectificationOrder,
            issuer_role=Role.PROVINCE_ADMIN,
            get=_order,
            park=_park,
            decided_on=_order_issued_on,
            content=_rectification,
            timeline_target=lambda order: order,
            page_url=lambda order: reverse("evaluation:order-detail", args=[order.pk]),
            recorded_number=lambda order: order.document_no,
        )
    )
    register_document_spec(
        DocumentSpec(
            kind=DocumentKind.ACCEPTANCE,
            model=AcceptanceEvaluation,
            issuer_role=Role.PROVINCE_ADMIN,
            get=_evaluation,
            park=_park,
            decided_on=_evaluation_decided_on,
            content=_acceptance,
            timeline_target=lambda evaluation: evaluation,
            page_url=lambda evaluation: reverse("evaluation:evaluation-detail", args=[evaluation.pk]),
            recorded_number=lambda evaluation: evaluation.decision_document_no,
        )
    )
