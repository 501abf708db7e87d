"""API tokens that end: after API_TOKEN_TTL_DAYS, at sign-out, at a password change, or when their owner
revokes them (a token is a password in a script; it must not outlive its reason)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token: Any) -> bool:
    return bool(token.created < timezone.now() - timedelta(days=settings.API_TOKEN_TTL_DAYS))


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token, refused (and deleted) once older than settings.API_TOKEN_TTL_DAYS."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
