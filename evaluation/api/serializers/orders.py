"""Rectification orders: the order, its detail with what the caller may do, issuing and transitions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zcpark.core.api import ActionOutputSerializer, choice_value

from ...models import (
    OrderStatus,
    RectificationOrder,
)
from ...workflow import ORDER

# ---- rectification orders -------------------------------------------------------------------------


class OrderOutputSerializer(serializers.ModelSerializer):
    """A rectification order. Context: ``actions`` (what the caller may do now), for the detail."""

    project = serializers.IntegerField(source="project_id")
    park_name = serializers.CharField(source="project.park.name")
    status = choice_value(OrderStatus)
    status_label = serializers.CharField(source="get_status_display")
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-order-detail")

    class Meta:
        model = RectificationOrder
        fields = [
            "id",
            "project",
            "park_name",
            "number",
            "document_no",
            "title",
            "requirements",
            "deadline",
            "status",
            "status_label",
            "is_open",
            "issued_at",
            "issued_by",
            "answer",
            "answered_at",
            "closed_at",
            "overdue_at",
            "url",
        ]
        read_only_fields = fields


class OrderDetailOutputSerializer(OrderOutputSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(OrderOutputSerializer.Meta):
        fields = [*OrderOutputSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    @extend_schema_field(ActionOutputSerializer(many=True))
    def get_actions(self, obj: RectificationOrder) -> Any:
        return ActionOutputSerializer(self.context["actions"], many=True).data


class OrderIssueInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    requirements = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What must be rectified."
    )
    deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today or later."
    )
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


ORDER_ACTIONS = {t.verb: t.button for t in ORDER.transitions if t.roles}


class OrderTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ORDER_ACTIONS.items()))
    answer = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="answer only: what has been rectified."
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=2000,
        help_text=(
            "close: the province's remark (optional); return: what is still missing (required); "
            "extend_deadline: the reason (required); escalate: the reason for the removal (required)."
        ),
    )
    deadline = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="return: the new deadline; extend_deadline: the new deadline, after today.",
    )
    document_no = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="escalate only: the removal decision's document number (required).",
    )
