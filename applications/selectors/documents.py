"""Reads of official documents: a decision's documents, the one in force, a user's documents, a list's
public notice."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404

from ..document_models import DocumentKind, OfficialDocument
from ..permissions import can_view_document, document_visibility


def _for_source(source: Model) -> QuerySet[OfficialDocument]:
    return OfficialDocument.objects.filter(
        source_type=ContentType.objects.get_for_model(source, for_concrete_model=False), source_id=source.pk
    )


def document_current(spec: Any, source: Model) -> OfficialDocument | None:
    """The document of ``spec``'s kind for ``source`` still in force (superseded by none), if any."""
    return (
        _for_source(source)
        .filter(kind=spec.kind, superseded_by__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def documents_of(source: Model, kinds: tuple[str, ...] | None = None) -> QuerySet[OfficialDocument]:
    """Every document issued for ``source`` (of ``kinds``), newest first, superseded ones included."""
    qs = _for_source(source).select_related("generated_by", "superseded_by", "supersedes")
    return qs.filter(kind__in=kinds) if kinds else qs


def document_list_visible_to(
    *, user: Any, filters: dict[str, Any] | None = None
) -> QuerySet[OfficialDocument]:
    filters = filters or {}
    qs = OfficialDocument.objects.filter(document_visibility(user)).select_related(
        "park", "city", "superseded_by", "supersedes", "source_type", "generated_by"
    )
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("park"):
        qs = qs.filter(park_id=filters["park"])
    if filters.get("source_id"):
        qs = qs.filter(source_id=filters["source_id"])
    return qs


def document_get_for_user(*, user: Any, pk: int) -> OfficialDocument:
    document = OfficialDocument.objects.select_related("superseded_by", "supersedes").filter(pk=pk).first()
    if document is None or not can_view_document(user, document):
        raise Http404
    return document


def public_list_documents(construction_list: Model) -> list[OfficialDocument]:
    """The list's notice in force, for its public page."""
    return list(documents_of(construction_list, (DocumentKind.LIST,)).filter(superseded_by__isnull=True))
