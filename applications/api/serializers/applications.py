"""Applications as lists show them, creating one and moving it through review."""

from __future__ import annotations

from rest_framework import serializers

from parks.models import Park
from zcpark.core.api import choice_value

from ...models import Application, ApplicationStatus, Call
from ...workflow import TRANSITIONS


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
