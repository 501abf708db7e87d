"""How a park's 能碳平台 signs its API requests, and what its key lets it reach.

``Authorization: Bearer zc_<prefix>_<secret>`` (knox's personal tokens say "Token"): the request acts as
the integration account's service user. Every API view a machine may use declares, per method, the scope
it needs (``machine_scopes = {"PUT": MachineScope.DATASETS_WRITE}``); any other view answers 403 naming the
missing scope. The check runs in the authentication itself as well as in the default permission class,
so a view that sets its own ``permission_classes`` (the token endpoint, the schema) cannot let a machine
through. Web pages use sessions only: a key never opens one.
"""

from __future__ import annotations

from datetime import timedelta
from hmac import compare_digest
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .integration import AUTH_KEYWORD, IntegrationAccountStatus, MachineScope, key_digest, key_prefix
from .models import IntegrationAccount

# last_used_at is written at most this often per account: a read stays (nearly always) a read.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def service_user_intact(account: IntegrationAccount) -> bool:
    """Whether the service user still reaches exactly what its account was made for."""
    user = account.user
    return (
        user.is_machine
        and not user.is_superuser
        and not user.is_staff
        and user.park_id == account.park_id
        and user.role == IntegrationAccount.service_role(account.park_id)
    )


def machine_scope_required(view: Any, method: str) -> str | None:
    """The scope ``view`` declares for ``method`` (None: machines may not call it)."""
    declared = getattr(view, "machine_scopes", None) or {}
    scope = declared.get(method.upper())
    if scope is None and method.upper() == "HEAD":
        scope = declared.get("GET")
    return str(scope) if scope is not None else None


def machine_scope_check(account: IntegrationAccount, view: Any, method: str) -> None:
    """Refuse (403) a machine on a view or method it has no scope for."""
    if method.upper() == "OPTIONS" and getattr(view, "machine_scopes", None):
        return  # what a machine endpoint accepts (DRF's metadata) is no secret to a key that may call it
    scope = machine_scope_required(view, method)
    if scope is None:
        raise PermissionDenied(_("Integration keys cannot use this endpoint."))
    if not account.has_scope(scope):
        raise PermissionDenied(
            _("The integration key lacks the scope “%(scope)s” this request needs.")
            % {"scope": MachineScope(scope).label}
        )


def _touch(account: IntegrationAccount) -> None:
    now = timezone.now()
    if account.last_used_at is None or now - account.last_used_at >= LAST_USED_RESOLUTION:
        # Not an audit event (a key's use is not a change); one UPDATE a minute at most.
        IntegrationAccount.objects.filter(pk=account.pk).update(last_used_at=now)
        account.last_used_at = now


class IntegrationKeyAuthentication(BaseAuthentication):
    """``Authorization: Bearer zc_<prefix>_<secret>``: an integration account's key."""

    def authenticate_header(self, request: Request) -> str:
        return AUTH_KEYWORD

    def authenticate(self, request: Request) -> tuple[Any, IntegrationAccount] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != AUTH_KEYWORD.lower().encode():
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Send the integration key as “Bearer <key>”, with no spaces."))
        try:
            key = words[1].decode("ascii")
        except UnicodeError as exc:
            raise AuthenticationFailed(_("Unknown integration key.")) from exc
        account = self._account(key)
        _touch(account)  # a refused call still shows the platform is alive and which key it holds
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if view is not None:
            machine_scope_check(account, view, request.method or "GET")
        return account.user, account

    def _account(self, key: str) -> IntegrationAccount:
        prefix = key_prefix(key)
        account = (
            IntegrationAccount.objects.select_related("user", "park").filter(prefix=prefix).first()
            if prefix
            else None
        )
        if account is None or not compare_digest(account.key_digest, key_digest(key)):
            raise AuthenticationFailed(_("Unknown integration key."))
        if account.status == IntegrationAccountStatus.REVOKED:
            raise AuthenticationFailed(_("The integration key has been revoked: ask for a new one."))
        if account.expired:
            raise AuthenticationFailed(_("The integration key has expired: ask for a new one."))
        if not account.user.is_active:
            raise AuthenticationFailed(_("The integration account is deactivated."))
        if not service_user_intact(account):
            # Its park, role or rights were changed outside the integration services: the key would
            # reach something else than what it was issued for.
            raise AuthenticationFailed(
                _(
                    "The integration account's service user no longer matches the account (its park or "
                    "role was changed): the key is refused; revoke it and create a new one."
                )
            )
        return account


class MachineScopePermission(BasePermission):
    """Beside IsAuthenticated by default: a machine reaches only the methods a view declares a scope for."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, IntegrationAccount):
            machine_scope_check(request.auth, view, request.method or "GET")
        return True


class IntegrationKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The schema's security scheme for integration keys."""

    target_class = IntegrationKeyAuthentication
    name = "integrationKey"

    def get_security_requirement(self, auto_schema: Any) -> dict[str, list[Any]] | None:  # type: ignore[override]
        # Listed only on the operations a machine may call (those declaring a scope for the method).
        if machine_scope_required(auto_schema.view, auto_schema.method) is None:
            return None
        return {self.name: []}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "zc_<prefix>_<secret>",
            "description": (
                "An integration account's key (a park's 能碳平台): created on the portal's integration "
                "accounts page, shown once, scoped (datasets_write, monthly_write, results_read), with an "
                "expiry; revocable. Requests act as the account's service user and are audited as it."
            ),
        }
