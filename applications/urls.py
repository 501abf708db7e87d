from __future__ import annotations

from .views import dossier, lists

app_name = "applications"
urlpatterns = [*dossier.urls, *lists.urls]
