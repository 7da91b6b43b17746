from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from safecommunity.records.choices import ImportStatus
from safecommunity.records.models import ImportJob
from safecommunity.tasks import import_jobs_sweep


def _job(world, status, started_minutes_ago):
    job = ImportJob(
        kind="villages",
        township=world.township1,
        user=world.users["township1"],
        original_name="a.csv",
        status=status,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        heartbeat_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        enqueued_at=timezone.now(),
    )
    job.file.save("a.csv", ContentFile(b"x"), save=False)
    job.save()
    return job


def test_sweep_resumes_only_jobs_whose_worker_died(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stale = _job(world, ImportStatus.RUNNING, started_minutes_ago=30)
    fresh = _job(world, ImportStatus.RUNNING, started_minutes_ago=1)
    done = _job(world, ImportStatus.DONE, started_minutes_ago=60)
    import_jobs_sweep.delay()
    stale.refresh_from_db(), fresh.refresh_from_db(), done.refresh_from_db()
    # The stale job ran again (its file has no header row, so this run ends it with the reason).
    assert (stale.status, stale.attempts) == (ImportStatus.FAILED, 1) and "缺少必填列" in stale.error_message
    assert (fresh.status, fresh.attempts) == (ImportStatus.RUNNING, 0)
    assert done.status == ImportStatus.DONE and done.error_message == ""
