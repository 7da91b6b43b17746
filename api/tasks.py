"""Celery tasks of the API app."""

from celery import shared_task


@shared_task(ignore_result=True)
def idempotency_keys_purge() -> None:
    """Periodic (hourly): forget Idempotency-Keys older than API_IDEMPOTENCY_HOURS. A plain
    DELETE by age: running it twice at once deletes nothing twice."""
    from .services import idempotency_purge

    idempotency_purge()
