"""Submitted revisions of a dossier and the changes between two of them."""

from __future__ import annotations

from rest_framework import serializers

from ...models import ApplicationRevision


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
