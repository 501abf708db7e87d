"""Pages of integration accounts (machine credentials of a park's 能碳平台). Thin: selector → service.

Park staff manage their park's; the province its own platforms and every park's; city reviewers read
their city's parks' (no creation, no revocation). A new key is shown once: the creation (POST) keeps it
in the session and redirects (Post/Redirect/Get, so a reload makes no second key); the list's next GET
shows it and drops it from the session. The key is never logged, and these pages are never cached.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zcpark.core.exceptions import ApplicationError, service_error_text
from zcpark.core.forms import add_service_errors

from .integration_forms import IntegrationAccountForm
from .integration_permissions import can_view_integration_accounts
from .integration_selectors import (
    integration_account_events,
    integration_account_get_visible_to,
    integration_accounts_visible_to,
)
from .integration_services import (
    INTEGRATION_KEY_MAX_DAYS,
    integration_account_create,
    integration_account_revoke,
)
from .integration_workflow import INTEGRATION_ACCOUNT
from .models import IntegrationAccount, Park, Role

# The session entry holding a just-made key until the page after the creation shows it (once).
NEW_KEY_SESSION = "integration_new_key"


def _new_key_pop(
    request: HttpRequest, accounts: list[IntegrationAccount]
) -> tuple[str, IntegrationAccount | None]:
    """The key made by this user's last creation and its account among ``accounts``, or ("", None); the
    session forgets it either way."""
    kept = request.session.pop(NEW_KEY_SESSION, None)
    if not isinstance(kept, dict) or kept.get("user") != request.user.pk or not kept.get("key"):
        return "", None
    account = next((account for account in accounts if account.pk == kept.get("account")), None)
    return (str(kept["key"]), account) if account is not None else ("", None)


def _can_revoke(user: Any, account: IntegrationAccount) -> bool:
    """The revoke button: the machine's rule (role, scope and the account's state)."""
    return any(t.verb == "revoke" for t in INTEGRATION_ACCOUNT.actions_for(user, account))


def _form(user: Any, data: Any = None) -> IntegrationAccountForm | None:
    """The creation form for the roles that create (the province picks the park), else None."""
    if getattr(user, "role", None) == Role.PROVINCE_ADMIN:
        return IntegrationAccountForm(data, parks=Park.objects.with_places())
    if getattr(user, "role", None) == Role.PARK_STAFF:
        return IntegrationAccountForm(data)
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def integration_list(request: HttpRequest) -> HttpResponse:
    """The accounts the user sees; POST creates one and redirects here, where its key shows this once."""
    if not can_view_integration_accounts(request.user):
        raise PermissionDenied
    form = _form(request.user, request.POST or None)
    new_key, new_account = "", None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            park = form.cleaned_data.get("park") if "park" in form.fields else request.user.park
            try:
                new_account, new_key = integration_account_create(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    park=park,
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[NEW_KEY_SESSION] = {
                    "user": request.user.pk,
                    "account": new_account.pk,
                    "key": new_key,
                }
                return redirect("parks:integrations")
    accounts = list(integration_accounts_visible_to(user=request.user))
    if request.method == "GET":
        new_key, new_account = _new_key_pop(request, accounts)
    return render(
        request,
        "parks/integrations.html",
        {
            "accounts": [(account, _can_revoke(request.user, account)) for account in accounts],
            "form": form,
            "new_key": new_key,
            "new_account": new_account,
            "ttl_days": settings.INTEGRATION_KEY_TTL_DAYS,
            "max_days": INTEGRATION_KEY_MAX_DAYS,
        },
    )


@login_required
@never_cache
def integration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its scopes, dates, and what its platform wrote (audited as the platform)."""
    account = integration_account_get_visible_to(user=request.user, pk=pk)
    return render(
        request,
        "parks/integration_detail.html",
        {
            "account": account,
            "events": integration_account_events(account=account),
            "can_revoke": _can_revoke(request.user, account),
        },
    )


@login_required
@require_POST
def integration_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke the key (an optional reason as ``comment``): the machine checks who may (403) and that the
    account is still active (an account revoked already: the reason, as a message)."""
    account: IntegrationAccount = integration_account_get_visible_to(user=request.user, pk=pk)
    try:
        integration_account_revoke(account=account, by=request.user, comment=request.POST.get("comment", ""))
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, service_error_text(exc))
    else:
        messages.success(request, _("The key was revoked: the platform can no longer use the API with it."))
    return redirect("parks:integration-detail", pk=account.pk)
