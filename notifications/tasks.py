"""Celery tasks of the notifications app: thin, each calls one service.

The daily ones are named ``daily_*`` (route them to the daily queue); each writes a ``JobRun``
row (the county's 定时任务 page) and is idempotent: reminders carry their day's key, a digest is
claimed per user and day, so two beats or a rerun send nothing twice."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def deliveries_send(delivery_ids: list[int]):
    """Send the outbox rows of new notifications (after the commit that wrote them)."""
    from .services import delivery_send

    for pk in delivery_ids:
        delivery_send(delivery_id=pk)


@shared_task(ignore_result=False)
def daily_reminders(day: str | None = None):
    """06:10: hazards due in 3 days or overdue to their 整改责任人; overdue action items to the
    working-group leads."""
    from .services import job_run, reminders_run

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    with job_run("notifications.daily_reminders") as run:
        result = reminders_run(today=today)
        run.result = f"{today}: {result}"
    return result


@shared_task(ignore_result=False)
def daily_digest(day: str | None = None):
    """07:00: each user's digest of the day's waiting notifications, once per user and day."""
    from .services import digests_run, job_run

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    with job_run("notifications.daily_digest") as run:
        result = digests_run(day=today)
        run.result = f"{today}: {result}"
    return result


@shared_task(ignore_result=True)
def deliveries_retry():
    """Every 5 minutes: failed sends again, without resending what went out."""
    from .choices import DeliveryStatus
    from .models import Delivery
    from .services import deliveries_retry as retry
    from .services import job_run

    # Logged only when there was something to retry (it runs 288 times a day).
    if not Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.SENDING]
    ).exists():
        return {"tried": 0, "sent": 0}
    with job_run("notifications.deliveries_retry") as run:
        run.result = retry()
    return run.result
