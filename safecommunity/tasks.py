"""Celery tasks of the project package: thin, ids only, each calls one service."""

from celery import shared_task


@shared_task(ignore_result=True)
def import_run(job_id: int) -> None:
    """Import the file of ``ImportJob`` ``job_id`` (does nothing if it was already claimed)."""
    from safecommunity.records.services import import_job_run

    import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def import_jobs_sweep() -> None:
    """Periodic (every minute): resume imports whose worker died, enqueue those whose message
    was lost."""
    from safecommunity.records.services import import_jobs_recover

    import_jobs_recover()
