"""Construction and acceptance API: explicit input serializers (plain ``Serializer``) and output serializers.

Outputs read what the views loaded through selectors; parts that need more than the row (trajectory,
gate, problems, the blind review rule) come in the serializer context, computed by the view. Every
number leaves as its exact decimal text ("0.4085", "33.3"), never as a JSON float; every number comes
in through ``DecimalBodyParser`` and is read exactly.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from applications.api.serializers import ActionOutputSerializer, choice_value
from indicators.engine.dataset import to_decimal
from parks.models import User

from ..models import (
    AcceptanceEvaluation,
    AcceptanceReport,
    AnnualReport,
    Conclusion,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    Evidence,
    ExpertReview,
    Incentive,
    KeyProject,
    OrderStatus,
    ProjectStatus,
    RectificationOrder,
    RenderStatus,
    ReportStatus,
    ReviewStatus,
    SelfAssessment,
)
from ..permissions import can_see_scores

# ---- shared --------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "decimal", "example": "0.4085"})
class DecimalTextField(serializers.Field):
    """A number as its exact decimal text, as stored ("0.4085" stays "0.4085"); null when not a number."""

    def to_representation(self, value: Any) -> str | None:
        number = to_decimal(value)
        return format(number, "f") if isinstance(number, Decimal) else None


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "decimal", "example": "33.3"}, {"type": "number"}]}
)
class DecimalInputField(serializers.Field):
    """A number given as text ("33.3") or as a JSON number (read exactly, never through float).

    The value goes to the service unchanged: the service checks its range and precision, so that its
    message (naming the key project or area) is the one the caller sees.
    """

    default_error_messages = {"invalid": _("Enter a number.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | Decimal):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return str(value)


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _full_name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class GateItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="core, orders, self_assessment or conclusion")
    ok = serializers.BooleanField()
    message = serializers.CharField()


class IndicatorValueOutputSerializer(serializers.Serializer):
    value = DecimalTextField(allow_null=True)
    status = serializers.CharField(allow_null=True)


class ResultOutputSerializer(serializers.Serializer):
    """A stored indicator result of the assessment year, in short (the numbers as the engine wrote them)."""

    scheme = serializers.CharField(source="scheme_code")
    ok = serializers.BooleanField()
    core_passed = serializers.BooleanField(allow_null=True)
    computed_at = serializers.DateTimeField()
    indicators = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=IndicatorValueOutputSerializer()))
    def get_indicators(self, obj: Any) -> Any:
        items = (obj.summary or {}).get("indicators") or {}
        return {code: IndicatorValueOutputSerializer(item).data for code, item in items.items()}


# ---- projects ------------------------------------------------------------------------------------


class ProjectListOutputSerializer(serializers.ModelSerializer):
    """A construction project as lists show it (park, zone and city joined by the selector)."""

    park_name = serializers.CharField(source="park.name")
    zone_name = serializers.CharField(source="park.zone.name")
    city = serializers.CharField(source="park.zone.city.code", help_text="GB/T 2260 code")
    city_name = serializers.CharField(source="park.zone.city.name")
    status = choice_value(ProjectStatus)
    status_label = serializers.CharField(source="get_status_display")
    end_year = serializers.IntegerField(help_text="The period's last year as planned (2025 + period).")
    final_year = serializers.IntegerField(help_text="The last year with extensions: the assessment year.")
    open_orders = serializers.IntegerField(
        source="open_orders_count", help_text="Rectification orders not yet closed."
    )
    url = serializers.HyperlinkedIdentityField(view_name="api-project-detail")

    class Meta:
        model = ConstructionProject
        fields = [
            "id",
            "park",
            "park_name",
            "zone_name",
            "city",
            "city_name",
            "application",
            "status",
            "status_label",
            "period_years",
            "extension_years",
            "end_year",
            "final_year",
            "opened_at",
            "accepted_at",
            "removed_at",
            "national_recommended",
            "open_orders",
            "url",
        ]
        read_only_fields = fields


class KeyProjectOutputSerializer(serializers.ModelSerializer):
    progress_pct = serializers.DecimalField(
        max_digits=5, decimal_places=1, help_text="The latest progress an annual report gave (%)."
    )

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "position",
            "name",
            "implementing_body",
            "investment_wan",
            "start_year",
            "end_year",
            "progress_pct",
        ]
        read_only_fields = fields


class AnnualReportOutputSerializer(serializers.ModelSerializer):
    status = choice_value(ReportStatus)
    status_label = serializers.CharField(source="get_status_display")
    is_overdue = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = ["year", "due_on", "status", "status_label", "submitted_at", "is_overdue", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField(help_text="Still due after its due date."))
    def get_is_overdue(self, obj: AnnualReport) -> bool:
        return obj.status == ReportStatus.DUE and obj.due_on < self.context["today"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj: AnnualReport) -> str:
        return reverse(
            "api-project-report-detail", args=[obj.project_id, obj.year], request=self.context["request"]
        )


class IncentiveOutputSerializer(serializers.ModelSerializer):
    noted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Incentive
        fields = ["id", "granted_on", "description", "amount_wan", "document_no", "noted_by", "created_at"]
        read_only_fields = fields


class TrajectoryPointOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = DecimalTextField(allow_null=True, help_text="Computed value (submitted years and 2025 only).")
    status = serializers.CharField(allow_null=True, help_text="The engine's status of the indicator.")
    target = DecimalTextField(allow_null=True, help_text="The dossier's target for the year.")
    lagging = serializers.BooleanField(help_text="Worse than the target, or no value against a target.")


class TrajectoryRowOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    op = serializers.CharField(help_text="The comparison with the target: <= (lower is better) or >=.")
    lagging = serializers.BooleanField(help_text="The latest measured year lags its target.")
    points = TrajectoryPointOutputSerializer(many=True)


class EvaluationSummaryOutputSerializer(serializers.ModelSerializer):
    status = choice_value(EvaluationStatus)
    status_label = serializers.CharField(source="get_status_display")
    decision = choice_value(Decision)
    url = serializers.HyperlinkedIdentityField(view_name="api-evaluation-detail")

    class Meta:
        model = AcceptanceEvaluation
        fields = [
            "id",
            "assessment_year",
            "status",
            "status_label",
            "decision",
            "requested_at",
            "decided_at",
            "url",
        ]
        read_only_fields = fields


class ProjectDetailOutputSerializer(ProjectListOutputSerializer):
    """The project: targets, key projects, reports, incentives, the trajectory and where to go next.

    Context: ``key_projects``, ``annual_reports``, ``incentives``, ``trajectory``, ``evaluations``,
    ``open_orders`` and ``acceptance_gate``, loaded by the view through selectors.
    """

    open_orders = serializers.SerializerMethodField()
    targets = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text='Indicator code → {"2026": "0.41", …}: the dossier\'s yearly targets.',
    )
    key_projects = serializers.SerializerMethodField()
    annual_reports = serializers.SerializerMethodField()
    incentives = serializers.SerializerMethodField()
    trajectory = serializers.SerializerMethodField()
    evaluations = serializers.SerializerMethodField()
    acceptance_gate = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta(ProjectListOutputSerializer.Meta):
        fields = [
            *ProjectListOutputSerializer.Meta.fields,
            "targets",
            "key_projects",
            "annual_reports",
            "incentives",
            "trajectory",
            "evaluations",
            "acceptance_gate",
            "links",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(help_text="Rectification orders not yet closed."))
    def get_open_orders(self, obj: ConstructionProject) -> int:
        return self.context["open_orders"]

    @extend_schema_field(KeyProjectOutputSerializer(many=True))
    def get_key_projects(self, obj: ConstructionProject) -> Any:
        return KeyProjectOutputSerializer(self.context["key_projects"], many=True).data

    @extend_schema_field(AnnualReportOutputSerializer(many=True))
    def get_annual_reports(self, obj: ConstructionProject) -> Any:
        return AnnualReportOutputSerializer(
            self.context["annual_reports"], many=True, context=self.context
        ).data

    @extend_schema_field(IncentiveOutputSerializer(many=True))
    def get_incentives(self, obj: ConstructionProject) -> Any:
        return IncentiveOutputSerializer(self.context["incentives"], many=True).data

    @extend_schema_field(TrajectoryRowOutputSerializer(many=True))
    def get_trajectory(self, obj: ConstructionProject) -> Any:
        return TrajectoryRowOutputSerializer(self.context["trajectory"], many=True).data

    @extend_schema_field(EvaluationSummaryOutputSerializer(many=True))
    def get_evaluations(self, obj: ConstructionProject) -> Any:
        return EvaluationSummaryOutputSerializer(
            self.context["evaluations"], many=True, context=self.context
        ).data

    @extend_schema_field(
        GateItemOutputSerializer(
            many=True,
            allow_null=True,
            help_text="The conditions for requesting acceptance; null unless the project is in self-assessment.",
        )
    )
    def get_acceptance_gate(self, obj: ConstructionProject) -> Any:
        gate = self.context["acceptance_gate"]
        return None if gate is None else GateItemOutputSerializer(gate, many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_links(self, obj: ConstructionProject) -> Any:
        request = self.context["request"]
        names = {
            "reports": "api-project-reports",
            "orders": "api-project-orders",
            "incentives": "api-project-incentives",
            "self_assessment": "api-project-self-assessment",
            "timeline": "api-project-timeline",
        }
        return {key: reverse(name, args=[obj.pk], request=request) for key, name in names.items()}


class RemovalInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    document_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The removal document's number.",
    )


class IncentiveInputSerializer(serializers.Serializer):
    granted_on = serializers.DateField()
    description = serializers.CharField(max_length=500)
    amount_wan = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        default=None,
        help_text="Funding in 10,000 yuan (万元), if any.",
    )
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


# ---- annual reports ------------------------------------------------------------------------------


class ReportProgressOutputSerializer(serializers.Serializer):
    key_project = serializers.IntegerField(source="key_project.pk")
    name = serializers.CharField(source="key_project.name")
    progress_pct = DecimalTextField(
        allow_null=True, help_text="This report's progress (%); null if not given."
    )
    note = serializers.CharField()


class ReportDatasetOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    document = serializers.DictField(help_text="The stored dataset document (accounting.md §5).")


class AnnualReportDetailOutputSerializer(AnnualReportOutputSerializer):
    """One year's report. Context: ``progress`` (a row per key project) and ``problems``."""

    project = serializers.IntegerField(source="project_id")
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    dataset = ReportDatasetOutputSerializer(allow_null=True)
    progress = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta(AnnualReportOutputSerializer.Meta):
        fields = [
            "project",
            *AnnualReportOutputSerializer.Meta.fields,
            "submitted_by",
            "narrative",
            "dataset",
            "progress",
            "problems",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportProgressOutputSerializer(many=True))
    def get_progress(self, obj: AnnualReport) -> Any:
        return ReportProgressOutputSerializer(self.context["progress"], many=True).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            allow_null=True,
            help_text="What still keeps the report from being submitted; null unless the caller may edit it.",
        )
    )
    def get_problems(self, obj: AnnualReport) -> Any:
        return self.context["problems"]


