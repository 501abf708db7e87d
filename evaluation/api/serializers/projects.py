"""Construction projects: the list and the detail (targets, key projects, reports, trajectory), removal, incentives."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from zcpark.core.api import choice_value

from ...models import (
    AcceptanceEvaluation,
    AnnualReport,
    ConstructionProject,
    Decision,
    EvaluationStatus,
    Incentive,
    KeyProject,
    ProjectStatus,
    ReportStatus,
)
from .common import DecimalTextField, GateItemOutputSerializer
from .national import NationalRecommendationOutputSerializer

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
    open_orders = serializers.IntegerField(help_text="Rectification orders not yet closed.")
    meets_national_scheme = serializers.BooleanField(
        source="national_recommended",
        help_text="Set by the acceptance decision when the assessment-year result passes the national scheme "
        "(automatic); the recommendation itself is national_recommendation.",
    )
    national_recommendation = serializers.SerializerMethodField()
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
            "meets_national_scheme",
            "national_recommendation",
            "open_orders",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(NationalRecommendationOutputSerializer(allow_null=True))
    def get_national_recommendation(self, obj: ConstructionProject) -> dict[str, Any] | None:
        """The province's recommendation to the national programme (null until recommended)."""
        recommendation = getattr(obj, "national_recommendation", None)
        return None if recommendation is None else NationalRecommendationOutputSerializer(recommendation).data


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
