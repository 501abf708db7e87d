"""Calls for applications: the call, creating one and moving it along."""

from __future__ import annotations

from rest_framework import serializers

from zcpark.core.api import choice_value

from ...models import Call, CallStatus
from ...workflow import CALL


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
