"""Fields and small serializers every part of the construction API shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from indicators.engine.dataset import to_decimal
from parks.models import User

# ---- shared --------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "decimal", "example": "0.4085"})
class DecimalTextField(serializers.Field):
    """A number as its exact decimal text, as stored ("0.4085" stays "0.4085"); null when not a number."""

    def to_representation(self, value: Any) -> str | None:
        number = to_decimal(value)
        return format(number, "f") if isinstance(number, Decimal) else None


@extend_schema_field(
    {"oneOf": [{"type": "string", "format": "decimal", "example": "33.3"}, {"type": "number"}]}
)
class DecimalInputField(serializers.Field):
    """A number given as text ("33.3") or as a JSON number (read exactly, never through float).

    The value goes to the service unchanged: the service checks its range and precision, so that its
    message (naming the key project or area) is the one the caller sees.
    """

    default_error_messages = {"invalid": _("Enter a number.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | Decimal):
            self.fail("invalid")
        return data

    def to_representation(self, value: Any) -> Any:
        return str(value)


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _full_name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class GateItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="core, orders, self_assessment or conclusion")
    ok = serializers.BooleanField()
    message = serializers.CharField()


class IndicatorValueOutputSerializer(serializers.Serializer):
    value = DecimalTextField(allow_null=True)
    status = serializers.CharField(allow_null=True)


class ResultOutputSerializer(serializers.Serializer):
    """A stored indicator result of the assessment year, in short (the numbers as the engine wrote them)."""

    scheme = serializers.CharField(source="scheme_code")
    ok = serializers.BooleanField()
    core_passed = serializers.BooleanField(allow_null=True)
    computed_at = serializers.DateTimeField()
    indicators = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=IndicatorValueOutputSerializer()))
    def get_indicators(self, obj: Any) -> Any:
        items = (obj.summary or {}).get("indicators") or {}
        return {code: IndicatorValueOutputSerializer(item).data for code, item in items.items()}
