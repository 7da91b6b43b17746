"""Versioned caching of expensive read results (statistics, dashboards, list counts).

Every township has a data version per domain ("incidents", "inspections", ...). A cached
result is keyed by the versions of the townships it reads, so it is exact: a service that
writes a domain's rows calls ``data_changed(domain, township_ids)``, which moves those
townships to a new version, and every result that read them is recomputed on its next use.

``data_changed`` bumps at once and again after the transaction commits: a reader that ran
between the two and cached what it saw before the commit is invalidated by the second bump.
Versions start from a clock value, so a version key lost from the cache never comes back with
a value an old result was stored under.
"""

import functools
import hashlib
import time

from django.core.cache import cache
from django.db import models, transaction
from django.utils import translation

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


def versions(domain, township_ids: list[int]) -> list:
    """The current versions of ``township_ids`` in ``domain`` (a name, or a tuple of names for
    a result that reads several domains)."""
    domains = (domain,) if isinstance(domain, str) else tuple(domain)
    keys = [_version_key(d, t) for d in domains for t in township_ids]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
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
    """``compute()``, or its result cached under the current versions of ``township_ids``."""
    ids = township_id_list(township_ids)
    parts = (name, _normalise(args), translation.get_language(), ids, versions(domain, ids))
    key = f"sc:res:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        with dbrouting.replica_reads(ids):
            value = compute()
        cache.set(key, value, timeout)
    return value


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


def track(model, domain: str, township_field: str = "township_id") -> None:
    """Every save or delete of ``model`` (forms, admin, factories), and every change of its
    many-to-many relations (``.set()``, ``.add()``, ``.remove()``, ``.clear()``; from the other
    side add and remove), changes ``domain``'s data in the row's township (``township_field`` may be a dotted path:
    "project.township_id"). Bulk writes (bulk_create, update) bypass this: their services call
    ``data_changed``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

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
