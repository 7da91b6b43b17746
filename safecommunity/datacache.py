"""Versioned caching of expensive read results (statistics, dashboards, list counts).

Every township has a data version per domain ("incidents", "inspections", ...). A cached
result is keyed by the versions of the townships it reads, so it is exact: every write of a
model registered with ``track`` (one row by its signals, bulk writes by ``ScopedQuerySet``) calls
``data_changed(domain, township_ids)``, which moves those townships to a new version, and every
result that read them is recomputed on its next use. That is the only way: services never call
``data_changed``.

``data_changed`` bumps at once and again after the transaction commits: a reader that ran
between the two and cached what it saw before the commit is invalidated by the second bump.
Versions start from a clock value, so a version key lost from the cache never comes back with
a value an old result was stored under.
"""

import contextlib
import functools
import hashlib
import io
import pickle
import threading
import time
import uuid

from django.core.cache import cache
from django.db import models, transaction
from django.utils import translation
from django.utils.functional import Promise

from . import dbrouting
from .querysets import township_ids

RESULT_TIMEOUT = 6 * 3600


def _version_key(domain: str, township_id) -> str:
    return f"sc:dv:{domain}:{township_id}"


def township_id_list(townships) -> list[int]:
    """``township_ids`` sorted and without repeats: the form a cache key needs."""
    return sorted(set(township_ids(townships)))


def _bump(domain: str, township_ids) -> None:
    for tid in set(township_ids):
        key = _version_key(domain, tid)
        if not cache.add(key, time.time_ns(), None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, time.time_ns(), None)
    dbrouting.note_written(township_ids)


def data_changed(domain: str, township_ids) -> None:
    """The rows of ``domain`` changed in these townships: results that read them are stale."""
    ids = township_id_list(township_ids)
    _bump(domain, ids)
    transaction.on_commit(lambda: _bump(domain, ids))


_preread = threading.local()


@contextlib.contextmanager
def preread(keys):
    """Read ``keys`` of the cache in one round trip for what follows in this thread: ``versions``,
    ``filters.choice_generations`` and the bell's count take what was found from it (a kept
    page's request reads them all at once, ``safecommunity.pages``). Keys not found are read as
    usual; values read are those of this moment, as if each were read now."""
    keys = list(dict.fromkeys(keys))
    found = cache.get_many(keys) if keys else {}
    previous = getattr(_preread, "found", None), getattr(_preread, "asked", None)
    # With the cache unreachable nothing is found, and nothing counts as missing.
    _preread.found, _preread.asked = found, (frozenset(keys) if found else None)
    try:
        yield found
    finally:
        _preread.found, _preread.asked = previous


def prereads(keys) -> dict:
    """Those of ``keys`` found by the ``preread`` this thread is in."""
    found = getattr(_preread, "found", None)
    if not found:
        return {}
    return {k: found[k] for k in keys if k in found}


def preread_missing(key) -> bool:
    """True when the ``preread`` this thread is in asked for ``key`` and the cache had none: a
    second read now would most likely miss too."""
    asked = getattr(_preread, "asked", None)
    return asked is not None and key in asked and key not in _preread.found


def version_keys(domain, township_ids) -> list[str]:
    domains = (domain,) if isinstance(domain, str) else tuple(domain)
    return [_version_key(d, t) for d in domains for t in township_ids]


def versions(domain, township_ids: list[int]) -> list:
    """The current versions of ``township_ids`` in ``domain`` (a name, or a tuple of names for
    a result that reads several domains)."""
    keys = version_keys(domain, township_ids)
    # Inside a result being computed, the versions its parts read are read once (the parts
    # are stored under the versions the result started from: never newer than the data read).
    seen = getattr(_computing, "versions", None)
    found = {k: seen[k] for k in keys if k in seen} if seen is not None else {}
    missing = [k for k in keys if k not in found]
    if missing:
        found.update(prereads(missing))
        missing = [k for k in keys if k not in found]
    if missing:
        found.update(cache.get_many(missing))
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
    if seen is not None:
        seen.update(found)
    return [found[k] for k in keys]


def _normalise(value):
    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, models.QuerySet):
        return (value.model._meta.label, str(value.query))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_normalise(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _normalise(v)) for k, v in value.items()))
    return value


