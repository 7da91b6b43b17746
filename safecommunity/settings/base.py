"""Shared settings, read from the environment.

With nothing set the portal runs on the embedded default: SQLite in the project folder,
Celery tasks executed in-process, no services needed. ``DATABASE_URL`` and ``REDIS_URL``
switch to PostgreSQL and Redis (the production stack and CI).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-embedded-default-key-change-me-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_celery_beat",
    "axes",
    "auditlog",
    "safecommunity",
    "committees",
    "projects",
    "incidents",
    "inspections",
    "reports",
    "accountability",
    "closing",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "notifications",
    "analysis",
]

MIDDLEWARE = [
    # Drops X-Forwarded-Proto/Host/Port unless the request comes from DJANGO_TRUSTED_PROXY_IPS.
    "safecommunity.security.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safecommunity.security.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "safecommunity.middleware.BrokerNoticeMiddleware",
    "safecommunity.middleware.OnceTokenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # AxesMiddleware last: it turns a lockout into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts and style sheets only from our own static files;
# no inline <script> and no on*= handlers anywhere (static/js/ reads its data from data-* attributes
# and json_script blocks). Inline style *attributes* are allowed (style-src-attr) because ECharts
# writes its tooltips as HTML with style="" and a few templates size a chart box inline; <style>
# elements and style sheets stay 'self'. Tested on every page type in tests/security/test_csp.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

ROOT_URLCONF = "safecommunity.urls"
WSGI_APPLICATION = "safecommunity.wsgi.application"

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
                "safecommunity.context_processors.portal",
            ],
            "builtins": ["safecommunity.templatetags.portal"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Optional read replica (a PostgreSQL hot standby): statistics, dashboards, briefing figures, list
# counts and exports read from it; writes, transactions and a user's reads for
# SC_REPLICA_PIN_SECONDS after a write stay on default (safecommunity/dbrouting.py).
REPLICA_PIN_SECONDS = env.int("SC_REPLICA_PIN_SECONDS", default=10)
if DATABASE_REPLICA_URL := env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**env.db_url_config(DATABASE_REPLICA_URL), "ATOMIC_REQUESTS": False}
    DATABASES["replica"].update(
        {k: v for k, v in DATABASES["default"].items() if k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the suite's replica is its default
DATABASE_ROUTERS = ["safecommunity.dbrouting.ReplicaRouter"]  # a no-op without a replica
# After the proxy-header filter and SecurityMiddleware (which must see the raw request first).
MIDDLEWARE = [*MIDDLEWARE[:2], "safecommunity.dbrouting.PrimaryAfterWriteMiddleware", *MIDDLEWARE[2:]]

# --- Cache and broker --------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# The cache degrades to "uncached" when Redis is unreachable (safecommunity.cache): pages are
# computed afresh instead of failing. CACHE_URL may put it on a Redis database of its own.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "safecommunity.cache.ResilientRedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "safecommunity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with each worker keeping the users it read under their generation when the
    # cache is shared (Redis): no user query on a page view (safecommunity.backends).
    "safecommunity.backends.KeptUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "safecommunity.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "safecommunity.passwords.UsernameInPasswordValidator"},
    {"NAME": "safecommunity.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request, and 12 hours after the login in any case.
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_AGE = env.int("DJANGO_SESSION_ABSOLUTE_AGE", default=12 * 3600)
# The idle timeout is renewed at most once a minute (safecommunity.security), not by a session
# write on every page view.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# With a shared cache (Redis) sessions are read from it and written to both (Django's cached_db):
# a page view reads no session row. A worker's own memory (no Redis) is no place for them. A
# session ended while Redis is unreachable (its copy there not deleted) works for a copy of its
# cookie until its next renewal at most (SESSION_REFRESH_SECONDS): the renewal's save of the
# deleted row fails, and the request is refused (the logged-out browser no longer sends it).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if CACHE_URL else "django.contrib.sessions.backends.db"
SC_KEPT_USERS = bool(CACHE_URL)

# Our own page (zh/en, with the navigation and a new login) when a form's CSRF token is refused.
CSRF_FAILURE_VIEW = "safecommunity.views.csrf_failure"

# Login throttling (django-axes): a username is locked for 30 minutes after 5 failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/429.html"
AXES_CLIENT_IP_CALLABLE = "safecommunity.security.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Lockout is by username only, on purpose: a whole township office usually shares one public
# address behind NAT, and locking by address would lock every colleague out with the attacker.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# X-Forwarded-For (the client address) and X-Forwarded-Proto (HTTPS) are believed only when the
# request comes from one of these addresses or networks (the TLS reverse proxy).
TRUSTED_PROXY_IPS = env.list("DJANGO_TRUSTED_PROXY_IPS", default=[])

# --- I18N -------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# The language printed documents (briefings, minutes, notices, scorecards) are issued in.
DOCUMENT_LANGUAGE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sc_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
FORMAT_MODULE_PATH = ["safecommunity.formats"]

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"  # files are served only through views that check scope
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible object storage (MinIO, a cloud bucket) when S3_BUCKET is set: a private
# bucket, files still served only through the portal's scope-checked views (never a bucket URL).
if S3_BUCKET := env("S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
            "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env("S3_REGION", default="us-east-1"),
            "location": env("S3_PREFIX", default=""),
            "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Forms and tables --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "tables/cards.html"  # a table on a desktop, cards on a phone
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

# --- Celery -----------------------------------------------------------------------------------
# Without REDIS_URL, tasks run in-process (the embedded default).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message unacknowledged this long (its worker died) is delivered again. Above the longest task
# limit (15 min; PDF tasks 5 min, see reports.tasks), so a job that still runs is never doubled;
# PDF jobs come back sooner through reports.tasks.jobs_sweep (a minute after their limit).
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=20 * 60)
# A send to a broker that is down fails in seconds (safecommunity.queue keeps the job for the sweep).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT, "socket_connect_timeout": 2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
# Hard limit well below the visibility timeout, so a task is never redelivered while it still runs.
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Imports, documents and the scheduled jobs each on a queue of its own (safecommunity/celery.py).
CELERY_TASK_ROUTES = ("safecommunity.celery.route_task",)
TASK_QUEUES_ROUTED = env.bool("SC_CELERY_QUEUES", default=True)
TASK_QUEUE_PREFIX = env("SC_CELERY_QUEUE_PREFIX", default="")
# Periodic work; each task holds a lock so that several beats or workers run it once.
CELERY_BEAT_SCHEDULE = {
    "imports-recover": {
        "task": "safecommunity.tasks.import_jobs_sweep",
        "schedule": 60.0,
    },
    "hazards-escalate-overdue": {
        "task": "inspections.tasks.hazards_escalate_overdue",
        "schedule": crontab(hour=6, minute=0),
    },
    "jobs-sweep": {
        "task": "reports.tasks.jobs_sweep",
        "schedule": crontab(minute="*"),
    },
    "api-webhooks-sweep": {
        "task": "api.tasks.webhooks_sweep",
        "schedule": 60.0,
    },
    "api-idempotency-purge": {
        "task": "api.tasks.idempotency_keys_purge",
        "schedule": crontab(minute=17),
    },
    "housekeeping-purge": {
        "task": "safecommunity.tasks.housekeeping_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    "closing-packages-sweep": {
        "task": "closing.tasks.packages_sweep",
        "schedule": crontab(minute="*"),
    },
    # notifications/: reminders and escalations, then the digests (each claims its day per user).
    "notifications-daily-reminders": {
        "task": "notifications.tasks.daily_reminders",
        "schedule": crontab(hour=6, minute=10),
    },
    "notifications-daily-digest": {
        "task": "notifications.tasks.daily_digest",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-deliveries-retry": {
        "task": "notifications.tasks.deliveries_retry",
        "schedule": crontab(minute="*/5"),
    },
    "analysis-signals-scan": {
        "task": "analysis.tasks.signals_scan_all",
        "schedule": crontab(hour=4, minute=10),
    },
    "briefings-draft-previous-month": {
        "task": "reports.tasks.briefings_draft_previous_month",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
}

# --- Imports ----------------------------------------------------------------------------------
# A running import beats at every committed batch (about a second); one silent for this long
# has lost its worker and is resumed by the next run that claims it (the sweep runs every minute).
IMPORT_STALE_SECONDS = env.int("SC_IMPORT_STALE_SECONDS", default=120)
# A queued job whose message has not started a run after this long is handed to the broker again.
IMPORT_REQUEUE_SECONDS = env.int("SC_IMPORT_REQUEUE_SECONDS", default=600)
# Rows per transaction (0: each kind's own batch size).
IMPORT_BATCH_SIZE = env.int("SC_IMPORT_BATCH_SIZE", default=0)
IMPORT_MAX_UPLOAD_BYTES = env.int("SC_IMPORT_MAX_UPLOAD_BYTES", default=200 << 20)
# Without a broker (the embedded default) an import runs in a thread of its own, not in the request.
IMPORTS_IN_THREAD = env.bool("SC_IMPORTS_IN_THREAD", default=not REDIS_URL)
# Heavy jobs (imports, PDF briefings, downloads, scorecards) one township may run at once; more
# wait, retried every few seconds, while other townships' jobs proceed (safecommunity/limits.py).
# Keep the worker concurrency above it. A killed worker's slot frees itself after the lease.
HEAVY_JOBS_PER_TOWNSHIP = env.int("SC_HEAVY_JOBS_PER_TOWNSHIP", default=2)
HEAVY_JOB_LEASE_SECONDS = env.int("SC_HEAVY_JOB_LEASE_SECONDS", default=30)
HEAVY_JOB_RETRY_SECONDS = env.float("SC_HEAVY_JOB_RETRY_SECONDS", default=3.0)

# --- Retention (safecommunity.tasks.housekeeping_purge, daily) ---------------------------------
# A one-time form token is kept while a session that could post its form may live (twice the
# absolute session age), and a finished download (ready or failed) for this many days.
SUBMISSION_TOKEN_MAX_AGE = env.int("SC_SUBMISSION_TOKEN_MAX_AGE", default=2 * SESSION_ABSOLUTE_AGE)
DOWNLOAD_RETENTION_DAYS = env.int("SC_DOWNLOAD_RETENTION_DAYS", default=14)
# Read pages (lists, dashboards, statistics) drawn once per state of their data and kept
# (safecommunity.pages); off: every request draws its page (the figures are still cached).
SC_KEPT_PAGES = env.bool("SC_KEPT_PAGES", default=True)

# --- Mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# An SMTP server by URL (smtp+tls://user:password@host:587, smtps://… for SSL); setting it switches
# the mail of notifications on. Without it (or DJANGO_EMAIL_CONFIGURED) no mail is sent.
if env("DJANGO_EMAIL_URL", default=""):
    vars().update(env.email_url("DJANGO_EMAIL_URL"))
EMAIL_CONFIGURED = env.bool("DJANGO_EMAIL_CONFIGURED", default=bool(env("DJANGO_EMAIL_URL", default="")))
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
# The portal's address as users reach it (https://aq.example.gov.cn), for the links in mails.
PORTAL_BASE_URL = env("SC_PORTAL_BASE_URL", default="")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@safecommunity.invalid")

# --- Audit ------------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Fields registered with mask_fields (names, ID numbers, phones) are fully redacted in the log.
AUDITLOG_MASK_CALLABLE = "safecommunity.privacy.redact"

# --- Open API (api/) -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ScopedRolePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    # Requests per token (or per signed-in user of the docs), counted in the cache (Redis).
    "DEFAULT_THROTTLE_RATES": {"token": env("SC_API_RATE", default="1200/hour")},
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safe-community portal API",
    "DESCRIPTION": "Read and write the portal's data with a personal API token (Authorization: Bearer <token>).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_problem_responses"],
    # One schema name per code list (several models have a "status" or "domain" of their own).
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": "incidents.choices.IncidentStatus",
        "IncidentDomainEnum": "incidents.choices.Domain",
        "HazardStatusEnum": "inspections.choices.HazardStatus",
        "ActionStatusEnum": "committees.choices.ActionStatus",
        "ProjectDomainEnum": "projects.choices.ProjectDomain",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "InterventionStatusEnum": "projects.choices.InterventionStatus",
        "BriefingStatusEnum": "reports.choices.BriefingStatus",
        "RenderStatusEnum": "reports.choices.RenderStatus",
        "AssessmentStatusEnum": "reports.choices.AssessmentStatus",
    },
}
# Idempotency keys (and the response they stand for) are kept this long.
API_IDEMPOTENCY_HOURS = env.int("SC_API_IDEMPOTENCY_HOURS", default=48)

# --- Portal -----------------------------------------------------------------------------------
PORTAL_NAME = _("安全社区建设管理平台")
DEMO_PASSWORD = "Demo-2026!safe"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
