"""Who may use the Django admin: the province's admins and superusers (the roles live in parks)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zcpark.core.models import AuditEvent, OutboxMessage

from .permissions import is_province_admin


def _province(request: HttpRequest) -> bool:
    """The Django admin is the province's: its admins and superusers."""
    user = request.user
    return user.is_active and (user.is_superuser or is_province_admin(user))


class ReadOnlyProvinceAdmin(admin.ModelAdmin):
    """Readable by the province's admins and superusers; written only through the services."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _province(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyProvinceAdmin):
    """The audit trail is append-only: readable here, never editable."""

    list_display = ["created_at", "actor", "target_repr", "action", "from_state", "to_state"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "comment", "actor__username"]
    list_select_related = ["actor", "target_type"]


class ProvinceAdminAccessMixin:
    """Reference data in the Django admin: the province's admins (and superusers) maintain it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _province(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _province(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _province(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _province(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _province(request)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyProvinceAdmin):
    """The tasks changes have queued: what is still unsent (the broker was down) and why."""

    list_display = ["created_at", "task", "args", "sent_at", "attempts", "last_error"]
    list_filter = ["task", ("sent_at", admin.EmptyFieldListFilter)]