class ProgressInputSerializer(serializers.Serializer):
    progress_pct = DecimalInputField(help_text='0 to 100 in steps of 0.1, e.g. "33.3".')
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class AnnualReportPatchInputSerializer(serializers.Serializer):
    narrative = serializers.CharField(
        required=False, allow_blank=True, help_text="The year's progress narrative (replaces the stored one)."
    )
    progress = serializers.DictField(
        child=ProgressInputSerializer(),
        required=False,
        help_text='Key project id → {"progress_pct": "33.3", "note": "…"}; projects left out keep theirs.',
    )
    dataset = serializers.DictField(
        required=False,
        help_text="The year's dataset document (accounting.md §5); its indicators are computed after saving.",
    )


# ---- rectification orders -------------------------------------------------------------------------


class OrderOutputSerializer(serializers.ModelSerializer):
    """A rectification order. Context: ``actions`` (what the caller may do now), for the detail."""

    project = serializers.IntegerField(source="project_id")
    park_name = serializers.CharField(source="project.park.name")
    status = choice_value(OrderStatus)
    status_label = serializers.CharField(source="get_status_display")
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-order-detail")

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "project",
            "park_name",
            "number",
            "document_no",
            "title",
            "requirements",
            "deadline",
            "status",
            "status_label",
            "is_open",
            "issued_at",
            "issued_by",
            "answer",
            "answered_at",
            "closed_at",
            "overdue_at",
            "url",
        ]
        read_only_fields = fields


