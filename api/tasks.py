"""Celery tasks of the API app."""

from celery import shared_task


@shared_task(ignore_result=True)
def idempotency_keys_purge() -> None:
    """Periodic (hourly): forget Idempotency-Keys older than API_IDEMPOTENCY_HOURS. A plain
    DELETE by age: running it twice at once deletes nothing twice."""
    from .services import idempotency_purge

    idempotency_purge()


@shared_task(ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    from .webhooks import webhook_deliver as deliver

    deliver(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhooks_sweep() -> None:
    """Periodic (every minute, under a lock): record new events, send the due deliveries."""
    from django.core.cache import cache

    from safecommunity import queue

    from .webhooks import due_deliveries, webhook_events_collect

    if not cache.add("api:webhooks-sweep", 1, timeout=55):
        return
    try:
        webhook_events_collect()
        for delivery_id in due_deliveries():
            queue.enqueue(webhook_deliver, delivery_id)
    finally:
        cache.delete("api:webhooks-sweep")
