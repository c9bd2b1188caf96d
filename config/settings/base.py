"""Settings shared by every environment; everything that varies comes from the environment."""

from pathlib import Path

import dj_database_url
import orjson
from csp.constants import NONE, SELF

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-key-only-for-development-never-deploy")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.workspaces",
    "apps.forum",
    "apps.glossary",
    "apps.annotations",
    "apps.conflicts",
    "apps.imports",
    "apps.exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/admin/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# With nothing set, an SQLite file beside manage.py: `make run` works on a bare machine.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The browser app, built by Vite (make frontend) with its assets under /static/assets/.
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The public address of this service: W3C annotation exports name claims etc. under it.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Imports larger than this are refused with a 413 before any parsing.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 64 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON only: a form or multipart body is a 415 that names what to send. The import and
    # sign-in views also take forms (file uploads, plain HTML forms).
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apps.core.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.exceptions.exception_handler",
    # orjson: the review queue's page carries every conflict's evidence (300 kB at full scale),
    # which the standard library's encoder took 7 ms to write. Keys that are not strings (ids)
    # are written as strings, as json.dumps does.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "ORJSON_RENDERER_OPTIONS": [orjson.OPT_NON_STR_KEYS],
    # High enough that a person using the app never meets them; they stop scripts and brute
    # force. "login" is the scope of auth/login/ and auth/token/ (apps/accounts/api.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON_RATE", "120/min"),
        "user": env_str("THROTTLE_USER_RATE", "600/min"),
        "login": env_str("THROTTLE_LOGIN_RATE", "10/min"),
    },
    # Anonymous clients are told apart by REMOTE_ADDR unless a proxy in front is trusted to set
    # X-Forwarded-For; trusting the header with no such proxy would let a client pick its bucket.
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

# The throttles count in the cache: each process's own memory unless CACHE_URL names a Redis
# (redis://…), which several gunicorn workers need to share one count.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Headers for every response in every environment; production adds HSTS and secure cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# django-csp. Nothing inline may run: the Vite build, the admin and the API docs (Swagger UI
# from drf-spectacular-sidecar, its init script a separate file) load every script from 'self'.
# Styles: no 'unsafe-inline' either. React sets inline styles through the CSSOM (element.style),
# which CSP does not govern, and Cytoscape draws on a canvas; only <style> blocks and style=""
# attributes in markup need 'unsafe-inline'. Two fixed <style> blocks are admitted by hash
# instead (a hash admits that exact CSS and nothing else): the one Cytoscape prepends to <head>
# for its container, and the one in drf-spectacular's Swagger UI page (/api/docs/). An upgrade
# that changes either fails a test: the browser tests fail on any CSP violation, and
# tests/core/test_security_headers.py recomputes the docs page's hash.
CYTOSCAPE_STYLE_HASH = "'sha256-pgvDUBa4IjFA2yuSJ2cqcyxmNYJMborsd0ORcRv9vw8='"
SWAGGER_UI_STYLE_HASH = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, CYTOSCAPE_STYLE_HASH, SWAGGER_UI_STYLE_HASH],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    }
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sensemap API",
    "DESCRIPTION": (
        "Import forum threads, mark claims, record which sense each term carries in a claim, "
        "vote on readings and review the definitional conflicts background jobs flag."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files, not a CDN: the CSP allows only 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReadingKindEnum": "apps.annotations.models.Reading.Kind",
        "ConflictKindEnum": "apps.conflicts.models.Conflict.Kind",
        "ConflictStatusEnum": "apps.conflicts.models.Conflict.Status",
        "ClaimLinkKindEnum": "apps.annotations.models.ClaimLink.Kind",
        "SuggestionStatusEnum": "apps.annotations.models.Suggestion.Status",
        "VisibilityEnum": "apps.workspaces.models.Workspace.Visibility",
        "ThreadSourceEnum": "apps.forum.models.Thread.Source",
    },
}

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Redis through kombu's transport with one fix (config/broker.py): a worker outlives a restart.
CELERY_BROKER_TRANSPORT = (
    "config.broker:Transport" if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None
)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Jobs report through the database (outbox rows, import jobs), never through task results:
# with no result backend a send does not block on one while Redis is down.
CELERY_TASK_IGNORE_RESULT = True
# A write's commit should not wait long for a broker that is down: the outbox keeps the job.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 300
# Redis hands an unacknowledged job to another worker after this long: longer than the longest
# task (the full rescan's one-hour limit), so a job still running is never delivered twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per task run is noise in the embedded, eager mode.
    "loggers": {"celery": {"level": "WARNING"}},
}

# The job outbox (apps/core/outbox.py): writes within this many seconds share one job run;
# a job handed to the broker but not done after OUTBOX_STALE_SECONDS is sent again, a failed
# one after twice as long for each further failure, at most OUTBOX_MAX_ATTEMPTS times, then
# left for an admin to see (the admin's outbox list filters the stopped ones).
OUTBOX_COALESCE_SECONDS = env_int("OUTBOX_COALESCE_SECONDS", 2)
OUTBOX_STALE_SECONDS = env_int("OUTBOX_STALE_SECONDS", 600)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)

# The full rescan's chunk jobs run in this many lanes, each sending its next chunk when one
# is done: one per worker process keeps every process busy, while the detection jobs that
# writes request wait behind one chunk at most, not behind the whole rescan.
CONFLICT_RESCAN_LANES = env_int("CONFLICT_RESCAN_LANES", 2)

CELERY_BEAT_SCHEDULE = {
    "relay-outbox": {"task": "apps.core.tasks.relay_outbox", "schedule": 60.0},
    "compact-conflict-counts": {
        "task": "apps.conflicts.tasks.compact_conflict_counts_task",
        "schedule": 600.0,
    },
    "rescan-conflicts": {
        "task": "apps.conflicts.tasks.rescan_conflicts_task",
        "schedule": env_int("CONFLICT_RESCAN_SECONDS", 6 * 3600),
    },
}