class OrderDetailOutputSerializer(OrderOutputSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(OrderOutputSerializer.Meta):
        fields = [*OrderOutputSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    @extend_schema_field(ActionOutputSerializer(many=True))
    def get_actions(self, obj: RectificationOrder) -> Any:
        return ActionOutputSerializer(self.context["actions"], many=True).data


class OrderIssueInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requirements = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What must be rectified."
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today or later."
    )
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


ORDER_ACTIONS = {
    "answer": _("Answer: report what has been rectified"),
    "close": _("Close: accept the answer"),
    "return": _("Send back: the answer is insufficient"),
}


class OrderTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ORDER_ACTIONS.items()))
    answer = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="answer only: what has been rectified."
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text="close: the province's remark (optional); return: what is still missing (required).",
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="return only: the new deadline."
    )


# ---- self-assessment and acceptance ----------------------------------------------------------------


class EvidenceOutputSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "title",
            "original_name",
            "size_bytes",
            "sha256",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, obj: Evidence) -> str:
        return reverse("evaluation:evidence-download", args=[obj.pk], request=self.context["request"])


class EvidenceInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class SelfAssessmentOutputSerializer(serializers.ModelSerializer):
    """The city's self-assessment of the assessment year. Context: ``problems`` and ``acceptance_gate``."""

    project = serializers.IntegerField(source="project_id")
    conclusion = serializers.CharField(help_text="meets, falls_short, or empty while undecided")
    conclusion_label = serializers.CharField(source="get_conclusion_display")
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    evidence = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()
    acceptance_gate = serializers.SerializerMethodField()

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "project",
            "assessment_year",
            "conclusion",
            "conclusion_label",
            "summary",
            "is_submitted",
            "submitted_at",
            "submitted_by",
            "evidence",
            "problems",
            "acceptance_gate",
        ]
        read_only_fields = fields

    @extend_schema_field(EvidenceOutputSerializer(many=True))
    def get_evidence(self, obj: SelfAssessment) -> Any:
        return EvidenceOutputSerializer(obj.evidence.all(), many=True, context=self.context).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            allow_null=True,
            help_text="What keeps the self-assessment from being submitted; null unless the caller may edit it.",
        )
    )
    def get_problems(self, obj: SelfAssessment) -> Any:
        return self.context.get("problems")

    @extend_schema_field(
        GateItemOutputSerializer(many=True, help_text="The conditions for requesting acceptance.")
    )
    def get_acceptance_gate(self, obj: SelfAssessment) -> Any:
        return GateItemOutputSerializer(self.context["acceptance_gate"], many=True).data


