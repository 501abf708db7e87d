from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import City, DevelopmentZone, Park, User


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plate"]
    search_fields = ["code", "name"]


@admin.register(DevelopmentZone)
class DevelopmentZoneAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "level", "kind", "catalog_code"]
    list_filter = ["level", "kind", "city"]
    search_fields = ["name", "catalog_code"]
    list_select_related = ["city"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
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
        (_("Role and scope"), {"fields": ("role", "park", "city", "phone", "organisation")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ("role", "park", "city")}),
    )
