from __future__ import annotations

from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from zcpark.core.api import DocsPermission
from zcpark.core.views import healthz, status_page

DOCS = [DocsPermission]

# The error pages: the portal's frame in the reader's language (a 500 needs no database), JSON under /api/.
handler400 = "zcpark.core.views.bad_request"
handler403 = "zcpark.core.views.permission_denied"
handler404 = "zcpark.core.views.not_found"
handler500 = "zcpark.core.views.server_error"

api_v1 = [
    path("", include("parks.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("applications.api.urls")),
    path("", include("evaluation.api.urls")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=DOCS), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=DOCS),
        name="api-docs",
    ),
    path(
        "redoc/",
        # Redoc's CSS-in-JS adds style elements it cannot all give a nonce, and its search runs in a blob:
        # worker: this page alone allows both (templates/drf_spectacular/redoc.html).
        csp_replace({"style-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
            SpectacularRedocView.as_view(url_name="api-schema", permission_classes=DOCS)
        ),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("parks.urls")),
    path("indicators/", include("indicators.urls", namespace="indicators")),
    path("", include("applications.urls", namespace="applications")),
    path("", include("evaluation.urls", namespace="evaluation")),
    path("accounts/", include("parks.account_urls")),
    # Every import's preview, save, discard and undo (zcpark.core.imports).
    path("imports/", include("zcpark.core.urls", namespace="core")),
    path("i18n/setlang/", set_language, name="set_language"),
    # For machines (containers, the probe): JSON, 503 when a check fails.
    path("healthz", healthz, name="healthz"),
    # For people (the footer's 系统状态): each service in words.
    path("status/", status_page, name="status"),
    path("api/v1/", include(api_v1)),
    path(settings.ADMIN_PATH, admin.site.urls),
]

# No /media/ route, not even with DEBUG: attachments, exports and reports are private, served only by the
# views that check who asks (see "media storage" in settings).
