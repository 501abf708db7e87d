"""City progress reports and typical practices: outputs, and the moves' input."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zcpark.core.api import ActionOutputSerializer, choice_value

from ...models import CityProgressReport, CityReportStatus, PracticeScene, TypicalPractice
from ...selectors.city_reports import figures_display, is_late


class PracticeOutputSerializer(serializers.ModelSerializer):
    """A typical practice; ``file_url`` downloads its photo or attachment (empty when none)."""

    park_name = serializers.CharField(source="project.park.name")
    scene = choice_value(PracticeScene)
    scene_label = serializers.CharField(source="get_scene_display")
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = TypicalPractice
        fields = [
            "id",
            "park_name",
            "title",
            "scene",
            "scene_label",
            "description",
            "original_name",
            "file_url",
        ]
        read_only_fields = fields

    def get_file_url(self, practice: TypicalPractice) -> str:
        if not practice.file:
            return ""
        url = reverse("evaluation:practice-file", args=[practice.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class PublicPracticeOutputSerializer(PracticeOutputSerializer):
    """A practice of the public library, with its city and the period it was reported for."""

    city_name = serializers.CharField(source="report.city.name")
    period = serializers.CharField(source="report.period", help_text="The period's code, e.g. 2027-H1.")
    period_label = serializers.CharField(source="report.period_label", help_text="e.g. 2027年上半年")

    class Meta(PracticeOutputSerializer.Meta):
        fields = [*PracticeOutputSerializer.Meta.fields, "city_name", "period", "period_label"]
        read_only_fields = fields


class CityReportOutputSerializer(serializers.ModelSerializer):
    """A city progress report; ``late``: its due date has passed and it is not submitted."""

    city_code = serializers.CharField(source="city.code")
    city_name = serializers.CharField(source="city.name")
    status = choice_value(CityReportStatus)
    status_label = serializers.CharField(source="get_status_display")
    period = serializers.CharField(help_text="The period's code (filters use it), e.g. 2027-H1.")
    period_label = serializers.CharField(help_text="The period as people read it, e.g. 2027年上半年.")
    late = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api-city-report-detail")

    class Meta:
        model = CityProgressReport
        fields = [
            "id",
            "city_code",
            "city_name",
            "period",
            "period_label",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "status_label",
            "late",
            "submitted_at",
            "returned_at",
            "url",
        ]
        read_only_fields = fields

    def get_late(self, report: CityProgressReport) -> bool:
        return is_late(report, self.context["today"])


class FigureOutputSerializer(serializers.Serializer):
    """A park's figures as the report holds them (numbers as exact strings)."""

    project = serializers.IntegerField()
    park = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    latest_report_year = serializers.IntegerField(allow_null=True)
    core_year = serializers.IntegerField(allow_null=True)
    core_value = serializers.CharField(allow_null=True)
    core_target = serializers.CharField(allow_null=True)
    core_lagging = serializers.BooleanField()
    lagging_count = serializers.IntegerField()
    figures_year = serializers.IntegerField(allow_null=True)
    energy_tce = serializers.CharField(allow_null=True)
    emissions_net_tco2 = serializers.CharField(allow_null=True)
    open_orders = serializers.IntegerField()


class CityReportDetailOutputSerializer(CityReportOutputSerializer):
    """The report with its narrative, figures, practices and what the caller may do now."""

    figures = serializers.SerializerMethodField()
    practices = PracticeOutputSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(CityReportOutputSerializer.Meta):
        fields = [
            *CityReportOutputSerializer.Meta.fields,
            "narrative",
            "figures_as_of",
            "return_comment",
            "figures",
            "practices",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(FigureOutputSerializer(many=True))
    def get_figures(self, report: CityProgressReport) -> list[dict[str, Any]]:
        return figures_display(report.figures)

    @extend_schema_field(ActionOutputSerializer(many=True))
    def get_actions(self, report: CityProgressReport) -> list[dict[str, str]]:
        return list(self.context.get("actions", []))


class CityReportTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("submit", "submit"), ("return", "return")])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class CityReportInputSerializer(serializers.Serializer):
    """The city's narrative (left as it is when absent); saving also refreshes the parks' figures."""

    narrative = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class PracticeInputSerializer(serializers.Serializer):
    """A typical practice of one of the city's parks (multipart: the file is optional)."""

    project = serializers.IntegerField(help_text="The construction project's id (one of the city's parks).")
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    scene = serializers.CharField(allow_blank=True, help_text="A scene, e.g. green_power.")
    description = serializers.CharField(allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False, allow_null=True, allow_empty_file=True, use_url=False)
