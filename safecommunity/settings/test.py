"""pytest settings: the environment decides the database and broker (CI: PostgreSQL, Redis)."""

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE

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
