from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from safecommunity.records.choices import ImportStatus
from safecommunity.records.models import ImportJob
from safecommunity.tasks import import_jobs_sweep


def _job(world, status, started_minutes_ago):
    job = ImportJob(kind="villages", township=world.township1, user=world.users["township1"], original_name="a.csv",
                    status=status, started_at=timezone.now() - timedelta(minutes=started_minutes_ago))
    job.file.save("a.csv", ContentFile(b"x"), save=False)
    job.save()
    return job


def test_sweep_fails_only_jobs_whose_worker_died(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stale = _job(world, ImportStatus.RUNNING, started_minutes_ago=30)
    fresh = _job(world, ImportStatus.RUNNING, started_minutes_ago=2)
    done = _job(world, ImportStatus.DONE, started_minutes_ago=60)
    import_jobs_sweep.delay()
    stale.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    assert stale.status == ImportStatus.FAILED and "重新上传同一文件" in stale.error_message
    assert fresh.status == ImportStatus.RUNNING
    assert done.status == ImportStatus.DONE and done.error_message == ""
