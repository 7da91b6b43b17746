"""Per-township limits on heavy jobs (imports, PDF briefings, downloads and scorecards).

One township may run at most ``HEAVY_JOBS_PER_TOWNSHIP`` (2) heavy jobs at once, so four bomb
imports of one township cannot delay another township's briefing (issue 13). The slots are a
Redis sorted set per area, each member a run's token scored by its lease's expiry; a running job
renews its lease every few seconds from a heartbeat thread, so a worker that is killed frees its
slot within ``HEAVY_JOB_LEASE_SECONDS`` (30 s) and never holds it for ever.

A job that finds its township's slots taken does not occupy the worker: the task is retried a
few seconds later (``task.retry(countdown=…)``, its message acknowledged only once the retry is
queued) and meanwhile its row is touched, so the sweeps that resend lost messages see it waiting
and send nothing twice. Whatever runs a job twice is still harmless: the services claim their
rows with conditional updates.

Without Redis (the embedded default, tasks in-process), for eager tasks and for a task function
called directly there is no limit: there is no shared queue to protect. If Redis fails mid-way the job runs unlimited rather than
not at all (the broker is that same Redis, so this is the rare case)."""

import logging
import random
import threading
import time
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

# KEYS[1] the area's slot set; ARGV: now, lease expiry, limit, token. Expired leases are dropped
# first, so the count is of live runs only.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('EXPIRE', KEYS[1], 3600)
  return 1
end
return 0
"""

# KEYS[1]; ARGV: now, new expiry, token. A lease already expired is not revived (its slot may be
# another run's by now): it is dropped and 0 returned.
_RENEW = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not score then return 0 end
if tonumber(score) < tonumber(ARGV[1]) then
  redis.call('ZREM', KEYS[1], ARGV[3])
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
return 1
"""

_client = None
MAX_WAITS = 10**6


def _redis():
    global _client
    if _client is None:
        import redis

        _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    return _client


def enabled() -> bool:
    return bool(settings.REDIS_URL) and settings.HEAVY_JOBS_PER_TOWNSHIP > 0


def _key(area_id: int) -> str:
    # The database name keeps two portals (or two test databases) on one Redis apart.
    return f"sc:heavy:{connection.settings_dict['NAME']}:{area_id}"


def slot_acquire(area_id: int) -> str | None:
    """A token if one of the area's slots was free (now taken), else None."""
    token = uuid.uuid4().hex
    now = time.time()
    got = _redis().eval(
        _ACQUIRE, 1, _key(area_id), now, now + settings.HEAVY_JOB_LEASE_SECONDS, settings.HEAVY_JOBS_PER_TOWNSHIP, token
    )
    return token if got else None


def slot_renew(area_id: int, token: str) -> bool:
    """Extends a live lease; False if it had expired (the slot may have gone to another run)."""
    now = time.time()
    return bool(_redis().eval(_RENEW, 1, _key(area_id), now, now + settings.HEAVY_JOB_LEASE_SECONDS, token))


def slot_release(area_id: int, token: str) -> None:
    _redis().zrem(_key(area_id), token)


def slots_taken(area_id: int) -> int:
    """Live runs of the area (for tests and the admin's curiosity)."""
    r = _redis()
    r.zremrangebyscore(_key(area_id), "-inf", time.time())
    return r.zcard(_key(area_id))


@contextmanager
def _heartbeat(area_id: int, token: str):
    stop = threading.Event()
    every = max(1.0, settings.HEAVY_JOB_LEASE_SECONDS / 3)

    def beat():
        while not stop.wait(every):
            try:
                slot_renew(area_id, token)
            except Exception:  # noqa: BLE001 - a missed beat only shortens the lease
                log.warning("heavy-job lease of area %s not renewed", area_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"heavy-slot-{area_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def retry_countdown() -> float:
    base = settings.HEAVY_JOB_RETRY_SECONDS
    return round(base * random.uniform(0.6, 1.4), 2)


def run_heavy(task, *, area_id: int | None, run, waiting=None):
    """Runs ``run()`` in one of ``area_id``'s slots. When they are all taken: ``waiting()`` (touch
    the job's row) and retry the task after a few seconds, without limit on the number of retries
    (each wait is bounded by the running jobs' time limits and leases)."""
    if area_id is None or not enabled() or task.request.is_eager or task.request.called_directly:
        return run()
    try:
        token = slot_acquire(area_id)
    except Exception:  # noqa: BLE001 - Redis unreachable: better unlimited than not at all
        log.warning("heavy-job limiter unavailable, running %s unlimited", task.name, exc_info=True)
        return run()
    if token is None:
        if waiting is not None:
            waiting()
        log.info("%s waits: area %s runs %s heavy jobs", task.name, area_id, settings.HEAVY_JOBS_PER_TOWNSHIP)
        # max_retries=None would mean the task's default (3): waiting is not failing, so no cap
        # that a busy township could reach.
        raise task.retry(countdown=retry_countdown(), max_retries=MAX_WAITS)
    try:
        with _heartbeat(area_id, token):
            return run()
    finally:
        try:
            slot_release(area_id, token)
        except Exception:  # noqa: BLE001 - the lease expires by itself
            log.warning("heavy-job slot of area %s not released", area_id, exc_info=True)
