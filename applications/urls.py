from __future__ import annotations

from .views import bulk, calls, documents, dossier, exemptions, exports, lists, objections, review, threads

app_name = "applications"
urlpatterns = [
    *bulk.urls,
    *calls.urls,
    *documents.urls,
    *dossier.urls,
    *exemptions.urls,
    *exports.urls,
    *lists.urls,
    *objections.urls,
    *review.urls,
    *threads.urls,
]
