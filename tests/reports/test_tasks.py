"""Idempotent generation: eager runs here; real workers, Redis and PostgreSQL in the services tests."""

import time
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from reports import services, tasks
from reports.choices import RenderStatus
from reports.models import Briefing

services_test = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def pdf_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.pdf"))


def test_beat_task_drafts_every_townships_briefing_for_the_previous_month_once(world, media_root):
    cache.delete_own_keys()
    year, month = tasks.previous_month(timezone.localdate())
    assert tasks.briefings_draft_previous_month() == 3  # the world has three townships
    assert tasks.briefings_draft_previous_month() == 0  # the lock: a second beat does nothing
    cache.delete_own_keys()
    tasks.briefings_draft_previous_month()  # and even without the lock, nothing twice
    assert Briefing.objects.filter(year=year, month=month).count() == 3
    assert set(Briefing.objects.values_list("render_status", flat=True)) == {RenderStatus.READY}
    assert len(pdf_files(media_root)) == 3


def test_previous_month_wraps_to_december():
    assert tasks.previous_month(date(2026, 1, 1)) == (2025, 12)
    assert tasks.previous_month(date(2026, 10, 1)) == (2026, 9)


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_task_run_twice_and_two_workers_leave_one_briefing_and_one_file(world, celery_worker_factory, media_root):
    celery_worker_factory()
    celery_worker_factory()
    results = [tasks.briefing_build.delay(world.township1.pk, 2026, 3) for _ in range(4)]
    results.append(tasks.briefing_build.delay(world.township2.pk, 2026, 3))
    ids = [r.get(timeout=90) for r in results]
    assert len(set(ids[:4])) == 1
    assert Briefing.objects.count() == 2
    b = Briefing.objects.get(township=world.township1)
    assert b.render_status == RenderStatus.READY and b.pdf_sha256
    assert pdf_files(media_root) == [
        "reports/briefings/371799001/2026-03-v1.pdf",
        "reports/briefings/371799101/2026-03-v1.pdf",
    ]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_render_the_redelivered_task_finishes_with_one_file(
    world, celery_worker_factory, media_root, monkeypatch
):
    from safecommunity.celery import app

    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", "5")  # for the worker subprocesses
    saved = app.conf.broker_transport_options
    app.conf.broker_transport_options = {**(saved or {}), "visibility_timeout": 5}
    try:
        _kill_and_redeliver(world, celery_worker_factory, media_root)
    finally:
        app.conf.broker_transport_options = saved


def _kill_and_redeliver(world, celery_worker_factory, media_root):
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    # A long editor's note makes the render take seconds, so the kill lands inside it.
    Briefing.objects.filter(pk=b.pk).update(
        editor_note="\n".join(f"第{i}段：本月各村开展安全宣传与隐患排查。" * 3 for i in range(2500))
    )
    first = celery_worker_factory()
    result = tasks.briefing_render.delay(b.pk)
    _wait(lambda: Briefing.objects.get(pk=b.pk).render_status == RenderStatus.RENDERING, 30, "render to start")
    first.kill()
    killed_at = time.monotonic()
    b.refresh_from_db()
    assert b.render_status == RenderStatus.RENDERING and b.render_task_id == result.id and not b.pdf
    # A new worker scans for unacked messages older than the visibility timeout when it starts.
    time.sleep(max(0.0, 6 - (time.monotonic() - killed_at)))
    celery_worker_factory()
    _wait(lambda: Briefing.objects.get(pk=b.pk).render_status == RenderStatus.READY, 50, "redelivered render")
    b.refresh_from_db()
    assert b.render_task_id == result.id
    assert Briefing.objects.count() == 1
    assert pdf_files(media_root) == ["reports/briefings/371799001/2026-03-v1.pdf"]
    assert not [p for p in media_root.rglob("*.part")]


def test_the_beat_schedule_names_a_registered_task():
    from django.conf import settings

    from safecommunity.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["briefings-draft-previous-month"]
    assert entry["task"] == "reports.tasks.briefings_draft_previous_month"
    assert entry["task"] in app.tasks
    assert (entry["schedule"].day_of_month, entry["schedule"].hour, entry["schedule"].minute) == ({1}, {2}, {0})
