"""Thin tasks: take ids, load the row, call one service. Generation is idempotent (see
``services.briefings``): a task run twice, two workers, or a redelivered message after a worker
was killed mid-render leave one briefing and one file."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from safecommunity.models import Area

from . import services
from .models.briefings import RENDER_TIME_LIMIT

# PDF tasks die well before the broker's visibility timeout, so a dead worker's job is never
# redelivered while it still runs, and is sent again by the sweep a minute after its limit.
RENDER_LIMITS = {"time_limit": RENDER_TIME_LIMIT, "soft_time_limit": RENDER_TIME_LIMIT - 30}

log = logging.getLogger(__name__)
LOCK_SECONDS = 10 * 60


@shared_task(name="reports.tasks.briefing_build", bind=True, **RENDER_LIMITS)
def briefing_build(self, township_id: int, year: int, month: int):
    township = Area.objects.filter(pk=township_id).townships().first()
    if township is None:
        return None
    return services.briefing_build(township=township, year=year, month=month, task_id=self.request.id or "").pk


@shared_task(name="reports.tasks.briefing_render", bind=True, **RENDER_LIMITS)
def briefing_render(self, briefing_id: int):
    return services.briefing_render(briefing_id=briefing_id, task_id=self.request.id or "")


@shared_task(name="reports.tasks.download_render", bind=True, **RENDER_LIMITS)
def download_render(self, job_id: int):
    return services.download_render(job_id=job_id, task_id=self.request.id or "")


@shared_task(name="reports.tasks.jobs_sweep")
def jobs_sweep():
    """Every minute: send again the renders and downloads whose message was lost (broker down,
    worker killed); see ``services.recovery``."""
    if not cache.add("reports:jobs-sweep", "1", 50):
        return None
    return services.jobs_requeue()


def previous_month(today):
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@shared_task(name="reports.tasks.briefings_draft_previous_month")
def briefings_draft_previous_month():
    """1st of the month, 02:00: one task per township drafts and renders last month's briefing."""
    year, month = previous_month(timezone.localdate())
    lock = f"reports:briefings-draft:{year}-{month:02d}"
    if not cache.add(lock, "1", LOCK_SECONDS):
        log.info("briefings for %s-%s already being drafted", year, month)
        return 0
    ids = list(Area.objects.townships().values_list("pk", flat=True))
    for township_id in ids:
        briefing_build.delay(township_id, year, month)
    return len(ids)
