from __future__ import annotations

from .views import bulk, calls, dossier, exemptions, exports, lists, review

app_name = "applications"
urlpatterns = [
    *bulk.urls,
    *calls.urls,
    *dossier.urls,
    *exemptions.urls,
    *exports.urls,
    *lists.urls,
    *review.urls,
]
