"""The recommendation to the national programme, the park archives, and the public list of accepted parks."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from zcpark.core.api import choice_value
from zcpark.core.models import FileStatus

from ...models import ArchiveAudience, ArchiveKind, NationalRecommendation, ParkArchive


class NationalRecommendationInputSerializer(serializers.Serializer):
    recommended_on = serializers.DateField(help_text="The date of the province's recommendation document.")
    document_no = serializers.CharField(max_length=64, help_text="The document's number (文号).")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NationalRecommendationOutputSerializer(serializers.ModelSerializer):
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = NationalRecommendation
        fields = ["recommended_on", "document_no", "note", "decided_by", "created_at"]
        read_only_fields = fields


class ArchiveInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ArchiveKind.choices,
        help_text="national: the national package (province, accepted park); project: this project's "
        "archive; park: every application and project of the park.",
    )


class ArchiveOutputSerializer(serializers.ModelSerializer):
    kind = choice_value(ArchiveKind)
    kind_label = serializers.CharField(source="get_kind_display")
    status = choice_value(FileStatus)
    status_label = serializers.CharField(source="get_status_display")
    audience = choice_value(ArchiveAudience)
    audience_label = serializers.CharField(source="get_audience_display")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ParkArchive
        fields = [
            "id",
            "kind",
            "kind_label",
            "project",
            "status",
            "status_label",
            "audience",
            "audience_label",
            "size_bytes",
            "file_count",
            "requested_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True, help_text="Once ready: the ZIP, streamed."))
    def get_download_url(self, obj: ParkArchive) -> str | None:
        if obj.status != FileStatus.READY:
            return None
        project = self.context["project"]
        return reverse(
            "api-project-archive-download", args=[project.pk, obj.pk], request=self.context["request"]
        )


class PublicAcceptedParkOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    zone = serializers.CharField()
    city = serializers.CharField()
    accepted_on = serializers.DateField(allow_null=True)
    assessment_year = serializers.IntegerField()
    national_recommended_on = serializers.DateField(
        allow_null=True,
        help_text="The date the province recommended the park to the national zero-carbon park "
        "programme (已推荐国家级零碳园区); null when not recommended.",
    )
