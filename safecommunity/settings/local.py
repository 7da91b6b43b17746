"""The embedded default: what ``make demo`` runs (SQLite unless DATABASE_URL is set).

DEBUG stays off unless DJANGO_DEBUG=1 is set by a developer: a demo reachable from an office
network must not show tracebacks, settings or the URL patterns. WhiteNoise serves the static
files straight from the source folders, so no collectstatic is needed."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
