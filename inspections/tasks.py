"""Celery tasks of the inspections app: thin, each calls one service."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=False)
def hazards_escalate_overdue(day: str | None = None):
    """Daily (06:00 beat): escalate overdue hazards. The day is claimed with a unique
    ``DailyRun`` row, so however many beats or workers send it, it runs once a day.
    Returns the number escalated, or ``None`` when the day was already done."""
    from .services import escalation_daily_run

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return escalation_daily_run(today=today)