def cached(domain, township_ids, name: str, args, compute, timeout: int = RESULT_TIMEOUT):
    """``compute()``, or its result cached under the current versions of ``township_ids``.

    Single flight: when the result is missing (after a write, every reader of the townships
    finds it missing at once), one reader computes it under a short lock while the others wait
    for its result; they compute it themselves after ``WAIT_SECONDS`` (a slow holder), when the
    lock is gone without a result (the holder failed), or at once when the cache is unreachable.
    A holder that dies leaves a lock that expires after ``LOCK_SECONDS``: never a deadlock."""
    ids = township_id_list(township_ids)
    current = versions(domain, ids)
    parts = (name, _normalise(args), translation.get_language(), ids, current)
    key = f"sc:res2:{hashlib.sha256(repr(parts).encode()).hexdigest()}"

    def read():
        seen = getattr(_computing, "versions", None)
        if seen is not None and not seen:  # the outer result: its parts start from its versions
            domains = (domain,) if isinstance(domain, str) else tuple(domain)
            seen.update(zip((_version_key(d, t) for d in domains for t in ids), current, strict=True))
        with dbrouting.replica_reads(ids):
            return compute()

    return single_flight(key, read, timeout)


LOCK_SECONDS = 30
WAIT_SECONDS = 5.0
# One wait of a reader for the holder's "done": well below the cache's socket timeout (0.5 s), so that a
# slow reply under load is not taken for an outage.
WAIT_STEP = 0.1


_computing = threading.local()


@contextlib.contextmanager
def own_flights():
    """Inside a result being computed, the cached results read are not its parts but results of
    their own, each under its own single flight (``safecommunity.pages``: a kept page is drawn
    under its flight, and the result it shows is shared with the other pages drawn from it)."""
    saved = dict(_computing.__dict__)
    _computing.__dict__.clear()
    try:
        yield
    finally:
        _computing.__dict__.clear()
        _computing.__dict__.update(saved)


class _Pickler(pickle.Pickler):
    """Pickles a lazy translation as the plain string it stands for (in the language of the
    key): a cached lazy string is slow to read back (every unpickled one builds its proxy class
    again: some 8 ms a page for the dashboard's labels). Called for objects other than the
    built-in containers and scalars only, so it costs next to nothing."""

    def reducer_override(self, obj):
        if isinstance(obj, Promise):
            return str, (str(obj),)
        return NotImplemented


def _stored(value) -> bytes:
    """A result as stored: wrapped in a tuple (a result of None is a result too), pickled."""
    buffer = io.BytesIO()
    _Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump((value,))
    return buffer.getvalue()


def _read(key: str):
    """The stored (value,) of ``key``, or None."""
    raw = cache.get(key)
    if isinstance(raw, bytes):
        return pickle.loads(raw)
    return raw  # None, or a tuple stored by an earlier version of this module


def _compute_outer(key: str, compute, timeout: int):
    """``compute()`` of a result with its parts: the parts (other cached selectors it calls) are
    computed once each in it and stored together with it in one round trip to the cache."""
    _computing.parts, _computing.versions = {}, {}
    try:
        value = compute()
        parts = {k: _stored(v) for k, v in _computing.parts.items()}
    finally:
        del _computing.parts, _computing.versions
    cache.set_many({**parts, key: _stored(value)}, timeout)
    return value


def _wait(key: str, seconds: float, pause: float, signalled: bool) -> bool:
    """Wait up to ``seconds`` for the holder of ``key`` (Redis, ``signalled``: a blocking pop,
    woken as soon as it is done; else a sleep of ``pause``). True when woken by a signal."""
    wait_done = getattr(cache, "wait_done", None) if signalled else None
    if wait_done is not None:
        woken = wait_done(key, min(seconds, WAIT_STEP))
        if woken is not None:
            return woken
    time.sleep(min(pause, seconds))
    return False


