"""Official documents: issuing one (kind, source, 文号, date) and reading what was issued."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from zcpark.core.api import choice_value

from ...document_models import DOCUMENT_NUMBER_MAX_LENGTH, DocumentKind, OfficialDocument


class DocumentIssueInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    source_id = serializers.IntegerField(
        min_value=1,
        help_text="The decision's record: the application (recommendation, approval), the construction list "
        "(list), the rectification order (rectification) or the acceptance evaluation (acceptance).",
    )
    number = serializers.CharField(
        max_length=DOCUMENT_NUMBER_MAX_LENGTH,
        help_text="The 文号 as the authority numbered it, e.g. 赣发改环资〔2027〕12号",
    )
    issued_on = serializers.DateField()


class OfficialDocumentOutputSerializer(serializers.ModelSerializer):
    kind = choice_value(DocumentKind)
    kind_label = serializers.CharField(source="get_kind_display")
    park_name = serializers.CharField(source="park.name", allow_null=True, default=None)
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    superseded_by = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    generated_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    generated_at = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OfficialDocument
        fields = [
            "id",
            "kind",
            "kind_label",
            "source_id",
            "park",
            "park_name",
            "number",
            "title",
            "issuer",
            "issued_on",
            "page_count",
            "sha256",
            "supersedes",
            "superseded_by",
            "in_force",
            "generated_by",
            "generated_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_superseded_by(self, obj: OfficialDocument) -> int | None:
        return obj.superseded_by.pk if obj.is_superseded else None

    def get_in_force(self, obj: OfficialDocument) -> bool:
        return not obj.is_superseded

    def get_download_url(self, obj: OfficialDocument) -> str:
        url = reverse("api-document-pdf", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
