"""Applications API: explicit input serializers (plain ``Serializer``) and output serializers.

Outputs read what the views loaded through selectors; dossier parts that need more than the row
(progress, problems, actions, attachments) come in the serializer context, computed by the view.
Decimals leave as strings (COERCE_DECIMAL_TO_STRING) and datetimes as ISO 8601 with the offset.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parks.models import Park
from zcpark.core.api import ActionOutputSerializer, choice_value

from ..models import (
    Application,
    ApplicationRevision,
    ApplicationStatus,
    Attachment,
    AttachmentKind,
    Call,
    CallStatus,
    ConstructionList,
    ConstructionListEntry,
    ListStatus,
    ReviewOpinion,
)
from ..workflow import CALL, LIST, TRANSITIONS

# ---- shared --------------------------------------------------------------------------------------


# ---- calls ---------------------------------------------------------------------------------------


class CallOutputSerializer(serializers.ModelSerializer):
    status = choice_value(CallStatus)
    status_label = serializers.CharField(source="get_status_display")
    application_count = serializers.IntegerField(default=0)

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "description",
            "deadline",
            "quota_per_city",
            "status",
            "status_label",
            "opened_at",
            "closed_at",
            "application_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CallCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=128)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField()
    quota_per_city = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class CallTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(t.verb, t.button) for t in CALL.transitions])
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# ---- applications --------------------------------------------------------------------------------


class ApplicationListOutputSerializer(serializers.ModelSerializer):
    """An application as lists show it (park, zone, city and call come joined by the selector)."""

    park_name = serializers.CharField(source="park.name")
    city = serializers.CharField(source="park.zone.city.code", help_text="GB/T 2260 code")
    city_name = serializers.CharField(source="park.zone.city.name")
    status = choice_value(ApplicationStatus)
    call_title = serializers.CharField(source="call.title")
    status_label = serializers.CharField(source="get_status_display")
    url = serializers.HyperlinkedIdentityField(view_name="api-application-detail")

    class Meta:
        model = Application
        fields = [
            "id",
            "park",
            "park_name",
            "city",
            "city_name",
            "call",
            "call_title",
            "status",
            "status_label",
            "revision",
            "submitted_at",
            "decided_at",
            "total_investment_wan",
            "period_years",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields


class ApplicationCreateInputSerializer(serializers.Serializer):
    park = serializers.PrimaryKeyRelatedField(queryset=Park.objects.all(), help_text="The caller's own park.")
    call = serializers.PrimaryKeyRelatedField(
        queryset=Call.objects.all(), help_text="An open call whose deadline has not passed."
    )


class SectionOutputSerializer(serializers.Serializer):
    title = serializers.CharField()
    data = serializers.DictField(help_text="The stored section (decimals as strings, tables as row lists).")
    is_complete = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


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
            "declarations. All are saved, or none."
        ),
    )


class DatasetOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    document = serializers.DictField(help_text="The stored dataset document (accounting.md §5).")
    updated_at = serializers.DateTimeField()
    indicators_url = serializers.URLField()
    note = serializers.CharField(required=False)


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(TRANSITIONS))
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20000,
        help_text="The written opinion; required for return, recommend, decline, approve and reject.",
    )
    conditions = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        default=list,
        help_text="approve only: the conditions attached to the approval.",
    )
    checklist = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        default=dict,
        help_text="Reviewers: the eligibility checklist, item → checked.",
    )


class RevisionOutputSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ApplicationRevision
        fields = ["number", "submitted_by", "submitted_at"]
        read_only_fields = fields


class RevisionDetailOutputSerializer(RevisionOutputSerializer):
    snapshot = serializers.DictField(
        help_text="The dossier as submitted: park, sections, datasets, results and attachments."
    )

    class Meta(RevisionOutputSerializer.Meta):
        fields = [*RevisionOutputSerializer.Meta.fields, "snapshot"]
        read_only_fields = fields


class ChangesInputSerializer(serializers.Serializer):
    # ``from`` is a keyword: the query parameters are renamed in ``get_fields``.
    from_number = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Revision to compare from (default: the one before ``to``; none for revision 1).",
    )
    to_number = serializers.IntegerField(
        min_value=1, required=False, help_text="Revision to compare to (default: the latest)."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {"from": fields["from_number"], "to": fields["to_number"]}


class DiffRowOutputSerializer(serializers.Serializer):
    group = serializers.CharField()
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class ChangesOutputSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField(allow_null=True)
    to_revision = serializers.IntegerField()
    rows = DiffRowOutputSerializer(many=True)


# ---- construction lists ----------------------------------------------------------------------------


class ListEntryOutputSerializer(serializers.ModelSerializer):
    park_name = serializers.CharField(source="park.name")
    zone_name = serializers.CharField(source="park.zone.name")
    city = serializers.CharField(source="park.zone.city.code", help_text="GB/T 2260 code")
    city_name = serializers.CharField(source="park.zone.city.name")

    class Meta:
        model = ConstructionListEntry
        fields = [
            "park",
            "park_name",
            "zone_name",
            "city",
            "city_name",
            "application",
            "removed_on",
            "removal_reason",
            "removal_document_no",
            "removed_in_version",
        ]
        read_only_fields = fields


class ConstructionListOutputSerializer(serializers.ModelSerializer):
    status = choice_value(ListStatus)
    status_label = serializers.CharField(source="get_status_display")
    entries = ListEntryOutputSerializer(many=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-construction-list-detail")

    class Meta:
        model = ConstructionList
        fields = [
            "id",
            "title",
            "document_no",
            "status",
            "status_label",
            "objection_deadline",
            "noticed_at",
            "published_at",
            "version",
            "entries",
            "created_at",
            "updated_at",
            "url",
        ]
        read_only_fields = fields


class ConstructionListCreateInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=128)
    document_no = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        help_text="Ids of approved applications not yet on a list.",
    )


class ConstructionListTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(t.verb, t.button) for t in LIST.transitions])
    objection_deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="notice only: the last day for objections."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PublicListEntryOutputSerializer(ListEntryOutputSerializer):
    class Meta(ListEntryOutputSerializer.Meta):
        fields = [f for f in ListEntryOutputSerializer.Meta.fields if f != "application"]
        read_only_fields = fields


class PublicListOutputSerializer(serializers.ModelSerializer):
    """A published list as anyone sees it: parks, with removals (date and reason) kept on the list."""

    status = choice_value(ListStatus)
    entries = PublicListEntryOutputSerializer(many=True)

    class Meta:
        model = ConstructionList
        fields = [
            "id",
            "title",
            "document_no",
            "status",
            "objection_deadline",
            "published_at",
            "version",
            "entries",
        ]
        read_only_fields = fields
