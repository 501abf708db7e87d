"""The construction project's workflow as data (workflow.md, "Construction project").

```
in_construction ──order──▶ under_rectification ──close order──▶ in_construction
in_construction ──period ends──▶ self_assessment ──city requests acceptance──▶ acceptance_review
acceptance_review ──accept──▶ accepted   ──not accept──▶ in_construction (extension) or removed
any active state ──remove──▶ removed
```
Rectification orders: ``issued → answered → closed``; ``issued → overdue`` (daily task) → answered;
the province may send an answer back (``answered → issued``) with a new deadline.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ACTIVE_PROJECT_STATUSES, OrderStatus
from .models import ProjectStatus as P

# action: (sources, target). Who may take each is in permissions.py; these are the project's moves.
PROJECT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "order_issued": ((P.IN_CONSTRUCTION,), P.UNDER_RECTIFICATION),
    "rectified": ((P.UNDER_RECTIFICATION,), P.IN_CONSTRUCTION),
    "period_ended": ((P.IN_CONSTRUCTION,), P.SELF_ASSESSMENT),
    "acceptance_requested": ((P.SELF_ASSESSMENT,), P.ACCEPTANCE_REVIEW),
    "accepted": ((P.ACCEPTANCE_REVIEW,), P.ACCEPTED),
    "extended": ((P.ACCEPTANCE_REVIEW,), P.IN_CONSTRUCTION),
    "removed": (ACTIVE_PROJECT_STATUSES, P.REMOVED),
}

ORDER_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "order_answer": ((OrderStatus.ISSUED, OrderStatus.OVERDUE), OrderStatus.ANSWERED),
    "order_close": ((OrderStatus.ANSWERED,), OrderStatus.CLOSED),
    "order_return": ((OrderStatus.ANSWERED,), OrderStatus.ISSUED),
    "order_overdue": ((OrderStatus.ISSUED,), OrderStatus.OVERDUE),
}

ACTION_LABELS = {
    "project_opened": _("Construction started"),
    "order_issued": _("Rectification order issued"),
    "order_answer": _("Rectification answered"),
    "order_close": _("Rectification order closed"),
    "order_return": _("Rectification answer sent back"),
    "order_overdue": _("Rectification order overdue"),
    "rectified": _("Rectification completed"),
    "period_ended": _("Construction period ended"),
    "report_saved": _("Annual report saved"),
    "report_submitted": _("Annual report submitted"),
    "incentive_noted": _("Incentive noted"),
    "self_assessment_saved": _("Self-assessment saved"),
    "self_assessment_submitted": _("Self-assessment submitted"),
    "evidence_added": _("Evidence added"),
    "evidence_removed": _("Evidence removed"),
    "acceptance_requested": _("Acceptance requested"),
    "experts_assigned": _("Experts assigned"),
    "expert_unassigned": _("Expert withdrawn"),
    "expert_review_submitted": _("Expert opinion submitted"),
    "accepted": _("Accepted as a provincial zero-carbon park"),
    "extended": _("Not accepted: construction extended"),
    "removed": _("Removed from the construction list"),
    "national_flagged": _("Flagged for national recommendation"),
}
