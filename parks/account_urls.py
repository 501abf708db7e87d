"""Signing in and out and changing one's password (names without a namespace: Django's auth expects them)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

from .forms import PortalAuthenticationForm, PortalPasswordChangeForm
from .services import api_tokens_revoke


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's password also ends one's API token (whoever had the old password may hold it)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        api_tokens_revoke(user=form.user, by=form.user, reason="password changed")
        return response


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
