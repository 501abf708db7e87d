"""Parks API: the scoped list and detail, and token sign-in."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from ..authentication import token_expired
from ..models import Park, ParkScope, ParkType
from ..selectors import park_get_visible_to, park_list_visible_to
from ..services import api_tokens_revoke
from .serializers import ParkOutputSerializer, TokenOutputSerializer


class ParkFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(field_name="zone__city__code", label="city code (GB/T 2260)")
    park_type = django_filters.ChoiceFilter(choices=ParkType.choices)
    scope = django_filters.ChoiceFilter(choices=ParkScope.choices)
    zone = django_filters.NumberFilter(field_name="zone_id")

    class Meta:
        model = Park
        fields = ["city", "park_type", "scope", "zone"]


class ParkListApi(generics.ListAPIView):
    """Parks the caller may see (its park, its city's parks, or all)."""

    serializer_class = ParkOutputSerializer
    filterset_class = ParkFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return park_list_visible_to(user=self.request.user)


class ParkDetailApi(generics.RetrieveAPIView):
    """One park; 404 when it is outside the caller's scope."""

    serializer_class = ParkOutputSerializer

    def get_object(self) -> Park:
        return park_get_visible_to(user=self.request.user, pk=self.kwargs["pk"])


class TokenApi(ObtainAuthToken):
    """Exchange a username and password for an API token (repeated failures lock the account here)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_permissions(self) -> list[Any]:
        # Asking for a token needs no account yet; revoking one is the token's (or session's) owner.
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(request=AuthTokenSerializer, responses=TokenOutputSerializer)
    def post(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        """The account's token; an expired one is replaced by a new one."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the caller's own token (every script using it stops working)."""
        api_tokens_revoke(user=request.user, by=request.user, reason="revoked by its owner")
        return Response(status=204)