class SelfAssessmentPatchInputSerializer(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Conclusion.choices, required=False, allow_blank=True)
    summary = serializers.CharField(required=False, allow_blank=True, help_text="The written assessment.")


class AcceptanceRequestInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# ---- evaluations ---------------------------------------------------------------------------------


class EvaluationListOutputSerializer(serializers.ModelSerializer):
    """An evaluation as lists show it (project, park, zone and city joined; reviews prefetched)."""

    project = serializers.IntegerField(source="project_id")
    park_name = serializers.CharField(source="project.park.name")
    city = serializers.CharField(source="project.park.zone.city.code", help_text="GB/T 2260 code")
    city_name = serializers.CharField(source="project.park.zone.city.name")
    status = choice_value(EvaluationStatus)
    status_label = serializers.CharField(source="get_status_display")
    decision = choice_value(Decision)
    decision_label = serializers.CharField(source="get_decision_display")
    experts_assigned = serializers.SerializerMethodField()
    reviews_submitted = serializers.SerializerMethodField()
    my_review_status = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api-evaluation-detail")

    class Meta:
        model = AcceptanceEvaluation
        fields = [
            "id",
            "project",
            "park_name",
            "city",
            "city_name",
            "assessment_year",
            "status",
            "status_label",
            "decision",
            "decision_label",
            "requested_at",
            "decided_at",
            "experts_assigned",
            "reviews_submitted",
            "my_review_status",
            "url",
        ]
        read_only_fields = fields

    def _reviews(self, obj: AcceptanceEvaluation) -> list[ExpertReview]:
        return list(obj.reviews.all())

    @extend_schema_field(serializers.IntegerField())
    def get_experts_assigned(self, obj: AcceptanceEvaluation) -> int:
        return len(self._reviews(obj))

    @extend_schema_field(serializers.IntegerField())
    def get_reviews_submitted(self, obj: AcceptanceEvaluation) -> int:
        return sum(r.status == ReviewStatus.SUBMITTED for r in self._reviews(obj))

    @extend_schema_field(
        serializers.CharField(
            allow_null=True, help_text="assigned or submitted: the caller's own review; null if it has none."
        )
    )
    def get_my_review_status(self, obj: AcceptanceEvaluation) -> str | None:
        user_id = self.context["request"].user.pk
        return next((r.status for r in self._reviews(obj) if r.expert_id == user_id), None)


