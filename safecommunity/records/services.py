"""Writes of the import pages and the import task: create, run (resumably), recover, retry.

A job's life: QUEUED (stored, handed to the broker: ``enqueued_at``) → RUNNING (claimed by one
run holding ``lease``; every committed batch moves ``checkpoint`` and ``heartbeat_at``) → DONE
or FAILED. Nothing depends on a message arriving exactly once:

- a redelivered message, a second worker, a retry: the claim is a conditional update, so only
  one run holds the job; a run that loses its lease stops before writing its next batch;
- a worker killed (or PostgreSQL restarted) mid-import: the job's heartbeat stops; after
  ``IMPORT_STALE_SECONDS`` any run may claim it again and resumes after the checkpoint;
- a message lost (the broker was down at upload): ``enqueued_at`` stays empty and the sweep
  (every minute, ``import_jobs_recover``) hands the job to the broker again.
"""

import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError

from .choices import ImportStatus
from .importer import LeaseLost, run_import
from .models import ImportJob
from .reading import FileRejected
from .registry import get_kind

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv")
#: A run that stops (killed, or the database failed) is given up after this many attempts.
MAX_ATTEMPTS = 5


def stale_cutoff(now=None):
    """Heartbeats older than this belong to a run that is gone (a live run beats every batch)."""
    return (now or timezone.now()) - timezone.timedelta(seconds=settings.IMPORT_STALE_SECONDS)


@transaction.atomic
def import_job_create(*, kind: str, township, user, upload) -> ImportJob:
    """Store the upload and queue its import (handed to the broker once the transaction commits)."""
    try:
        get_kind(kind)
    except KeyError:
        raise ApplicationError(_("未知的数据类型：%(kind)s") % {"kind": kind}) from None
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ApplicationError(_("只能导入 .xlsx 或 .csv 文件"))
    if upload.size is not None and upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("文件过大（不能超过%(n)d MB），请分成几个文件导入") % {"n": settings.IMPORT_MAX_UPLOAD_BYTES >> 20}
        )
    job = ImportJob(kind=kind, township=township, user=user, original_name=name[:255])
    job.file.save(name, upload, save=False)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    return job


def import_job_enqueue(*, job_id: int) -> bool:
    """Hand the job to a worker. On the embedded default (no broker) the import runs in a
    thread of its own, never inside the web request. Returns False when the broker cannot be
    reached: the job stays queued and the sweep enqueues it when the broker is back."""
    if settings.IMPORTS_IN_THREAD:
        thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-{job_id}", daemon=True)
        thread.start()
        ImportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
        return True
    from safecommunity.tasks import import_run

    try:
        import_run.apply_async((job_id,), retry=False)
    except Exception:  # noqa: BLE001 - kombu raises many kinds while the broker is down
        logger.warning("broker unavailable: import job %s stays queued", job_id, exc_info=True)
        return False
    ImportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


def _run_in_thread(job_id):
    try:
        import_job_run(job_id=job_id)
    finally:
        connection.close()


def _claim(job_id) -> str | None:
    """Take the job for one run: queued, or running with a heartbeat too old to be alive."""
    lease = uuid.uuid4().hex
    now = timezone.now()
    cutoff = stale_cutoff(now)
    stale = Q(status=ImportStatus.RUNNING) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=ImportStatus.QUEUED) | stale)
        .update(
            status=ImportStatus.RUNNING,
            lease=lease,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            started_at=now,
        )
    )
    return lease if claimed else None


def import_job_run(*, job_id: int) -> None:
    """Run (or resume) a job once; a second delivery while it runs does nothing."""
    lease = _claim(job_id)
    if lease is None:
        return
    job = ImportJob.objects.select_related("township", "user").get(pk=job_id)
    kind = get_kind(job.kind)
    try:
        with job.file.open("rb") as fileobj:
            run_import(
                kind,
                fileobj,
                township=job.township,
                user=job.user,
                filename=job.original_name,
                job=job,
                lease=lease,
                batch_size=settings.IMPORT_BATCH_SIZE or None,
            )
    except LeaseLost:
        logger.info("import job %s was taken over by another run", job_id)
        return
    except FileRejected as exc:
        _finish(job_id, lease, status=ImportStatus.FAILED, error_message=exc.message)
        return
    except DatabaseError:
        # The database failed mid-run: what was committed stays, the job goes back to the queue
        # and resumes after its checkpoint. If even that cannot be written, its heartbeat ages
        # and the sweep takes it up again.
        logger.exception("import job %s interrupted by a database error", job_id)
        try:
            ImportJob.objects.filter(pk=job_id, lease=lease).update(
                status=ImportStatus.QUEUED, lease="", enqueued_at=None
            )
        except DatabaseError:
            pass
        return
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(
            job_id,
            lease,
            status=ImportStatus.FAILED,
            error_message=_("导入时发生内部错误，已导入的行均已保存。可点击“重试”从中断处继续；如仍失败请联系管理员"),
        )
        return
    _finish(job_id, lease, status=ImportStatus.DONE, error_message="")


def _finish(job_id, lease, **fields):
    ImportJob.objects.filter(pk=job_id, lease=lease, status=ImportStatus.RUNNING).update(
        finished_at=timezone.now(), lease="", **fields
    )


def import_jobs_recover(*, now=None) -> int:
    """The sweep (every minute): hand to the broker again every job whose run is gone (a stale
    heartbeat) or whose message never reached it; give up after ``MAX_ATTEMPTS`` runs.
    Returns how many jobs were enqueued. Safe to run anywhere, any number of times."""
    now = now or timezone.now()
    cutoff = stale_cutoff(now)
    ImportJob.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=cutoff, attempts__gte=MAX_ATTEMPTS).update(
        status=ImportStatus.FAILED,
        finished_at=now,
        lease="",
        error_message=_("导入多次中断，已停止。已导入的行均已保存；可点击“重试”从中断处继续"),
    )
    lost_message = Q(status=ImportStatus.QUEUED) & (
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - timezone.timedelta(seconds=settings.IMPORT_REQUEUE_SECONDS))
    )
    dead_run = Q(status=ImportStatus.RUNNING) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
    ids = list(ImportJob.objects.filter(lost_message | dead_run).values_list("pk", flat=True)[:500])
    sent = 0
    for job_id in ids:
        if not import_job_enqueue(job_id=job_id):
            break  # the broker is down: try again at the next sweep
        sent += 1
    return sent


@transaction.atomic
def import_job_retry(*, job: ImportJob, user) -> ImportJob:
    """The user's retry of a failed or stalled job: it resumes after its checkpoint, so rows
    already imported are never imported again."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not job.can_retry:
        raise ApplicationError(_("该导入任务正在进行或已完成，无需重试"))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.QUEUED, lease="", enqueued_at=None, attempts=0, error_message="", finished_at=None
    )
    transaction.on_commit(lambda: import_job_enqueue(job_id=job.pk))
    job.refresh_from_db()
    return job
