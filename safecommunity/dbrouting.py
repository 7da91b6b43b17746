"""The optional read replica (``DATABASE_REPLICA_URL``): heavy reads go to it, writes never do.

What reads from the replica: the versioned selectors (statistics, dashboards, briefings' figures,
list counts: ``safecommunity.datacache.cached``) and the ledgers' exports
(``safecommunity.records.writing``). Everything else (logins, sessions, list pages, forms, the
scope checks) stays on ``default``.

A read stays on ``default`` whenever the replica could show less than the user just wrote:

- inside a transaction on ``default`` (a service computing figures while it writes);
- in a request of a user who wrote within ``SC_REPLICA_PIN_SECONDS`` (``PrimaryAfterWriteMiddleware``:
  any POST/PUT/PATCH/DELETE sets a short cookie naming when the pin ends);
- for townships whose data changed within ``SC_REPLICA_PIN_SECONDS`` (``note_written``, called by
  ``datacache.data_changed``): a cached result is keyed by the data versions, so a result
  computed on a lagging replica would otherwise be cached under the new version and stay stale.

Keep ``SC_REPLICA_PIN_SECONDS`` above the replica's worst lag (streaming replication on one LAN
is well under a second; the default is 10 s).
"""

import contextvars
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "sc_primary_until"

_reads = contextvars.ContextVar("sc_replica_reads", default=None)  # "replica" while routed
_pinned = contextvars.ContextVar("sc_primary_pinned", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return settings.REPLICA_PIN_SECONDS


def _written_key(township_id) -> str:
    return f"sc:rw:{township_id}"


def note_written(township_ids) -> None:
    """These townships' rows changed: read them from ``default`` for the next few seconds."""
    if not replica_configured() or not township_ids:
        return
    from django.core.cache import cache

    cache.set_many({_written_key(t): 1 for t in township_ids}, pin_seconds())


def _recently_written(township_ids) -> bool:
    from django.core.cache import cache

    keys = [_written_key(t) for t in township_ids]
    try:
        return bool(cache.get_many(keys))
    except Exception:  # noqa: BLE001 - the cache is down: be safe, read from default
        return True


def read_alias(township_ids=None) -> str:
    """The database a heavy read of ``township_ids`` (None: not known) should use now."""
    if not replica_configured() or _pinned.get():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    if township_ids and _recently_written(township_ids):
        return DEFAULT_DB_ALIAS
    return REPLICA


class replica_reads:  # noqa: N801 - used as a context manager, like transaction.atomic
    """``with replica_reads(township_ids):`` routes the reads inside to ``read_alias(...)``."""

    def __init__(self, township_ids=None):
        self.township_ids = township_ids

    def __enter__(self):
        alias = read_alias(self.township_ids)
        self._token = _reads.set(alias if alias == REPLICA else None)
        return alias

    def __exit__(self, *exc):
        _reads.reset(self._token)
        return False


class primary_only:  # noqa: N801
    """``with primary_only():`` every read inside stays on ``default`` (used by the middleware)."""

    def __enter__(self):
        self._token = _pinned.set(True)

    def __exit__(self, *exc):
        _pinned.reset(self._token)
        return False


class ReplicaRouter:
    """Reads inside ``replica_reads`` go to the replica; all writes and migrations to ``default``."""

    def db_for_read(self, model, **hints):
        if _reads.get() == REPLICA and not _pinned.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None  # Django then follows an instance's own database, else default

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as default

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None  # the replica copies default's schema


class PrimaryAfterWriteMiddleware:
    """A user who writes reads from ``default`` for the next ``SC_REPLICA_PIN_SECONDS``.

    The cookie holds the time the pin ends (not secret: a client forging it only reads from the
    primary)."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        writes = request.method not in self.SAFE_METHODS
        try:
            pinned = writes or float(request.COOKIES.get(PIN_COOKIE, 0)) > time.time()
        except ValueError:
            pinned = False
        if pinned:
            with primary_only():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        if writes:
            until = int(time.time()) + pin_seconds()
            response.set_cookie(PIN_COOKIE, str(until), max_age=pin_seconds(), httponly=True, samesite="Lax")
        return response