class ExpertReviewOutputSerializer(serializers.Serializer):
    """An expert's review under the blind rule: the scores, total, opinion and recommendation (and when it
    was submitted) appear only when ``scores_visible``; otherwise only the expert and the status.

    Context: ``request``, ``evaluation`` and ``reviews`` (all of the evaluation's reviews).
    """

    id = serializers.IntegerField()
    expert = serializers.IntegerField(source="expert_id")
    expert_name = serializers.SerializerMethodField()
    status = choice_value(ReviewStatus)
    status_label = serializers.CharField(source="get_status_display")
    scores_visible = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(required=False, allow_null=True)
    scores = serializers.DictField(
        child=DecimalTextField(), required=False, help_text="Area code → points (see score_areas)."
    )
    total_score = DecimalTextField(required=False, allow_null=True)
    recommends_acceptance = serializers.BooleanField(required=False, allow_null=True)
    opinion = serializers.CharField(required=False)

    HIDDEN = ("submitted_at", "scores", "total_score", "recommends_acceptance", "opinion")

    def _visible(self, review: ExpertReview) -> bool:
        context = self.context
        return can_see_scores(context["request"].user, context["evaluation"], review, context["reviews"])

    @extend_schema_field(serializers.CharField())
    def get_expert_name(self, obj: ExpertReview) -> str:
        return _full_name(obj.expert)

    @extend_schema_field(
        serializers.BooleanField(help_text="Whether the caller may see this review's scores.")
    )
    def get_scores_visible(self, obj: ExpertReview) -> bool:
        return self._visible(obj)

    def to_representation(self, instance: ExpertReview) -> Any:
        data = super().to_representation(instance)
        if not data["scores_visible"]:
            for name in self.HIDDEN:
                data.pop(name, None)
        return data


class ScoreAreaOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    max_points = serializers.IntegerField()


class EvaluationSelfAssessmentOutputSerializer(serializers.ModelSerializer):
    conclusion_label = serializers.CharField(source="get_conclusion_display")
    evidence = EvidenceOutputSerializer(many=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "assessment_year",
            "conclusion",
            "conclusion_label",
            "summary",
            "submitted_at",
            "evidence",
        ]
        read_only_fields = fields


