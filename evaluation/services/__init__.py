"""Every write of the construction period and acceptance; each is one transaction with its audit events."""

from .acceptance import (
    acceptance_request,
    evaluation_decide,
    evidence_add,
    evidence_remove,
    expert_conflict_declare,
    expert_review_submit,
    expert_unassign,
    experts_assign,
    self_assessment_save,
    self_assessment_submit,
)
from .acceptance_reports import acceptance_report_export, acceptance_report_render, acceptance_report_schedule
from .annual_reports import (
    annual_report_save,
    annual_report_save_and_preview,
    annual_report_submit,
    annual_reports_remind,
    report_problems,
)
from .national import national_recommend, park_archive_build, park_archive_request, park_archive_retry
from .orders import order_answer, order_close, order_issue, order_return, orders_mark_overdue
from .projects import (
    incentive_add,
    project_remove,
    projects_advance_ended,
    projects_open_for_list,
)
from .supervision import (
    extension_decide,
    extension_request_file,
    order_escalate,
    order_extend_deadline,
    order_remind,
)

__all__ = [
    "acceptance_report_export",
    "acceptance_report_render",
    "acceptance_report_schedule",
    "acceptance_request",
    "annual_report_save",
    "annual_report_save_and_preview",
    "annual_report_submit",
    "annual_reports_remind",
    "evaluation_decide",
    "evidence_add",
    "evidence_remove",
    "expert_conflict_declare",
    "expert_review_submit",
    "expert_unassign",
    "experts_assign",
    "extension_decide",
    "extension_request_file",
    "incentive_add",
    "national_recommend",
    "order_answer",
    "order_close",
    "order_escalate",
    "order_extend_deadline",
    "order_issue",
    "order_remind",
    "order_return",
    "orders_mark_overdue",
    "park_archive_build",
    "park_archive_request",
    "park_archive_retry",
    "project_remove",
    "projects_advance_ended",
    "projects_open_for_list",
    "report_problems",
    "self_assessment_save",
    "self_assessment_submit",
]
