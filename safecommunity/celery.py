import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safecommunity.settings.local")

app = Celery("safecommunity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues (CELERY_TASK_ROUTES → route_task): a big import never waits in front of a briefing, and
# neither waits in front of the minutely sweeps. Each has its own workers in docker-compose.yml
# (docker/entrypoint.sh worker-imports | worker-documents | worker-daily); the plain ``worker``
# consumes all four, so a one-worker install still runs everything.
IMPORTS, DOCUMENTS, DAILY, DEFAULT = "imports", "documents", "daily", "celery"
QUEUES = (DEFAULT, IMPORTS, DOCUMENTS, DAILY)
DOCUMENT_TASKS = {
    "reports.tasks.briefing_build",
    "reports.tasks.briefing_render",
    "reports.tasks.download_render",
}
IMPORT_TASKS = {"safecommunity.tasks.import_run"}


def queue_name(queue: str) -> str:
    """The broker's name of ``queue`` (SC_CELERY_QUEUE_PREFIX, empty in production)."""
    from django.conf import settings

    return f"{settings.TASK_QUEUE_PREFIX}{queue}"


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router: imports, documents (briefings, PDF downloads) and the scheduled jobs (every
    task of CELERY_BEAT_SCHEDULE) each on a queue of their own; the rest on the default queue.
    Off with SC_CELERY_QUEUES=0 (the test suite's workers listen on one queue of their own)."""
    from django.conf import settings

    if not settings.TASK_QUEUES_ROUTED:
        return None
    if name in IMPORT_TASKS:
        return {"queue": queue_name(IMPORTS)}
    if name in DOCUMENT_TASKS:
        return {"queue": queue_name(DOCUMENTS)}
    if name in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}:
        return {"queue": queue_name(DAILY)}
    return None
