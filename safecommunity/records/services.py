"""Writes of the import pages and the import task."""

import io
import logging
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safecommunity.exceptions import ApplicationError

from .choices import ImportStatus
from .importer import run_import, write_rejects
from .models import ImportJob
from .reading import FileRejected
from .registry import get_kind

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv")


@transaction.atomic
def import_job_create(*, kind: str, township, user, upload) -> ImportJob:
    """Store the upload and queue its import (enqueued once the transaction commits)."""
    try:
        get_kind(kind)
    except KeyError:
        raise ApplicationError(_("未知的数据类型：%(kind)s") % {"kind": kind}) from None
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ApplicationError(_("只能导入 .xlsx 或 .csv 文件"))
    job = ImportJob(kind=kind, township=township, user=user, original_name=name[:255])
    job.file.save(name, upload, save=False)
    job.full_clean()
    job.save()
    from safecommunity.tasks import import_run

    transaction.on_commit(lambda: import_run.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> None:
    """Run a queued job once: the conditional update claims it, so a second delivery does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("township", "user").get(pk=job_id)
    kind = get_kind(job.kind)

    def progress(result):
        ImportJob.objects.filter(pk=job_id).update(
            total_rows=result.total, processed=result.processed, imported=result.imported,
            duplicates=result.duplicates, rejected=len(result.rejected),
        )

    try:
        with job.file.open("rb") as fileobj:
            result = run_import(
                kind, fileobj, township=job.township, user=job.user, filename=job.original_name, progress=progress,
            )
    except FileRejected as exc:
        _finish(job_id, status=ImportStatus.FAILED, error_message=exc.message)
        return
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job_id, status=ImportStatus.FAILED, error_message=_("导入时发生内部错误，请联系管理员"))
        return
    reject_name = ""
    if result.rejected:
        buffer = io.StringIO()
        write_rejects(result, buffer)
        storage = job.reject_file.storage
        reject_name = storage.save(job.reject_file.field.generate_filename(job, "rejects.csv"),
                                   ContentFile(buffer.getvalue().encode("utf-8")))
    _finish(
        job_id, status=ImportStatus.DONE, total_rows=result.total, processed=result.processed,
        imported=result.imported, duplicates=result.duplicates, rejected=len(result.rejected),
        reject_file=reject_name,
    )


def _finish(job_id, **fields):
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.RUNNING).update(finished_at=timezone.now(), **fields)


def import_jobs_fail_stale(*, now=None) -> int:
    """Fail jobs whose worker died mid-import (running longer than the task's hard time limit).

    The rows of the batches it finished stay saved; re-uploading the same file is safe because the
    import recognises them as duplicates. A conditional update, so two sweeps never do it twice.
    """
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return ImportJob.objects.filter(status=ImportStatus.RUNNING, started_at__lt=cutoff).update(
        status=ImportStatus.FAILED, finished_at=now,
        error_message=_("导入中断（处理进程已停止）。已导入的行已保存；重新上传同一文件即可继续，已导入的行会被识别为重复。"),
    )
