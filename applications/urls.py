from __future__ import annotations

from .views import calls, dossier, exports, lists, review

app_name = "applications"
urlpatterns = [*calls.urls, *dossier.urls, *exports.urls, *lists.urls, *review.urls]