def single_flight(key: str, compute, timeout: int = RESULT_TIMEOUT):
    """``compute()`` once for concurrent callers of one ``key`` (see ``cached``). Results are
    stored wrapped in a tuple, so that a result of None is a result too (``_stored``).

    The holder stores the result, then says it is done (``cache.notify_done``: a Redis list the
    waiters block on), so the waiters read it at once instead of polling."""
    parts = getattr(_computing, "parts", None)
    if parts is not None and key in parts:
        return parts[key]
    hit = _read(key)
    if hit is not None:
        return hit[0]
    if parts is not None:
        # A part of a result being computed (the dashboard's selectors): the outer result's lock
        # already keeps concurrent readers out; stored with the outer result.
        parts[key] = value = compute()
        return value
    lock, token = f"{key}:lock", uuid.uuid4().hex
    deadline, pause, signalled = time.monotonic() + WAIT_SECONDS, 0.005, True
    while True:
        if cache.add(lock, token, LOCK_SECONDS):
            try:
                # Done between this reader's miss and its lock: read, not computed again.
                hit = _read(key)
                if hit is not None:
                    return hit[0]
                value = _compute_outer(key, compute, timeout)
                notify = getattr(cache, "notify_done", None)
                if notify is not None:
                    notify(key)
            finally:
                cache.delete(lock)
            return value
        if cache.get(lock) is None:
            # No holder: the cache is unreachable (add failed), or the holder has just finished
            # (its result is there) or failed (it is not).
            hit = _read(key)
            return hit[0] if hit is not None else compute()
        left = deadline - time.monotonic()
        if left <= 0:
            return compute()
        woken = _wait(key, left, pause, signalled)
        hit = _read(key)
        if hit is not None:
            return hit[0]
        if woken:  # a signal left by an earlier flight of this key: poll from now on
            signalled = False
        pause = min(pause * 2, 0.05)


def versioned(domain, townships_arg: str = "townships"):
    """Decorator for a keyword-only selector whose ``townships_arg`` names the townships it reads."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(**kwargs):
            ids = township_id_list(kwargs[townships_arg])
            kwargs = {**kwargs, townships_arg: ids}
            return cached(
                domain, ids, f"{function.__module__}.{function.__qualname__}", kwargs, lambda: function(**kwargs)
            )

        wrapper.uncached = function
        return wrapper

    return decorate


# model → (domain, township field path) of every tracked model.
_TRACKED: dict = {}


def _tracked(model):
    return _TRACKED.get(model._meta.concrete_model)


def tracked_townships(queryset) -> set | None:
    """The townships of the rows of ``queryset`` when its model is tracked (one query), else None."""
    entry = _tracked(queryset.model)
    if entry is None:
        return None
    lookup = entry[1].replace(".", "__")
    return set(queryset.order_by().values_list(lookup, flat=True).distinct()) - {None}


def bulk_changed(model, *, objs=(), township_ids=None, values=None) -> None:
    """A bulk write of ``model`` (``ScopedQuerySet.bulk_create``/``bulk_update``/``update``)
    changed the rows ``objs`` or the rows of ``township_ids`` (and, an ``update(**values)`` that
    moves rows to another township, that township): what ``track``'s signals do for one row."""
    entry = _tracked(model)
    if entry is None:
        return
    domain, field = entry
    ids = set(township_ids or ())
    first = field.split(".")[0]
    for name in (first, first.removesuffix("_id")):
        if values and name in values:
            ids.add(getattr(values[name], "pk", values[name]))
    for obj in objs:
        for attribute in field.split("."):
            obj = getattr(obj, attribute, None)
        ids.add(obj)
    ids -= {None}
    if ids:
        data_changed(domain, ids)


def track(model, domain: str, township_field: str = "township_id") -> None:
    """The one way results are invalidated: every save or delete of ``model`` (services, forms,
    admin, factories; ``QuerySet.delete`` sends the same signals), every change of its many-to-many
    relations (``.set()``, ``.add()``, ``.remove()``, ``.clear()``; from the other side add and
    remove), and the bulk writes of its ``ScopedQuerySet`` (``bulk_create``, ``bulk_update``,
    ``update``) change ``domain``'s data in the rows' townships (``township_field`` may be a dotted
    path: "project.township_id"). Services never call ``data_changed`` themselves."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    _TRACKED[model._meta.concrete_model] = (domain, township_field)

    def township_of(instance):
        township_id = instance
        for attribute in township_field.split("."):
            township_id = getattr(township_id, attribute, None)
        return township_id

    def changed(sender, instance, **kwargs):
        if township_id := township_of(instance):
            data_changed(domain, [township_id])

    def relation_changed(sender, instance, action, model: type, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if isinstance(instance, tracked):
            changed(sender, instance)
        elif model is tracked and pk_set:
            # Changed from the other side (``element.evidence_set.add(...)``): the tracked rows are ``pk_set``.
            ids = {township_of(obj) for obj in tracked.objects.filter(pk__in=pk_set)} - {None}
            if ids:
                data_changed(domain, ids)

    tracked = model
    label = model._meta.label
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"datacache-{label}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"datacache-{label}-delete")
    m2m_changed.connect(relation_changed, weak=False, dispatch_uid=f"datacache-{label}-m2m")
