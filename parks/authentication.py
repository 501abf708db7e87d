"""API tokens that end: API_TOKEN_TTL_DAYS after their issue, at sign-out, at a password change, or when
their owner or the province revokes them (a token is a password in a script; it must not outlive its reason).

The tokens are django-rest-knox's: the database keeps a SHA-512 digest of each key and its first 15
characters (knox's ``token_key``, to find the row), never the key itself.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework.exceptions import AuthenticationFailed

# A token's public id (in URLs, lists and the audit trail) is the start of its digest: it tells nothing
# about the key, unlike knox's token_key, which is the key's own first characters.
TOKEN_REF_LENGTH = 16
# How much of the key a list shows, so an owner recognises the token their script holds.
TOKEN_HINT_LENGTH = 8


def token_ref(token: AuthToken) -> str:
    return str(token.digest[:TOKEN_REF_LENGTH])


def token_hint(token: AuthToken) -> str:
    return f"{token.token_key[:TOKEN_HINT_LENGTH]}…"


def token_expired(token: AuthToken) -> bool:
    return token.expiry is not None and token.expiry <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox's token (``Authorization: Token <key>``), telling an expired one apart from a wrong one.

    Knox would delete an expired token it meets and answer "Invalid token."; here the caller learns that
    the token has expired and should ask for a new one. Authenticating writes nothing: an expired row
    stays until its owner's next token is issued (``api_token_issue`` clears them), so a read stays a read.
    """

    def authenticate_credentials(self, token: bytes) -> tuple[Any, AuthToken]:
        invalid = _("Invalid token.")
        try:
            key = token.decode("utf-8")
            digest = hash_token(key)
        except (UnicodeError, TypeError, binascii.Error) as exc:
            raise AuthenticationFailed(invalid) from exc
        candidates = AuthToken.objects.filter(token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates.select_related("user"):
            if not compare_digest(digest, auth_token.digest):
                continue
            if token_expired(auth_token):
                raise AuthenticationFailed(_("The token has expired: ask for a new one."))
            user, auth_token = self.validate_user(auth_token)
            return user, auth_token
        raise AuthenticationFailed(invalid)


class ExpiringTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[misc]
    """The schema's security scheme for the token (drf-spectacular knows knox's class, not subclasses)."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        return scheme
