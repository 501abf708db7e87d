"""Signing in and out and changing one's password (names without a namespace: Django's auth expects them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path

from . import two_factor_views
from .forms import PortalAuthenticationForm, PortalPasswordChangeForm
from .services import api_tokens_revoke
from .two_factor import second_step_url


class LoginView(auth_views.LoginView):
    """The password step as before (django-axes counts its failures); an account that needs a second
    factor goes on to its code (or, for a required role without an authenticator, to the set-up)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        step = second_step_url(self.request, response["Location"])
        return HttpResponseRedirect(step) if step else response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password also ends all one's API tokens (whoever had the old password may hold one)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_revoke(user=form.user, by=form.user, reason="password changed")
        return response


urlpatterns = [
    path(
        "login/",
        LoginView.as_view(authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("two-factor/", two_factor_views.manage, name="two_factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/set-up/", two_factor_views.enrol, name="two_factor_enrol"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_codes"),
    path("two-factor/recovery-codes/new/", two_factor_views.regenerate, name="two_factor_regenerate"),
    path("two-factor/off/", two_factor_views.disable, name="two_factor_disable"),
    path("users/<int:pk>/two-factor/reset/", two_factor_views.reset, name="two_factor_reset"),
]
