"""Production: secrets from the environment, secure cookies, compressed static files."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from zcpark.core.logging import build_logging

from .base import *  # noqa: F403
from .base import CACHES, REST_FRAMEWORK, SECRET_KEY, STORAGES, env

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

DEBUG = False
# Throttling (the token endpoint) and cached counts must be shared by every worker: a cache per process
# lets each of N workers grant the whole rate.
# Tasks must run on a worker: in-process ("eager") would render PDFs inside web requests.
if not env.str("CELERY_BROKER_URL", default=""):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must name the broker in production (e.g. redis://redis:6379/0)."
    )
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    raise ImproperlyConfigured(
        "CACHE_URL must name a shared cache in production (e.g. redis://redis:6379/1)."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes speak plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# A year once the deployment is known to serve HTTPS everywhere (browsers then refuse plain HTTP).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
LOGGING = build_logging(level=env.str("LOG_LEVEL", default="INFO"), json=env.bool("LOG_JSON", default=True))
# Tasks log their id, name and outcome, and carry the request_id of the web request that queued them.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# The API's docs for signed-in users only, and no browsable API: JSON in, JSON out.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}
# Province and city accounts decide (review, approve, publish lists): in production they sign in with a
# one-time code too, unless TWO_FACTOR_ROLES says otherwise (set it empty to turn it off).
TWO_FACTOR_ROLES = [
    role.strip()
    for role in env.list("TWO_FACTOR_ROLES", default=["province_admin", "city_reviewer"])
    if role.strip()
]
