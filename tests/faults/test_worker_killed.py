"""A whole worker SIGKILLed mid-PDF: the briefing is not held for the visibility timeout. It is
stuck once its claim outlives the render time limit; then the sweep sends it again and the user
may retry it, and the result is one briefing with its one number."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reports import services, tasks
from reports.choices import RenderStatus
from reports.models import Briefing
from reports.models.briefings import RENDER_TIME_LIMIT, STALE_CLAIM


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_pdf_jobs_die_before_the_broker_redelivers_and_recover_within_minutes():
    assert tasks.briefing_render.time_limit == RENDER_TIME_LIMIT == tasks.download_render.time_limit
    assert RENDER_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < settings.CELERY_BROKER_VISIBILITY_TIMEOUT
    assert settings.CELERY_BROKER_VISIBILITY_TIMEOUT <= 20 * 60
    assert STALE_CLAIM <= timedelta(minutes=7)  # stuck, swept and retryable within minutes
    assert settings.CELERY_BEAT_SCHEDULE["jobs-sweep"]["task"] == "reports.tasks.jobs_sweep"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_pdf_user_retry_gives_one_briefing_one_number(
    world, as_user, celery_worker_factory, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    b, _ = services.briefing_generate(township=world.township1, year=2026, month=3)
    number = (b.number_in_year, b.number_total)
    Briefing.objects.filter(pk=b.pk).update(
        editor_note="\n".join(f"第{i}段：本月各村开展安全宣传与隐患排查。" * 3 for i in range(2500))
    )
    first = celery_worker_factory()
    tasks.briefing_render.delay(b.pk)
    _wait(lambda: Briefing.objects.get(pk=b.pk).render_status == RenderStatus.RENDERING, 30, "render to start")
    first.kill()

    client = as_user("township1")
    # Not stuck yet: a render that may still be alive is never doubled by a retry.
    client.post(reverse("reports:briefing_retry", args=[b.pk]))
    assert Briefing.objects.get(pk=b.pk).render_status == RenderStatus.RENDERING
    page = client.get(reverse("reports:briefing_status", args=[b.pk])).content.decode()
    assert "render-stuck" not in page

    # The claim outlives the render time limit (time moved on, as it would in a few minutes).
    Briefing.objects.filter(pk=b.pk).update(render_started_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1))
    page = client.get(reverse("reports:briefing_status", args=[b.pk])).content.decode()
    assert "render-stuck" in page and reverse("reports:briefing_retry", args=[b.pk]) in page

    celery_worker_factory()
    started = time.monotonic()
    assert client.post(reverse("reports:briefing_retry", args=[b.pk])).status_code == 302
    _wait(lambda: Briefing.objects.get(pk=b.pk).render_status == RenderStatus.READY, 120, "retried render")
    assert time.monotonic() - started < 120
    assert Briefing.objects.count() == 1
    b.refresh_from_db()
    assert (b.number_in_year, b.number_total) == number
    pdfs = sorted(p.name for p in (tmp_path / "media").rglob("*.pdf"))
    assert pdfs == ["2026-03-v1.pdf"] and not list((tmp_path / "media").rglob("*.part"))


@pytest.mark.django_db
def test_sweep_sends_stale_and_lost_jobs_again_and_leaves_live_ones(world, monkeypatch):
    sent = []
    from safecommunity import queue

    monkeypatch.setattr(queue, "enqueue", lambda task, *args: sent.append((task.name, args)) or True)
    live, _ = services.briefing_generate(township=world.township1, year=2026, month=1)
    lost, _ = services.briefing_generate(township=world.township1, year=2026, month=2)
    dead, _ = services.briefing_generate(township=world.township2, year=2026, month=2)
    now = timezone.now()
    Briefing.objects.filter(pk=live.pk).update(render_status=RenderStatus.RENDERING, render_started_at=now)
    Briefing.objects.filter(pk=lost.pk).update(updated_at=now - timedelta(minutes=2))
    Briefing.objects.filter(pk=dead.pk).update(
        render_status=RenderStatus.RENDERING, render_started_at=now - STALE_CLAIM - timedelta(seconds=1)
    )
    assert services.jobs_requeue(now=now) == {"briefings": 2, "downloads": 0}
    assert sorted(args[0] for _name, args in sent) == sorted([lost.pk, dead.pk])
