"""Shared pieces of the applications API: access checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from ...models import Application
from ...permissions import can_create_application


def _require_park_staff(user: Any, application: Application) -> None:
    """403 unless ``user`` is the application's park staff; the services then check the state (400)."""
    # "May start an application for this park" is exactly "is this park's staff".
    if not can_create_application(user, application.park):
        raise PermissionDenied
