"""Test settings: fast hasher, eager Celery unless a real broker is configured, files in a temp dir."""

from __future__ import annotations

import tempfile

from zcpark.core.logging import build_logging

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="zcpark-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
LOGGING = build_logging(level=env.str("LOG_LEVEL", default="WARNING"), json=False)
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute"}}  # noqa: F405
# Two-factor sign-in off whatever the environment says (tests that need it turn it on).
TWO_FACTOR_ROLES: list[str] = []
STATIC_ROOT = tempfile.mkdtemp(prefix="zcpark-test-static-")
# Serve static files from the finders (node_modules, static/) in live-server browser tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
