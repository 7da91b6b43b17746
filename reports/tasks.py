"""Thin tasks: take ids, load the row, call one service (heavy ones in a township's slot,
``safecommunity.limits``). Generation is idempotent (see
``services.briefings``): a task run twice, two workers, or a redelivered message after a worker
was killed mid-render leave one briefing and one file."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.db.models.functions import Coalesce
from django.utils import timezone

from safecommunity.limits import run_heavy
from safecommunity.models import Area

from . import services
from .choices import RenderStatus
from .models import Briefing, DownloadJob
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
    return run_heavy(
        self,
        area_id=township.pk,
        run=lambda: (
            services.briefing_build(township=township, year=year, month=month, task_id=self.request.id or "").pk
        ),
    )


@shared_task(name="reports.tasks.briefing_render", bind=True, **RENDER_LIMITS)
def briefing_render(self, briefing_id: int):
    township_id = Briefing.objects.filter(pk=briefing_id).values_list("township_id", flat=True).first()
    return run_heavy(
        self,
        area_id=township_id,
        run=lambda: services.briefing_render(briefing_id=briefing_id, task_id=self.request.id or ""),
        waiting=lambda: Briefing.objects.filter(pk=briefing_id, render_status=RenderStatus.QUEUED).update(
            updated_at=timezone.now()
        ),
    )


@shared_task(name="reports.tasks.download_render", bind=True, **RENDER_LIMITS)
def download_render(self, job_id: int):
    # A county's own documents (its summary) count against the county, as one more "township".
    area_id = (
        DownloadJob.objects.filter(pk=job_id)
        .annotate(area=Coalesce("township_id", "county_id"))
        .values_list("area", flat=True)
        .first()
    )
    return run_heavy(
        self,
        area_id=area_id,
        run=lambda: services.download_render(job_id=job_id, task_id=self.request.id or ""),
        waiting=lambda: DownloadJob.objects.filter(pk=job_id, status=RenderStatus.QUEUED).update(
            updated_at=timezone.now()
        ),
    )


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
