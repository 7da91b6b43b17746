"""Celery tasks of the project package: thin, ids only, each calls one service."""

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown


@shared_task(bind=True, ignore_result=True)
def import_run(self, job_id: int) -> None:
    """Import the file of ``ImportJob`` ``job_id`` (does nothing if it was already claimed), in one
    of its township's heavy-job slots (``safecommunity.limits``)."""
    from django.utils import timezone

    from safecommunity.limits import run_heavy
    from safecommunity.records.models import ImportJob
    from safecommunity.records.services import import_job_run

    township_id = ImportJob.objects.filter(pk=job_id).values_list("township_id", flat=True).first()
    if township_id is None:
        return
    # While it waits, the job's message is alive: the sweep must not send another.
    run_heavy(
        self,
        area_id=township_id,
        run=lambda: import_job_run(job_id=job_id),
        waiting=lambda: ImportJob.objects.filter(pk=job_id, status="queued").update(enqueued_at=timezone.now()),
    )


@shared_task(ignore_result=True)
def import_jobs_sweep() -> None:
    """Periodic (every minute): resume imports whose worker died, enqueue those whose message
    was lost."""
    from safecommunity.records.services import import_jobs_recover

    import_jobs_recover()


@shared_task(ignore_result=True)
def housekeeping_purge() -> None:
    """Daily: used and expired one-time form tokens, finished downloads past their retention."""
    from django.core.cache import cache

    from safecommunity.services import housekeeping_purge as purge

    if not cache.add("safecommunity:housekeeping-purge", "1", 10 * 60):
        return
    purge()


# --- The worker's own heartbeat, read by /healthz (safecommunity.health) -----------------------

_heartbeat = None


@worker_ready.connect(dispatch_uid="sc_worker_heartbeat_start")
def _start_heartbeat(sender=None, **kwargs):
    global _heartbeat
    from django.conf import settings

    from .health import Heartbeat

    if settings.REDIS_URL and _heartbeat is None:
        _heartbeat = Heartbeat(sender.hostname).start()


@worker_shutdown.connect(dispatch_uid="sc_worker_heartbeat_stop")
def _stop_heartbeat(sender=None, **kwargs):
    global _heartbeat
    if _heartbeat is not None:
        _heartbeat.stop()
        _heartbeat = None
