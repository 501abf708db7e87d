"""Signing in and out and changing one's password (names without a namespace: Django's auth expects them)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import PortalAuthenticationForm, PortalPasswordChangeForm

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
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
