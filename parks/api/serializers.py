from __future__ import annotations

from rest_framework import serializers

from ..models import City, DevelopmentZone, Park


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


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
