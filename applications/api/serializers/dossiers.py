"""The dossier: its sections, progress, datasets, attachments, opinions and edits to it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zcpark.core.api import ActionOutputSerializer, choice_value

from ...models import Application, Attachment, AttachmentKind, ReviewOpinion
from .applications import ApplicationListOutputSerializer


class SectionOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    data = serializers.DictField(help_text="The stored section (decimals as strings, tables as row lists).")
    is_complete = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField(help_text="Send it back in versions.<code> to refuse lost updates.")


class SectionStateOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    complete = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class ProgressOutputSerializer(serializers.Serializer):
    complete = serializers.IntegerField()
    total = serializers.IntegerField()
    sections = SectionStateOutputSerializer(many=True)


class DatasetStateOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    stored = serializers.BooleanField()
    updated_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField()
    indicators_url = serializers.URLField()


class AttachmentOutputSerializer(serializers.ModelSerializer):
    kind = choice_value(AttachmentKind)
    kind_label = serializers.CharField(source="get_kind_display")
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "kind_label",
            "indicator",
            "title",
            "original_name",
            "size_bytes",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields


class AttachmentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=128)
    indicator = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=32,
        help_text="kind exemption only: the guiding indicator the evidence is for.",
    )
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class OpinionOutputSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = ReviewOpinion
        fields = [
            "revision_number",
            "stage",
            "stage_label",
            "action",
            "text",
            "checklist",
            "conditions",
            "author",
            "created_at",
        ]
        read_only_fields = fields


class ApplicationDossierOutputSerializer(ApplicationListOutputSerializer):
    """The dossier: the application, every form section, progress and (for its editors) what blocks submission.

    Context: ``sections``, ``progress``, ``submission_problems``, ``actions``, ``attachments``,
    ``opinions`` and ``datasets``, loaded by the view through selectors.
    """

    sections = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    submission_problems = serializers.SerializerMethodField()
    datasets = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    opinions = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(ApplicationListOutputSerializer.Meta):
        fields = [
            *ApplicationListOutputSerializer.Meta.fields,
            "conditions",
            "sections",
            "progress",
            "submission_problems",
            "datasets",
            "attachments",
            "opinions",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(child=SectionOutputSerializer()))
    def get_sections(self, obj: Application) -> Any:
        return {code: SectionOutputSerializer(s).data for code, s in self.context["sections"].items()}

    @extend_schema_field(ProgressOutputSerializer)
    def get_progress(self, obj: Application) -> Any:
        return ProgressOutputSerializer(self.context["progress"]).data

    @extend_schema_field(
        serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            allow_null=True,
            help_text="Every unmet condition of submission, grouped; null unless the caller may edit the dossier.",
        )
    )
    def get_submission_problems(self, obj: Application) -> Any:
        return self.context["submission_problems"]

    @extend_schema_field(DatasetStateOutputSerializer(many=True))
    def get_datasets(self, obj: Application) -> Any:
        return DatasetStateOutputSerializer(self.context["datasets"], many=True).data

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, obj: Application) -> Any:
        return AttachmentOutputSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(OpinionOutputSerializer(many=True))
    def get_opinions(self, obj: Application) -> Any:
        return OpinionOutputSerializer(self.context["opinions"], many=True).data

    @extend_schema_field(ActionOutputSerializer(many=True))
    def get_actions(self, obj: Application) -> Any:
        return ActionOutputSerializer(self.context["actions"], many=True).data


class DossierPatchInputSerializer(serializers.Serializer):
    sections = serializers.DictField(
        allow_empty=False,
        help_text=(
            'Section code → the section\'s data, e.g. {"overview": {...}, "projects": {...}}. '
            "Form sections: overview, industry, targets, tasks, projects, feasibility, organisation, "
            "declarations. All are saved, or none. Only the fields given change (PATCH): a table is "
            "given whole."
        ),
    )
    versions = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text=(
            "Section code → the section's version as read (sections.<code>.version): a section saved "
            "since by someone else answers 409 and nothing is saved."
        ),
    )


class QualityWarningSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="The data-quality rule's kind, e.g. energy_change.")
    severity = serializers.CharField(help_text="info, warning or serious (the province sets it per rule).")
    severity_label = serializers.CharField()
    message = serializers.CharField(help_text="What was found, with the figures and the threshold.")
    path = serializers.CharField(help_text="Where in the dataset document to look (may be empty).")


class DatasetOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    document = serializers.DictField(help_text="The stored dataset document (accounting.md §5).")
    updated_at = serializers.DateTimeField()
    indicators_url = serializers.URLField()
    warnings = QualityWarningSerializer(
        many=True,
        required=False,
        help_text="Data-quality warnings (never blocking): unusual year-on-year changes and the like.",
    )
    note = serializers.CharField(required=False)
