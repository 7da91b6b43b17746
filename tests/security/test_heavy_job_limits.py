"""Per-township limits on heavy jobs (issue 13: four bomb imports of one township delayed another
township's briefing from 1.3 s to 22.8 s). One township runs at most HEAVY_JOBS_PER_TOWNSHIP heavy
jobs at once; the others wait and all finish, once each; another township's job goes ahead."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from incidents.models import InjuryRecord
from reports import services, tasks
from reports.choices import RenderStatus
from reports.models import Briefing
from safecommunity import limits
from safecommunity.records.choices import ImportStatus
from safecommunity.records.models import ImportedRow, ImportJob
from safecommunity.records.services import import_job_create
from tests.safecommunity.test_import_integrity import INJURY, csv_file, injury_row


def _ledger(n: int, offset: int) -> bytes:
    parts = ["上肢", "下肢", "躯干", "头部"]
    return csv_file(
        INJURY,
        [
            injury_row(
                **{
                    "年龄": str(1 + (offset + i) % 90),
                    "伤害部位": parts[i % 4],
                    "伤害发生时间": f"2024-{1 + (offset // 1000) % 12:02d}-{1 + i % 28:02d}",
                    "姓名": f"测{offset + i}",
                }
            )
            for i in range(n)
        ],
    ).getvalue()


def _wait(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_one_townships_imports_wait_for_a_slot_and_another_townships_briefing_goes_ahead(
    world, settings, tmp_path, monkeypatch, celery_worker_factory
):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    monkeypatch.setenv("SC_HEAVY_JOBS_PER_TOWNSHIP", "1")  # for the worker subprocess
    monkeypatch.setenv("SC_HEAVY_JOB_RETRY_SECONDS", "0.5")
    monkeypatch.setenv("SC_IMPORT_BATCH_SIZE", "200")
    settings.MEDIA_ROOT = tmp_path
    celery_worker_factory(concurrency=2)
    briefing, _ = services.briefing_generate(township=world.township2, year=2026, month=3)

    rows = 1500
    jobs = []
    for n in range(4):  # township A: four big imports at once
        with transaction.atomic():
            jobs.append(
                import_job_create(
                    kind="injuries",
                    township=world.township1,
                    user=world.users["township1"],
                    upload=SimpleUploadedFile(f"ledger{n}.csv", _ledger(rows, n * rows)),
                )
            )
    tasks.briefing_render.delay(briefing.pk)  # township B: after A's four, on the same queue

    _wait(lambda: Briefing.objects.get(pk=briefing.pk).render_status == RenderStatus.READY, 90, "B's briefing")
    briefing.refresh_from_db()
    _wait(lambda: all(j.is_finished for j in ImportJob.objects.filter(pk__in=[j.pk for j in jobs])), 240, "A's imports")
    done = sorted(ImportJob.objects.filter(pk__in=[j.pk for j in jobs]), key=lambda j: j.started_at)
    assert [j.status for j in done] == [ImportStatus.DONE] * 4, [j.error_message for j in done]
    # B did not queue behind A: without the limit both worker processes would be running A's first
    # two imports and B could start only once one of them had finished (three had, when tried); here
    # B started while A's first was still running. (Its start, not its end: a render's length is the
    # machine's.)
    assert briefing.render_started_at is not None
    assert sum(j.finished_at <= briefing.render_started_at for j in done) == 0, (
        briefing.render_started_at,
        [(j.started_at, j.finished_at) for j in done],
    )
    # A never ran two at once, each job ran once, and every row is there once.
    for earlier, later in zip(done, done[1:], strict=False):
        assert earlier.finished_at <= later.started_at
    assert [(j.attempts, j.imported, j.duplicates, j.rejected) for j in done] == [(1, rows, 0, 0)] * 4
    assert InjuryRecord.objects.filter(township=world.township1).count() == 4 * rows
    assert ImportedRow.objects.count() == 4 * rows
    assert limits.slots_taken(world.township1.pk) == 0 and limits.slots_taken(world.township2.pk) == 0


@pytest.mark.django_db
def test_a_slot_whose_holder_died_frees_itself_after_its_lease(settings, world):
    settings.HEAVY_JOBS_PER_TOWNSHIP = 2
    settings.HEAVY_JOB_LEASE_SECONDS = 1
    area = world.township1.pk
    first, second = limits.slot_acquire(area), limits.slot_acquire(area)
    assert first and second and limits.slot_acquire(area) is None  # full: a third waits
    assert limits.slot_renew(area, first)
    limits.slot_release(area, second)
    third = limits.slot_acquire(area)
    assert third and limits.slot_acquire(area) is None
    time.sleep(1.2)  # "first" and "third" stopped beating: their workers died
    assert not limits.slot_renew(area, first)
    assert limits.slots_taken(area) == 0
    assert limits.slot_acquire(area) and limits.slot_acquire(area)
    # Another township's slots were never touched.
    assert limits.slots_taken(world.township2.pk) == 0
