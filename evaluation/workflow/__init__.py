"""The machines of the construction period and acceptance, as tables (``zcpark.core.machines``): the
construction project, the rectification order, the acceptance evaluation and the extension request. ``manage.py
workflow_diagrams`` draws them into ``docs/workflows.md``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zcpark.core.machines import audit_labels

from .city_reports import CITY_REPORT
from .evaluations import EVALUATION
from .extensions import EXTENSION
from .orders import ORDER
from .projects import PROJECT
from .reviews import EXPERT_REVIEW

MACHINES = (PROJECT, ORDER, EVALUATION, EXPERT_REVIEW, CITY_REPORT, EXTENSION)

# Every event of the timeline: the machines' moves and the writes beside them.
ACTION_LABELS = {
    "project_opened": _("Construction started"),
    "order_issued": _("Rectification order issued"),
    "report_saved": _("Annual report saved"),
    "report_submitted": _("Annual report submitted"),
    "incentive_noted": _("Incentive noted"),
    "self_assessment_saved": _("Self-assessment saved"),
    "self_assessment_submitted": _("Self-assessment submitted"),
    "evidence_added": _("Evidence added"),
    "evidence_removed": _("Evidence removed"),
    "experts_assigned": _("Experts assigned"),
    "expert_unassigned": _("Expert withdrawn"),
    "expert_review_submitted": _("Expert opinion submitted"),
    "city_report_saved": _("City progress report saved"),
    "practice_added": _("Typical practice added"),
    "practice_removed": _("Typical practice removed"),
    "city_reports_reminded": _("Cities late with progress reports reminded"),
    "national_flagged": _("Meets the national scheme"),
    "national_recommended": _("Recommended to the national zero-carbon park programme"),
    "expert_declared": _("Expert declared no conflict of interest"),
    "list_entry_removed": _("Park removed from the list"),
    "order_reminded": _("Reminded of the overdue rectification"),
    "extension_requested": _("Extension requested"),
    **audit_labels(*MACHINES),
}

# The events whose actor or comment is a review expert: only the province reads who (blind to the park).
NAMED_ACTIONS = (
    "experts_assigned",
    "expert_unassigned",
    "expert_review_submitted",
    "expert_declared",
    "expert_review_declined",
)

__all__ = [
    "ACTION_LABELS",
    "CITY_REPORT",
    "EVALUATION",
    "EXPERT_REVIEW",
    "EXTENSION",
    "MACHINES",
    "NAMED_ACTIONS",
    "ORDER",
    "PROJECT",
]
