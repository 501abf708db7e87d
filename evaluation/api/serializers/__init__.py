"""Construction and acceptance API: explicit input serializers (plain ``Serializer``) and output serializers.

Outputs read what the views loaded through selectors; parts that need more than the row (trajectory,
gate, problems, the blind review rule) come in the serializer context, computed by the view. Every
number leaves as its exact decimal text ("0.4085", "33.3"), never as a JSON float; every number comes
in through ``DecimalBodyParser`` and is read exactly. Split by concept; everything is re-exported here.
"""

from __future__ import annotations

from .acceptance import (
    AcceptanceRequestInputSerializer,
    EvidenceInputSerializer,
    EvidenceOutputSerializer,
    SelfAssessmentOutputSerializer,
    SelfAssessmentPatchInputSerializer,
)
from .common import (
    DecimalInputField,
    DecimalTextField,
    GateItemOutputSerializer,
    IndicatorValueOutputSerializer,
    ResultOutputSerializer,
)
from .evaluations import (
    AcceptanceReportOutputSerializer,
    DecisionInputSerializer,
    DeclarationInputSerializer,
    DeclarationOutputSerializer,
    EvaluationDetailOutputSerializer,
    EvaluationListOutputSerializer,
    EvaluationSelfAssessmentOutputSerializer,
    ExpertReviewOutputSerializer,
    ExpertsAssignInputSerializer,
    ReviewInputSerializer,
    ScoreAreaOutputSerializer,
)
from .orders import (
    ORDER_ACTIONS,
    OrderDetailOutputSerializer,
    OrderIssueInputSerializer,
    OrderOutputSerializer,
    OrderTransitionInputSerializer,
)
from .projects import (
    AnnualReportOutputSerializer,
    EvaluationSummaryOutputSerializer,
    IncentiveInputSerializer,
    IncentiveOutputSerializer,
    KeyProjectOutputSerializer,
    ProjectDetailOutputSerializer,
    ProjectListOutputSerializer,
    RemovalInputSerializer,
    TrajectoryPointOutputSerializer,
    TrajectoryRowOutputSerializer,
)
from .reports import (
    AnnualReportDetailOutputSerializer,
    AnnualReportPatchInputSerializer,
    ProgressInputSerializer,
    ReportDatasetOutputSerializer,
    ReportProgressOutputSerializer,
)
from .supervision import (
    ExtensionDecisionInputSerializer,
    ExtensionRequestInputSerializer,
    ExtensionRequestOutputSerializer,
    SupervisionRowOutputSerializer,
)

__all__ = [
    "ORDER_ACTIONS",
    "AcceptanceReportOutputSerializer",
    "AcceptanceRequestInputSerializer",
    "AnnualReportDetailOutputSerializer",
    "AnnualReportOutputSerializer",
    "AnnualReportPatchInputSerializer",
    "DecimalInputField",
    "DecimalTextField",
    "DecisionInputSerializer",
    "DeclarationInputSerializer",
    "DeclarationOutputSerializer",
    "EvaluationDetailOutputSerializer",
    "EvaluationListOutputSerializer",
    "EvaluationSelfAssessmentOutputSerializer",
    "EvaluationSummaryOutputSerializer",
    "EvidenceInputSerializer",
    "EvidenceOutputSerializer",
    "ExpertReviewOutputSerializer",
    "ExpertsAssignInputSerializer",
    "ExtensionDecisionInputSerializer",
    "ExtensionRequestInputSerializer",
    "ExtensionRequestOutputSerializer",
    "GateItemOutputSerializer",
    "IncentiveInputSerializer",
    "IncentiveOutputSerializer",
    "IndicatorValueOutputSerializer",
    "KeyProjectOutputSerializer",
    "OrderDetailOutputSerializer",
    "OrderIssueInputSerializer",
    "OrderOutputSerializer",
    "OrderTransitionInputSerializer",
    "ProgressInputSerializer",
    "ProjectDetailOutputSerializer",
    "ProjectListOutputSerializer",
    "RemovalInputSerializer",
    "ReportDatasetOutputSerializer",
    "ReportProgressOutputSerializer",
    "ResultOutputSerializer",
    "ReviewInputSerializer",
    "ScoreAreaOutputSerializer",
    "SelfAssessmentOutputSerializer",
    "SelfAssessmentPatchInputSerializer",
    "SupervisionRowOutputSerializer",
    "TrajectoryPointOutputSerializer",
    "TrajectoryRowOutputSerializer",
]
