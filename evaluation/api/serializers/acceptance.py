"""The self-assessment with its evidence, and the request for acceptance."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ...models import (
    Conclusion,
    Evidence,
    SelfAssessment,
)
from .common import GateItemOutputSerializer

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
