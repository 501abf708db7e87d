"""The construction period and acceptance (建设期与验收): what follows a park's listing.

A ``ConstructionProject`` opens for each park when its construction list is published. During the
period the park files an ``AnnualReport`` per year (its dataset, a narrative and each key project's
progress), the province issues ``RectificationOrder``s, and may remove the park from the list. When
the period ends the city files its ``SelfAssessment``; the province then runs an
``AcceptanceEvaluation`` with ``ExpertReview``s and records the decision; the ``AcceptanceReport``
(验收评估报告) is the PDF of it. States and who moves them are in ``evaluation/workflow/``.
Split by concept; everything is re-exported here (``evidence_upload_to`` too: migration 0001 names
it as ``evaluation.models.evidence_upload_to``).
"""

from __future__ import annotations

from .acceptance import Conclusion, Evidence, SelfAssessment, evidence_upload_to
from .city_reports import (
    CITY_REPORT_OPEN_STATUSES,
    CityProgressReport,
    CityReportStatus,
    CityReportSubmission,
    PracticeScene,
    TypicalPractice,
)
from .evaluations import (
    CONFLICT_YEARS,
    AcceptanceEvaluation,
    AcceptanceReport,
    ConflictKind,
    Decision,
    EvaluationStatus,
    ExpertReview,
    ReviewStatus,
)
from .extensions import ExtensionRequest, ExtensionStatus
from .monthly import (
    MonthlyFigure,
    MonthlyOutlook,
    OutlookStatus,
    ProjectionBasis,
    TargetBasis,
)
from .national import ArchiveAudience, ArchiveKind, NationalRecommendation, ParkArchive
from .orders import OPEN_ORDER_STATUSES, Incentive, OrderStatus, RectificationOrder
from .projects import (
    ACTIVE_PROJECT_STATUSES,
    BUILDING_STATUSES,
    EXTENSION_YEARS_MAX,
    ConstructionProject,
    ConstructionProjectQuerySet,
    KeyProject,
    ProjectStatus,
)
from .reports import AnnualReport, ReportProgress, ReportStatus

__all__ = [
    "ACTIVE_PROJECT_STATUSES",
    "BUILDING_STATUSES",
    "CITY_REPORT_OPEN_STATUSES",
    "CONFLICT_YEARS",
    "EXTENSION_YEARS_MAX",
    "OPEN_ORDER_STATUSES",
    "AcceptanceEvaluation",
    "AcceptanceReport",
    "AnnualReport",
    "ArchiveAudience",
    "ArchiveKind",
    "CityProgressReport",
    "CityReportStatus",
    "CityReportSubmission",
    "Conclusion",
    "ConflictKind",
    "ConstructionProject",
    "ConstructionProjectQuerySet",
    "Decision",
    "EvaluationStatus",
    "Evidence",
    "ExpertReview",
    "ExtensionRequest",
    "ExtensionStatus",
    "Incentive",
    "KeyProject",
    "MonthlyFigure",
    "MonthlyOutlook",
    "NationalRecommendation",
    "OrderStatus",
    "OutlookStatus",
    "ParkArchive",
    "PracticeScene",
    "ProjectStatus",
    "ProjectionBasis",
    "RectificationOrder",
    "ReportProgress",
    "ReportStatus",
    "ReviewStatus",
    "SelfAssessment",
    "TargetBasis",
    "TypicalPractice",
    "evidence_upload_to",
]
