"""Thin tasks of the analysis app."""

from celery import shared_task


@shared_task(time_limit=1800)
def signals_scan_all():
    """Daily (beat): scan every township. Idempotent without a lock: a stratum's window is one row
    (unique constraint, get_or_create), so two runs raise each signal once."""
    from safecommunity.models import Area

    from .services import signals_scan

    return sum(len(signals_scan(township=t)) for t in Area.objects.townships().order_by("code"))
