"""pytest settings: the environment decides the database and broker (CI: PostgreSQL, Redis)."""

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Mail stays in memory, unless a test gives its worker a real SMTP server (DJANGO_EMAIL_URL).
from .base import env as _env  # noqa: E402

if not _env("DJANGO_EMAIL_URL", default=""):
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
# A test's real workers listen on one queue of the test's own (tests/conftest.py); the test of the
# separate queues (tests/safecommunity/test_task_queues.py) switches the routes on.
TASK_QUEUES_ROUTED = env.bool("SC_CELERY_QUEUES", default=False)
# Imports run where the test runs them (a test of the embedded default's thread switches it on).
IMPORTS_IN_THREAD = False

# The cache shares the Redis database of REDIS_URL (the only one the tests are given) under a
# key prefix of this test process alone; ``cache.clear()`` then deletes only those keys
# (safecommunity.cache), never another user's. Worker subprocesses receive the same prefix.
if REDIS_URL:
    import uuid

    CACHES = {
        "default": {
            "BACKEND": "safecommunity.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("SC_TEST_CACHE_PREFIX", default="") or f"test-{uuid.uuid4().hex}",
        }
    }
