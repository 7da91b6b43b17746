"""Sending work to the broker without letting a broker outage fail the request.

The job row (a briefing's ``render_status``, a ``DownloadJob``) is the record of the work: it is
committed first, and the message is sent after the commit. If the broker is down, the send fails
fast (no retries), the failure is noted for the request (``BrokerNoticeMiddleware`` shows
"后台任务暂不可用，任务已保存，将自动继续"), and the periodic sweep (``reports.tasks.jobs_sweep``)
sends the message again once the broker is back. Claims are conditional updates, so a message sent
twice does the work once."""

import contextvars
import logging

from django.db import transaction

log = logging.getLogger(__name__)

_failed = contextvars.ContextVar("sc_broker_failed", default=False)


def enqueue(task, *args) -> bool:
    """Send ``task(*args)`` now; False (and noted) when the broker cannot take it."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu/redis raise many kinds; the row keeps the work
        log.warning("broker unavailable, %s%r left for the sweep: %s", task.name, args, exc)
        _failed.set(True)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


def broker_failed() -> bool:
    return _failed.get()


def reset() -> None:
    _failed.set(False)
