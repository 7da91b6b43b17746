"""Redis stopped: pages render uncached, saves succeed, the work is kept and done once Redis is back.

The test runs its own redis-server (cache and broker of this test alone, ``private_redis`` in
conftest) and stops it."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.choices import RenderStatus
from reports.models import Briefing

NOTICE = "后台任务暂不可用，任务已保存，将自动继续"


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_pages_and_saves_answer_and_the_job_completes_when_it_returns(
    world, as_user, private_redis, celery_worker_factory, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = as_user("township1")
    assert client.get(reverse("reports:dashboard")).status_code == 200  # warm: versions in the cache

    private_redis.stop()
    started = time.monotonic()
    for name in ("incidents:incident_list", "incidents:statistics", "reports:dashboard", "reports:briefing_list"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    assert time.monotonic() - started < 10  # no page waits on a dead Redis for long

    response = client.post(reverse("reports:briefing_generate"), {"month": "2026-03"}, follow=True)
    assert response.status_code == 200
    assert NOTICE in response.content.decode()
    briefing = Briefing.objects.get(township=world.township1, year=2026, month=3)
    assert briefing.render_status == RenderStatus.QUEUED  # saved, waiting for the broker

    # While Redis is down the sweep cannot send either, and says nothing was sent.
    assert services.jobs_requeue(now=timezone.now() + timedelta(minutes=2)) == {"briefings": 0, "downloads": 0}

    private_redis.start()  # same port, empty (no persistence): the message was never there
    celery_worker_factory()
    assert services.jobs_requeue(now=timezone.now() + timedelta(minutes=2))["briefings"] == 1
    _wait(
        lambda: Briefing.objects.get(pk=briefing.pk).render_status == RenderStatus.READY,
        90,
        "the swept job to be rendered",
    )
    assert Briefing.objects.filter(township=world.township1).count() == 1
    # The cache works again once Redis is back.
    from django.core.cache import cache

    time.sleep(5.1)
    cache.set("fault-probe", 1)
    assert cache.get("fault-probe") == 1
