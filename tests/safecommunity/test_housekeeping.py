"""Issue 10: the daily purge (beat) of used and expired one-time form tokens and of finished
downloads past their retention, with their files; what is still needed is kept."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from reports.choices import RenderStatus
from reports.models import DownloadJob
from reports.rendering import store_file
from safecommunity.models import SubmissionToken
from safecommunity.tasks import housekeeping_purge


def _token(value, age):
    row = SubmissionToken.objects.create(token=value, path="/incidents/new/", result_url="/incidents/1/")
    SubmissionToken.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)


def _download(world, status, age_days, with_file=True):
    job = DownloadJob.objects.create(
        user=world.users["township1"],
        kind="briefing",
        object_id=1,
        township=world.township1,
        title="简报",
        filename="b.pdf",
        status=status,
    )
    if with_file:
        job.file = store_file(f"reports/downloads/{job.user_id}/{job.pk}.pdf", b"%PDF-1.7 test")
        job.save()
    DownloadJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    return job


def test_the_daily_purge_removes_old_tokens_and_downloads_and_keeps_the_rest(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    max_age = timedelta(seconds=settings.SUBMISSION_TOKEN_MAX_AGE)
    _token("1:old", max_age + timedelta(minutes=1))
    _token("1:recent", max_age - timedelta(hours=1))  # a session that may still post this form
    old_ready = _download(world, RenderStatus.READY, settings.DOWNLOAD_RETENTION_DAYS + 1)
    old_failed = _download(world, RenderStatus.FAILED, settings.DOWNLOAD_RETENTION_DAYS + 1, with_file=False)
    recent = _download(world, RenderStatus.READY, settings.DOWNLOAD_RETENTION_DAYS - 1)
    old_queued = _download(world, RenderStatus.QUEUED, settings.DOWNLOAD_RETENTION_DAYS + 1, with_file=False)

    housekeeping_purge.delay()

    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["1:recent"]
    assert set(DownloadJob.objects.values_list("pk", flat=True)) == {recent.pk, old_queued.pk}  # queued: the sweep's
    assert not default_storage.exists(old_ready.file.name) and default_storage.exists(recent.file.name)
    assert not DownloadJob.objects.filter(pk=old_failed.pk).exists()


def test_the_purge_is_in_the_beat_schedule_and_tokens_outlive_any_session():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "safecommunity.tasks.housekeeping_purge"
    )
    assert entry["schedule"].hour == {3}
    assert settings.SUBMISSION_TOKEN_MAX_AGE >= settings.SESSION_ABSOLUTE_AGE


def test_a_second_purge_while_one_holds_the_lock_does_nothing(world):
    from django.core.cache import cache

    _token("1:old", timedelta(seconds=settings.SUBMISSION_TOKEN_MAX_AGE + 60))
    cache.add("safecommunity:housekeeping-purge", "1", 60)
    housekeeping_purge.delay()
    assert SubmissionToken.objects.count() == 1
