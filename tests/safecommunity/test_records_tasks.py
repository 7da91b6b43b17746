"""The import task: claimed once, run by a real worker, progress and counts recorded."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from safecommunity.models import Area, ImportJob
from safecommunity.records.choices import ImportStatus
from safecommunity.records.services import import_job_create, import_job_run

ROWS = "".join(f"371799001{i:03d},村{i}\r\n" for i in range(100, 400))
CSV = ("区划代码,名称\r\n" + ROWS + "371799101201,越界\r\n371799001001,重复\r\n").encode("gb18030")


def _create(world, settings, tmp_path, data=CSV):
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        return import_job_create(
            kind="villages",
            township=world.township1,
            user=world.users["township1"],
            upload=SimpleUploadedFile("村庄.csv", data),
        )


@pytest.mark.django_db
def test_a_claimed_job_is_not_run_twice(world, settings, tmp_path, monkeypatch):
    monkeypatch.setattr("safecommunity.tasks.import_run.delay", lambda job_id: None)
    job = _create(world, settings, tmp_path)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.duplicates, job.rejected) == (ImportStatus.DONE, 300, 1, 1)
    import_job_run(job_id=job.pk)  # a redelivered task
    job.refresh_from_db()
    assert (job.imported, job.duplicates) == (300, 1)


@pytest.mark.django_db
def test_a_job_running_elsewhere_is_left_alone(world, settings, tmp_path, monkeypatch):
    monkeypatch.setattr("safecommunity.tasks.import_run.delay", lambda job_id: None)
    job = _create(world, settings, tmp_path)
    # Running elsewhere: its heartbeat is fresh, so no second run may claim it.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed, job.imported) == (ImportStatus.RUNNING, 0, 0)
    assert not Area.objects.filter(code="371799001100").exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_import_task_runs_on_a_real_worker(world, settings, tmp_path, monkeypatch, celery_worker_factory):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))  # the worker reads the same uploads
    celery_worker_factory()
    job = _create(world, settings, tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
            break
        time.sleep(0.2)
    assert job.status == ImportStatus.DONE, job.error_message
    assert (job.imported, job.duplicates, job.rejected, job.processed) == (300, 1, 1, 302)
    assert list(job.rejections.values_list("row_no", flat=True)) == [302]
    assert Area.objects.filter(parent=world.township1, code__startswith="3717990013").count() == 100
