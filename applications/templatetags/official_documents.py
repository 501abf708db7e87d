"""The documents section a decision's page includes: ``{% official_documents source "approval" %}``."""

from __future__ import annotations

from typing import Any

from django import template

from ..official.panel import documents_panel
from ..selectors.documents import public_list_documents

register = template.Library()


@register.inclusion_tag("applications/partials/_official_documents.html", takes_context=True)
def official_documents(context: template.Context, source: Any, kinds: str) -> dict[str, Any]:
    """What was issued for ``source`` (a decision the reader sees) and, for who issues them, a form per
    kind in ``kinds`` (comma-separated) whose decision is taken."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "documents": documents_panel(user, source, tuple(kinds.split(","))),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("applications/partials/_list_notice.html")
def list_notice_documents(construction_list: Any) -> dict[str, Any]:
    """The published list's notice in force, for its public page."""
    return {"documents": public_list_documents(construction_list)}
