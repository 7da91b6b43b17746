"""The scheduled-job log of the other apps' daily and monthly tasks, without touching them: the
Celery signals of each run of a task that the beat schedule runs at set hours (not the minutely
sweeps) write a ``JobRun``. The notifications app's own tasks log themselves (``job_run``)."""

import functools
import logging
import traceback

from celery.schedules import crontab
from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)
_runs: dict[str, int] = {}


@functools.cache
def logged_tasks() -> frozenset:
    names = set()
    for entry in getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values():
        schedule = entry.get("schedule")
        if isinstance(schedule, crontab) and len(schedule.hour) < 24 and not entry["task"].startswith("notifications."):
            names.add(entry["task"])
    return frozenset(names)


def _prerun(task_id=None, task=None, **kwargs):
    if task is None or task.name not in logged_tasks():
        return
    from .models import JobRun

    try:
        _runs[task_id] = JobRun.objects.create(task=task.name).pk
    except Exception:  # noqa: BLE001 - the log never stops the job
        log.warning("job-run log unavailable for %s", task.name, exc_info=True)


def _failure(task_id=None, exception=None, einfo=None, **kwargs):
    pk = _runs.get(task_id)
    if pk is None:
        return
    from .choices import JobStatus
    from .models import JobRun

    text = f"{type(exception).__name__}: {exception}\n{einfo or traceback.format_exc(limit=5)}"
    try:
        JobRun.objects.filter(pk=pk).update(status=JobStatus.FAILED, finished_at=timezone.now(), error=text[:5000])
    except Exception:  # noqa: BLE001
        log.warning("job-run log unavailable", exc_info=True)


def _postrun(task_id=None, retval=None, state=None, **kwargs):
    pk = _runs.pop(task_id, None)
    if pk is None:
        return
    from .choices import JobStatus
    from .models import JobRun

    try:
        JobRun.objects.filter(pk=pk, status=JobStatus.RUNNING).update(
            status=JobStatus.OK if state == "SUCCESS" else JobStatus.FAILED,
            finished_at=timezone.now(),
            result=str(retval)[:300],
        )
    except Exception:  # noqa: BLE001
        log.warning("job-run log unavailable", exc_info=True)


def connect():
    task_prerun.connect(_prerun, weak=False, dispatch_uid="notifications-jobrun-prerun")
    task_failure.connect(_failure, weak=False, dispatch_uid="notifications-jobrun-failure")
    task_postrun.connect(_postrun, weak=False, dispatch_uid="notifications-jobrun-postrun")
