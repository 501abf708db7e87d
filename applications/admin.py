"""Read-only admin views: calls, dossiers, reviews and lists change only through the services (and their audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parks.admin_access import ReadOnlyProvinceAdmin
from parks.permissions import is_province_admin

from .models import (
    Application,
    ApplicationRevision,
    Attachment,
    Call,
    ConstructionList,
    ConstructionListEntry,
    DossierExport,
    DossierSection,
    OfficialDocument,
    ReviewOpinion,
)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on their parent's page, to the same readers, never edited here."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or is_province_admin(user))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Every shown field is read-only: a timestamp (auto_now) cannot even be a form field, and
        # listing it among editable fields made the parent's page answer 500.
        return list(self.fields or super().get_readonly_fields(request, obj))


@admin.register(Call)
class CallAdmin(ReadOnlyProvinceAdmin):
    list_display = ["title", "status", "deadline", "quota_per_city", "opened_at", "closed_at", "created_by"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    search_fields = ["title", "description"]
    date_hierarchy = "deadline"


class DossierSectionInline(ReadOnlyInline):
    model = DossierSection
    fields = ["code", "is_complete", "updated_by", "updated_at"]


class ReviewOpinionInline(ReadOnlyInline):
    model = ReviewOpinion
    fields = ["revision_number", "stage", "action", "text", "author", "created_at"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyProvinceAdmin):
    list_display = [
        "park",
        "call",
        "status",
        "revision",
        "submitted_at",
        "decided_at",
        "total_investment_wan",
    ]
    list_filter = ["status", "call", "park__zone__city"]
    list_select_related = ["park", "park__zone", "park__zone__city", "call"]
    search_fields = ["park__name", "call__title"]
    date_hierarchy = "submitted_at"
    inlines = [DossierSectionInline, ReviewOpinionInline]


@admin.register(ApplicationRevision)
class ApplicationRevisionAdmin(ReadOnlyProvinceAdmin):
    list_display = ["application", "number", "submitted_by", "created_at"]
    list_select_related = ["application", "application__park", "application__call", "submitted_by"]
    search_fields = ["application__park__name"]


@admin.register(ReviewOpinion)
class ReviewOpinionAdmin(ReadOnlyProvinceAdmin):
    list_display = ["application", "revision_number", "stage", "action", "author", "created_at"]
    list_filter = ["stage", "action"]
    list_select_related = ["application", "application__park", "application__call", "author"]
    search_fields = ["application__park__name", "text"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyProvinceAdmin):
    list_display = ["application", "kind", "original_name", "size_bytes", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["application", "application__park", "application__call", "uploaded_by"]
    search_fields = ["application__park__name", "original_name", "title", "sha256"]


class ConstructionListEntryInline(ReadOnlyInline):
    model = ConstructionListEntry
    fields = [
        "park",
        "application",
        "removed_on",
        "removal_document_no",
        "removed_in_version",
        "removal_reason",
    ]


@admin.register(ConstructionList)
class ConstructionListAdmin(ReadOnlyProvinceAdmin):
    list_display = ["title", "document_no", "status", "objection_deadline", "published_at", "version"]
    list_filter = ["status"]
    search_fields = ["title", "document_no"]
    inlines = [ConstructionListEntryInline]


@admin.register(ConstructionListEntry)
class ConstructionListEntryAdmin(ReadOnlyProvinceAdmin):
    list_display = ["park", "construction_list", "removed_on", "removal_document_no", "removed_in_version"]
    list_filter = ["construction_list", "park__zone__city"]
    list_select_related = ["park", "construction_list"]
    search_fields = ["park__name", "construction_list__title", "removal_reason"]


@admin.register(DossierExport)
class DossierExportAdmin(ReadOnlyProvinceAdmin):
    list_display = ["application", "kind", "revision_number", "status", "requested_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["application", "application__park", "application__call", "requested_by"]
    search_fields = ["application__park__name"]


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(ReadOnlyProvinceAdmin):
    list_display = ["number", "title", "kind", "issuer", "issued_on", "park", "supersedes", "generated_by"]
    list_filter = ["kind", "issuer"]
    list_select_related = ["park", "supersedes", "generated_by"]
    search_fields = ["number", "title", "park__name"]
