"""The documents section a decision's page shows: what was issued for it, and an issue form for who may
issue (read by the ``official_documents`` template tag)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from ..document_models import DocumentKind, OfficialDocument
from ..permissions import can_issue_document, can_view_document
from ..selectors.documents import documents_of
from .kinds import SPECS


@dataclass(frozen=True)
class IssueForm:
    kind: str
    label: str
    url: str
    number: str
    issued_on: str
    # Issuing again supersedes this document (its number is the one to correct).
    replaces: OfficialDocument | None


@dataclass(frozen=True)
class DocumentsPanel:
    documents: list[OfficialDocument]
    forms: list[IssueForm]

    def __bool__(self) -> bool:
        return bool(self.documents or self.forms)


def documents_panel(user: Any, source: Model, kinds: tuple[str, ...]) -> DocumentsPanel:
    """The documents section of a decision's page: what was issued for ``source`` that ``user`` may
    download (an expert assigned to the evaluation sees its page, not its documents), and an issue form for each of ``kinds`` whose decision is taken and that
    ``user`` issues."""
    documents = [d for d in documents_of(source, kinds) if can_view_document(user, d)]
    forms = []
    for kind in kinds:
        spec = SPECS.get(kind)
        if spec is None or not can_issue_document(user, spec, source):
            continue
        try:
            spec.decided_on(source)
        except ValidationError:
            continue
        current = next((d for d in documents if d.kind == kind and not d.is_superseded), None)
        forms.append(
            IssueForm(
                kind=kind,
                label=str(DocumentKind(kind).label),
                url=reverse("applications:document-issue", args=[kind, source.pk]),
                number=current.number if current else spec.recorded_number(source),
                issued_on=timezone.localdate().isoformat(),
                replaces=current,
            )
        )
    return DocumentsPanel(documents=documents, forms=forms)
