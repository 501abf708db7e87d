from __future__ import annotations

from .views import bulk, calls, dossier, exports, lists, review, threads

app_name = "applications"
urlpatterns = [
    *bulk.urls,
    *calls.urls,
    *dossier.urls,
    *exports.urls,
    *lists.urls,
    *review.urls,
    *threads.urls,
]
