"""Settings shared by every environment; everything configurable is read from the environment."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import environ

from zcpark.core.envfiles import SecretFileEnv
from zcpark.core.logging import build_logging, configure_structlog

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Every variable may come from a file instead: NAME_FILE=/run/secrets/name (zcpark/core/envfiles.py).
env = SecretFileEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A form refused by the CSRF check gets the portal's page (what happened, what to do), not "403 Forbidden".
CSRF_FAILURE_VIEW = "zcpark.core.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_structlog",
    "zcpark.core",
    "parks",
    "indicators",
    "applications",
    "evaluation",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zcpark.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "parks.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "zcpark.core.middleware.UnstorableTextMiddleware",
    "zcpark.core.middleware.PrivacyHeadersMiddleware",
    "zcpark.core.middleware.BusyDatabaseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # With DEBUG on (make run), a 404 is still the portal's page, never Django's list of URL patterns; and
    # a 4xx is logged once, by the request's line (it must stay just outside django_structlog's).
    "zcpark.core.views.ErrorPagesMiddleware",
    "django_structlog.middlewares.RequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zcpark.urls"
WSGI_APPLICATION = "zcpark.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# On PostgreSQL a statement waits at most this long for a row lock, and runs at most this long: a held
# lock answers "busy, try again" (503) instead of hanging a web worker (0 turns a limit off).
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=5000)
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=30000)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={DB_LOCK_TIMEOUT_MS} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "parks.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "parks.backends.ScopedModelBackend",
]
# Argon2 (Django's recommended hasher); older PBKDF2 hashes still verify and are upgraded at sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "parks.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "parks.passwords.CharacterClassesValidator"},
    {"NAME": "parks.passwords.GuessableWordsValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# API tokens end after this many days (and at sign-out, a password change, or the owner's revocation).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)
# An integration account's key (a park's 能碳平台) ends this many days after its creation unless its
# creator picks another date (365 days at most).
INTEGRATION_KEY_TTL_DAYS = env.int("INTEGRATION_KEY_TTL_DAYS", default=180)
# How long an Idempotency-Key is remembered (a retried push within it replays the first answer).
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", default=24)
# A request still running with its key after this many seconds (longer than any request) was abandoned
# (its worker died): a retry with the key runs instead of answering 409.
IDEMPOTENCY_LEASE_SECONDS = env.int("IDEMPOTENCY_LEASE_SECONDS", default=120)
# Sessions expire after a working day of inactivity-independent use and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# django-axes: lock a username *from one address* after repeated failures, so one user's (or one
# attacker's) failures never lock out everyone behind the same address, nor the user elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout runs its 15 minutes from the last failure before it, not from every attempt during it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies the client is the Nth address from the right of X-Forwarded-For; with
# none, only REMOTE_ADDR counts (a client-supplied header must never choose whom lockout hits).
# Lockout reads it through zcpark.core.addresses (which says why not through ipware), the API's
# throttling through NUM_PROXIES. The variable keeps the name .env files already use.
REVERSE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "zcpark.core.addresses.client_address"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
# Each language named in its own words, whatever the page's language (the switch reads them as they are).
LANGUAGES = [("zh-hans", "中文（简体）"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party front-end assets come from the npm registry at setup (`npm ci`), never from the repo.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
# The key-projects grid posts ~15 fields per project: room for a few hundred projects.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
ZONE_IMPORT_MAX_BYTES = env.int("ZONE_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# The largest dossier-table workbook (key projects, targets, cash flows, key enterprises) an upload may be.
TABLE_IMPORT_MAX_BYTES = env.int("TABLE_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# The largest piece of evidence a dossier accepts.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
# City progress reports (issue 14): the reporting period in months (3, 4, 6 or 12: quarters, thirds,
# halves or years of the calendar year; half-yearly by default) and the days after a period's end the
# report is due. A change applies to the periods planned from then on; planned reports keep theirs.
CITY_REPORT_PERIOD_MONTHS = env.int("CITY_REPORT_PERIOD_MONTHS", default=6)
CITY_REPORT_DUE_DAYS = env.int("CITY_REPORT_DUE_DAYS", default=15)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zcpark@localhost")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

EAGER_BROKER_URL = "memory://"
# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
_broker_url = env.str("CELERY_BROKER_URL", default="")
# Without a configured broker, an in-memory transport stands in (nothing is ever sent: tasks are eager).
CELERY_BROKER_URL = _broker_url or EAGER_BROKER_URL
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_broker_url or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = not _broker_url
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Publishing never waits on a broker that does not answer: the outbox keeps the task for the relay.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = timedelta(days=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "parks.authentication.ExpiringTokenAuthentication",
        "parks.integration_auth.IntegrationKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A machine (integration key) reaches only the methods a view declares a scope for (machine_scopes).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "parks.integration_auth.MachineScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "zcpark.core.api.StandardPagination",
    "DEFAULT_PARSER_CLASSES": [
        "zcpark.core.api.CheckedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "zcpark.core.api_schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "zcpark.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_THROTTLE", default="60/minute")},
    "NUM_PROXIES": REVERSE_PROXY_COUNT,
}
# The province this portal runs: its reference data (province.json, cities.csv, zones.csv).
PROVINCE_DIR = BASE_DIR / env.str("PROVINCE_DIR", default="fixtures/provinces/jiangxi")
# The name e-mails carry (pages show the province's, in the reader's language).
PORTAL_TITLE = env.str(
    "PORTAL_TITLE",
    default=json.loads((PROVINCE_DIR / "province.json").read_text(encoding="utf-8"))["portal_title"],
)
# Where the Django admin lives (production may move it off the well-known path), and whether the API's
# schema and docs are open to anyone (production: signed-in users and token holders only).
ADMIN_PATH = env.str("ADMIN_PATH", default="admin/")
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=True)
SPECTACULAR_SETTINGS = {
    "TITLE": "zcpark API",
    "DESCRIPTION": f"{PORTAL_TITLE} — portal API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("LOG_JSON", default=False)
LOGGING = build_logging(level=LOG_LEVEL, json=LOG_JSON)
configure_structlog()
DJANGO_STRUCTLOG_CELERY_ENABLED = False

# Reference data that `load_reference_data` loads (copied into the project: it needs nothing outside itself).
FIXTURES_DIR = BASE_DIR / "fixtures"
# Where links in e-mails point.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# == API tokens (knox)
# Knox keeps only a SHA-512 digest of each token and its first 15 characters (to find it): a copy of the
# database holds no key that works. A token lives API_TOKEN_TTL_DAYS from its issue, never extended by use
# (a fixed lifetime, as 等保 expects); an account holds at most API_TOKEN_LIMIT live tokens at once (one per
# script or machine: each can be revoked alone). "Token <key>" stays the header DRF's tokens used.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_TTL_DAYS),
    "TOKEN_LIMIT_PER_USER": env.int("API_TOKEN_LIMIT", default=5),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

# == two-factor sign-in (django-otp)
# The roles that must sign in with a one-time code from an authenticator app (TOTP) after their password
# (values of parks.models.Role). Empty (the default, and the demo's) turns the requirement off; anyone
# may still turn it on for their own account. Production sets province_admin,city_reviewer.
TWO_FACTOR_ROLES = [role.strip() for role in env.list("TWO_FACTOR_ROLES", default=[]) if role.strip()]
# The name the authenticator app shows next to the account.
TWO_FACTOR_ISSUER = env.str("TWO_FACTOR_ISSUER", default=PORTAL_TITLE)
OTP_TOTP_ISSUER = TWO_FACTOR_ISSUER
# The Django admin lists authenticators without their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# == content security policy (django-csp)
# Every page loads scripts, styles, fonts and data from the portal itself only: no inline script, inline
# style or style attribute, no eval (the templates carry none: tests/core/test_csp.py), no plugin, no <base>,
# and no framing by any site. NONCE is added to a page's header only when that page asks for a nonce (the
# API docs' start-up code, templates/drf_spectacular/); every other page's header is exactly this policy.
# CSP_REPORT_ONLY=true sends it as Content-Security-Policy-Report-Only instead: browsers then block nothing
# and only report, to try a change on a live portal first.
from csp.constants import NONCE, NONE, SELF  # noqa: E402  (kept with its topic)

_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

# == media storage (local disk, or S3-compatible object storage)
# Attachments, exports and reports are private: the portal's views stream them after the permission check,
# never from a public URL, so the bucket stays private and objects carry no ACL of their own. With
# AWS_STORAGE_BUCKET_NAME set they go to S3-compatible object storage (MinIO: also AWS_S3_ENDPOINT_URL and
# AWS_S3_ADDRESSING_STYLE=path); otherwise to MEDIA_ROOT on local disk. Keys left empty fall back to
# boto3's own chain (an instance role, ~/.aws).
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _s3_optional = {
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=""),
        "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
        "region_name": env.str("AWS_S3_REGION_NAME", default=""),
        "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=""),
    }
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                **{name: value for name, value in _s3_optional.items() if value},
                "default_acl": None,
                "signature_version": "s3v4",
                # Signed URLs (none are handed out today) would expire within minutes.
                "querystring_auth": True,
                "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
                # Never replace a stored file by one saved under the same name: it gets a suffix instead.
                "file_overwrite": False,
                # A file read back (a download, an attachment into an archive) spools to disk past this.
                "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
            },
        },
    }

# == operations (e-mail, secrets, logs)
# The mail server in one variable (or EMAIL_URL_FILE, since it holds the password): smtp+tls://user:pass@host
# (STARTTLS, port 587 unless given), smtp+ssl://…@host (TLS, 465), smtp://host (25). Unset: EMAIL_BACKEND.
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
    EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
    EMAIL_PORT = _email["EMAIL_PORT"] or (465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
# Django waits for ever by default: a mail server that stops answering would hold a worker for good.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Celery leaves the root logger to Django's LOGGING (zcpark/celery.py): worker and beat log as the web does.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# What the backup manifest records as the version (the image sets it at build; else `git describe`).
APP_VERSION = env.str("APP_VERSION", default="")
# Where `manage.py backup` writes when no directory is given.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups")))

# == jobs (time limits, retries)
# Every task gets SoftTimeLimitExceeded a minute before it is killed (CELERY_TASK_TIME_LIMIT, 10 min), so
# it can say why it stopped. A rendering (a dossier PDF or archive, an acceptance report) has its own, tighter
# limits: past them it is marked failed with a message the user sees; the sweep fails one whose worker died
# (GENERATED_FILE_STALE_AFTER, 20 min, stays above the hard limit plus a wait in the queue).
CELERY_TASK_SOFT_TIME_LIMIT = 540
RENDER_SOFT_TIME_LIMIT = 300
RENDER_TIME_LIMIT = 360
# Redis hands an unacknowledged task (acks_late) to another worker after this long: it must stay above the
# longest hard time limit, or a task still running is started twice.
# Publishing tries a broker that does not answer once, not for 2 s (the outbox keeps the task for the relay).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "max_retries": 0,
}
# No caller reads a task's result (the page reads the rows the task writes). Asking for one made every
# publish subscribe to the result backend first, which, Redis being down, retried for 20 s in the request.
CELERY_TASK_IGNORE_RESULT = True
