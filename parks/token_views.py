"""The "My API tokens" page, and the province's view of an account's tokens. Thin: selector → service.

A new key is shown once, in the answer to the request that made it: it is never stored in the session
or anywhere else, and the page is never cached.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from knox.settings import knox_settings

from zcpark.core.exceptions import ApplicationError, service_error_text

from . import permissions, services
from .authentication import token_hint, token_ref
from .integration_permissions import can_view_integration_accounts
from .models import User
from .token_selectors import api_token_get, api_token_owner, api_tokens_live


def _page_of(by: User, owner: User) -> HttpResponse:
    if owner.pk == by.pk:
        return redirect("parks:tokens")
    return redirect("parks:user-tokens", pk=owner.pk)


def _render(request: HttpRequest, owner: User, new_key: str = "") -> HttpResponse:
    return render(
        request,
        "parks/tokens.html",
        {
            "owner": owner,
            "own": owner.pk == request.user.pk,
            "tokens": [
                {
                    "ref": token_ref(token),
                    "hint": token_hint(token),
                    "created": token.created,
                    "expiry": token.expiry,
                }
                for token in api_tokens_live(owner=owner)
            ],
            "new_key": new_key,
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
            "limit": knox_settings.TOKEN_LIMIT_PER_USER,
            "can_view_integrations": can_view_integration_accounts(request.user),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """One's own live tokens; POST issues a new one and shows its key this once."""
    new_key = ""
    if request.method == "POST":
        try:
            _token, new_key = services.api_token_issue(user=request.user, reason="issued on the tokens page")
        except ApplicationError as exc:
            messages.error(request, service_error_text(exc))
            return redirect("parks:tokens")
    return _render(request, request.user, new_key)


@login_required
@never_cache
def user_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """The province's view of an account's live tokens (anyone else: 404, as for any other account)."""
    if not permissions.can_manage_users(request.user):
        raise Http404
    owner = api_token_owner(by=request.user, pk=pk)
    if owner.pk == request.user.pk:
        return redirect("parks:tokens")
    return _render(request, owner)


@login_required
@require_POST
def token_revoke(request: HttpRequest, ref: str) -> HttpResponse:
    token = api_token_get(by=request.user, ref=ref)
    owner = token.user
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token was revoked: scripts using it can no longer sign in."))
    return _page_of(request.user, owner)


@login_required
@require_POST
def tokens_revoke_all(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    owner = api_token_owner(by=request.user, pk=pk)
    count = services.api_tokens_revoke(user=owner, by=request.user)
    messages.success(
        request,
        ngettext("%(count)s token was revoked.", "%(count)s tokens were revoked.", count) % {"count": count},
    )
    return _page_of(request.user, owner)
