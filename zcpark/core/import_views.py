"""The pages of an import: its preview (what would change, the indicators it would give, its warnings, and
the buttons to save or discard it) and the moves a target's history offers (undo the latest saved import).
Scope first: a batch whose target the user does not see is 404; a move the user may not make is 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .exceptions import ApplicationError, service_error_text
from .import_origins import origin_refusal
from .imports import (
    IMPORT_BATCH,
    IMPORTERS,
    import_back_url,
    import_commit,
    import_discard,
    import_history_for,
    import_rollback,
)
from .models_imports import ImportBatch, ImportStatus

CHANGE_LABELS = {
    "added": gettext_lazy("Added"),
    "changed": gettext_lazy("Changed"),
    "removed": gettext_lazy("Removed"),
}


def _batch_seen(request: HttpRequest, pk: int) -> tuple[ImportBatch, Any]:
    """The batch and its target, when the user sees the target (else 404)."""
    batch = get_object_or_404(ImportBatch.objects.select_related("target_type", "created_by"), pk=pk)
    importer = IMPORTERS.get(batch.kind)
    target = batch.target
    if importer is None or target is None or not importer.sees(request.user, target):
        raise Http404
    return batch, target


@login_required
@require_GET
def import_preview_page(request: HttpRequest, pk: int) -> HttpResponse:
    batch, target = _batch_seen(request, pk)
    importer = IMPORTERS[batch.kind]
    actions = {t.verb for t in IMPORT_BATCH.actions_for(request.user, batch)}
    history = import_history_for(request.user, target)
    # A preview or an import made from a record that no longer accepts changes (a submitted dossier or
    # report): neither saved nor undone; the page says why.
    refusal = (
        origin_refusal(batch) if batch.status in (ImportStatus.PREVIEWED, ImportStatus.COMMITTED) else None
    )
    context = {
        "batch": batch,
        "importer": importer,
        "target": target,
        "target_url": import_back_url(batch, target),
        "rows": [{**row, "change_label": CHANGE_LABELS[row["change"]]} for row in batch.diff],
        "counts": batch.counts,
        "may_commit": "commit" in actions and bool(batch.diff) and refusal is None,
        "may_discard": "discard" in actions,
        "may_undo": any(b.pk == batch.pk and b.can_undo for b in history),  # type: ignore[attr-defined]
        "batches": history,
        "previewed": batch.status == ImportStatus.PREVIEWED,
        "origin_refusal": refusal.message if refusal is not None and actions else "",
    }
    return render(request, "core/import_preview.html", context)


def _move(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    batch, target = _batch_seen(request, pk)
    try:
        service(batch=batch, by=request.user, comment=request.POST.get("comment", ""))
    except (ApplicationError, ValidationError) as exc:
        messages.error(request, service_error_text(exc))
        return redirect("core:import-preview", pk=batch.pk)
    messages.success(request, done)
    return redirect(import_back_url(batch, target))


@login_required
@require_POST
def import_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, import_commit, _("The import was saved."))


@login_required
@require_POST
def import_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, import_discard, _("The import was discarded; nothing was saved."))


@login_required
@require_POST
def import_rollback_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, import_rollback, _("The import was undone: the data is back as it was before."))
