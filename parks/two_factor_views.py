"""Pages of two-factor sign-in: the code after the password, the set-up with its QR code, the recovery
codes shown once, one's own settings, and the province's reset of a lost phone. Thin: form → service."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from zcpark.core.forms import add_service_errors

from . import permissions, selectors
from .two_factor import (
    NEW_CODES_SESSION_KEY,
    SESSION_FLAG,
    has_two_factor,
    is_verified,
    qr_svg,
    recovery_code_display,
    recovery_codes_left,
    role_requires_two_factor,
    safe_next,
    secret_groups,
    two_factor_disable,
    two_factor_enrolment_confirm,
    two_factor_enrolment_start,
    two_factor_recovery_codes_regenerate,
    two_factor_reset,
    two_factor_verify,
)
from .two_factor_forms import PasswordConfirmForm, TwoFactorEnrolForm, TwoFactorVerifyForm


def _next(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _refuse(form: Any, exc: ValidationError) -> None:
    """Put a service's refusal on the form, and mark the code field as wrong (the form itself was valid)."""
    add_service_errors(form, exc)
    widget = form.fields["code"].widget
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _code_page_first(request: HttpRequest) -> HttpResponse | None:
    """Changing how an account signs in takes a session that showed its code (when it has an app)."""
    if has_two_factor(request.user) and not is_verified(request.user):
        return redirect(_with_next("two_factor_verify", request.get_full_path()))
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the authenticator's code, or a recovery code."""
    user, next_url = request.user, _next(request)
    if is_verified(user):
        return redirect(next_url)
    if not has_two_factor(user):
        # Reset by the province (or turned off elsewhere) since this session began.
        if role_requires_two_factor(user):
            return redirect(_with_next("two_factor_enrol", next_url))
        request.session.pop(SESSION_FLAG, None)
        return redirect(next_url)
    form = TwoFactorVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if outcome.device is not None:
            otp_login(request, outcome.device)
            if outcome.recovery_left is not None:
                left = outcome.recovery_left
                message = ngettext(
                    "You signed in with a recovery code; %(left)d code is left. If your phone is lost, set up "
                    "the authenticator again and print new recovery codes.",
                    "You signed in with a recovery code; %(left)d codes are left. If your phone is lost, set up "
                    "the authenticator again and print new recovery codes.",
                    left,
                )
                messages.warning(request, message % {"left": left})
            return redirect(next_url)
        if outcome.throttled_until is not None:
            until = time_format(timezone.localtime(outcome.throttled_until), "H:i:s")
            message = _("Too many wrong codes: try again after %(time)s.") % {"time": until}
        else:
            message = _("The code is not right. Check the time on your phone and try again.")
        _refuse(form, ValidationError({"code": [message]}))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the secret), then type its first code."""
    user, next_url = request.user, _next(request)
    if (response := _code_page_first(request)) is not None:
        return response
    replacing = has_two_factor(user)
    device = two_factor_enrolment_start(user=user)
    form = TwoFactorEnrolForm(request.POST or None, user=user, replacing=replacing)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = two_factor_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            _refuse(form, exc)
        else:
            otp_login(request, enrolment.device)
            request.session[SESSION_FLAG] = True
            request.session[NEW_CODES_SESSION_KEY] = enrolment.recovery_codes
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(_with_next("two_factor_codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "qr": qr_svg(device),
        "secret": secret_groups(device),
        "replacing": replacing,
        "required": role_requires_two_factor(user),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown this once (they leave the session as the page is drawn)."""
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None) or []
    context = {
        "codes": [recovery_code_display(code) for code in codes],
        "left": recovery_codes_left(request.user),
        "next": _next(request),
    }
    return render(request, "registration/two_factor_codes.html", context)


def _manage_page(
    request: HttpRequest,
    regenerate_form: PasswordConfirmForm | None = None,
    disable_form: PasswordConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "enabled": has_two_factor(user),
        "required": role_requires_two_factor(user),
        "left": recovery_codes_left(user),
        "regenerate_form": regenerate_form or PasswordConfirmForm(user=user, prefix="regenerate"),
        "disable_form": disable_form or PasswordConfirmForm(user=user, prefix="disable"),
    }
    return render(request, "registration/two_factor_manage.html", context, status=status)


@never_cache
@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """One's own two-factor settings: turn on, move to a new phone, new recovery codes, turn off."""
    return _code_page_first(request) or _manage_page(request)


@login_required
@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    if (response := _code_page_first(request)) is not None:
        return response
    form = PasswordConfirmForm(request.POST, user=request.user, prefix="regenerate")
    if not form.is_valid():
        return _manage_page(request, regenerate_form=form, status=400)
    try:
        codes = two_factor_recovery_codes_regenerate(user=request.user, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("two_factor")
    request.session[NEW_CODES_SESSION_KEY] = codes
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return redirect(_with_next("two_factor_codes", reverse("two_factor")))


@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    if (response := _code_page_first(request)) is not None:
        return response
    form = PasswordConfirmForm(request.POST, user=request.user, prefix="disable")
    if not form.is_valid():
        return _manage_page(request, disable_form=form, status=400)
    try:
        two_factor_disable(user=request.user, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session.pop(SESSION_FLAG, None)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")


@login_required
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """The province removes an account's authenticator (a lost phone), from the account's page."""
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    account = selectors.user_get_manageable(by=request.user, pk=pk)
    if two_factor_reset(user=account, by=request.user):
        messages.success(
            request,
            _(
                "Two-factor sign-in of %(username)s was reset: they set up their new phone at the next sign-in."
            )
            % {"username": account.username},
        )
    else:
        messages.info(
            request, _("%(username)s has no two-factor sign-in to reset.") % {"username": account.username}
        )
    return redirect("parks:user-edit", pk=account.pk)
