"""pytest settings: the environment decides the database and broker (CI: PostgreSQL, Redis)."""

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tasks run in-process in tests unless a test starts a real worker (the celery_worker fixture
# switches this off for its test); the worker subprocess itself sets SC_CELERY_EAGER=0.
from .base import env  # noqa: E402

CELERY_TASK_ALWAYS_EAGER = env.bool("SC_CELERY_EAGER", default=True)
# Imports run where the test runs them (a test of the embedded default's thread switches it on).
IMPORTS_IN_THREAD = False

# The cache lives in its own Redis database in tests (the broker keeps the one of REDIS_URL),
# so that clearing it between tests never touches a queue. Worker subprocesses share it.
if REDIS_URL:
    _base, _, _db = REDIS_URL.rpartition("/")
    _cache_db = (int(_db) + 8) % 16 if _db.isdigit() else 8
    CACHES = {"default": {"BACKEND": "safecommunity.cache.ResilientRedisCache",
                          "LOCATION": f"{_base}/{_cache_db}", "KEY_PREFIX": "test"}}
