"""API tokens over the API: asking for one with a user name and password, listing and revoking them.

Each caller sees and ends its own tokens; the province sees and ends any account's it manages
(``?user=<id>``). Anything else answers 404. Every issue and revocation is audited by the services.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.models import AuthToken
from rest_framework import generics
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from ..authentication import token_ref
from ..models import User
from ..services import api_token_issue, api_token_revoke, api_tokens_revoke
from ..token_selectors import api_token_get, api_token_owner, api_tokens_live
from .serializers import TokenObtainSerializer, TokenOutputSerializer, TokenSerializer

OWNER = OpenApiParameter(
    "user",
    OpenApiTypes.INT,
    description="Another account's id (the province only); without it, the caller's own tokens.",
)
REF = OpenApiParameter("ref", OpenApiTypes.STR, OpenApiParameter.PATH, description="The token's id.")


class TokenApi(APIView):
    """Ask for a new API token (the key is shown once); end the token a request carries."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    serializer_class = TokenObtainSerializer

    def get_permissions(self) -> list[Any]:
        # Asking for a token needs no account yet; ending one is the token's (or session's) owner.
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(request=TokenObtainSerializer, responses=TokenOutputSerializer, auth=[])
    def post(self, request: Request) -> Response:
        """A new token for the account (repeated failures lock it, as on the sign-in page). An account
        holds a few at once (a token per script or machine); past that, revoke one first."""
        serializer = TokenObtainSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = api_token_issue(user=serializer.validated_data["user"], reason="issued through the API")
        output = {"token": key, "expires": token.expiry, "id": token_ref(token)}
        return Response(TokenOutputSerializer(output).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """End the token this request carries (signed in with a session instead: every token of the
        account). Every script using it stops working."""
        if isinstance(request.auth, AuthToken):
            api_token_revoke(token=request.auth, by=request.user)
        else:
            api_tokens_revoke(user=request.user, by=request.user)
        return Response(status=204)


class TokenListApi(generics.ListAPIView):
    """Live API tokens: the caller's own, or (the province) another account's."""

    serializer_class = TokenSerializer

    def owner(self) -> User:
        raw = self.request.query_params.get("user")
        if raw is not None and not raw.isdigit():
            raise Http404
        return api_token_owner(by=self.request.user, pk=int(raw) if raw is not None else None)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks with nobody signed in
            return AuthToken.objects.none()
        return api_tokens_live(owner=self.owner())

    @extend_schema(parameters=[OWNER])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The live tokens of the account, newest first (never a key)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        parameters=[OWNER], request=None, responses={204: None}, operation_id="auth_tokens_revoke_all"
    )
    def delete(self, request: Request) -> Response:
        """Revoke every token of the account (the caller's own, or the one ``user`` names)."""
        api_tokens_revoke(user=self.owner(), by=request.user)
        return Response(status=204)


class TokenDetailApi(generics.RetrieveDestroyAPIView):
    """One live token (never its key); DELETE revokes it. Someone else's answers 404."""

    serializer_class = TokenSerializer

    def get_object(self) -> Any:
        return api_token_get(by=self.request.user, ref=self.kwargs["ref"])

    def perform_destroy(self, instance: Any) -> None:
        api_token_revoke(token=instance, by=self.request.user)

    @extend_schema(parameters=[REF])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One live token: when it was made and when it ends (never its key)."""
        return super().get(request, *args, **kwargs)

    @extend_schema(parameters=[REF], responses={204: None})
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke the token: every script using it stops working (audited)."""
        return super().delete(request, *args, **kwargs)
