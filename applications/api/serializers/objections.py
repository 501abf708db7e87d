"""公示 objections: recording, answering, dropping a park, and reading them by scope."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from zcpark.core.api import choice_value

from ...models import ListObjection, ObjectionStatus

# What only the province and observers read: who objected, how to reach them, what they sent.
OBJECTOR_FIELDS = ("raised_by", "contact", "has_evidence", "evidence_name")


class ObjectionOutputSerializer(serializers.ModelSerializer):
    """An objection. The objector's name, contact and evidence are the province's and observers' only
    (``context["sees_objector"]``); park staff and city reviewers read the text and the answer."""

    status = choice_value(ObjectionStatus)
    status_label = serializers.CharField(source="get_status_display")
    park_name = serializers.CharField(source="park.name")
    list_title = serializers.CharField(source="construction_list.title")
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = ListObjection
        fields = [
            "id",
            "construction_list",
            "list_title",
            "park",
            "park_name",
            "application",
            "received_on",
            "text",
            "raised_by",
            "contact",
            "has_evidence",
            "evidence_name",
            "status",
            "status_label",
            "answer",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_evidence(self, objection: ListObjection) -> bool:
        return bool(objection.evidence)

    def to_representation(self, instance: ListObjection) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("sees_objector"):
            for name in OBJECTOR_FIELDS:
                data.pop(name, None)
        return data


class ObjectionRecordInputSerializer(serializers.Serializer):
    park = serializers.IntegerField(min_value=1, help_text="Id of a park on the list.")
    raised_by = serializers.CharField(max_length=128, help_text="The person or organisation, as given.")
    contact = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    received_on = serializers.DateField(help_text="Between the notice's start and the objection deadline.")
    text = serializers.CharField(max_length=5000)
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class ObjectionAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, help_text="Final once saved.")


class ParkDropInputSerializer(serializers.Serializer):
    park = serializers.IntegerField(min_value=1, help_text="Id of a park on the list.")
    reason = serializers.CharField(max_length=2000)
