from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..authentication import token_hint, token_ref
from ..models import City, DevelopmentZone, Park
from ..two_factor import otp_code_valid, otp_required


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["code", "name"]


class ZoneSerializer(serializers.ModelSerializer):
    city = CitySerializer()

    class Meta:
        model = DevelopmentZone
        fields = ["id", "name", "level", "kind", "catalog_code", "city"]


class ParkOutputSerializer(serializers.ModelSerializer):
    zone = ZoneSerializer()

    class Meta:
        model = Park
        fields = [
            "id",
            "name",
            "zone",
            "scope",
            "boundary_text",
            "boundary_geojson",
            "park_type",
            "managing_body",
            "contact_name",
            "contact_phone",
            "contact_email",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TokenObtainSerializer(serializers.Serializer):
    """A user name and password; a wrong pair counts towards the account's sign-in lockout (axes)."""

    username = serializers.CharField(label=_("User name"), write_only=True)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )
    otp = serializers.CharField(
        label=_("One-time code"),
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="The authenticator's current code (or a recovery code), for accounts with two-factor sign-in.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = authenticate(
            request=self.context.get("request"), username=attrs["username"], password=attrs["password"]
        )
        if user is None:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        # A token is a sign-in: an account that signs in with two factors needs its code here too.
        if otp_required(user):
            code = attrs.get("otp", "")
            if not code:
                raise serializers.ValidationError(
                    {"otp": [_("This account signs in with a one-time code: send the authenticator's code.")]}
                )
            if not otp_code_valid(user, code):
                raise serializers.ValidationError(
                    {"otp": [_("The one-time code is wrong or has expired.")]}, code="authorization"
                )
        attrs["user"] = user
        return attrs


class TokenOutputSerializer(serializers.Serializer):
    """A new token: the key is shown this once (only its digest is kept), with when it ends."""

    token = serializers.CharField(help_text="Send it as the header `Authorization: Token <token>`.")
    expires = serializers.DateTimeField()
    id = serializers.CharField(help_text="The token's reference, to list or revoke it.")


class TokenSerializer(serializers.Serializer):
    """A live token as its owner and the province see it: never the key, only its first characters."""

    id = serializers.SerializerMethodField(help_text="The token's reference (DELETE it to revoke).")
    hint = serializers.SerializerMethodField(help_text="The key's first characters, to recognise it.")
    user = serializers.CharField(source="user.username")
    created = serializers.DateTimeField()
    expires = serializers.DateTimeField(source="expiry", allow_null=True)

    def get_id(self, token: Any) -> str:
        return token_ref(token)

    def get_hint(self, token: Any) -> str:
        return token_hint(token)
