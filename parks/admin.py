from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from zcpark.core.admin import AuditedAdminMixin
from zcpark.core.exceptions import ApplicationError

from .admin_access import ProvinceAdminAccessMixin
from .models import City, DevelopmentZone, Park, User
from .two_factor import two_factor_reset
from .zone_catalog_imports import zone_catalog_history, zone_catalog_preview
from .zone_import import ZoneImportError, ZoneImportResult, ZoneImportRowError, zone_catalog_import


@admin.register(City)
class CityAdmin(ProvinceAdminAccessMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "plate"]
    search_fields = ["code", "name"]


@admin.register(DevelopmentZone)
class DevelopmentZoneAdmin(ProvinceAdminAccessMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "city", "level", "kind", "catalog_code"]
    list_filter = ["level", "kind", "city"]
    search_fields = ["name", "catalog_code"]
    list_select_related = ["city"]

    class ImportForm(forms.Form):
        file = forms.FileField(
            label=_("Catalog file"),
            help_text=_(
                "CSV or Excel (.xlsx) with the columns name, city_code, level, kind, catalog_code "
                "(or 名称, 设区市代码, 级别, 类型, 目录代码)."
            ),
            widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.xlsm"}),
        )
        dry_run = forms.BooleanField(label=_("Only check the file (write nothing)"), required=False)

    def get_urls(self) -> list[URLPattern]:
        # Before the default URLs: their "<path:object_id>/" would swallow "import/".
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a catalog file; every row error is listed, and nothing is written unless all rows pass."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.ImportForm(request.POST or None, request.FILES or None)
        row_errors: list[ZoneImportRowError] = []
        if request.method == "POST" and form.is_valid():
            upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
            try:
                if not dry_run:
                    # What the file changes is previewed; the import page saves or discards it.
                    batch = zone_catalog_preview(file=upload, filename=upload.name, by=request.user)
                    return redirect("core:import-preview", pk=batch.pk)
                result = zone_catalog_import(file=upload, filename=upload.name, by=request.user, dry_run=True)
            except ZoneImportError as exc:
                row_errors = exc.row_errors
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, self.import_summary(result, dry_run=dry_run))
                info = f"{self.opts.app_label}_{self.opts.model_name}"
                return redirect(f"admin:{info}_import")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import the development-zone catalog"),
            "opts": self.opts,
            "form": form,
            "row_errors": row_errors,
            "batches": zone_catalog_history(request.user),
        }
        return TemplateResponse(request, "admin/parks/developmentzone/import.html", context)

    @staticmethod
    def import_summary(result: ZoneImportResult, *, dry_run: bool) -> str:
        """The success message for an import (or a dry run) with its counts."""
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            message = gettext(
                "The file is valid. Importing it would create %(created)d, update %(updated)d "
                "and leave %(unchanged)d zones unchanged; nothing was written."
            )
        else:
            message = gettext(
                "Catalog imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            )
        return message % counts


@admin.register(Park)
class ParkAdmin(ProvinceAdminAccessMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "zone", "scope", "park_type", "managing_body"]
    list_filter = ["scope", "park_type", "zone__city"]
    search_fields = ["name", "zone__name", "managing_body"]
    list_select_related = ["zone", "zone__city"]
    autocomplete_fields = ["zone"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "park", "city", "is_active"]
    list_filter = ["role", "city", "is_active", "is_staff"]
    list_select_related = ["park", "city"]
    autocomplete_fields = ["park", "city"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Role and scope"),
            {"fields": ("role", "park", "city", "phone", "organisation", "affiliation_city")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "park", "city")}),
    )
    actions = ["reset_two_factor"]

    # A platform's service user (is_machine) is what its integration key reaches: its park, role and
    # rights change only with the integration account (the portal's audited services), so the admin
    # shows it read-only (no edit, no password, no deletion).
    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_machine:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if obj is not None and obj.is_machine:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: Any) -> None:
        """The province removes the authenticators of the chosen accounts, each audited by the service."""
        done = 0
        for account in queryset:
            try:
                done += int(two_factor_reset(user=account, by=request.user, comment="Django admin"))
            except PermissionDenied:
                self.message_user(
                    request,
                    gettext("You may not reset the two-factor sign-in of %(username)s.")
                    % {"username": account.username},
                    messages.ERROR,
                )
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in reset for %(count)d account.",
                "Two-factor sign-in reset for %(count)d accounts.",
                done,
            )
            % {"count": done},
        )


# Tokens are issued and revoked through the portal's audited services (the 我的 API 令牌 page, the API),
# never minted unaudited in the admin.
if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)
