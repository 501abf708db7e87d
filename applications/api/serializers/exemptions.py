"""Exemption claims in the API: a claim with its review, and the city's or the province's move on it."""

from __future__ import annotations

from rest_framework import serializers

from zcpark.core.api import choice_value

from ...exemptions.models import ExemptionClaim, ExemptionStatus
from ...exemptions.workflow import TRANSITIONS


class ExemptionClaimOutputSerializer(serializers.ModelSerializer):
    status = choice_value(ExemptionStatus)
    status_label = serializers.CharField(source="get_status_display")
    indicator_label = serializers.CharField(source="get_indicator_display")
    city_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ExemptionClaim
        fields = [
            "id",
            "revision_number",
            "indicator",
            "indicator_label",
            "reason",
            "status",
            "status_label",
            "city_agrees",
            "city_opinion",
            "city_by",
            "city_at",
            "province_opinion",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class ExemptionTransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(TRANSITIONS),
        help_text="city_agree or city_disagree (the city, while it reviews the dossier); accept or reject (the "
        "province, while the dossier is recommended).",
    )
    comment = serializers.CharField(
        max_length=20000, help_text="The city's opinion, or the reason for the province's decision."
    )
