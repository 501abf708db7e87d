"""Two-factor sign-in (等保 三级 asks two factors for the accounts that decide): a one-time code from an
authenticator app (TOTP, django-otp) after the password, and ten one-time recovery codes for a lost phone.

Who must: the roles in settings.TWO_FACTOR_ROLES (empty by default and in the demo: off). Anyone else may
turn it on for their own account, and is then asked for the code at every sign-in too. The password step
stays Django's (django-axes keeps counting its failures); the session it opens is held at the code (or,
for a required role with no authenticator yet, the set-up) page by ``TwoFactorRequiredMiddleware`` until
the code is right. Wrong codes slow down exponentially (django-otp's throttling) and are audited.

API tokens are not sessions: the token endpoint asks ``otp_required`` and checks ``otp_code_valid``.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zcpark.core.services import audit_event_record

from .models import Role, User
from .permissions import can_manage_account

# Set at sign-in when the account has an authenticator, so the middleware asks for the code without a
# query per request (a role in TWO_FACTOR_ROLES needs no flag: the role says it).
SESSION_FLAG = "two_factor_device"
# New recovery codes wait here for the one page that shows them, and are gone once shown.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
# The pages an account held at the second step may still open (besides static files).
OPEN_URL_NAMES = (
    "two_factor_verify",
    "two_factor_enrol",
    "two_factor_codes",
    "logout",
    "set_language",
    "healthz",
)


# -- who must, who has -------------------------------------------------------------------------------


def role_requires_two_factor(user: Any) -> bool:
    """Whether ``user``'s role must sign in with two factors (settings.TWO_FACTOR_ROLES)."""
    return bool(user is not None and user.is_authenticated and user.role in settings.TWO_FACTOR_ROLES)


def has_two_factor(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def otp_required(user: Any) -> bool:
    """Whether a token for ``user`` needs a one-time code besides the password: its role requires two
    factors or it turned them on. A required role with no authenticator yet gets no token until it sets
    one up in the portal (``otp_code_valid`` is then always false)."""
    if user is None or not user.is_active:
        return False
    return role_requires_two_factor(user) or has_two_factor(user)


def otp_code_valid(user: Any, code: str) -> bool:
    """Whether ``code`` (the authenticator's current code, or an unused recovery code, which it uses up)
    is right for ``user``; a wrong one is throttled and audited like one typed on the sign-in page."""
    return two_factor_verify(user=user, code=code).device is not None


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and hyphens (recovery codes are shown as abcd-efgh) ignored."""
    return "".join(code.split()).replace("-", "").lower()


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


# -- writes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyOutcome:
    """What a code did: the device that accepted it (None: refused), when a throttled device will listen
    again, and how many recovery codes are left when one was used."""

    device: Device | None
    throttled_until: datetime | None = None
    recovery_left: int | None = None


def two_factor_verify(*, user: User, code: str) -> VerifyOutcome:
    """Check a sign-in code against ``user``'s authenticator (digits) or recovery codes (letters), under a
    row lock so two requests cannot both use one code. A wrong code counts on the device (each failure
    doubles the wait before the next try) and leaves an audit event with the count of failures in a row."""
    code = normalise_code(code)
    with transaction.atomic():
        model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if _is_totp_code(code) else StaticDevice
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is not None:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                return VerifyOutcome(None, throttled_until=(info or {}).get("locked_until"))
            if code and device.verify_token(code):
                if isinstance(device, TOTPDevice):
                    return VerifyOutcome(device)
                left = device.token_set.count()
                audit_event_record(
                    actor=user, target=user, action="two_factor_recovery_used", comment=str(left)
                )
                return VerifyOutcome(device, recovery_left=left)
        failures = device.throttling_failure_count if device is not None else 0
        audit_event_record(actor=user, target=user, action="two_factor_failed", comment=str(failures))
    return VerifyOutcome(None)


def _devices_delete(user: User) -> bool:
    """Remove every authenticator and recovery code of ``user``; whether two-factor sign-in was on."""
    was_on = has_two_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return was_on


def _recovery_codes_replace(user: User) -> list[str]:
    """Ten new recovery codes in place of any old ones (which stop working)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return sorted(codes)


@transaction.atomic
def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The secret being set up: kept unconfirmed (it signs nothing in) until a code from it is typed, so
    reloading the page shows the same QR code. Not audited: nothing changes until it is confirmed."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return pending or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def two_factor_enrolment_confirm(*, user: User, code: str) -> Enrolment:
    """Turn on two-factor sign-in with the secret being set up, once ``code`` proves the app has it; an
    authenticator already there is replaced (a new phone) and ten new recovery codes are made. A wrong
    code raises ValidationError; its failure still counts on the device (it is not rolled back)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        )
        accepted = device is not None and device.verify_token(normalise_code(code))
        if device is not None and accepted:
            replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
            was_on = replaced.filter(confirmed=True).exists()
            replaced.delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _recovery_codes_replace(user)
            audit_event_record(
                actor=user,
                target=user,
                action="two_factor_enrolled",
                from_state="on" if was_on else "off",
                to_state="on",
                comment="authenticator replaced" if was_on else "",
            )
            return Enrolment(device=device, recovery_codes=codes)
    if device is None:
        raise ValidationError(_("The set-up has expired: open the page again to get a new QR code."))
    raise ValidationError({"code": [_("The code is not right. Check the time on your phone and try again.")]})


def _check_own_account(user: User, by: User) -> None:
    if by.pk != user.pk:
        raise PermissionDenied


@transaction.atomic
def two_factor_recovery_codes_regenerate(*, user: User, by: User) -> list[str]:
    """New recovery codes for one's own account (the old ones stop working)."""
    _check_own_account(user, by)
    if not has_two_factor(user):
        raise ValidationError(_("Two-factor sign-in is not on for this account."))
    codes = _recovery_codes_replace(user)
    audit_event_record(actor=by, target=user, action="two_factor_codes_regenerated")
    return codes


@transaction.atomic
def two_factor_disable(*, user: User, by: User) -> bool:
    """Turn off one's own two-factor sign-in (not for a role that must have it); whether it was on."""
    _check_own_account(user, by)
    if role_requires_two_factor(user):
        raise ValidationError(_("Your role must sign in with two factors: it cannot be turned off."))
    was_on = _devices_delete(user)
    if was_on:
        audit_event_record(
            actor=by, target=user, action="two_factor_disabled", from_state="on", to_state="off"
        )
    return was_on


@transaction.atomic
def two_factor_reset(*, user: User, by: User | None, comment: str = "") -> bool:
    """The province removes an account's authenticator and recovery codes (a lost phone, a new one): the
    user signs in with the password and, if the role requires it, sets up the new phone. Whether it was on."""
    if by is not None and not can_manage_account(by, user):
        raise PermissionDenied
    was_on = _devices_delete(user)
    if was_on:
        audit_event_record(
            actor=by, target=user, action="two_factor_reset", from_state="on", to_state="off", comment=comment
        )
    return was_on


# -- what the set-up page shows ------------------------------------------------------------------------


def secret_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The app's set-up link as an inline SVG QR code: drawn by segno from the device's own URL (no user
    text in it but the user name, inside the encoded path), with classes only, nothing a CSP forbids."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="two-factor-qr img-fluid", lineclass=None
    )
    return format_html("{}", SafeString(svg))


