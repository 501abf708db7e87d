"""Annual reports: the detail with its progress and dataset, and the draft update."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import (
    AnnualReport,
)
from .common import DecimalInputField, DecimalTextField
from .projects import AnnualReportOutputSerializer

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
