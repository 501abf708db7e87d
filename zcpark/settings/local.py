"""Local development: the embedded defaults (SQLite, eager Celery) with DEBUG on."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Only for the developer's own machine; production refuses to start without a real key.
SECRET_KEY = env.str("SECRET_KEY", default="") or "local-development-only-not-secret"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
