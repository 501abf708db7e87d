"""An upload through the import preview, as a user clicks it: the upload answers with the preview
(nothing stored yet), then the preview's "Save the import" stores it (zcpark.core.imports)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from zcpark.core.models import ImportBatch, ImportStatus


def upload_previewed(client: Client, url: str, data: dict[str, Any]) -> ImportBatch:
    """POST the upload form at ``url``; it must redirect to the preview of a new batch, which is returned."""
    before = set(ImportBatch.objects.values_list("pk", flat=True))
    response = client.post(url, data)
    (batch,) = ImportBatch.objects.exclude(pk__in=before)
    assert response.status_code == 302 and response["Location"] == reverse(
        "core:import-preview", args=[batch.pk]
    )
    assert batch.status == ImportStatus.PREVIEWED
    return batch


def import_saved(client: Client, batch: ImportBatch, *, follow: bool = False) -> Any:
    """Click the preview's "Save the import"; the answer (followed to the target's page when ``follow``)."""
    response = client.post(reverse("core:import-commit", args=[batch.pk]), follow=follow)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    return response


def upload_saved(client: Client, url: str, data: dict[str, Any], *, follow: bool = False) -> Any:
    """Upload at ``url`` and save its preview: the commit's answer (redirected back to ``url``'s page)."""
    return import_saved(client, upload_previewed(client, url, data), follow=follow)
