"""Jobs that lost their message: sent again by the periodic sweep.

A briefing render or a download is recorded in its row before its message is sent. The message
may never have reached the broker (it was down: ``safecommunity.queue``), or its worker may have
died mid-job (killed, out of memory). The sweep sends again every job still queued a minute after
its last change, and every claim older than a task may live. Claims are conditional updates, so a
job whose first message does arrive after all is done once."""

from django.db.models import Q
from django.utils import timezone

from safecommunity import queue

from ..choices import BriefingStatus, RenderStatus
from ..models import Briefing, DownloadJob
from ..models.briefings import QUEUED_GRACE, STALE_CLAIM


def jobs_requeue(*, now=None) -> dict:
    """Send again the messages of queued or stale jobs; returns how many of each kind were sent."""
    from .. import tasks

    now = now or timezone.now()
    briefings = (
        Briefing.objects.exclude(status=BriefingStatus.PUBLISHED)
        .filter(
            Q(render_status=RenderStatus.QUEUED, updated_at__lt=now - QUEUED_GRACE)
            | Q(render_status=RenderStatus.RENDERING, render_started_at__lt=now - STALE_CLAIM)
        )
        .values_list("pk", flat=True)
    )
    downloads = DownloadJob.objects.filter(
        Q(status=RenderStatus.QUEUED, updated_at__lt=now - QUEUED_GRACE)
        | Q(status=RenderStatus.RENDERING, started_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    sent = {"briefings": 0, "downloads": 0}
    for pk in briefings:
        sent["briefings"] += queue.enqueue(tasks.briefing_render, pk)
    for pk in downloads:
        sent["downloads"] += queue.enqueue(tasks.download_render, pk)
    return sent
