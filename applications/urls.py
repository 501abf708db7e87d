from __future__ import annotations

from .views import bulk, calls, documents, dossier, exports, lists, review

app_name = "applications"
urlpatterns = [
    *bulk.urls,
    *calls.urls,
    *documents.urls,
    *dossier.urls,
    *exports.urls,
    *lists.urls,
    *review.urls,
]
