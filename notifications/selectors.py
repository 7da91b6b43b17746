"""Reads of the notifications app."""

from django.core.cache import cache
from django.db.models import Count, Q

from .choices import DeliveryStatus, JobStatus
from .models import Delivery, JobRun, Notification
from .services import unread_cache_key

UNREAD_CACHE_SECONDS = 300


def cached_unread_count(user) -> int | None:
    """The bell's number if it is cached (no query at all), else None: the page then asks for
    it after loading (``notifications:bell``), so no page's queries grow by the bell."""
    if user is None or not user.is_authenticated:
        return 0
    from safecommunity.datacache import preread_missing, prereads

    key = unread_cache_key(user.pk)
    found = prereads([key])
    if key in found:
        return found[key]
    return None if preread_missing(key) else cache.get(key)


def unread_count(user) -> int:
    """The bell's number: one COUNT on a partial index, cached per user until a notification of
    theirs is written or read."""
    if user is None or not user.is_authenticated:
        return 0
    key = unread_cache_key(user.pk)
    value = cache.get(key)
    if value is None:
        value = Notification.objects.for_user(user).unread().count()
        cache.set(key, value, UNREAD_CACHE_SECONDS)
    return value


def job_run_summary(*, since) -> list[dict]:
    """Per scheduled job since ``since``: runs, failures, the last run (one query)."""
    rows = (
        JobRun.objects.filter(started_at__gte=since)
        .values("task")
        .annotate(runs=Count("id"), failed=Count("id", filter=Q(status=JobStatus.FAILED)))
        .order_by("task")
    )
    return list(rows)


def delivery_summary(*, user, since) -> dict:
    """Sends to the county's users since ``since`` by status (one query)."""
    counts = dict(
        Delivery.objects.for_user(user)
        .filter(created_at__gte=since)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}
