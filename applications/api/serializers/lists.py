"""Construction lists: the list and its entries, creating and moving one, and the public view."""

from __future__ import annotations

from rest_framework import serializers

from zcpark.core.api import choice_value

from ...models import ConstructionList, ConstructionListEntry, ListStatus
from ...workflow import LIST_STEPS


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
    action = serializers.ChoiceField(choices=[(t.verb, t.button) for t in LIST_STEPS])
    objection_deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="notice only: the last day for objections."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PublicListEntryOutputSerializer(ListEntryOutputSerializer):
    class Meta(ListEntryOutputSerializer.Meta):
        fields = [f for f in ListEntryOutputSerializer.Meta.fields if f != "application"]
        read_only_fields = fields


class PublicListOutputSerializer(serializers.ModelSerializer):
    """A published list or one on public notice (公示) as anyone sees it: parks, with removals (date and
    reason) kept on a published list; a list on notice with its period (``noticed_at`` to
    ``objection_deadline``, the last day for objections). Parks dropped during the notice are not on it."""

    status = choice_value(ListStatus)
    status_label = serializers.CharField(source="get_status_display")
    entries = PublicListEntryOutputSerializer(many=True)

    class Meta:
        model = ConstructionList
        fields = [
            "id",
            "title",
            "document_no",
            "status",
            "status_label",
            "noticed_at",
            "objection_deadline",
            "published_at",
            "version",
            "entries",
        ]
        read_only_fields = fields