class EvaluationDetailOutputSerializer(EvaluationListOutputSerializer):
    """The evaluation: the self-assessment, the assessment-year results and the reviews (blind rule).

    Context: ``reviews``, ``results``, ``score_areas`` and ``project_visible``, loaded by the view.
    """

    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    self_assessment = EvaluationSelfAssessmentOutputSerializer()
    results = serializers.SerializerMethodField()
    score_areas = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    can_review = serializers.SerializerMethodField()
    project_url = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()

    class Meta(EvaluationListOutputSerializer.Meta):
        fields = [
            *EvaluationListOutputSerializer.Meta.fields,
            "decision_comment",
            "decision_document_no",
            "decided_by",
            "national_passed",
            "self_assessment",
            "results",
            "score_areas",
            "reviews",
            "can_review",
            "project_url",
            "report_url",
        ]
        read_only_fields = fields

    def _reviews(self, obj: AcceptanceEvaluation) -> list[ExpertReview]:
        return self.context["reviews"]

    @extend_schema_field(
        serializers.DictField(
            child=ResultOutputSerializer(allow_null=True),
            help_text="jiangxi-2025 and national-2025: the assessment year's current result (null if none).",
        )
    )
    def get_results(self, obj: AcceptanceEvaluation) -> Any:
        return {
            scheme: (ResultOutputSerializer(result).data if result is not None else None)
            for scheme, result in self.context["results"].items()
        }

    @extend_schema_field(ScoreAreaOutputSerializer(many=True))
    def get_score_areas(self, obj: AcceptanceEvaluation) -> Any:
        return ScoreAreaOutputSerializer(self.context["score_areas"], many=True).data

    @extend_schema_field(ExpertReviewOutputSerializer(many=True))
    def get_reviews(self, obj: AcceptanceEvaluation) -> Any:
        context = {**self.context, "evaluation": obj}
        return ExpertReviewOutputSerializer(self.context["reviews"], many=True, context=context).data

    @extend_schema_field(
        serializers.BooleanField(help_text="The caller is an assigned expert who has not yet submitted.")
    )
    def get_can_review(self, obj: AcceptanceEvaluation) -> bool:
        user_id = self.context["request"].user.pk
        return obj.status == EvaluationStatus.IN_REVIEW and any(
            r.expert_id == user_id and r.status == ReviewStatus.ASSIGNED for r in self.context["reviews"]
        )

    @extend_schema_field(
        serializers.URLField(allow_null=True, help_text="null when the caller is an expert.")
    )
    def get_project_url(self, obj: AcceptanceEvaluation) -> str | None:
        if not self.context["project_visible"]:
            return None
        return reverse("api-project-detail", args=[obj.project_id], request=self.context["request"])

    @extend_schema_field(serializers.URLField())
    def get_report_url(self, obj: AcceptanceEvaluation) -> str:
        return reverse("api-evaluation-report", args=[obj.pk], request=self.context["request"])


class ExpertsAssignInputSerializer(serializers.Serializer):
    experts = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        allow_empty=False,
        help_text="User ids of active review experts (role expert); ones already assigned are kept.",
    )


class ReviewInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=DecimalInputField(),
        help_text='Every area code → points, 0 to the area\'s maximum in steps of 0.5, e.g. {"core": "36"}.',
    )
    opinion = serializers.CharField(allow_blank=True, max_length=20000)
    recommends_acceptance = serializers.BooleanField(allow_null=True, required=False, default=None)


class DecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, help_text="The decision's opinion."
    )
    document_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="The decision document's number; required for accepted and removed.",
    )
    extension_years = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="extended only: 1 or 2 years."
    )


class AcceptanceReportOutputSerializer(serializers.ModelSerializer):
    """The latest acceptance report of an evaluation. Context: ``is_current`` and ``download_url``."""

    status = choice_value(RenderStatus)
    status_label = serializers.CharField(source="get_status_display")
    pages = serializers.IntegerField(source="page_count", allow_null=True)
    is_current = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = AcceptanceReport
        fields = [
            "id",
            "evaluation",
            "status",
            "status_label",
            "pages",
            "rendered_at",
            "created_at",
            "error",
            "is_current",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.BooleanField(help_text="Built from the evaluation as it is now (else a new one is due).")
    )
    def get_is_current(self, obj: AcceptanceReport) -> bool:
        return self.context["is_current"]

    @extend_schema_field(
        serializers.URLField(
            allow_null=True,
            help_text="The PDF of the latest ready report; null while none is ready, or while the blind "
            "review rule hides scores from the caller.",
        )
    )
    def get_download_url(self, obj: AcceptanceReport) -> str | None:
        return self.context["download_url"]
