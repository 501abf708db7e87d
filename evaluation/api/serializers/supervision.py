"""督导 and extensions: the list of parks to supervise, a reminder of an overdue order, the city's
extension request and the province's decision on it."""

from __future__ import annotations

from rest_framework import serializers

from zcpark.core.api import choice_value

from ...models import ExtensionRequest, ExtensionStatus, ProjectStatus
from ...workflow import EXTENSION
from .common import DecimalTextField


class OverdueReportOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    due_on = serializers.DateField()
    days = serializers.IntegerField(help_text="Days past the due date.")


class SupervisionRowOutputSerializer(serializers.Serializer):
    """A park on the 督导 list: why it is there, in words and figures."""

    project = serializers.IntegerField(source="project.pk")
    park_name = serializers.CharField(source="project.park.name")
    city = serializers.CharField(source="project.park.zone.city.name")
    status = serializers.CharField(
        source="project.status", help_text="One of: " + ", ".join(ProjectStatus.values)
    )
    status_label = serializers.CharField(source="project.get_status_display")
    core_year = serializers.IntegerField(allow_null=True, help_text="The latest reported year with a result.")
    core_value = DecimalTextField(allow_null=True)
    core_target = DecimalTextField(allow_null=True)
    core_lagging = serializers.BooleanField(help_text="The core indicator is worse than that year's target.")
    overdue = OverdueReportOutputSerializer(many=True, help_text="Annual reports past their due date.")
    open_orders = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="In the caller's language.")


class ExtensionRequestOutputSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id")
    status = choice_value(ExtensionStatus)
    status_label = serializers.CharField(source="get_status_display")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "project",
            "years",
            "reason",
            "final_year",
            "status",
            "status_label",
            "requested_at",
            "requested_by",
            "decided_at",
            "decided_by",
            "decision_comment",
            "decision_document_no",
        ]
        read_only_fields = fields


class ExtensionRequestInputSerializer(serializers.Serializer):
    years = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="1 or 2.")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ExtensionDecisionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[(t.verb, t.button) for t in EXTENSION.transitions])
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="The province's opinion."
    )
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
