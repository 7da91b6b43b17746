"""A Redis cache that degrades instead of failing: when Redis cannot be reached, reads miss and
writes are dropped, so every page is computed uncached (and correct) instead of answering 500.

After a failure the process does not try Redis again for ``RETRY_AFTER`` seconds, so a page
with dozens of cache calls pays at most one connection attempt (refused at once on a local host,
at most the socket timeout of the LOCATION's options otherwise)."""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)
RETRY_AFTER = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every operation: some 170 response
    callbacks set up each time, about 0.3 ms of CPU a cache call here (a waiter of a single
    flight spent more on that than on anything else). One ``redis.Redis`` per connection pool is
    kept instead; it is safe to share (its pool hands out connections, and after a fork starts
    afresh), and the cache object it belongs to is per thread (``django.core.cache.caches``)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_sc_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0

    def validate_key(self, key):
        """No memcached key warnings (Redis takes any key; ours are short and plain): Django checks
        every character of every key for memcached's sake, a cost on each of a page's reads."""

    def _guard(name, default=None):  # noqa: N805 - a decorator factory used in the class body
        def wrap(method):
            def call(self, *args, **kwargs):
                fallback = (
                    (args[1] if len(args) > 1 else kwargs.get("default"))
                    if name == "get"
                    else (default() if callable(default) else default)
                )
                if time.monotonic() < self._down_until:
                    return fallback
                try:
                    return method(self, *args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - redis raises ConnectionError, TimeoutError, ...
                    if isinstance(exc, ValueError):  # incr of a missing key: not an outage
                        raise
                    log.warning("cache unavailable (%s), serving uncached for %ss: %s", name, RETRY_AFTER, exc)
                    self._down_until = time.monotonic() + RETRY_AFTER
                    return fallback

            call.__name__ = name
            return call

        return wrap

    get = _guard("get")(RedisCache.get)
    get_many = _guard("get_many", dict)(RedisCache.get_many)
    set = _guard("set")(RedisCache.set)
    set_many = _guard("set_many", list)(RedisCache.set_many)
    add = _guard("add", False)(RedisCache.add)
    delete = _guard("delete", False)(RedisCache.delete)
    delete_many = _guard("delete_many")(RedisCache.delete_many)
    touch = _guard("touch", False)(RedisCache.touch)
    has_key = _guard("has_key", False)(RedisCache.has_key)

    # --- "Done" signals of single flights (safecommunity.datacache) -------------------------------
    # The holder of a result's lock pushes DONE_TOKENS tokens on the key's list when the result is
    # stored; a waiter blocks on the list (BLPOP) and, woken, pushes its token back (so that more
    # waiters than tokens are woken too, one after another): every waiter reads the result as
    # soon as it is there, at once, none polls. The list lives DONE_MS.
    DONE_MS = 10_000
    DONE_TOKENS = 64

    def _done_key(self, key):
        return self.make_and_validate_key(f"{key}:done")

    def _notify_done(self, key):
        done = self._done_key(key)
        client = self._cache.get_client(done, write=True)
        client.pipeline().rpush(done, *([1] * self.DONE_TOKENS)).pexpire(done, self.DONE_MS).execute()
        return True

    notify_done = _guard("notify_done", False)(_notify_done)

    def _wait_done(self, key, seconds: float):
        """True when the holder said it is done within ``seconds`` (keep below the socket
        timeout), False when not yet; None when the cache is unreachable."""
        done = self._done_key(key)
        client = self._cache.get_client(done, write=True)
        if client.blpop([done], timeout=max(seconds, 0.01)) is None:
            return False
        client.pipeline().rpush(done, 1).pexpire(done, self.DONE_MS).execute()
        return True

    wait_done = _guard("wait_done")(_wait_done)

    def _clear(self):
        """With a KEY_PREFIX, delete only this cache's keys (SCAN by pattern), never the whole
        database: a cache sharing its Redis database with a broker or another cache must leave
        their keys alone. Without a prefix the database is the cache's own: FLUSHDB."""
        if not self.key_prefix:
            return RedisCache.clear(self)
        client = self._cache.get_client(write=True)
        prefix = "".join(f"\\{c}" if c in "*?[]\\" else c for c in self.key_prefix)
        batch = []
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True

    clear = _guard("clear", False)(_clear)

    def _delete_own_keys(self):
        """The keys under this cache's KEY_PREFIX, and nothing else (what tests clean between
        them). A cache without a prefix refuses: its keys cannot be told from others'."""
        if not self.key_prefix:
            raise ValueError("delete_own_keys needs a KEY_PREFIX (it never empties a whole Redis database)")
        return self._clear()

    delete_own_keys = _guard("delete_own_keys", False)(_delete_own_keys)

    def incr(self, key, delta=1, version=None):
        if time.monotonic() < self._down_until:
            raise ValueError("cache unavailable")
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as exc:  # noqa: BLE001
            log.warning("cache unavailable (incr): %s", exc)
            self._down_until = time.monotonic() + RETRY_AFTER
            raise ValueError("cache unavailable") from exc