def recovery_code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# -- the session's second step -------------------------------------------------------------------------


def is_verified(user: Any) -> bool:
    """Whether this session's user typed a right code (set by django-otp's middleware and login)."""
    check: Callable[[], bool] | None = getattr(user, "is_verified", None)
    if check is not None:
        return bool(check())
    return getattr(user, "otp_device", None) is not None


def needs_second_factor(request: HttpRequest, user: Any) -> bool:
    """Whether this session must show a code: the role requires it, or the account had an authenticator
    when it signed in. No query: the role is on the user, the flag in the session."""
    return role_requires_two_factor(user) or bool(request.session.get(SESSION_FLAG))


def safe_next(request: HttpRequest, candidate: str | None, default: str | None = None) -> str:
    """``candidate`` when it points into this site, else ``default`` (the home page)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def second_step_url(request: HttpRequest, next_url: str = "") -> str | None:
    """Where a signed-in session must go before anything else (the code or the set-up page), or None."""
    user = request.user
    if not user.is_authenticated or not needs_second_factor(request, user) or is_verified(user):
        return None
    name = "two_factor_verify" if has_two_factor(user) else "two_factor_enrol"
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At every sign-in (the portal's, the admin's): remember whether the account has an authenticator."""
    if request is None or not hasattr(request, "session"):
        return
    if has_two_factor(user):
        request.session[SESSION_FLAG] = True
    else:
        request.session.pop(SESSION_FLAG, None)


def two_factor_ready() -> None:
    """Connect the sign-in receiver and name the audit actions (called from ParksConfig.ready)."""
    from django.contrib.auth.signals import user_logged_in

    from zcpark.core.models import register_action_labels

    user_logged_in.connect(_signed_in, dispatch_uid="parks.two_factor_signed_in")
    register_action_labels(
        {
            "two_factor_enrolled": gettext_lazy("Two-factor sign-in turned on"),
            "two_factor_codes_regenerated": gettext_lazy("Recovery codes renewed"),
            "two_factor_disabled": gettext_lazy("Two-factor sign-in turned off"),
            "two_factor_reset": gettext_lazy("Two-factor sign-in reset by the province"),
            "two_factor_failed": gettext_lazy("Wrong sign-in code"),
            "two_factor_recovery_used": gettext_lazy("Recovery code used"),
        }
    )


def _api_token_schemes() -> set[str]:
    """The Authorization schemes the API's token classes read (a request with one is not a session's)."""
    from rest_framework.settings import api_settings

    schemes = set()
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        header = cast(Any, authentication)().authenticate_header(HttpRequest())
        if header:
            schemes.add(header.split()[0].lower())
    return schemes


class TwoFactorRequiredMiddleware:
    """Holds a session whose account needs a second factor at the code (or set-up) page until it is
    right: pages redirect there, the API answers 403. Static files, health, language, sign-out and the
    second-step pages themselves stay open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        unknown = set(settings.TWO_FACTOR_ROLES) - set(Role.values)
        if unknown:
            # A misspelt role would silently leave those accounts on a password alone.
            raise ImproperlyConfigured(
                f"TWO_FACTOR_ROLES names unknown roles {sorted(unknown)}; known: {sorted(Role.values)}"
            )
        self._token_schemes: set[str] | None = None
        self._open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._open(request):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or not needs_second_factor(request, user) or is_verified(user):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Finish signing in with your two-factor code first."), "errors": {}}, status=403
            )
        if request.headers.get("HX-Request"):
            # A fragment's URL is no page to come back to: the page that asked for it is.
            target = second_step_url(request, request.headers.get("HX-Current-URL", ""))
        else:
            target = second_step_url(request, request.get_full_path() if request.method == "GET" else "")
        if target is None:  # cannot happen: the conditions above are second_step_url's
            return self.get_response(request)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)

    def _open(self, request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        if self._open_paths is None:
            self._open_paths = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        if request.path in self._open_paths:
            return True
        if request.path.startswith("/api/"):
            if self._token_schemes is None:
                self._token_schemes = _api_token_schemes()
            scheme = request.headers.get("Authorization", "").split(" ", 1)[0].lower()
            return bool(scheme) and scheme in self._token_schemes
        return False
