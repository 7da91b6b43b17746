"""What ``/healthz`` reports, read in milliseconds and never waiting on a worker.

The worker proves it is alive by itself: from ``worker_ready`` until ``worker_shutdown`` a thread
of each worker's main process writes ``hostname → now`` into a sorted set in the broker's Redis
every ``WORKER_HEARTBEAT_SECONDS``. ``/healthz`` counts the entries younger than
``WORKER_STALE_SECONDS`` with one Redis call under a short socket timeout (no broadcast, no
ping that waits for replies). A worker that was SIGKILLed stops beating and drops out of the
count within the stale time; one shut down cleanly removes its entry at once.

When the broker cannot be reached the worker's state is "unknown" (it cannot take work either),
and for ``BROKER_RETRY_SECONDS`` no request tries that Redis again: a flood of health checks
against a hung Redis costs one timeout, not one per request."""

import logging
import threading
import time

from django.conf import settings

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "sc:worker-heartbeats"
WORKER_HEARTBEAT_SECONDS = 10
WORKER_STALE_SECONDS = 45
# Connect and read timeout of the health check's Redis calls (seconds).
REDIS_TIMEOUT = 0.25
BROKER_RETRY_SECONDS = 5.0

_clients: dict[str, object] = {}
_down_until: dict[str, float] = {}


def _redis(url: str):
    client = _clients.get(url)
    if client is None:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: redis-py's default (3, with backoff) would turn 0.25 s into 2 s.
        client = redis.Redis.from_url(
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT, retry=Retry(NoBackoff(), 0)
        )
        _clients[url] = client
    return client


def worker_beat(hostname: str, *, url: str | None = None) -> None:
    """One heartbeat of ``hostname`` (and the entries of workers silent for a day are dropped)."""
    now = time.time()
    client = _redis(url or settings.REDIS_URL)
    pipe = client.pipeline()
    pipe.zadd(HEARTBEAT_KEY, {hostname: now})
    pipe.zremrangebyscore(HEARTBEAT_KEY, "-inf", now - 24 * 3600)
    pipe.expire(HEARTBEAT_KEY, 24 * 3600)
    pipe.execute()


def worker_gone(hostname: str, *, url: str | None = None) -> None:
    _redis(url or settings.REDIS_URL).zrem(HEARTBEAT_KEY, hostname)


def broker_and_workers(url: str) -> tuple[str, str, int]:
    """("ok" | "error", "ok" | "no_worker" | "unknown", number of live workers)."""
    if time.monotonic() < _down_until.get(url, 0.0):
        return "error", "unknown", 0
    try:
        alive = _redis(url).zcount(HEARTBEAT_KEY, time.time() - WORKER_STALE_SECONDS, "+inf")
    except Exception as exc:  # noqa: BLE001 - refused, timed out, unknown host: the broker is unusable
        log.warning("healthz: broker unreachable: %s", exc)
        _down_until[url] = time.monotonic() + BROKER_RETRY_SECONDS
        return "error", "unknown", 0
    _down_until.pop(url, None)
    return "ok", ("ok" if alive else "no_worker"), int(alive)


class Heartbeat:
    """The thread of a worker's main process that beats until the worker shuts down."""

    def __init__(self, hostname: str, interval: float = WORKER_HEARTBEAT_SECONDS):
        self.hostname, self.interval = hostname, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sc-heartbeat", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _run(self):
        while True:
            try:
                worker_beat(self.hostname)
            except Exception as exc:  # noqa: BLE001 - the broker is down: beat again when it is back
                log.warning("worker heartbeat not written: %s", exc)
            if self._stop.wait(self.interval):
                return

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        try:
            worker_gone(self.hostname)
        except Exception:  # noqa: BLE001 - its entry goes stale by itself
            pass
