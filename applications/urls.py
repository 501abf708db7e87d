from __future__ import annotations

from .views import (
    attachments,
    bulk,
    calls,
    documents,
    dossier,
    exemptions,
    exports,
    lists,
    objections,
    review,
    tables,
    threads,
)

app_name = "applications"
urlpatterns = [
    *attachments.urls,
    *bulk.urls,
    *calls.urls,
    *documents.urls,
    *dossier.urls,
    *exemptions.urls,
    *exports.urls,
    *lists.urls,
    *objections.urls,
    *review.urls,
    *tables.urls,
    *threads.urls,
]
